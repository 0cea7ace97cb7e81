"""The business-flow dashboard as a person uses it: Voila serving notebooks/flow.ipynb, headless
Chromium — build a flow step by step, see the coordination and a finding, download the record;
typed markup stays text; axe-core finds nothing serious."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import axe_findings, describe

SLOW = 120_000  # ms: kernel start and first render on a busy 2-core machine
XSS = '<img src=x onerror="window.__xss=1">'

pytestmark = pytest.mark.browser


def add_step(page: Page, source: str, target: str, how: str) -> None:
    for css, value in ((".pf-flow-from", source), (".pf-flow-to", target)):
        box = page.locator(f"{css} input")
        box.fill(value)
        box.press("Tab")
    page.locator(".pf-flow-how select").select_option(label=how)
    page.locator(".pf-flow-add button, button.pf-flow-add").first.click()


def test_build_a_flow_step_by_step_and_download_its_record(page: Page, voila_url: str, shot) -> None:
    """Four synchronous calls in a row, typed in: the page shows the steps, the state (never
    'settled' here), the call-chain finding F-01 naming its steps, the diagram's solid arrows, and
    downloads a MADR record carrying the flow."""
    page.goto(f"{voila_url}/voila/render/flow.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    expect(page.locator(".pf-flow-example").first).to_be_visible(timeout=SLOW)
    name = page.locator(".pf-flow-name input")
    name.fill(XSS)
    name.press("Tab")
    for k in range(4):
        add_step(page, f"S{k}", f"S{k + 1}", "Synchronous API (a call)")
        expect(page.locator(".pf-flow-steps tbody tr")).to_have_count(k + 1, timeout=SLOW)
        # the page moves To into From for the next step: wait for it before typing again
        expect(page.locator(".pf-flow-from input")).to_have_value(f"S{k + 1}", timeout=SLOW)
        expect(page.locator(".pf-flow-to input")).to_have_value("", timeout=SLOW)
    expect(page.locator(".pf-flow-findings")).to_contain_text("F-01 Synchronous call chain", timeout=SLOW)
    expect(page.locator(".pf-flow-findings")).to_contain_text("S0 → S1 → S2 → S3 → S4")
    state = page.locator(".pf-flow-state").inner_text()
    assert "settled" not in state.lower() or state.startswith("Settled")
    expect(page.locator(".pf-flow-diagram pre")).to_contain_text("p1->>p2: 1. S0")
    shot(page, "01-chain")
    assert page.evaluate("typeof window.__xss") == "undefined"
    found = axe_findings(page)
    assert not found, describe(found)
    link = page.locator(".pf-download-md a")
    expect(link).to_have_count(1, timeout=SLOW)
    with page.expect_download(timeout=SLOW) as info:
        link.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert "kind: flow" in text and "F-01" in text and "```mermaid" in text
    assert info.value.suggested_filename.endswith("-coordination.md")


def test_the_example_flow_comes_out_orchestrated(page: Page, voila_url: str, shot) -> None:
    """Load the example: five steps, orchestration decided, the technologies finding F-05, both downloads."""
    page.goto(f"{voila_url}/voila/render/flow.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    page.locator(".pf-flow-example button, button.pf-flow-example").first.click(timeout=SLOW)
    expect(page.locator(".pf-flow-steps tbody tr")).to_have_count(5, timeout=SLOW)
    expect(page.locator(".pf-flow-coordination")).to_contain_text("orchestration, decided")
    expect(page.locator(".pf-flow-findings")).to_contain_text("F-05")
    expect(page.locator(".pf-flow-download-yaml a")).to_have_count(1)
    shot(page, "02-example")
    for width, height in ((390, 844), (1280, 720)):  # a phone, a projector: no horizontal scrolling
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)
        wide = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
        assert wide <= 1, (width, wide)
        shot(page, f"03-{width}")
