"""Every dashboard (decide, workshop, estate, calibrate, flow) on a phone (390×844) and on a
projector (1280×720), as Voila serves it: no sideways scrolling, no text cut at the side, and no
text drawn over other text (titles, legends, tick labels, tables, the record's diagram) — checked
screen by screen down the whole page, so that the charts drawn only in view are drawn and checked
too (tests/browser/layout.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import choose_file
from tests.browser.layout import layout_findings
from tests.voila_proc import DASHBOARD_READY_JS

SLOW = 120_000
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv"
SIZES = {"phone": (390, 844), "projector": (1280, 720)}
SCROLLER = "document.querySelector('#rendered_cells') || document.scrollingElement"

# nothing in view waits to be drawn (apps/common/inview.py marks such a chart pf-stale)
DRAWN_IN_VIEW = """() => [...document.querySelectorAll('.pf-stale')].every((e) => {
  const r = e.getBoundingClientRect();
  return r.height === 0 || r.bottom <= 0 || r.top >= window.innerHeight;
})"""

pytestmark = pytest.mark.browser
Shot = Callable[[Any, str], Path]


def ready_decide(page: Page) -> None:
    page.wait_for_function(DASHBOARD_READY_JS, timeout=SLOW, polling="raf")


def ready_workshop(page: Page) -> None:
    page.locator(".pf-recommendation .pf-pattern").wait_for(timeout=SLOW)
    page.locator(".pf-chart-scores svg rect.pf-bar").first.wait_for(state="attached", timeout=SLOW)


def ready_estate(page: Page) -> None:
    """The estate page with the example inventory reviewed: tables, the owner view (the charts are
    drawn as the walk down brings them into view)."""
    page.locator(".pf-estate-upload").wait_for(timeout=SLOW)
    choose_file(page, ".pf-estate-upload", EXAMPLE, SLOW)
    page.locator(".pf-estate-summary .pf-owners").wait_for(timeout=SLOW)


def ready_calibrate(page: Page) -> None:
    page.locator(".pf-calibrate-effect tbody tr").first.wait_for(timeout=SLOW)


def ready_flow(page: Page) -> None:
    """The flow page with its example loaded: five steps, their table, findings and diagram."""
    page.locator(".pf-flow-example button, button.pf-flow-example").first.click(timeout=SLOW)
    page.locator(".pf-flow-steps tbody tr").nth(4).wait_for(timeout=SLOW)
    page.locator(".pf-flow-diagram pre").wait_for(timeout=SLOW)


PAGES = {
    "decide": ready_decide,
    "workshop": ready_workshop,
    "estate": ready_estate,
    "calibrate": ready_calibrate,
    "flow": ready_flow,
}


def walk_down(page: Page, height: int) -> list[str]:
    """Check the page a screen at a time from top to bottom; every finding once, in order."""
    found: list[str] = []
    top = 0
    while True:
        page.evaluate(f"(y) => {{ ({SCROLLER}).scrollTop = y; }}", top)
        page.wait_for_function(DRAWN_IN_VIEW, timeout=SLOW)  # the charts drawn only in view
        page.wait_for_timeout(500)  # and laid out
        found += [f for f in layout_findings(page) if f not in found]
        end = page.evaluate(f"() => {{ const s = {SCROLLER}; return s.scrollHeight - s.clientHeight; }}")
        if top >= end:
            return found
        top = min(top + height - 120, end)


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_fits_and_no_text_covers_text(page: Page, voila_url: str, shot: Shot, name: str, size: str) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{voila_url}/voila/render/{name}.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    PAGES[name](page)
    found = walk_down(page, height)
    shot(page, f"{name}-{width}x{height}")
    assert not found, f"{name} at {width}×{height}:\n" + "\n".join(found)
