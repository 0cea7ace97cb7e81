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
# it lists shows the right revision: an SVG chart (charts/svg.py) by its data-pf-rev, a plotly one
# by its layout.meta.pf_rev once plotly has drawn its traces.
DASHBOARD_READY_JS = """() => {
  const card = document.querySelector('.pf-recommendation .pf-card');
  if (!card || !card.querySelector('.pf-pattern')) return false;
  const want = JSON.parse(card.dataset.pfCharts || '{}');
  return Object.keys(want).length > 0 && Object.entries(want).every(([name, rev]) => {
    const svg = document.querySelector('.pf-chart-' + name + ' svg[data-pf-rev]');
    if (svg) return Number(svg.dataset.pfRev) === rev && !!svg.querySelector('rect.pf-bar');
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
    target: str,
    port: int,
    *extra: str,
    log: Path,
    env: Mapping[str, str] | None = None,
    cpus: set[int] | None = None,
) -> subprocess.Popen[bytes]:
    """Start Voila on `target` (a notebook or folder, relative to the repo root) and wait for its port.

    `env` adds to (or overrides) this process's environment. `cpus` pins Voila, and so every kernel
    it starts, to those cores (like `taskset -c`), to keep a load test's browsers off them."""
    log.parent.mkdir(parents=True, exist_ok=True)

    def pin() -> None:
        if cpus:
            os.sched_setaffinity(0, cpus)

    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(VOILA), target, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", *extra],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            start_new_session=True, preexec_fn=pin if cpus else None,
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
    target: str | Path, *extra: str, env: Mapping[str, str] | None = None, cpus: set[int] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """A Voila on a free port, logging to a temporary file: yields (base URL ending in /, process, log).

    Decisions saved from the dashboard go to a temporary folder unless `env` says otherwise."""
    path = Path(target)
    target = str(path.relative_to(ROOT) if path.is_absolute() else path)
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="pf-voila-", suffix=".log")[1])
    decisions = tempfile.mkdtemp(prefix="pf-voila-decisions-")
    try:
        proc = start_voila(
            target, port, *extra, log=log, env={"PATTERNFIT_DECISIONS": decisions, **(env or {})}, cpus=cpus
        )
        try:
            yield f"http://127.0.0.1:{port}/", proc, log
        finally:
            stop(proc)
            log.unlink(missing_ok=True)
    finally:
        shutil.rmtree(decisions, ignore_errors=True)


# --- nginx in front: one Voila, or several with sticky sessions (docs/serving.md shows these configs)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_TEMPS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

# The proxy settings every location needs: the page's Host (the websocket origin check compares
# it), the client's address, the kernel websocket's upgrade, and no timeout on an open dashboard.
PROXY_SETTINGS = """proxy_http_version 1.1;
proxy_set_header Host $http_host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
proxy_set_header Upgrade $http_upgrade;
proxy_set_header Connection $connection_upgrade;
proxy_read_timeout 86400;
proxy_buffering off;"""


def sticky_http_block(backends: Mapping[str, int], host: str = "127.0.0.1") -> str:
    """The http-level part for several Voila processes: one upstream per backend, a first visit
    split at random, and the `pf_backend` cookie keeping every later request (static files, the
    kernel websocket) on the backend that holds the visitor's kernel. Only known names are
    honoured, so a forged cookie cannot point the proxy elsewhere."""
    names = list(backends)
    upstreams = "\n".join(f"upstream pf_{n} {{ server {host}:{port}; }}" for n, port in backends.items())
    share = f"{100 / len(names):.4g}%"
    split = " ".join(f"{share} {n};" for n in names[:-1]) + f" * {names[-1]};"
    return f"""{upstreams}
split_clients "${{remote_addr}}${{request_id}}" $pf_first_visit {{ {split} }}
map $cookie_pf_backend $pf_backend {{
    default $pf_first_visit;
{chr(10).join(f"    {n} {n};" for n in names)}
}}"""


STICKY_LOCATION = """add_header Set-Cookie "pf_backend=$pf_backend; Path=/; HttpOnly; SameSite=Lax" always;
proxy_pass http://pf_$pf_backend;"""


def nginx_conf(tmp: Path, listen: int, http_block: str, location: str, path: str = "/") -> str:
    """A complete nginx.conf for a foreground nginx with its files under `tmp`; the access log
    names the upstream that answered (`upstream=`) and the status (101 for a websocket)."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the temp folders made here
    temps = "\n".join(f"  {kind}_temp_path {tmp}/{kind};" for kind in NGINX_TEMPS)
    indent = "\n".join("      " + line for line in (location + "\n" + PROXY_SETTINGS).splitlines())
    block = "\n".join("  " + line for line in http_block.splitlines())
    return f"""{user}worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 1024; }}
http {{
  log_format pf '$remote_addr "$request" $status $body_bytes_sent upstream=$upstream_addr';
  access_log {tmp}/access.log pf;
{temps}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
{block}
  server {{
    listen 127.0.0.1:{listen};
    location {path} {{
{indent}
    }}
  }}
}}
"""


@contextlib.contextmanager
def nginx(conf_text: str, tmp: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run nginx in the foreground with `conf_text` (its files under `tmp`); checked with -t first."""
    for kind in NGINX_TEMPS:
        (tmp / kind).mkdir(parents=True, exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(conf_text)
    check = subprocess.run([NGINX, "-t", "-c", str(conf), "-e", str(tmp / "error.log")], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t: {check.stderr}")
    proc = subprocess.Popen(
        [NGINX, "-c", str(conf), "-e", str(tmp / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGQUIT)  # graceful: the access log gets the open websockets
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        stop(proc)
