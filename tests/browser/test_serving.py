"""Serving the dashboards to people: nothing reached that should not be, a token when asked for,
and the dashboard working behind nginx under a base URL (websockets through the proxy).

All against a real Voila started from the repository root, so the committed voila.json applies;
see docs/serving.md for the commands these tests check.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, free_port, start_voila, stop
from tests.browser.test_dashboard import SLOW, card, choose, settle
from tests.voila_proc import NGINX_TEMPS, nginx_conf

pytestmark = pytest.mark.browser

LOGS = ROOT / "artifacts"
DASHBOARDS = {"calibrate.ipynb", "decide.ipynb", "estate.ipynb", "flow.ipynb", "workshop.ipynb"}
NOTEBOOK_SOURCE = "build_app"  # decide.ipynb's only code cell: `from patternfit.apps.decide.app import build_app …`
SECRETS = (
    NOTEBOOK_SOURCE,
    '"cell_type"',  # any raw .ipynb JSON
    "model_version",  # every data/*.yaml
    "def build_app",  # lib/patternfit/app.py
    "Traceback",
)


def get(base: str, path: str, *, follow: int = 5) -> tuple[int, str, dict[str, str]]:
    """GET `path` exactly as written (no `..` or %-escape normalisation), following redirects on
    the same server; returns (status, body, headers) of the last response."""
    url = urlsplit(base)
    for _ in range(follow + 1):
        conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read().decode("utf-8", "replace")
            headers = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        location = headers.get("location")
        if resp.status in (301, 302, 303, 307, 308) and location:
            target = urlsplit(location)
            assert target.netloc in ("", url.netloc), f"{path} redirects off the server: {location}"
            path = target.path + (f"?{target.query}" if target.query else "")
            continue
        return resp.status, body, headers
    raise AssertionError(f"{path}: too many redirects")


def assert_refused(base: str, path: str) -> None:
    status, body, _ = get(base, path)
    assert status in (403, 404), f"{path} answered {status}: {body[:200]!r}"
    for secret in SECRETS:
        assert secret not in body, f"{path} leaks {secret!r}"


ABS = str(ROOT)
REFUSED = [
    # the notebooks themselves, raw
    "/voila/files/decide.ipynb",
    "/voila/files/workshop.ipynb",
    "/files/decide.ipynb",
    "/notebooks/decide.ipynb",
    "/voila/files/decide.ipynb?download=1",
    # Python sources
    "/voila/files/../lib/patternfit/app.py",
    "/voila/files/%2e%2e/lib/patternfit/app.py",
    "/voila/render/../lib/patternfit/app.py",
    # the model data: relative, %-encoded, absolute
    "/voila/files/../data/scoring.yaml",
    "/voila/files/%2e%2e/data/scoring.yaml",
    "/voila/files/%2E%2E%2Fdata%2Fscoring.yaml",
    "/voila/files/..%2fdata%2fscoring.yaml",
    "/voila/files/decide.ipynb/../../data/scoring.yaml",
    f"/voila/files{ABS}/data/scoring.yaml",
    f"/voila/files/{ABS}/data/scoring.yaml",
    f"/voila/files/{ABS.replace('/', '%2F')}%2Fdata%2Fscoring.yaml",
    "/voila/files/etc/passwd",
    "/voila/render/../data/scoring.yaml",
    "/voila/render/%2e%2e%2fdata%2fscoring.yaml",
    f"/voila/render{ABS}/data/scoring.yaml",
    "/voila/static/../../data/scoring.yaml",
    # Jupyter server APIs a full server would have
    "/api/contents",
    "/api/contents/decide.ipynb",
    "/api/contents/decide.ipynb?content=1",
    "/api/kernels",
    "/voila/api/kernels",
    "/api/sessions",
    "/api/kernelspecs",
    "/api/terminals",
    "/tree",
    "/lab",
    # the contents API outside the served folder
    "/voila/api/contents/..",
    "/voila/api/contents/%2e%2e/data",
    "/voila/api/contents/../data/scoring.yaml",
    f"/voila/api/contents{ABS}/data/scoring.yaml",
    "/voila/tree/..",
    "/voila/tree/%2e%2e/data",
]


@pytest.mark.parametrize("path", REFUSED)
def test_not_served(voila_url: str, path: str) -> None:
    """Raw notebooks, Python, the model's YAML and the server APIs are refused, without a body that
    carries any of them."""
    assert_refused(voila_url, path)


@pytest.fixture
def runtime_folders() -> Iterator[None]:
    """The folders the dashboards write into while people work (gitignored), present as on a
    server that has been in use; removed afterwards if this test made them and they stay empty."""
    made = [p for p in (ROOT / "notebooks" / "docs", ROOT / "notebooks" / "workshops") if not p.exists()]
    for folder in made:
        folder.mkdir()
    try:
        yield
    finally:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()


def test_contents_api_lists_only_the_dashboards_and_no_bodies(voila_url: str, runtime_folders: None) -> None:
    """Voila's own /voila/api/contents (behind its tree page) names the dashboards and nothing else,
    and never returns a notebook's body, even when asked for content."""
    status, body, _ = get(voila_url, "/voila/api/contents")
    assert status == 200
    names = {item["name"] for item in json.loads(body)["content"]}
    assert names == DASHBOARDS  # no records, workshop files, drafts or checkpoints
    for path in ("/voila/api/contents/decide.ipynb", "/voila/api/contents/decide.ipynb?content=1&format=text"):
        status, body, _ = get(voila_url, path)
        assert status == 200 and json.loads(body)["content"] is None, path
        assert NOTEBOOK_SOURCE not in body
    assert_refused(voila_url, "/voila/api/contents/docs/decisions/0001-anything.md")
    status, body, _ = get(voila_url, "/voila/tree")  # the tree page draws that listing in the browser
    assert status == 200 and NOTEBOOK_SOURCE not in body and "workshops" not in body


