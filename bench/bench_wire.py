"""What one page open costs: the decision dashboard against a one-slider Voila page (issue 16).

Both pages are served the same way, as `make dashboard` serves decide.ipynb: Voila started from the
repository root (voila.json and voila.py apply: gzip, cache headers, only the labextensions the
dashboards use) with preheated kernels. Each Voila gets a pool big enough for every page open of
the run and no refill during it (`fill_delay` 600 s), so no kernel start competes with a
measurement; the pool's own start-up is reported apart.

Every page open is a fresh browser context (cold cache, a participant's first visit) in one headless
Chromium, PAIRS pairs interleaved (decide first, then the slider first, …) after one warm-up open
of each (OS file cache). Per open, until the page is interactive (decide: card and every chart at
their revision, bench_dashboard's READY_JS; slider: its handle drawn) and the browser is quiet:

* bytes on the wire: CDP `Network.loadingFinished` encodedDataLength (headers and compressed
  bodies, as transferred) plus websocket payloads both ways (CDP shows them decompressed, so with
  websocket compression on this is an upper bound; the page through nginx gives the frames' real
  size from nginx's log);
* browser CPU: user + system seconds of every Chromium process (psutil), and CDP
  `Performance.getMetrics` TaskDuration (the page's main thread);
* time to interactive (wall).

A second visit in the same browser context shows what the cache headers save. Ratios are medians
over the pairs (each pair's decide / slider). Then, on the decide server with the
page open and everything idle, ANSWERS answers are changed one by one: server CPU per answer =
CPU of Voila + the kernels over the answers / ANSWERS (no kernel starts inside: the pool does not
refill), at the top of the page (the guided questions, the card and the SVG bar charts in view),
then again with the plotly contributions chart scrolled into view (the page draws its plotly
charts only in view). If nginx is installed, one more fresh decide page through nginx (docs/serving.md §3 config)
gives the bytes behind the proxy.

Run: `.venv/bin/python bench/bench_wire.py` (or `make bench`); about 4 minutes.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.voila_proc, when run as a script or from bench/run.py
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import CHANGE_JS, CHANGES_CYCLE, CHROMIUM, CHROMIUM_ARGS, READY_JS, SCROLL_JS  # noqa: E402

from tests.voila_proc import NGINX, free_port, nginx, nginx_conf, voila  # noqa: E402

DECIDE = ROOT / "notebooks" / "decide.ipynb"
SLIDER = ROOT / "bench" / "oneslider.ipynb"
SLIDER_READY_JS = "() => !!document.querySelector('.widget-slider .noUi-handle')"
PAIRS = int(os.environ.get("PF_WIRE_PAIRS", "5"))
ANSWERS = int(os.environ.get("PF_WIRE_ANSWERS", "36"))  # psutil counts CPU in 10 ms ticks
TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1440, "height": 1000}
MB = 1e6


@dataclass
class Open:
    seconds: float  # navigation → interactive
    http_bytes: int  # as transferred (headers + compressed bodies)
    ws_bytes: int  # websocket payloads, both ways
    requests: int
    cpu: float  # Chromium processes, user + system s
    task: float  # CDP TaskDuration of the page, s

    @property
    def wire(self) -> int:
        return self.http_bytes + self.ws_bytes


def _pools(size: int) -> tuple[str, ...]:
    pools = {"default": {"pool_size": 0}, DECIDE.name: {"pool_size": size}, SLIDER.name: {"pool_size": size}}
    return (
        "--preheat_kernel=True",
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        "--VoilaKernelManager.fill_delay=600",
    )


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _cpu(procs: list[psutil.Process]) -> dict[int, float]:
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def _chromium() -> list[psutil.Process]:
    found = []
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" in p.name():
                found.append(p)
        except psutil.Error:
            pass
    return found


def _quiet(procs: Any, limit: float = 10.0, step: float = 0.25, idle: float = 0.02) -> None:
    """Wait until the processes `procs()` use under `idle` CPU-s per `step` twice running."""
    deadline, calm = time.monotonic() + limit, 0
    last = _cpu(procs())
    while time.monotonic() < deadline and calm < 2:
        time.sleep(step)
        now = _cpu(procs())
        calm = calm + 1 if _delta(last, now) < idle else 0
        last = now


def _wait_pool(log: Path, size: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while f"is filled with {size} kernel(s)" not in log.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel pool of {size} did not fill within {timeout:.0f} s")
        time.sleep(0.25)


def _kernels(pid: int) -> list[psutil.Process]:
    found = []
    for p in psutil.Process(pid).children(recursive=True):
        try:
            if any("ipykernel" in part for part in p.cmdline()):
                found.append(p)
        except psutil.Error:
            pass
    return found


def open_page(browser: Any, url: str, ready: str, keep: bool = False, context: Any = None) -> tuple[Open, Any]:
    """One page (a fresh context unless `context` is given): measured until interactive and quiet.
    Returns (figures, page if keep)."""
    context = context or browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Performance.enable")
    finished: dict[str, int] = {}
    ws = [0]
    cdp.on("Network.loadingFinished", lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.on("Network.webSocketFrameReceived", lambda e: ws.__setitem__(0, ws[0] + len(e["response"]["payloadData"])))
    cdp.on("Network.webSocketFrameSent", lambda e: ws.__setitem__(0, ws[0] + len(e["response"]["payloadData"])))
    try:
        before = _cpu(_chromium())
        start = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function(ready, timeout=TIMEOUT_MS, polling="raf")
        seconds = time.perf_counter() - start
        _quiet(_chromium)
        cpu = _delta(before, _cpu(_chromium()))
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        result = Open(seconds, sum(finished.values()), ws[0], len(finished), cpu, float(metrics["TaskDuration"]))
    except BaseException:
        context.close()
        raise
    if keep:
        return result, page
    context.close()
    return result, None


def _answers(page: Any, voila_pid: int) -> tuple[float, float]:
    """Server CPU (Voila + kernels, s) per answer, and Voila's own share, over ANSWERS answers."""
    _quiet(lambda: _tree(voila_pid), limit=30)
    tree = _tree(voila_pid)
    before = _cpu(tree)
    for i in range(ANSWERS):
        key, option = CHANGES_CYCLE[i % len(CHANGES_CYCLE)]
        page.evaluate(CHANGE_JS, [key, option])
        page.wait_for_timeout(300)
    _quiet(lambda: _tree(voila_pid), limit=30)
    after = _cpu(tree)  # the same processes: a kernel started meanwhile would not be counted
    if len(_tree(voila_pid)) != len(tree):
        raise RuntimeError("a process started during the answers: the figure would mix in a kernel start")
    return _delta(before, after) / ANSWERS, (after[voila_pid] - before[voila_pid]) / ANSWERS


