"""How fast the estate page opens, against a one-slider Voila page in the same run (issue 22:
target ≤ 2×).

Both pages are served as `make dashboard` serves estate.ipynb: Voila from the repository root
(voila.json applies; the estate page has no kernel pool there, so a page open starts its kernel and
runs the notebook). Every open is a fresh browser context in one headless Chromium, PAIRS pairs
interleaved (estate first, then the slider first, …) after one warm-up open of each; an open is
measured from navigation until the page is usable (estate: its upload and example buttons drawn;
slider: its handle drawn). The figure is the median over the pairs of estate / slider.

Run: `.venv/bin/python bench/bench_estate_open.py` (or `make bench`); about a minute.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.voila_proc, when run as a script or from bench/run.py
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from bench_wire import SLIDER, SLIDER_READY_JS, Open, open_page  # noqa: E402

from tests.voila_proc import voila  # noqa: E402

ESTATE = ROOT / "notebooks" / "estate.ipynb"
ESTATE_READY_JS = (
    "() => !!document.querySelector('.pf-estate-upload') && !!document.querySelector('.pf-estate-example')"
    " && !!document.querySelector('.pf-estate-template a[download]')"
)
PAIRS = int(os.environ.get("PF_ESTATE_OPEN_PAIRS", "4"))


def run() -> list[tuple[str, float, str]]:
    from playwright.sync_api import sync_playwright

    estate: list[Open] = []
    slider: list[Open] = []
    with voila(ESTATE) as (ours, _, _), voila(SLIDER) as (theirs, _, _):
        ours_url, theirs_url = ours, theirs  # each Voila serves its one notebook at its root
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                open_page(browser, ours_url, ESTATE_READY_JS)
                open_page(browser, theirs_url, SLIDER_READY_JS)
                for i in range(PAIRS):
                    order = [(ours_url, ESTATE_READY_JS, estate), (theirs_url, SLIDER_READY_JS, slider)]
                    for url, ready, into in order if i % 2 == 0 else order[::-1]:
                        into.append(open_page(browser, url, ready)[0])
            finally:
                browser.close()
    ratio = statistics.median(a.seconds / b.seconds for a, b in zip(estate, slider, strict=True))
    return [
        (f"page open → usable, estate (median of {PAIRS}, kernel start included)",
         statistics.median(o.seconds for o in estate), "s"),
        (f"page open → usable, one-slider (median of {PAIRS})", statistics.median(o.seconds for o in slider), "s"),
        ("  ratio estate / one-slider (median of interleaved pairs)", ratio, "(target ≤ 2)"),
        ("on the wire, fresh estate page", statistics.median(o.wire for o in estate) / 1e6, "MB"),
    ]  # fmt: skip


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"  {label:<66} {value:10.3f} {unit}")
