"""Rendering mermaid in Debian chromium, for the tests that check our diagrams draw (records, flows)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
MERMAID = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = '<img src=x onerror=alert(1)> "q" ; # : %% --> end [x] {y} `z` & |p| \\ 😀 Zürich _u_'

RENDER_JS = """async (sources) => {
    mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
    const out = [];
    for (const [i, src] of sources.entries()) {
        try {
            await mermaid.parse(src);
            const {svg} = await mermaid.render('d' + i, src);
            const box = document.createElement('div');
            box.innerHTML = svg;
            out.push({ok: true, text: box.textContent, img: box.querySelectorAll('img').length,
                      kind: box.querySelector('svg').getAttribute('aria-roledescription'),
                      dashed: box.querySelectorAll('.messageLine1').length,
                      solid: box.querySelectorAll('.messageLine0').length});
        } catch (e) { out.push({ok: false, error: String(e)}); }
    }
    return out;
}"""


def launch(playwright: Any) -> Iterator[Any]:
    """Debian chromium, launched from pytest-playwright's one Playwright of the session (a second
    sync_playwright() in the same run is refused once the browser tests have started theirs)."""
    if not Path(CHROMIUM).exists() or not MERMAID.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} or {MERMAID} is missing in CI")
        pytest.skip("needs Debian chromium and node_modules/mermaid (make npm)")
    b = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    )
    try:
        yield b
    finally:
        b.close()


def render(browser: Any, sources: list[str]) -> list[dict[str, Any]]:
    """mermaid.parse() then mermaid.render() of each source: {ok, text, img, kind, dashed, solid} or
    {ok: false, error}."""
    page = browser.new_page()
    try:
        page.set_content("<!DOCTYPE html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID))
        results: list[dict[str, Any]] = page.evaluate(RENDER_JS, sources)
    finally:
        page.close()
    return results
