"""Load test: many people on one Voila serving the decision dashboard, as in a workshop.

Each scenario starts its own Voila on `notebooks/decide.ipynb` from the repository root, so the
committed voila.json applies (a preheated pool of 2 kernels, refilled `fill_delay` = 10 s after
one is taken), waits until the pool is filled, then lets N people arrive — all at once, or one
every few seconds — each in their own browser context (cold cache, own kernel) of one headless
Chromium. Every person:

1. opens the page: time to interactive = navigation → recommendation card and every chart
   drawn at the card's revision (the `data-pf-rev` / `data-pf-charts` hooks, as in
   bench_dashboard);
2. then changes CHANGES answers, one every 1–2 s (random, seeded): answer → every chart the
   answer changed redrawn, timed in the page (bench_dashboard's CHANGE_JS; no update within
   20 s counts as a failure).

Reported per scenario: p50 / p95 / max of both, failures (sessions that did not render or did
not respond; must be 0), how often Voila logged "Timeout waiting for IOPub output" (it then
serves the page without the cell's output: no dashboard at all), memory of Voila and its
kernels from /proc/<pid>/smaps_rollup via psutil (RSS, PSS = shared pages split fairly, USS =
private) before and after the sessions, and CPU seconds spent by the server side (Voila +
kernels) and the browser side (Chromium, Playwright) per session.

All sessions run in ONE Chromium on the same machine as Voila, and the browser side needs
several times the server's CPU, so the times here are an upper bound: in a real workshop each
person's browser runs on their own laptop. Size a server with the server-side CPU and memory
per session.

Scenarios (sizes from the environment): PF_LOAD_SMALL (default "1,5") and PF_LOAD_SESSIONS
(20) at once; PF_LOAD_SESSIONS arriving one every PF_LOAD_STAGGER seconds (2.5; 0 skips it);
and PF_LOAD_SESSIONS at once against a pool preheated for the whole group (`pool_size` =
sessions, refills delayed 5 min; PF_LOAD_BIGPOOL=0 skips it). PF_LOAD_VOILA_FLAGS adds Voila
options to every scenario, to try a setting before committing it to voila.json, e.g.
PF_LOAD_VOILA_FLAGS=--VoilaExecutor.iopub_timeout=60 (voila.json sets 300: with 60, 16 of 20
people opening at once on this 2-core VM still got a page without the dashboard).

Run: `.venv/bin/python bench/bench_load.py` (or `make bench`): about 8 minutes on an idle
2-core machine, longer on a busy one.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.voila_proc, when run as a script or from bench/run.py
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import CHANGE_JS, CHANGES_CYCLE, CHROMIUM, CHROMIUM_ARGS, READY_JS  # noqa: E402

from tests.voila_proc import voila  # noqa: E402

DECIDE = ROOT / "notebooks" / "decide.ipynb"
SESSIONS = int(os.environ.get("PF_LOAD_SESSIONS", "20"))
SMALL = tuple(int(n) for n in os.environ.get("PF_LOAD_SMALL", "1,5").split(",") if n.strip())
STAGGER_S = float(os.environ.get("PF_LOAD_STAGGER", "2.5"))
BIGPOOL = os.environ.get("PF_LOAD_BIGPOOL", "1") != "0"
CHANGES = int(os.environ.get("PF_LOAD_CHANGES", "4"))
EXTRA_FLAGS = tuple(os.environ.get("PF_LOAD_VOILA_FLAGS", "").split())  # e.g. --VoilaExecutor.iopub_timeout=30
OPEN_TIMEOUT_MS = 300_000  # a person waiting longer than this has given up: counted as a failure
BLANK_AFTER_S = 5  # page loaded this long ago and has no cell output at all: rendered without it
VIEWPORT = {"width": 1440, "height": 1000}
IOPUB_TIMEOUT = "Timeout waiting for IOPub output"  # Voila's log line when it gave up on a cell's output

# 'ready' once the card and every chart are drawn (bench_dashboard's READY_JS); 'blank' when the
# page finished loading BLANK_AFTER_S ago and its code cell has no output at all, neither still
# embedded (Voila's cell-output script) nor rendered: Voila gave up waiting for the kernel's output.
OPENED_JS = (
    """() => {
  const ready = """
    + READY_JS
    + """;
  if (ready()) return 'ready';
  if (document.readyState !== 'complete') return false;
  window.__pfLoaded = window.__pfLoaded || performance.now();
  if (performance.now() - window.__pfLoaded < """
    + str(BLANK_AFTER_S * 1000)
    + """) return false;
  const output = document.querySelector(
    '.pf-recommendation, .jp-OutputArea-output, script[type="application/vnd.voila.cell-output+json"]');
  return output ? false : 'blank';
}"""
)


@dataclass
class Session:
    index: int
    tti: float | None = None  # s, navigation → interactive
    changes: list[float] = field(default_factory=list)  # ms, answer → every chart updated
    error: str | None = None


@dataclass
class Snapshot:
    """Memory (MiB) and cumulative CPU seconds of Voila, its kernels and the browser side."""

    server_rss: float
    server_pss: float
    kernels: list[dict[str, float]]  # rss, pss, uss per kernel
    cpu_server: dict[int, float]  # pid → user+system s (Voila and kernels)
    cpu_browser: dict[int, float]  # pid → s (Chromium, Playwright's driver)

    @property
    def total_pss(self) -> float:
        return self.server_pss + sum(k["pss"] for k in self.kernels)


def _mib(n: int) -> float:
    return n / 2**20


def _cpu(procs: list[psutil.Process]) -> dict[int, float]:
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass
    return out


def _kernels(server: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in server.children(recursive=True):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def snapshot(server_pid: int) -> Snapshot:
    server = psutil.Process(server_pid)
    info = server.memory_full_info()  # reads /proc/<pid>/smaps_rollup on Linux
    kernels = []
    for k in _kernels(server):
        try:
            m = k.memory_full_info()
        except psutil.Error:
            continue
        kernels.append({"rss": _mib(m.rss), "pss": _mib(m.pss), "uss": _mib(m.uss)})
    server_tree = [server, *server.children(recursive=True)]
    own = {p.pid for p in server_tree}
    browser = [p for p in psutil.Process().children(recursive=True) if p.pid not in own]
    return Snapshot(_mib(info.rss), _mib(info.pss), kernels, _cpu(server_tree), _cpu(browser))


def _cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def _wait_for(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} within {timeout:.0f} s")
        time.sleep(0.25)


def _pool_filled(log: Path, size: int) -> bool:
    return f"is filled with {size} kernel(s)" in log.read_text(errors="replace")


def _settle(server_pid: int, kernels: int, timeout: float = 60) -> None:
    """Wait (at most `timeout` s) until `kernels` kernels run and the server tree is idle."""
    server = psutil.Process(server_pid)
    deadline = time.monotonic() + timeout
    while len(_kernels(server)) < kernels and time.monotonic() < deadline:
        time.sleep(0.25)
    last = _cpu([server, *server.children(recursive=True)])
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _cpu([server, *server.children(recursive=True)])
        if _cpu_delta(last, now) < 0.15:  # under 15 % of a core for a second: idle
            return
        last = now


async def _person(
    browser: Any, url: str, index: int, delay: float, contexts: list[Any], on_open: Any = None
) -> Session:
    s = Session(index)
    rng = random.Random(index)
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport=VIEWPORT)
    contexts.append(context)  # kept open (and its kernel alive) until the scenario ends
    page = await context.new_page()
    try:
        start = time.perf_counter()
        await page.goto(url, timeout=OPEN_TIMEOUT_MS, wait_until="commit")
        opened = await page.wait_for_function(OPENED_JS, timeout=OPEN_TIMEOUT_MS, polling=100)
        if await opened.json_value() == "blank":
            raise RuntimeError("page loaded without the dashboard: no cell output")
        s.tti = time.perf_counter() - start
        if on_open is not None:
            on_open()
        for i in range(CHANGES):
            await asyncio.sleep(rng.uniform(1.0, 2.0))  # reading, thinking, then the next answer
            key, option = CHANGES_CYCLE[i % len(CHANGES_CYCLE)]
            s.changes.append(float(await page.evaluate(CHANGE_JS, [key, option])))
    except Exception as exc:
        s.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:160]}"
    return s


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): with 20 values, p95 is the 19th slowest."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Result:
    name: str
    sessions: list[Session]
    before: Snapshot
    after: Snapshot
    wall: float
    load: tuple[float, float, float]
    pool: int
    iopub_timeouts: int
    opened: Snapshot | None = None  # one person only: right after the page was interactive

    def rows(self) -> list[tuple[str, float, str]]:
        n = len(self.sessions)
        tti = [s.tti for s in self.sessions if s.tti is not None]
        lat = [c for s in self.sessions for c in s.changes]
        failed = [s for s in self.sessions if s.error or s.tti is None or len(s.changes) < CHANGES]
        new_kernels = self.after.kernels
        p = f"[{self.name}]"
        rows = [
            (f"{p} load average (1 min) at start", self.load[0], "(other work on the machine)"),
            (f"{p} sessions failed (did not render or respond)", float(len(failed)), f"of {n} (target 0)"),
            (f"{p} Voila log: '{IOPUB_TIMEOUT}'", float(self.iopub_timeouts), "(a page without its output)"),
            (f"{p} time to interactive, p50", statistics.median(tti) if tti else math.nan, "s"),
            (f"{p} time to interactive, p95", _percentile(tti, 95), "s"),
            (f"{p} time to interactive, max", max(tti) if tti else math.nan, "s"),
            (f"{p} answer → every chart updated, p50", statistics.median(lat) if lat else math.nan, "ms"),
            (f"{p} answer → every chart updated, p95", _percentile(lat, 95), f"ms (of {len(lat)} changes)"),
            (f"{p} answer → every chart updated, max", max(lat) if lat else math.nan, "ms"),
            (
                f"{p} Voila server RSS, before → after",
                self.after.server_rss,
                f"MiB (before {self.before.server_rss:.0f})",
            ),
            (f"{p} kernel processes after (sessions + pool)", float(len(new_kernels)), f"(pool {self.pool})"),
            (f"{p} kernel RSS, mean", statistics.mean(k["rss"] for k in new_kernels), "MiB"),
            (f"{p} kernel PSS, mean", statistics.mean(k["pss"] for k in new_kernels), "MiB"),
            (f"{p} kernel USS (private), mean", statistics.mean(k["uss"] for k in new_kernels), "MiB"),
            (
                f"{p} memory per session: kernel PSS + Voila's growth / sessions",
                statistics.mean(k["pss"] for k in new_kernels) + (self.after.server_pss - self.before.server_pss) / n,
                "MiB",
            ),
            (
                f"{p} memory, Voila + all kernels (PSS), before → after",
                self.after.total_pss,
                f"MiB (before {self.before.total_pss:.0f})",
            ),
            (
                f"{p} server CPU per session (Voila + kernels)",
                _cpu_delta(self.before.cpu_server, self.after.cpu_server) / n,
                f"s (open + {CHANGES} changes, pool refills)",
            ),
            *self._split_rows(p),
            (
                f"{p} browser CPU per session (Chromium, same machine)",
                _cpu_delta(self.before.cpu_browser, self.after.cpu_browser) / n,
                "s",
            ),
            (f"{p} wall time, first arrival → last session done", self.wall, "s"),
        ]
        for s in failed:
            print(f"  {p} session {s.index} failed: {s.error or 'incomplete'}")
        return rows

    def _split_rows(self, p: str) -> list[tuple[str, float, str]]:
        """One person: server CPU of opening vs of one answer. The answers' share counts only the
        processes that ran when the page became interactive (Voila, the session's kernel, the idle
        pool kernel), not the pool refill started later."""
        if self.opened is None or not self.sessions[0].changes:
            return []
        opened, after = self.opened.cpu_server, self.after.cpu_server
        answers = sum(after.get(pid, t) - t for pid, t in opened.items())
        return [
            (f"{p}   of it: opening the page", _cpu_delta(self.before.cpu_server, opened), "s"),
            (f"{p}   of it: one answer (mean)", answers / len(self.sessions[0].changes), "s"),
        ]


def scenario(name: str, n: int, gap: float, *flags: str, pool: int = 2, refill: int = 2) -> Result:
    """One fresh Voila, pool of `pool` filled, n people arriving `gap` s apart; contexts closed at
    the end. `refill`: pool kernels expected to be running again when the sessions are done."""
    with voila(DECIDE, *EXTRA_FLAGS, *flags) as (url, proc, log):
        _wait_for(lambda: _pool_filled(log, pool), 60 + 10 * pool, "the kernel pool was not filled")
        _settle(proc.pid, pool)
        load = os.getloadavg()

        opened: list[Snapshot] = []

        async def go() -> tuple[list[Session], Snapshot, Snapshot, float]:
            from playwright.async_api import async_playwright

            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                contexts: list[Any] = []
                try:
                    before = snapshot(proc.pid)  # with Chromium up, before any page
                    start = time.perf_counter()
                    on_open = (lambda: opened.append(snapshot(proc.pid))) if n == 1 else None
                    sessions = await asyncio.gather(
                        *(_person(browser, url, i, i * gap, contexts, on_open) for i in range(n))
                    )
                    wall = time.perf_counter() - start
                    await asyncio.to_thread(_settle, proc.pid, n + refill)
                    after = snapshot(proc.pid)
                    return list(sessions), before, after, wall
                finally:
                    for context in contexts:
                        await context.close()
                    await browser.close()

        sessions, before, after, wall = asyncio.run(go())
        iopub_timeouts = log.read_text(errors="replace").count(IOPUB_TIMEOUT)
    return Result(name, sessions, before, after, wall, load, pool, iopub_timeouts, opened[0] if opened else None)


def run() -> list[tuple[str, float, str]]:
    started = time.perf_counter()
    print(f"  load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {psutil.cpu_count()} cores")
    plan: list[tuple[str, int, float, tuple[str, ...], int, int]] = [
        (f"{n} at once" if n > 1 else "1 person", n, 0.0, (), 2, 2) for n in SMALL
    ]
    plan.append((f"{SESSIONS} at once", SESSIONS, 0.0, (), 2, 2))
    if STAGGER_S > 0:
        plan.append((f"{SESSIONS}, one every {STAGGER_S:g} s", SESSIONS, STAGGER_S, (), 2, 2))
    if BIGPOOL:
        pools = json.dumps({"default": {"pool_size": 0}, "decide.ipynb": {"pool_size": SESSIONS}})
        # refills wait 5 minutes, so they do not compete with the people arriving
        flags = (f"--VoilaKernelManager.kernel_pools_config={pools}", "--VoilaKernelManager.fill_delay=300")
        plan.append((f"{SESSIONS} at once, pool of {SESSIONS}", SESSIONS, 0.0, flags, SESSIONS, 0))
    rows: list[tuple[str, float, str]] = []
    for name, n, gap, flags, pool, refill in plan:
        result = scenario(name, n, gap, *flags, pool=pool, refill=refill)
        rows += result.rows()
    rows.append(
        ("load average (1 min) at end", os.getloadavg()[0], f"(whole bench_load {time.perf_counter() - started:.0f} s)")
    )
    return rows


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"  {label:<62} {value:12.3f} {unit}")