def test_page_carries_no_code(voila_url: str) -> None:
    """The rendered dashboard page has the narrative but not the notebook's code cells."""
    status, body, _ = get(voila_url, "/voila/render/decide.ipynb")
    assert status == 200
    assert "Which integration pattern?" in body
    assert NOTEBOOK_SOURCE not in body and "patternfit.app" not in body


def test_failing_cell_shows_no_traceback(tmp_path: Path) -> None:
    """A cell that raises shows visitors Voila's generic notice: no source, message or traceback."""
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Broken dashboard"},
            {
                "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                "source": "secret_marker = 'pf-source-7f3a'\nraise RuntimeError('pf-detail-91c2')",
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    (tmp_path / "broken.ipynb").write_text(json.dumps(nb))
    port = free_port()
    proc = start_voila(str(tmp_path), port, log=LOGS / "voila-broken.log")
    try:
        status, body, _ = get(f"http://127.0.0.1:{port}", "/voila/render/broken.ipynb")
    finally:
        stop(proc)
    assert status == 200 and "Broken dashboard" in body
    assert "There was an error when executing cell" in body
    for leak in ("pf-source-7f3a", "pf-detail-91c2", "RuntimeError", "Traceback", "secret_marker"):
        assert leak not in body, leak


# One kernel instead of voila.json's pool of two plus a refill: these tests are about the token and
# the proxy, and three kernels executing the notebook at once starve a busy 2-core machine.
ONE_KERNEL = ("--preheat_kernel=False",)


# --- a token, as docs/serving.md shows it: JUPYTER_TOKEN=… voila notebooks/decide.ipynb --token


def answer_and_see_update(page: Page) -> None:
    """The dashboard's default (order fan-out) says Events; needing the result flips it."""
    settle(page)
    expect(card(page)).to_have_text("Events")
    assert NOTEBOOK_SOURCE not in page.content()
    choose(page, ".pf-q-response_expectation", "The result, to continue")
    expect(card(page)).to_have_text("Workflow orchestration", timeout=SLOW)


def test_token_required(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the token every route is refused (sent to the login page); with ?token= the
    dashboard renders and answers."""
    token = "pf-" + os.urandom(12).hex()
    monkeypatch.setenv("JUPYTER_TOKEN", token)  # kept out of `ps`, unlike --token=<value>
    port = free_port()
    proc = start_voila("notebooks/decide.ipynb", port, "--token", *ONE_KERNEL, log=LOGS / "voila-token.log")
    base = f"http://127.0.0.1:{port}"
    try:
        for path in ("/", "/?token=wrong", "/voila/api/contents", "/voila/files/decide.ipynb"):
            status, body, _ = get(base, path)
            assert status in (200, 403), path
            assert "Which integration pattern?" not in body and NOTEBOOK_SOURCE not in body, path
            if status == 200:  # the login form, nothing else
                assert 'name="password"' in body, path
        status, body, _ = get(base, f"/?token={token}")
        assert status == 200 and "Which integration pattern?" in body

        page.goto(f"{base}/?token={token}", wait_until="domcontentloaded", timeout=SLOW)
        answer_and_see_update(page)
    finally:
        stop(proc)


# --- behind nginx, under /patternfit/, websockets through the proxy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def proxy_conf(tmp: Path, listen: int, upstream: int) -> str:
    """The tested config (voila_proc's, with the location docs/serving.md shows for a real server)."""
    return nginx_conf(tmp, listen, "", f"proxy_pass http://127.0.0.1:{upstream};", "/patternfit/")


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited with {proc.returncode}")
        with contextlib.suppress(OSError):
            get(url, "/", follow=0)
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def test_behind_nginx_with_base_url(page: Page, tmp_path: Path) -> None:
    """nginx proxies /patternfit/ to Voila started with --base_url=/patternfit/: the dashboard renders
    and an answer updates the recommendation (the kernel websocket goes through nginx)."""
    assert Path(NGINX).exists(), "nginx is missing: `make nginx` installs Debian's nginx-light"
    for kind in NGINX_TEMPS:
        (tmp_path / kind).mkdir()
    voila_port, nginx_port = free_port(), free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(proxy_conf(tmp_path, nginx_port, voila_port))
    check = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr

    voila = start_voila(
        "notebooks/decide.ipynb", voila_port, "--base_url=/patternfit/", *ONE_KERNEL, log=LOGS / "voila-nginx.log"
    )
    nginx = subprocess.Popen(
        [NGINX, "-c", str(conf), "-e", str(tmp_path / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{nginx_port}"
    try:
        wait_http(base, nginx)
        status, body, _ = get(base, "/patternfit/")
        assert status == 200 and "Which integration pattern?" in body
        assert NOTEBOOK_SOURCE not in body
        assert_refused(base, "/patternfit/voila/files/decide.ipynb")
        assert_refused(base, "/patternfit/voila/files/../data/scoring.yaml")

        sockets: list[str] = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.goto(f"{base}/patternfit/", wait_until="domcontentloaded", timeout=SLOW)
        answer_and_see_update(page)
        assert any(url.startswith(f"ws://127.0.0.1:{nginx_port}/patternfit/api/kernels/") for url in sockets), sockets
        page.close()  # nginx logs the upgraded connection (101) when it ends
        deadline = time.monotonic() + 10
        while "/channels" not in (access := (tmp_path / "access.log").read_text()):
            assert time.monotonic() < deadline, "no kernel websocket in nginx's access log"
            time.sleep(0.2)
        channels = [line for line in access.splitlines() if "/channels" in line]
        assert all("/patternfit/api/kernels/" in line and '" 101 ' in line for line in channels), channels
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(nginx.pid, signal.SIGQUIT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            nginx.wait(10)
        stop(nginx)
        stop(voila)
        with contextlib.suppress(FileNotFoundError):
            shutil.copy(tmp_path / "error.log", LOGS / "nginx-error.log")
