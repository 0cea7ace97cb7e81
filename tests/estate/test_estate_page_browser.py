"""The HTML report in Chromium with the network blocked: it opens, draws the map and asks for nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from patternfit.charts.estate_page import write_html_report
from patternfit.estate.review import review

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_report_opens_offline_and_shows_map_charts_and_findings(tmp_path, playwright):
    """Every request but the page itself is blocked (and counted): none is made; the map and tables are drawn."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    page_path = write_html_report(review(ROOT / "data" / "examples" / "inventory.csv"), tmp_path / "report.html")
    url = page_path.resolve().as_uri()
    asked: list[str] = []
    errors: list[str] = []
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
    )
    try:
        context = browser.new_context(offline=True)
        page = context.new_page()

        def block(route):
            if route.request.url != url:
                asked.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", block)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        box = page.locator("svg.pf-estate-map").bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 300
        assert page.locator("svg.pf-estate-map .pf-edge").count() > 20
        assert page.locator("svg.pf-estate-map .pf-mismatch").count() > 0
        assert page.locator("svg.pf-chart-mix rect").count() >= 10
        assert page.locator("table.pf-mismatches tr").count() == 1 + 18
        assert "INT-002" in page.locator("table.pf-mismatches").inner_text()
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    finally:
        browser.close()
    assert asked == [] and errors == []
