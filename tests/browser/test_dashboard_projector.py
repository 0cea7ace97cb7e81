"""The decide page on a projector (issue 13): at 1280×720 and 1024×768 the card, its state, the
next questions and the question being answered are in the first screen; what an answer does is
said at the question; messages appear where the user is and clear on the next success; no
heading hides under the card; axe-core finds nothing serious or critical."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import axe_findings, describe
from tests.browser.conftest import choose_file
from tests.voila_proc import DASHBOARD_READY_JS

SLOW = 120_000
pytestmark = pytest.mark.browser
Shot = Callable[[Any, str], Path]

BOX = """(selector) => {
  const e = document.querySelector(selector);
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height};
}"""


def open_dashboard(page: Page, voila_url: str) -> None:
    page.goto(f"{voila_url}/voila/render/decide.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    settle(page)


def settle(page: Page) -> None:
    page.wait_for_function(DASHBOARD_READY_JS, timeout=SLOW, polling="raf")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.evaluate(BOX, selector)
    assert found is not None, f"{selector} is not on the page"
    return dict(found)


def in_first_screen(page: Page, selector: str) -> None:
    size = page.viewport_size
    assert size is not None
    b = box(page, selector)
    assert b["height"] > 0, f"{selector} is hidden"
    assert b["top"] >= 0 and b["bottom"] <= size["height"] + 1, f"{selector} at {b} is outside the first screen {size}"
    assert b["left"] >= 0 and b["right"] <= size["width"] + 1, f"{selector} at {b} is cut at the side {size}"


@pytest.mark.parametrize("viewport", [(1280, 720), (1024, 768)], ids=["1280x720", "1024x768"])
def test_the_first_screen_holds_the_answer_and_the_next_question(
    page: Page, voila_url: str, shot: Shot, viewport: tuple[int, int]
) -> None:
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    open_dashboard(page, voila_url)
    assert page.title() == "patternfit — decide one connection"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    for selector in (".pf-recommendation", ".pf-state", ".pf-ask-next", ".pf-links"):
        in_first_screen(page, selector)

    page.locator(".pf-examples select").select_option(label="New, blank connection")
    expect(page.locator(".pf-recommendation")).to_contain_text("No recommendation yet")
    first = page.locator(".pf-ask-next .pf-qrow").first
    expect(first).to_be_visible()
    key = next(c for c in (first.get_attribute("class") or "").split() if c.startswith("pf-q-"))
    first.locator("select").select_option(index=1)
    settle(page)
    expect(page.locator(".pf-recommendation .pf-state")).to_be_visible()
    # the question just answered stays in the guided panel, with the next ones
    expect(page.locator(f".pf-ask-next .{key}")).to_have_count(1)
    for selector in (".pf-recommendation", ".pf-state", ".pf-ask-next", f".{key}"):
        in_first_screen(page, selector)
    answer, question = box(page, ".pf-recommendation"), box(page, f".{key}")
    beside = answer["left"] >= question["right"] - 1
    above = answer["bottom"] <= question["top"] + 1
    assert beside or above, f"the answer {answer} is neither beside nor above the question {question}"
    shot(page, f"first-screen-{width}x{height}")


def test_the_effect_of_an_answer_shows_at_the_question(page: Page, voila_url: str) -> None:
    open_dashboard(page, voila_url)
    expect(page.locator(".pf-q-latency_budget .pf-effect")).to_have_text("rules out Batch — KO-2", timeout=SLOW)
    page.locator(".pf-q-response_expectation select").select_option(label="The result, to continue")
    effect = page.locator(".pf-q-response_expectation .pf-effect")
    expect(effect).to_contain_text("rules out Events and Batch — KO-1", timeout=SLOW)
    page.locator(".pf-q-response_expectation input[type=checkbox]").check()
    confirm = page.locator(".pf-q-response_expectation .pf-effect-confirm")
    expect(confirm).to_contain_text("confirm it or change it", timeout=SLOW)


def test_messages_appear_where_the_user_is_and_clear_on_success(
    page: Page, voila_url: str, shot: Shot, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    open_dashboard(page, voila_url)
    # an error from the profile upload, far down the page, shows in view there
    page.locator(".pf-profile-panel .jupyter-widget-Collapse-header, .pf-profile-panel .p-Collapse-header").click()
    bad = tmp_path / "profile.yaml"
    bad.write_text("name: x\nversion: 1\nchanges: [{weight: nope, to: 2, reason: r}]\n", encoding="utf-8")
    upload = page.locator(".pf-profile-upload")
    upload.scroll_into_view_if_needed()
    choose_file(page, ".pf-profile-upload", bad)
    notice = page.locator(".pf-notice")
    expect(notice).to_be_visible(timeout=SLOW)
    expect(notice.locator("[role=alert]")).to_contain_text("profile.yaml")
    in_first_screen(page, ".pf-notice")
    shot(page, "notice-in-view")
    # the next action that works clears it
    row = page.locator(".pf-q-latency_budget select")
    row.scroll_into_view_if_needed()
    row.select_option(label="Minutes")
    expect(notice).to_be_hidden(timeout=SLOW)
    # the status of a working profile upload shows beside the upload
    good = tmp_path / "good.yaml"
    good.write_text(
        'name: Acme\nversion: "1"\nchanges: [{weight: consumer_count, to: 3, reason: fan-out}]\n', encoding="utf-8"
    )
    upload.scroll_into_view_if_needed()
    choose_file(page, ".pf-profile-upload", good)
    status = page.locator(".pf-profile-status")
    expect(status).to_contain_text("Profile “Acme” version 1 applied", timeout=SLOW)
    expect(status.locator("[role=status]")).to_have_count(1)
    in_first_screen(page, ".pf-profile-status")


def test_no_heading_hides_under_the_card(page: Page, voila_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    open_dashboard(page, voila_url)
    for heading in (".pf-knocked-out h3", ".pf-why-list h3"):
        page.locator(heading).scroll_into_view_if_needed()
        covered = page.evaluate(
            """(sel) => { const h = document.querySelector(sel); const r = h.getBoundingClientRect();
               const top = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
               return !(top === h || h.contains(top)); }""",
            heading,
        )
        assert not covered, f"{heading} is covered by another element"


def test_axe_finds_nothing_serious_on_decide(page: Page, voila_url: str, shot: Shot) -> None:
    """axe-core on the page as it opens, in guided mode on a blank connection, and with every
    panel open: no serious or critical finding."""
    open_dashboard(page, voila_url)
    found = axe_findings(page)
    assert not found, describe(found)
    page.locator(".pf-examples select").select_option(label="New, blank connection")
    expect(page.locator(".pf-ask-next .pf-qrow").first).to_be_visible()
    page.locator(".pf-examples select").select_option(label="Customer onboarding")
    settle(page)
    headers = page.locator(".pf-app .jupyter-widget-Collapse-header, .pf-app .p-Collapse-header").filter(visible=True)
    for i in range(headers.count()):
        headers.nth(i).scroll_into_view_if_needed()
        headers.nth(i).click()
    page.wait_for_timeout(1500)
    found = axe_findings(page)
    shot(page, "axe-all-open")
    assert not found, describe(found)
