"""Load test: many people on one Voila serving the decision dashboard, as in a workshop.

Each scenario starts its own Voila on `notebooks/decide.ipynb` from the repository root, so the
committed voila.json (and voila.py) apply: a preheated pool of 2 kernels, refilled `fill_delay`
= 10 s after one is taken. It waits until the pool is filled, then N people arrive — all at once,
or one every few seconds — each with a kernel of their own, as one of two kinds of visitor:

* **browser**: a browser context (cold cache) of one headless Chromium, the whole page drawn;
* **server only**: `load_client.ProtocolSession`, which does what the page's JavaScript asks of
  the server (the page, the v1 kernel websocket, every widget's state, dropdown updates timed
  until the kernel is idle) and draws nothing, so N of them cost the client core almost nothing
  and the figures are the server's. Time to interactive is then "page, websocket and every
  widget's state delivered", answer latency "update sent → kernel idle again".

In two phases:

1. everyone opens the page: time to interactive = navigation → recommendation card and every
   chart drawn at the card's revision (the `data-pf-rev` / `data-pf-charts` hooks, as in
   bench_dashboard);
2. once every page is interactive and the server is idle again (the pool refilled), everyone
   changes CHANGES answers, one every 1–2 s (random, seeded): answer → every chart the answer
   changed redrawn, timed in the page (bench_dashboard's CHANGE_JS; no update within 20 s counts
   as a failure). So the server CPU per answer is measured with no kernel start inside it (the
   row says how many processes started meanwhile: 0), and the CPU of opening (kernel starts,
   running the notebook, pool refills) is reported apart.

Where things run: Voila and every kernel it starts are pinned to core 0, the visitors (Chromium
with Playwright's driver, or the protocol clients) to core 1 (`sched_setaffinity`, as
`taskset -c 0` / `taskset -c 1` would; PF_LOAD_SERVER_CPUS / PF_LOAD_BROWSER_CPUS change it, empty
turns it off). On this 2-core machine that keeps the visitors off the server's core, but it also
halves the server: the figures are for a one-core server. One core of browsers draws many pages at
once slowly (each page open costs several seconds of browser CPU), so the browser scenarios' times
are end-to-end upper bounds; the server-only scenarios give the server's p95 for 20 and 50 people.
Other work on the machine is not excluded (the load average is printed).

Reported per scenario: p50 / p95 / max of both times, failures (sessions that did not render or
did not respond; must be 0), how often Voila logged "Timeout waiting for IOPub output" (it then
serves the page without the cell's output: no dashboard at all), server CPU per page open and per
answer, browser CPU per session, memory of Voila and its kernels from /proc/<pid>/smaps_rollup via
psutil (PSS = shared pages split fairly) before and after.

Scenarios (sizes from the environment): PF_LOAD_BROWSERS (default "1,5") at once in browsers
(20 browsers on one core did not finish drawing within the 5-minute timeout on this machine);
PF_LOAD_SESSIONS ("20,50") at once, server only; the first of PF_LOAD_SESSIONS arriving one every
PF_LOAD_STAGGER seconds (0, the default, skips it); and the first of PF_LOAD_SESSIONS at once
against a pool preheated for the whole group (`pool_size` = sessions, refills delayed 5 min;
PF_LOAD_BIGPOOL=0 skips it). PF_LOAD_VERBOSE=1 prints each scenario as it ends.
PF_LOAD_VOILA_FLAGS adds Voila options to every scenario, to try a setting before committing it
to voila.json, e.g. PF_LOAD_VOILA_FLAGS=--VoilaExecutor.iopub_timeout=60.

Bounded: every wait has a timeout, every session a fixed number of answers; loopback only.
Run: `.venv/bin/python bench/bench_load.py` (or `make bench`).
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
from load_client import ProtocolSession  # noqa: E402

from tests.voila_proc import voila  # noqa: E402

DECIDE = ROOT / "notebooks" / "decide.ipynb"
SESSIONS = tuple(int(n) for n in os.environ.get("PF_LOAD_SESSIONS", "20,50").split(",") if n.strip())
BROWSERS = tuple(int(n) for n in os.environ.get("PF_LOAD_BROWSERS", "1,5").split(",") if n.strip())
VERBOSE = os.environ.get("PF_LOAD_VERBOSE", "") == "1"  # print each scenario as it ends
STAGGER_S = float(os.environ.get("PF_LOAD_STAGGER", "0"))
SERVER_CPUS = os.environ.get("PF_LOAD_SERVER_CPUS", "0")  # Voila and its kernels (like taskset -c 0)
BROWSER_CPUS = os.environ.get("PF_LOAD_BROWSER_CPUS", "1")  # Chromium and Playwright; empty: no placement
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
    me = psutil.Process()  # Playwright's Python side, or the protocol clients
    browser = [me, *(p for p in me.children(recursive=True) if p.pid not in own)]
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


async def _open(browser: Any, url: str, s: Session, delay: float, contexts: list[Any]) -> Any:
    """Person `s` arrives after `delay` s and opens the page: their page once interactive, else None."""
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
        return page
    except Exception as exc:
        s.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:160]}"
        return None


async def _answer(page: Any, s: Session) -> None:
    """Person `s` changes CHANGES answers, one every 1–2 s (seeded per person)."""
    rng = random.Random(s.index)
    try:
        for i in range(CHANGES):
            await asyncio.sleep(rng.uniform(1.0, 2.0))  # reading, thinking, then the next answer
            key, option = CHANGES_CYCLE[i % len(CHANGES_CYCLE)]
            s.changes.append(float(await page.evaluate(CHANGE_JS, [key, option])))
    except Exception as exc:
        s.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:160]}"


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
    before: Snapshot  # Chromium up, no page yet
    opened: Snapshot  # every page interactive (or failed), pool refilled, server idle
    after: Snapshot  # every answer done, server idle
    wall: float  # first arrival → last page interactive
    load: tuple[float, float, float]
    pool: int
    iopub_timeouts: int
    started_meanwhile: int  # server processes that appeared during the answers (must be 0)
    client: str = "browser"

    def rows(self) -> list[tuple[str, float, str]]:
        n = len(self.sessions)
        tti = [s.tti for s in self.sessions if s.tti is not None]
        lat = [c for s in self.sessions for c in s.changes]
        failed = [s for s in self.sessions if s.error or s.tti is None or len(s.changes) < CHANGES]
        kernels = self.after.kernels
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
                f"{p} server CPU per page open (kernel start, notebook, page)",
                _cpu_delta(self.before.cpu_server, self.opened.cpu_server) / n,
                "s (pool refills included)",
            ),
            (
                f"{p} server CPU per answer (Voila + kernel, no kernel starts)",
                _cpu_delta(self.opened.cpu_server, self.after.cpu_server) / max(len(lat), 1) * 1000,
                f"ms (target ≤ 25; {self.started_meanwhile} processes started meanwhile)",
            ),
            (
                f"{p} browser CPU per session (Chromium, its own core)"
                if self.client == "browser"
                else f"{p} client CPU per session (no browser: protocol only)",
                _cpu_delta(self.before.cpu_browser, self.after.cpu_browser) / n,
                "s",
            ),
            (f"{p} kernel processes after (sessions + pool)", float(len(kernels)), f"(pool {self.pool})"),
            (f"{p} kernel PSS, mean", statistics.mean(k["pss"] for k in kernels), "MiB"),
            (
                f"{p} memory per session: kernel PSS + Voila's growth / sessions",
                statistics.mean(k["pss"] for k in kernels) + (self.after.server_pss - self.before.server_pss) / n,
                "MiB",
            ),
            (
                f"{p} memory, Voila + all kernels (PSS), before → after",
                self.after.total_pss,
                f"MiB (before {self.before.total_pss:.0f})",
            ),
            (f"{p} wall time, first arrival → last page interactive", self.wall, "s"),
        ]
        for s in failed:
            print(f"  {p} session {s.index} failed: {s.error or 'incomplete'}")
        return rows


def _cores(spec: str) -> set[int]:
    return {int(c) for c in spec.split(",") if c.strip()}


def _placement() -> tuple[set[int] | None, set[int] | None]:
    """(server cores, browser cores), or (None, None) on a machine with one core or when disabled."""
    server, browser = _cores(SERVER_CPUS), _cores(BROWSER_CPUS)
    have = os.sched_getaffinity(0)
    if not server or not browser or not server <= have or not browser <= have or server & browser:
        return None, None
    return server, browser


async def _open_protocol(url: str, s: Session, delay: float, clients: list[ProtocolSession]) -> Any:
    await asyncio.sleep(delay)
    client = ProtocolSession(url, OPEN_TIMEOUT_MS / 1000)
    clients.append(client)
    try:
        start = time.perf_counter()
        await client.open()
        s.tti = time.perf_counter() - start
        return client
    except Exception as exc:
        s.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ''}"
        return None


async def _answer_protocol(client: ProtocolSession, s: Session) -> None:
    rng = random.Random(s.index)
    try:
        for i in range(CHANGES):
            await asyncio.sleep(rng.uniform(1.0, 2.0))
            key, option = CHANGES_CYCLE[i % len(CHANGES_CYCLE)]
            s.changes.append(await client.answer(key, option))
    except Exception as exc:
        s.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ''}"


async def _protocol_sessions(
    url: str, n: int, gap: float, server_pid: int, refill: int
) -> tuple[list[Session], Snapshot, Snapshot, Snapshot, float, int]:
    """n visitors without a browser (load_client.ProtocolSession): the same two phases."""
    clients: list[ProtocolSession] = []
    try:
        before = snapshot(server_pid)
        start = time.perf_counter()
        sessions = [Session(i) for i in range(n)]
        opened_clients = await asyncio.gather(*(_open_protocol(url, s, s.index * gap, clients) for s in sessions))
        wall = time.perf_counter() - start
        await asyncio.to_thread(_settle, server_pid, sum(c is not None for c in opened_clients) + refill, 120)
        opened = snapshot(server_pid)
        await asyncio.gather(
            *(_answer_protocol(c, s) for c, s in zip(opened_clients, sessions, strict=True) if c is not None)
        )
        await asyncio.to_thread(_settle, server_pid, 0)
        after = snapshot(server_pid)
        return sessions, before, opened, after, wall, len(set(after.cpu_server) - set(opened.cpu_server))
    finally:
        for client in clients:
            await client.close()


def scenario(
    name: str, n: int, gap: float, *flags: str, pool: int = 2, refill: int = 2, client: str = "browser"
) -> Result:
    """One fresh Voila, pool of `pool` filled, n people arriving `gap` s apart; once every page is
    interactive and the pool has refilled, everyone answers. `refill`: pool kernels expected to be
    running again after the opens. `client`: "browser" (headless Chromium) or "protocol"
    (load_client.ProtocolSession: the server's side only)."""
    server_cpus, browser_cpus = _placement()
    with voila(DECIDE, *EXTRA_FLAGS, *flags, cpus=server_cpus) as (url, proc, log):
        _wait_for(lambda: _pool_filled(log, pool), 60 + 10 * pool, "the kernel pool was not filled")
        _settle(proc.pid, pool)
        load = os.getloadavg()
        mine = os.sched_getaffinity(0)

        async def go() -> tuple[list[Session], Snapshot, Snapshot, Snapshot, float, int]:
            from playwright.async_api import async_playwright

            async with async_playwright() as p:  # Playwright's driver and Chromium inherit browser_cpus
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                contexts: list[Any] = []
                try:
                    before = snapshot(proc.pid)
                    start = time.perf_counter()
                    sessions = [Session(i) for i in range(n)]
                    pages = await asyncio.gather(*(_open(browser, url, s, s.index * gap, contexts) for s in sessions))
                    wall = time.perf_counter() - start
                    await asyncio.to_thread(_settle, proc.pid, sum(pg is not None for pg in pages) + refill, 120)
                    opened = snapshot(proc.pid)
                    await asyncio.gather(*(_answer(pg, s) for pg, s in zip(pages, sessions, strict=True) if pg))
                    await asyncio.to_thread(_settle, proc.pid, 0)
                    after = snapshot(proc.pid)
                    started = len(set(after.cpu_server) - set(opened.cpu_server))
                    return sessions, before, opened, after, wall, started
                finally:
                    for context in contexts:
                        await context.close()
                    await browser.close()

        if browser_cpus:
            os.sched_setaffinity(0, browser_cpus)
        try:
            if client == "protocol":
                sessions, before, opened, after, wall, started = asyncio.run(
                    _protocol_sessions(url, n, gap, proc.pid, refill)
                )
            else:
                sessions, before, opened, after, wall, started = asyncio.run(go())
        finally:
            os.sched_setaffinity(0, mine)
        iopub_timeouts = log.read_text(errors="replace").count(IOPUB_TIMEOUT)
    return Result(name, sessions, before, opened, after, wall, load, pool, iopub_timeouts, started, client)


def run() -> list[tuple[str, float, str]]:
    started = time.perf_counter()
    server_cpus, browser_cpus = _placement()
    where = (
        f"Voila and its kernels on core(s) {sorted(server_cpus)}, Chromium on {sorted(browser_cpus)}"
        if server_cpus and browser_cpus
        else "Voila, kernels and Chromium share every core (no placement)"
    )
    print(
        f"  load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {psutil.cpu_count()} cores; {where}"
    )
    plan: list[tuple[str, int, float, tuple[str, ...], int, int, str]] = [
        (f"{n} at once, browsers" if n > 1 else "1 person, browser", n, 0.0, (), 2, 2, "browser") for n in BROWSERS
    ]
    plan += [(f"{n} at once, server only", n, 0.0, (), 2, 2, "protocol") for n in SESSIONS]
    if STAGGER_S > 0 and SESSIONS:
        n = SESSIONS[0]
        plan.append((f"{n}, one every {STAGGER_S:g} s, server only", n, STAGGER_S, (), 2, 2, "protocol"))
    if BIGPOOL and SESSIONS:
        n = SESSIONS[0]
        pools = json.dumps({"default": {"pool_size": 0}, "decide.ipynb": {"pool_size": n}})
        # refills wait 5 minutes, so they do not compete with the people arriving
        flags: tuple[str, ...] = (
            f"--VoilaKernelManager.kernel_pools_config={pools}",
            "--VoilaKernelManager.fill_delay=300",
        )
        plan.append((f"{n} at once, pool of {n}, server only", n, 0.0, flags, n, 0, "protocol"))
    rows: list[tuple[str, float, str]] = []
    for name, n, gap, flags, pool, refill, client in plan:
        result = scenario(name, n, gap, *flags, pool=pool, refill=refill, client=client).rows()
        rows += result
        if VERBOSE:
            for label, value, unit in result:
                print(f"    {label:<62} {value:12.3f} {unit}", flush=True)
    rows.append(
        ("load average (1 min) at end", os.getloadavg()[0], f"(whole bench_load {time.perf_counter() - started:.0f} s)")
    )
    return rows


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"  {label:<62} {value:12.3f} {unit}")
