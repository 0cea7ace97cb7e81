"""The ways in, as a visitor meets them: the served start page lists the dashboards by title,
each dashboard links to the others and names its browser tab, and axe-core finds nothing serious
or critical on the workshop, calibrate and estate pages (Voila in Debian's headless Chromium).

The start page is the `patternfit` Voila template (share/jupyter/voila/templates/patternfit, the
lab template with a server-rendered start page); here Voila is started with it the way
voila.json and JUPYTER_PATH put it in force.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from patternfit.apps.common.html import DASHBOARDS
from playwright.sync_api import Page, expect

from tests.browser.axe import axe_findings, describe
from tests.voila_proc import ROOT, free_port, start_voila, stop

SLOW = 120_000
# the start page's titles are the link bar's: one wording for both
TITLES = {f"{stem}.ipynb": label for stem, label in DASHBOARDS}
TEMPLATE = ROOT / "share" / "jupyter"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def start_url() -> Iterator[str]:
    """A Voila on notebooks/ with the patternfit template (its start page)."""
    port = free_port()
    proc = start_voila(
        "notebooks", port, "--template=patternfit", log=ROOT / "artifacts" / "voila-ways-in.log",
        env={"JUPYTER_PATH": str(TEMPLATE)},
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def test_the_start_page_lists_the_dashboards_by_title(page: Page, start_url: str, shot: Any) -> None:
    """/ lists the dashboards by their titles, in the order people use them, each linking to its
    page, and no raw notebook name; axe finds nothing serious on it."""
    page.goto(f"{start_url}/", wait_until="domcontentloaded", timeout=SLOW)
    titles = page.locator(".pf-start .pf-start-title")
    expect(titles).to_have_text(list(TITLES.values()))
    assert ".ipynb" not in page.locator("main").inner_text()
    hrefs = page.locator(".pf-start a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert [h.split("/")[-1] for h in hrefs] == list(TITLES)
    assert "patternfit" in page.title()
    found = axe_findings(page)
    assert not found, describe(found)
    shot(page, "01-start")
    page.locator(".pf-start a", has_text="Estate review").click()
    expect(page.locator(".pf-estate-example")).to_be_visible(timeout=SLOW)


PAGES = {
    "workshop": (".pf-recommendation .pf-pattern", "Workshop"),
    "calibrate": (".pf-calibrate-effect tbody tr", "Calibrate"),
    "estate": (".pf-estate-example", "Estate review"),
    "flow": (".pf-flow-example", "Decide a flow"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_dashboard_links_title_and_accessibility(page: Page, voila_url: str, shot: Any, name: str) -> None:
    """Each page names its tab after the dashboard, links to the others, and has no serious or
    critical axe-core finding (the estate page with a review on screen)."""
    ready, tab = PAGES[name]
    page.goto(f"{voila_url}/voila/render/{name}.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    expect(page.locator(ready).first).to_be_visible(timeout=SLOW)
    if name == "estate":
        page.locator(".pf-estate-example").click()
        expect(page.locator(".pf-estate-table table")).to_be_visible(timeout=SLOW)
        page.locator(".pf-estate-open-pick select").select_option(index=1)
        expect(page.locator(".pf-estate-open a[download]")).to_be_visible(timeout=SLOW)
    header = page.locator(".pf-page-header nav")
    others = [stem for stem in TITLES if stem != f"{name}.ipynb"]
    # widgets render in no fixed order: the header may arrive after the content it waits on
    expect(header.locator("a")).to_have_count(len(others), timeout=SLOW)
    hrefs = header.locator("a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(others)
    expect(header.locator("[aria-current=page]")).to_have_count(1)
    page.wait_for_function(f"() => document.title.startsWith({tab!r})", timeout=SLOW)
    uploads = page.locator("button.widget-upload")
    for text in uploads.all_inner_texts():
        assert "(0)" not in text, text
    assert page.locator("button.widget-upload[title=null]").count() == 0
    page.wait_for_timeout(1000)  # the charts and late widgets settle
    found = axe_findings(page)
    shot(page, f"01-{name}")
    assert not found, describe(found)
