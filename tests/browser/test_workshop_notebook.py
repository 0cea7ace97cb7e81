"""The workshop notebook as a facilitator uses it: Voila serving notebooks/workshop.ipynb, driven
in Debian's headless Chromium (add connections, compare, download the workshop, export a record)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from patternfit.model.catalog import load_model
from patternfit.workshop.file import load_workshop
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.axe import axe_findings, describe
from tests.browser.conftest import DRAFTS, choose_file, wait_for_draft

SLOW = 120_000  # ms: a kernel that is not preheated runs the whole notebook first
WORKSHOP = "/voila/render/workshop.ipynb"

pytestmark = pytest.mark.browser

Shot = Callable[[Any, str], Path]


def test_workshop_add_compare_download_and_record(page: Page, voila_url: str, shot: Shot, no_drafts: Any) -> None:
    """Add two connections, compare them (table + chart), download the workshop file and a record."""
    page.goto(f"{voila_url}{WORKSHOP}", wait_until="domcontentloaded", timeout=SLOW)
    no_drafts(page)
    card = page.locator(".pf-recommendation .pf-pattern")
    expect(card).to_have_text("Events", timeout=SLOW)
    expect(page.locator(".pf-chart-scores svg rect.pf-bar").first).to_be_attached(timeout=SLOW)
    shot(page, "01-open")

    entries = page.locator(".pf-workshop-entries select option")
    page.locator(".pf-workshop-add").click()
    expect(entries).to_have_count(1, timeout=SLOW)
    page.locator(".pf-examples select").select_option(label="Customer onboarding")
    expect(card).to_have_text("Workflow orchestration", timeout=SLOW)
    page.locator(".pf-workshop-add").click()
    expect(entries).to_have_count(2, timeout=SLOW)
    expect(entries.nth(1)).to_have_text("Customer onboarding")

    page.locator(".pf-workshop-pick select").select_option(label=["Order created fan-out", "Customer onboarding"])
    page.locator(".pf-workshop-compare-button").click()
    compare = page.locator(".pf-workshop-compare")
    expect(compare.locator("table.pf-compare-table")).to_be_visible(timeout=SLOW)
    expect(compare.locator("table.pf-compare-table th", has_text="Customer onboarding")).to_have_count(1)
    expect(compare.locator(".js-plotly-plot g.trace").first).to_be_attached(timeout=SLOW)
    compare.scroll_into_view_if_needed()
    shot(page, "02-compare")

    with page.expect_download(timeout=SLOW) as info:
        page.locator(".pf-workshop-download a").click()
    download = info.value
    assert download.suggested_filename.endswith(".yaml")
    workshop = load_workshop(Path(download.path()).read_bytes(), load_model())
    assert [e.connection.name for e in workshop.entries] == ["Order created fan-out", "Customer onboarding"]

    page.locator(".pf-record").last.scroll_into_view_if_needed()  # the record is prepared in view
    expect(page.locator(".pf-download-md a")).to_have_count(1, timeout=SLOW)
    with page.expect_download(timeout=SLOW) as info:
        page.locator(".pf-download-md a").last.click()
    record = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Workflow orchestration" in record and "Customer onboarding" in record
    assert page.locator(".pf-workshop .pf-error").first.is_hidden()
    shot(page, "03-record")


def test_two_visitors_each_get_their_own_draft(
    new_context: Callable[..., BrowserContext], voila_url: str, shot: Shot, no_drafts: Callable[[Page], str]
) -> None:
    """Two visitors (two browsers) add connections on the same Voila; after a reload each is offered
    only their own draft, and restoring it brings back only their own entries."""
    pages: dict[str, Page] = {}
    for who, examples in (("a", ["Order created fan-out"]), ("b", ["Order created fan-out", "Customer onboarding"])):
        page = new_context().new_page()
        pages[who] = page
        page.goto(f"{voila_url}{WORKSHOP}", wait_until="domcontentloaded", timeout=SLOW)
        card = page.locator(".pf-recommendation .pf-pattern")
        expect(card).to_have_text("Events", timeout=SLOW)
        no_drafts(page)
        expect(page.locator(".pf-workshop-restore")).to_be_hidden()
        for i, label in enumerate(examples):
            if i:
                page.locator(".pf-examples select").select_option(label=label)
                expect(page.locator(".pf-name input")).to_have_value(label, timeout=SLOW)
            page.locator(".pf-workshop-add").click()
            expect(page.locator(".pf-workshop-entries select option")).to_have_count(i + 1, timeout=SLOW)
    assert no_drafts(pages["a"]) != no_drafts(pages["b"])

    for who, count in (("a", 1), ("b", 2)):
        page = pages[who]
        page.reload(wait_until="domcontentloaded", timeout=SLOW)
        banner = page.locator(".pf-workshop-restore")
        expect(banner).to_be_visible(timeout=SLOW)
        expect(banner).to_contain_text(f"{count} connection{'s' if count != 1 else ''} and")
        top = banner.bounding_box()
        assert top is not None and top["y"] < page.locator(".pf-workshop-bar").bounding_box()["y"]  # at the top
        assert top["y"] < page.locator(".pf-examples").bounding_box()["y"]
        shot(page, f"0{count}-visitor-{who}-draft")
        page.locator(".pf-workshop-restore-button").click()
        entries = page.locator(".pf-workshop-entries select option")
        expect(entries).to_have_count(count, timeout=SLOW)
        expect(banner).to_be_hidden()
    expect(pages["a"].locator(".pf-workshop-entries select option")).to_have_text(["Order created fan-out"])
    expect(pages["b"].locator(".pf-workshop-entries select option")).to_have_text(
        ["Order created fan-out", "Customer onboarding"]
    )


def test_calibrate_shows_effect_and_refuses_bad_profile(page: Page, voila_url: str, shot: Shot, tmp_path: Path) -> None:
    """The calibration page lists the five examples unchanged, and a profile moving a fit too far is refused."""
    page.goto(f"{voila_url}/voila/render/calibrate.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    effect = page.locator(".pf-calibrate-effect")
    expect(effect).to_contain_text("0 of 5 recommendations change", timeout=SLOW)
    expect(effect.locator("tbody tr")).to_have_count(5)
    bad = tmp_path / "too-far.yaml"
    bad.write_text(
        "name: Acme\nversion: 1\nchanges:\n"
        "  - {fit: process_duration, answer: minutes, pattern: api, to: 9, reason: we like APIs}\n",
        encoding="utf-8",
    )
    choose_file(page, ".pf-calibrate-profile-upload", bad, SLOW)
    banner = page.locator(".pf-calibrate .pf-error")
    expect(banner).to_be_visible(timeout=SLOW)
    expect(banner).to_contain_text("outside the allowed range")
    shot(page, "01-refused")


def test_calibrate_on_an_uploaded_inventory(page: Page, voila_url: str, shot: Shot, tmp_path: Path) -> None:
    """A profile loaded as the draft, then the example inventory uploaded: the page says how many of
    its 48 readable connections change, from what to what, and names a changed one."""
    page.goto(f"{voila_url}/voila/render/calibrate.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    expect(page.locator(".pf-calibrate-effect")).to_contain_text("recommendations change", timeout=SLOW)
    profile = tmp_path / "acme.yaml"
    profile.write_text(
        "name: Acme\nversion: '1.0'\nchanges:\n"
        + "".join(
            f"  - {{weight: {key}, to: {value}, reason: {key} matters differently here}}\n"
            for key, value in {"coordinated_steps": 6, "temporal_decoupling": 0, "visibility": 6}.items()
        ),
        encoding="utf-8",
    )
    choose_file(page, ".pf-calibrate-profile-upload", profile, SLOW)
    choose_file(
        page,
        ".pf-calibrate-inventory-upload",
        Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv",
        SLOW,
    )
    box = page.locator(".pf-calibrate-inventory")
    expect(box).to_contain_text("inventory.csv: 51 connections, 48 assessed", timeout=SLOW)
    figures = box.locator(".pf-inventory-figures")
    expect(figures).to_contain_text("recommendations change")
    expect(figures).not_to_contain_text("0 of 48")
    expect(box.locator(".pf-inventory-moves")).to_contain_text("Workflow orchestration")
    expect(box).to_contain_text("INT-044")
    shot(page, "02-inventory")


def selected_text(select: Any) -> str:
    """The label of the option a <select> shows."""
    return str(select.evaluate("el => el.options[el.selectedIndex].text")).replace("\xa0", " ")


def pick_option(select: Any, starts: str) -> None:
    """Choose the option whose label starts with `starts` (labels carry "(recommended)" marks)."""
    labels = select.evaluate("el => Array.from(el.options).map((o) => o.text)")
    labels = [str(label).replace("\xa0", " ") for label in labels]
    select.select_option(index=next(i for i, label in enumerate(labels) if label.startswith(starts)))


def test_each_entry_keeps_its_own_choice_and_notes(page: Page, voila_url: str, shot: Shot, no_drafts: Any) -> None:
    """Two connections with different chosen options and notes: the second starts with an empty bar,
    choosing against the recommendation asks for a rationale, and after saving and opening the file
    again each entry is as it was entered."""
    page.goto(f"{voila_url}{WORKSHOP}", wait_until="domcontentloaded", timeout=SLOW)
    no_drafts(page)
    card = page.locator(".pf-recommendation .pf-pattern")
    expect(card).to_have_text("Events", timeout=SLOW)
    notes = page.locator(".pf-workshop-notes textarea")
    chosen = page.locator(".pf-workshop-chosen select")
    entries = page.locator(".pf-workshop-entries select option")

    notes.fill("billing and the warehouse both listen")
    pick_option(chosen, "Events")
    page.locator(".pf-workshop-add").click()
    expect(entries).to_have_count(1, timeout=SLOW)

    page.locator(".pf-examples select").select_option(label="Customer onboarding")
    expect(card).to_have_text("Workflow orchestration", timeout=SLOW)
    expect(notes).to_have_value("", timeout=SLOW)
    assert selected_text(chosen) == "not decided yet"
    notes.fill("legal wants one place to see each case")
    pick_option(chosen, "Events")
    expect(page.locator(".pf-workshop-rationale textarea")).to_be_visible(timeout=SLOW)
    page.locator(".pf-workshop-add").click()
    expect(page.locator(".pf-workshop-notice .pf-error")).to_contain_text("needs a rationale", timeout=SLOW)
    expect(entries).to_have_count(1)
    page.locator(".pf-workshop-rationale textarea").fill("the teams already run choreographed events")
    page.locator(".pf-workshop-add").click()
    expect(entries).to_have_count(2, timeout=SLOW)
    expect(page.locator(".pf-workshop-notice .pf-error")).to_be_hidden()
    shot(page, "01-two-entries")

    with page.expect_download(timeout=SLOW) as info:
        page.locator(".pf-workshop-download a").click()
    saved = Path(info.value.path())
    workshop = load_workshop(saved.read_bytes(), load_model())
    got = [(e.connection.name, e.chosen, e.notes, e.rationale) for e in workshop.entries]
    assert got == [
        ("Order created fan-out", "events", "billing and the warehouse both listen", ""),
        ("Customer onboarding", "events", "legal wants one place to see each case",
         "the teams already run choreographed events"),
    ]  # fmt: skip

    page.reload(wait_until="domcontentloaded", timeout=SLOW)
    expect(card).to_have_text("Events", timeout=SLOW)
    copy = saved.with_name("two-entries.yaml")
    copy.write_bytes(saved.read_bytes())
    choose_file(page, ".pf-workshop-upload", copy, SLOW)
    expect(entries).to_have_count(2, timeout=SLOW)
    expect(entries).to_have_text(["Order created fan-out → Events", "Customer onboarding → Events"])
    for index, name, option, text in (
        (1, "Customer onboarding", "Events", "legal wants"),
        (0, "Order created fan-out", "Events", "billing"),
    ):
        page.locator(".pf-workshop-entries select").select_option(index=index)
        expect(page.locator(".pf-name input")).to_have_value(name, timeout=SLOW)
        page.wait_for_function(
            "([el, want]) => el.options[el.selectedIndex].text.replace(/\\u00a0/g, ' ').startsWith(want)",
            arg=[chosen.element_handle(), option],
        )
        expect(notes).to_have_value(re.compile(text))
    expect(page.locator(".pf-workshop-rationale textarea")).to_be_hidden()
    shot(page, "02-reopened")


def test_notes_typed_after_add_come_back_and_new_connection_starts_blank(
    page: Page, voila_url: str, shot: Shot, no_drafts: Callable[[Page], str]
) -> None:
    """Notes typed after "Add / update" reach the visitor's draft within 2 s of the last key and come
    back after a reload; "New connection" — and "New, blank connection" in the examples list, chosen
    again after an add — start a blank connection whose card says so, never the entry's answers."""
    page.goto(f"{voila_url}{WORKSHOP}", wait_until="domcontentloaded", timeout=SLOW)
    draft = DRAFTS / no_drafts(page) / "workshop-current.draft.yaml"
    card = page.locator(".pf-recommendation")
    expect(card.locator(".pf-pattern")).to_have_text("Events", timeout=SLOW)
    notes = page.locator(".pf-workshop-notes textarea")
    entries = page.locator(".pf-workshop-entries select option")
    notes.press_sequentially("billing listens", delay=15)
    page.locator(".pf-workshop-add").click()
    expect(entries).to_have_count(1, timeout=SLOW)
    notes.press("End")
    notes.press_sequentially(", and the warehouse", delay=15)
    waited = wait_for_draft(draft, "billing listens, and the warehouse", within=2.0)
    print(f"notes in the draft {waited:.2f} s after the last key reached the page")

    page.reload(wait_until="domcontentloaded", timeout=SLOW)
    banner = page.locator(".pf-workshop-restore")
    expect(banner).to_be_visible(timeout=SLOW)
    expect(notes).to_have_value("")
    page.locator(".pf-workshop-restore-button").click()
    expect(entries).to_have_count(1, timeout=SLOW)
    expect(notes).to_have_value("billing listens, and the warehouse", timeout=SLOW)
    expect(page.locator(".pf-name input")).to_have_value("Order created fan-out")
    shot(page, "01-notes-restored")

    name = page.locator(".pf-name input")
    for i, how in enumerate(("button", "examples list", "button"), start=1):
        if how == "button":
            page.locator(".pf-workshop-new").click()
        else:
            page.locator(".pf-examples select").select_option(label="New, blank connection")
        expect(card).to_contain_text("New, blank connection", timeout=SLOW)
        expect(card).to_contain_text("No recommendation yet")
        expect(card.locator(".pf-pattern")).to_have_count(0)
        expect(name).to_have_value("")
        expect(notes).to_have_value("")
        page.locator(".pf-q-response_expectation select").select_option(label="The result, to continue")
        expect(card.locator(".pf-pattern")).to_have_text("Synchronous API", timeout=SLOW)
        name.fill(f"Lookup {i} by {how}")
        name.press("Tab")
        expect(card.locator(".pf-conn-name")).to_have_text(f"Lookup {i} by {how}", timeout=SLOW)
        page.locator(".pf-workshop-add").click()
        expect(entries).to_have_count(i + 1, timeout=SLOW)
    expect(entries).to_have_text(
        ["Order created fan-out", "Lookup 1 by button", "Lookup 2 by examples list", "Lookup 3 by button"]
    )
    found = axe_findings(page)
    assert not found, describe(found)
    shot(page, "02-new-connections")
