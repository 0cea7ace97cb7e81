"""Dashboard figures of DESIGN.md, measured in headless Chromium against Voila started here.

(a) page open → recommendation and every chart drawn, `notebooks/decide.ipynb` against the
    one-chart FigureWidget notebook `bench/onechart.ipynb`, each served by its own Voila with
    the same flags (no preheat), page opens interleaved so both see the same machine load;
(b) the same with preheated kernels (`--preheat_kernel=True --pool_size=2`), after the pool
    is filled, waiting for the refill between opens;
(c) answer changed → every chart in view that the answer changed has been redrawn, median over
    changes: at the top of the page (the SVG bar charts in view) and with a plotly chart in view;
    and a chart that changed out of view, scrolled into view → drawn (the page draws its plotly
    charts only in view, issue 16).

"Every chart drawn" uses the counter the dashboard exposes: the recommendation card carries
`data-pf-rev` and `data-pf-charts` (chart → revision it must show, for the charts drawn), each
SVG chart carries `data-pf-rev` and each plotly figure `layout.meta.pf_rev`. Every page open
uses a fresh browser context (cold cache), like a participant's first visit; (b) also reports a
second visit with a warm cache.

Run: `.venv/bin/python bench/bench_dashboard.py` (or `make bench`).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.voila_proc, when run as a script or from bench/run.py

from tests.voila_proc import DASHBOARD_READY_JS, voila  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
OPENS = int(os.environ.get("PF_BENCH_OPENS", "3"))
CHANGES = int(os.environ.get("PF_BENCH_CHANGES", "12"))
TIMEOUT_MS = 120_000

READY_JS = DASHBOARD_READY_JS

BASELINE_SELECTOR = ".js-plotly-plot .bars .point path"

# Change one answer in the page and resolve with the milliseconds until every chart the
# change affected shows the new revision (timed in the page, polled every animation frame).
CHANGE_JS = (
    """async ([key, index]) => {
  const ready = """
    + READY_JS
    + """;
  const card = () => document.querySelector('.pf-recommendation .pf-card');
  const before = Number(card().dataset.pfRev);
  const select = document.querySelector('.pf-q-' + key + ' select');
  const start = performance.now();
  select.selectedIndex = index;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  return await new Promise((resolve, reject) => {
    const give_up = start + 20000;
    const poll = () => {
      const now = performance.now();
      if (Number(card().dataset.pfRev) > before && ready()) return resolve(now - start);
      if (now > give_up) return reject(new Error('no update within 20 s'));
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}"""
)

# (question, option index) pairs: each changes the scores, so several charts redraw.
CHANGES_CYCLE = [
    ("latency_budget", 3),
    ("latency_budget", 2),
    ("consumer_count", 2),
    ("consumer_count", 6),
    ("load_profile", 1),
    ("load_profile", 2),
    ("replay_needed", 2),
    ("replay_needed", 1),
    ("response_expectation", 3),
    ("response_expectation", 1),
    ("ordering", 2),
    ("ordering", 1),
]


def _wait_pool(log: Path, fills: int, timeout: float = 180) -> None:
    """Wait until Voila has logged `fills` "pool … is filled" lines."""
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count("is filled with") < fills:
        if time.monotonic() > deadline:
            raise RuntimeError("the kernel pool did not fill")
        time.sleep(0.2)


def _open(browser: Any, url: str, *, baseline: bool, context: Any = None) -> float:
    """Seconds from navigation to recommendation and charts drawn (baseline: the bar)."""
    own = context is None
    context = context or browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        if baseline:
            page.wait_for_selector(BASELINE_SELECTOR, state="visible", timeout=TIMEOUT_MS)
        else:
            page.wait_for_function(READY_JS, timeout=TIMEOUT_MS, polling="raf")
        return time.perf_counter() - start
    finally:
        page.close()
        if own:
            context.close()


# Scroll a chart into view and resolve with the milliseconds until it shows the revision the card
# asks of it (the page draws plotly charts only in view; the kernel hears of the scroll first).
SCROLL_JS = (
    """async (name) => {
  const ready = """
    + READY_JS
    + """;
  const box = document.querySelector('.pf-chart-' + name);
  const start = performance.now();
  box.scrollIntoView({block: 'center'});
  return await new Promise((resolve, reject) => {
    const give_up = start + 20000;
    const poll = () => {
      const now = performance.now();
      const want = JSON.parse(document.querySelector('.pf-card').dataset.pfCharts || '{}');
      if (name in want && ready()) return resolve(now - start);
      if (now > give_up) return reject(new Error('timeout'));
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}"""
)


def _changes(browser: Any, url: str) -> dict[str, list[float]]:
    """Answers changed one by one, timed in the page: with the page at the top (the SVG bar charts
    in view), with the plotly contributions chart in view, and the contributions chart scrolled
    back into view after an answer changed it out of view (plotly.js loads at the first scroll)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    out: dict[str, list[float]] = {"top": [], "plotly": [], "scrolled": [], "first": []}
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function(READY_JS, timeout=TIMEOUT_MS, polling="raf")
        page.wait_for_timeout(1500)  # let the first draw settle
        for i in range(CHANGES):
            key, index = CHANGES_CYCLE[i % len(CHANGES_CYCLE)]
            out["top"].append(float(page.evaluate(CHANGE_JS, [key, index])))
            page.wait_for_timeout(300)  # a person does not change an answer every frame
        out["first"].append(float(page.evaluate(SCROLL_JS, "contributions")))
        page.wait_for_timeout(1000)
        for i in range(CHANGES):
            key, index = CHANGES_CYCLE[i % len(CHANGES_CYCLE)]
            out["plotly"].append(float(page.evaluate(CHANGE_JS, [key, index])))
            page.wait_for_timeout(300)
        for i in range(max(CHANGES // 3, 2)):
            # Voila's template scrolls inside its own container: scroll the page's top into view
            page.evaluate("() => document.querySelector('.pf-header').scrollIntoView({block: 'start'})")
            page.wait_for_timeout(400)  # the kernel hears the chart left the view
            key, index = CHANGES_CYCLE[i % len(CHANGES_CYCLE)]
            page.evaluate(CHANGE_JS, [key, index])
            out["scrolled"].append(float(page.evaluate(SCROLL_JS, "contributions")))
            page.wait_for_timeout(300)
        return out
    finally:
        context.close()


def run() -> list[tuple[str, float, str]]:
    from playwright.sync_api import sync_playwright

    decide = ROOT / "notebooks" / "decide.ipynb"
    onechart = ROOT / "bench" / "onechart.ipynb"
    cold = ("--preheat_kernel=False",)
    rows: list[tuple[str, float, str]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with voila(decide, *cold) as (ours, _, _), voila(onechart, *cold) as (theirs, _, _):
                _open(browser, ours, baseline=False)  # warm the OS file cache for both
                _open(browser, theirs, baseline=True)
                a, b = [], []
                for _ in range(OPENS):
                    a.append(_open(browser, ours, baseline=False))
                    b.append(_open(browser, theirs, baseline=True))
            ours_s, theirs_s = statistics.median(a), statistics.median(b)
            rows += [
                ("page open → charts, decide.ipynb (median)", ours_s, "s"),
                ("page open → chart, one-chart FigureWidget notebook (median)", theirs_s, "s"),
                ("  ratio decide / one-chart", ours_s / theirs_s, "(target ≤ 1.0)"),
            ]
            with voila(decide, "--preheat_kernel=True", "--pool_size=2") as (url, _, log):
                _wait_pool(log, 1)
                time.sleep(2)
                hot, fills = [], 1
                for _ in range(OPENS):
                    hot.append(_open(browser, url, baseline=False))
                    fills += 1
                    _wait_pool(log, fills)
                    time.sleep(1)
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                try:
                    _open(browser, url, baseline=False, context=context)
                    fills += 1
                    _wait_pool(log, fills)
                    time.sleep(1)
                    warm = _open(browser, url, baseline=False, context=context)
                    fills += 1
                    _wait_pool(log, fills)
                finally:
                    context.close()
                changes = _changes(browser, url)
            rows += [
                (
                    "page open → charts, preheated kernels, cold browser cache (median)",
                    statistics.median(hot),
                    "s (target ≤ 3)",
                ),
                ("page open → charts, preheated kernels, warm browser cache", warm, "s"),
                (
                    f"answer changed → every chart in view updated, page top (median of {len(changes['top'])})",
                    statistics.median(changes["top"]),
                    "ms (target ≤ 300)",
                ),
                ("  slowest", max(changes["top"]), "ms"),
                (
                    f"answer changed → every chart in view updated, a plotly chart in view (median of "
                    f"{len(changes['plotly'])})",
                    statistics.median(changes["plotly"]),
                    "ms (target ≤ 300)",
                ),
                ("  slowest", max(changes["plotly"]), "ms"),
                ("first plotly chart scrolled into view → drawn (plotly.js loads)", changes["first"][0], "ms"),
                (
                    f"chart changed out of view, scrolled into view → drawn (median of {len(changes['scrolled'])})",
                    statistics.median(changes["scrolled"]),
                    "ms",
                ),
            ]
        finally:
            browser.close()
    return rows


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"  {label:<66} {value:10.3f} {unit}")
