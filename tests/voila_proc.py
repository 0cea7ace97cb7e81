"""Start and stop a real Voila for the browser tests and the benches (one copy of this code), and
the script that tells when the decision dashboard is ready.

Voila runs from the repository root, so the committed voila.json applies, in its own process
group: `stop` ends Voila and every kernel it started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

# The dashboard is ready (for a test or a timing) once the card shows a pattern and every chart
# it lists shows the right revision.
DASHBOARD_READY_JS = """() => {
  const card = document.querySelector('.pf-recommendation .pf-card');
  if (!card || !card.querySelector('.pf-pattern')) return false;
  const want = JSON.parse(card.dataset.pfCharts || '{}');
  return Object.keys(want).length > 0 && Object.entries(want).every(([name, rev]) => {
    const el = document.querySelector('.pf-chart-' + name + ' .js-plotly-plot');
    return !!(el && el.layout && el.layout.meta && el.layout.meta.pf_rev === rev && el.querySelector('g.trace'));
  });
}"""

ROOT = Path(__file__).resolve().parents[1]
VOILA = Path(sys.executable).with_name("voila")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"voila exited with {proc.returncode}{': ' + tail if tail else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"voila did not listen on {port} within {timeout}s")


def start_voila(
    target: str, port: int, *extra: str, log: Path, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start Voila on `target` (a notebook or folder, relative to the repo root) and wait for its port.

    `env` adds to (or overrides) this process's environment."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(VOILA), target, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", *extra],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for_port(port, proc, log=log)
    except BaseException:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the Voila process group (Voila and its kernels), then make sure."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


@contextlib.contextmanager
def voila(
    target: str | Path, *extra: str, env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """A Voila on a free port, logging to a temporary file: yields (base URL ending in /, process, log).

    Decisions saved from the dashboard go to a temporary folder unless `env` says otherwise."""
    path = Path(target)
    target = str(path.relative_to(ROOT) if path.is_absolute() else path)
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="pf-voila-", suffix=".log")[1])
    decisions = tempfile.mkdtemp(prefix="pf-voila-decisions-")
    try:
        proc = start_voila(target, port, *extra, log=log, env={"PATTERNFIT_DECISIONS": decisions, **(env or {})})
        try:
            yield f"http://127.0.0.1:{port}/", proc, log
        finally:
            stop(proc)
            log.unlink(missing_ok=True)
    finally:
        shutil.rmtree(decisions, ignore_errors=True)