def _through_nginx(browser: Any, upstream: int) -> tuple[Open, int] | None:
    """One fresh decide page through nginx: its figures, and the bytes nginx sent the browser on the
    kernel websocket (`$body_bytes_sent` of the upgraded connection: compressed frames as they went
    over the wire, which CDP does not show: it reports payloads after decompression)."""
    if not Path(NGINX).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="pf-wire-nginx-") as tmp:
        listen = free_port()
        location = f"proxy_pass http://127.0.0.1:{upstream};"
        with nginx(nginx_conf(Path(tmp), listen, "", location), Path(tmp)):
            time.sleep(0.5)
            result = open_page(browser, f"http://127.0.0.1:{listen}/", READY_JS)[0]  # closes the page
            access, deadline = Path(tmp) / "access.log", time.monotonic() + 15
            while True:
                channels = [line for line in access.read_text().splitlines() if "/channels" in line]
                if channels or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
    if not channels:
        raise RuntimeError("nginx logged no kernel websocket")
    # log_format pf: $remote_addr "$request" $status $body_bytes_sent upstream=…
    return result, sum(int(line.rsplit('" ', 1)[1].split()[1]) for line in channels)


def run() -> list[tuple[str, float, str]]:
    from playwright.sync_api import sync_playwright

    size = PAIRS + 4  # warm-up, the pairs, the answers page, its second visit, the page through nginx
    decide: list[Open] = []
    slider: list[Open] = []
    with (
        voila(DECIDE, *_pools(size)) as (ours, ours_proc, ours_log),
        voila(SLIDER, *_pools(size)) as (theirs, _, theirs_log),
    ):
        _wait_pool(ours_log, size)
        _wait_pool(theirs_log, size)
        _quiet(lambda: _tree(ours_proc.pid), limit=60)
        kernel_start = statistics.mean(_cpu(_kernels(ours_proc.pid)).values())  # start + run the notebook
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                open_page(browser, ours, READY_JS)
                open_page(browser, theirs, SLIDER_READY_JS)
                server_before = _cpu(_tree(ours_proc.pid))
                for i in range(PAIRS):
                    order = [(ours, READY_JS, decide), (theirs, SLIDER_READY_JS, slider)]
                    for url, ready, into in order if i % 2 == 0 else order[::-1]:
                        into.append(open_page(browser, url, ready)[0])
                _quiet(lambda: _tree(ours_proc.pid), limit=30)
                server_open = _delta(server_before, _cpu(_tree(ours_proc.pid))) / PAIRS
                _, page = open_page(browser, ours, READY_JS, keep=True)
                page.wait_for_timeout(1500)
                per_answer, voila_share = _answers(page, ours_proc.pid)
                # the same with the plotly contributions chart in view (it is redrawn on each answer)
                page.evaluate(SCROLL_JS, "contributions")
                page.wait_for_timeout(1500)
                per_answer_plotly, _ = _answers(page, ours_proc.pid)
                page.close()
                again = open_page(browser, ours, READY_JS, context=page.context)[0]  # closes the context
                behind = _through_nginx(browser, int(ours.rstrip("/").rsplit(":", 1)[1]))
            finally:
                browser.close()

    def med(values: list[float]) -> float:
        return statistics.median(values)

    def ratio(attr: str) -> float:
        return med([getattr(a, attr) / getattr(b, attr) for a, b in zip(decide, slider, strict=True)])

    d_wire, s_wire = med([o.wire / MB for o in decide]), med([o.wire / MB for o in slider])
    d_ws = med([o.ws_bytes / MB for o in decide])
    tasks = f"({med([o.task for o in decide]):.2f} s / {med([o.task for o in slider]):.2f} s)"
    rows = [
        ("on the wire, fresh decide page (HTTP + websocket payloads: upper bound)", d_wire, "MB (target ≤ 3.5)"),
        (
            "  of it HTTP / websocket",
            med([o.http_bytes / MB for o in decide]),
            f"MB / {d_ws:.2f} MB",
        ),
        ("  requests", med([float(o.requests) for o in decide]), ""),
        ("on the wire, fresh one-slider page", s_wire, "MB"),
        ("on the wire, second visit in the same browser (cache headers)", again.wire / MB, "MB"),
    ]
    if behind is not None:
        page, ws_sent = behind
        rows += [
            ("on the wire, fresh decide page through nginx (§3 config)", (page.http_bytes + ws_sent) / MB, "MB"),
            (
                "  of it websocket as nginx sent it (compressed frames)",
                ws_sent / MB,
                f"MB ({page.ws_bytes / MB:.2f} MB of payload)",
            ),
        ]
    else:
        print("  nginx not installed (`make nginx`): the page through nginx was not measured")
    rows += [
        (f"page open → interactive, decide (median of {PAIRS})", med([o.seconds for o in decide]), "s"),
        (f"page open → interactive, one-slider (median of {PAIRS})", med([o.seconds for o in slider]), "s"),
        ("  ratio decide / one-slider (median of interleaved pairs)", ratio("seconds"), "(target ≤ 1.1)"),
        ("browser CPU per page open, decide (Chromium processes)", med([o.cpu for o in decide]), "s"),
        ("browser CPU per page open, one-slider", med([o.cpu for o in slider]), "s"),
        ("  ratio decide / one-slider (median of pairs)", ratio("cpu"), "(target ≤ 1.25)"),
        (
            "  page main thread (CDP TaskDuration), decide / one-slider",
            ratio("task"),
            tasks,
        ),
        ("server CPU per page open, decide (preheated kernel; Voila + kernels)", server_open * 1000, "ms"),
        (
            f"server CPU per answer, page top (Voila + kernel, mean of {ANSWERS})",
            per_answer * 1000,
            "ms (target ≤ 25)",
        ),
        ("  of it Voila", voila_share * 1000, "ms"),
        ("server CPU per answer, a plotly chart in view", per_answer_plotly * 1000, "ms"),
        ("kernel start + running decide.ipynb (one pool kernel, apart)", kernel_start * 1000, "ms"),
    ]
    return rows


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"  {label:<66} {value:10.3f} {unit}")
