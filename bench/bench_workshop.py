"""How long the workshop page takes to become usable, against the one-slider Voila page in the same
run (issue 22 item 5: target ≤ 2×).

Both pages are served the same way, by Voila from the repository root (voila.json applies), in two
ways:

* as voila.json serves the workshop today: no preheated kernel (``pool_size`` 0), so every page
  open starts a kernel and runs the notebook before the page shows;
* with a pool of preheated kernels (as decide.ipynb is served), so an open costs the browser's
  side only (the pool is filled before the opens and not refilled during them).

Each open is a fresh browser context in one headless Chromium, PAIRS pairs interleaved (the
workshop first, then the slider first, …) after one warm-up open of each; measured from navigation
until the page is usable (`READY_JS`: the recommendation card, the scores chart and the workshop's
Add button; the slider: its handle). Ratios are medians over the pairs (each pair's workshop /
slider).

Run: `.venv/bin/python bench/bench_workshop.py` (or `make bench`); about 4 minutes.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.voila_proc, when run as a script or from bench/run.py
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from bench_wire import SLIDER, SLIDER_READY_JS, VIEWPORT, _wait_pool  # noqa: E402

from tests.voila_proc import voila  # noqa: E402

WORKSHOP = ROOT / "notebooks" / "workshop.ipynb"
READY_JS = """() => !!document.querySelector('.pf-recommendation .pf-card .pf-pattern')
  && !!document.querySelector('.pf-chart-scores svg rect.pf-bar')
  && !!document.querySelector('.pf-workshop-add')"""
PAIRS = int(os.environ.get("PF_WORKSHOP_PAIRS", "3"))
TIMEOUT_MS = 180_000


def _pools(size: int) -> tuple[str, ...]:
    pools = {"default": {"pool_size": 0}, WORKSHOP.name: {"pool_size": size}, SLIDER.name: {"pool_size": size}}
    return (
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        "--VoilaKernelManager.fill_delay=600",
    )


def open_seconds(browser: Any, url: str, ready: str) -> float:
    """One fresh page (its own browser context): seconds from navigation until `ready` holds."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function(ready, timeout=TIMEOUT_MS, polling="raf")
        return time.perf_counter() - start
    finally:
        context.close()


def _pairs(browser: Any, workshop: str, slider: str) -> tuple[list[float], list[float]]:
    """A warm-up open of each, then PAIRS interleaved pairs: (workshop seconds, slider seconds)."""
    open_seconds(browser, workshop, READY_JS)
    open_seconds(browser, slider, SLIDER_READY_JS)
    ours: list[float] = []
    theirs: list[float] = []
    for i in range(PAIRS):
        order = [(workshop, READY_JS, ours), (slider, SLIDER_READY_JS, theirs)]
        for url, ready, into in order if i % 2 == 0 else order[::-1]:
            into.append(open_seconds(browser, url, ready))
    return ours, theirs


def _rows(how: str, ours: list[float], theirs: list[float], target: str) -> list[tuple[str, float, str]]:
    med = statistics.median
    return [
        (f"page open → usable, workshop, {how} (median of {PAIRS})", med(ours), "s"),
        (f"page open → usable, one-slider, {how} (median of {PAIRS})", med(theirs), "s"),
        ("  ratio workshop / one-slider (median of interleaved pairs)",
         med([a / b for a, b in zip(ours, theirs, strict=True)]), target),
    ]  # fmt: skip


def run() -> list[tuple[str, float, str]]:
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, float, str]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cold = _pools(0)
            with voila(WORKSHOP, *cold) as (ours, _, _), voila(SLIDER, *cold) as (theirs, _, _):
                rows += _rows("no preheated kernel (voila.json today)", *_pairs(browser, ours, theirs), "(target ≤ 2)")
            size = PAIRS + 1
            warm = _pools(size)
            with voila(WORKSHOP, *warm) as (ours, _, ours_log), voila(SLIDER, *warm) as (theirs, _, their_log):
                _wait_pool(ours_log, size)
                _wait_pool(their_log, size)
                rows += _rows("preheated kernels", *_pairs(browser, ours, theirs), "(target ≤ 2)")
        finally:
            browser.close()
    return rows


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"  {label:<66} {value:10.3f} {unit}")
