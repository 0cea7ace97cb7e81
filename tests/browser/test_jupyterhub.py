"""Beyond one server: the dashboard through JupyterHub, Voila running as the server extension of
each person's own Jupyter server (no extra component). A local hub with a shared password,
SimpleLocalProcessSpawner and configurable-http-proxy from node_modules (`make npm`); Chromium logs
in and opens /user/<name>/voila/render/decide.ipynb. docs/serving.md shows the same config.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, free_port, stop, wait_for_port
from tests.browser.test_dashboard import SLOW, card, choose, settle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

BIN = Path(sys.executable).parent
CHP = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
LOG = ROOT / "artifacts" / "jupyterhub.log"
USER, PASSWORD = "ada", "workshop-" + "pw-4242"

CONFIG = """\
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {public}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.pid_file = {tmp!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {tmp!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {tmp!r} + "/jupyterhub_cookie_secret"

# one shared workshop password; any user name may log in with it
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allow_all = True

# each person's own Jupyter server, with Voila's server extension at /user/<name>/voila/
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {tmp!r} + "/home/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = ["--allow-root"]  # this machine runs everything as root
c.Spawner.notebook_dir = {notebooks!r}
c.Spawner.default_url = "/voila/render/decide.ipynb"
c.JupyterHub.implicit_spawn_seconds = 1  # a link to /user/<name>/… starts that person's server
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""


def tail(path: Path, lines: int = 40) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return "(no log)"


def wait_for_hub(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterHub exited with {proc.returncode} before answering:\n{tail(LOG)}")
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)
            try:
                conn.request("GET", "/hub/health")
                if conn.getresponse().status == 200:
                    return
            finally:
                conn.close()
        time.sleep(0.3)
    pytest.fail(f"JupyterHub did not answer /hub/health through its proxy within {timeout}s:\n{tail(LOG)}")


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[str]:
    """A local JupyterHub; fails (not skips) with the reason when it cannot start."""
    if not CHP.exists():
        pytest.fail(f"{CHP.relative_to(ROOT)} is missing: `make npm` installs configurable-http-proxy")
    hub_bin = BIN / "jupyterhub"
    if not hub_bin.exists():
        pytest.fail("jupyterhub is missing: `pip install -e '.[test]'` installs it")
    (tmp_path / "home" / USER).mkdir(parents=True)
    # the single-user server starts in the user's home; Voila's server extension reads voila.json there
    shutil.copy(ROOT / "voila.json", tmp_path / "home" / USER / "voila.json")
    public, hub_port, api = free_port(), free_port(), free_port()
    config = tmp_path / "jupyterhub_config.py"
    config.write_text(
        CONFIG.format(
            public=public, hub=hub_port, api=api, chp=str(CHP), tmp=str(tmp_path), password=PASSWORD,
            singleuser=str(BIN / "jupyterhub-singleuser"), notebooks=str(ROOT / "notebooks"),
        )
    )  # fmt: skip
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("wb") as out:
        proc = subprocess.Popen(
            [str(hub_bin), "-f", str(config)], cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{public}"
    started: set[int] = set()
    try:
        wait_for_hub(url, proc)
        yield url
    finally:
        # the proxy and the single-user server are the hub's children, each in its own session:
        # note their ids, let the hub stop them (cleanup_servers), then make sure by id
        with contextlib.suppress(psutil.Error):
            started = {child.pid for child in psutil.Process(proc.pid).children(recursive=True)}
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(60)  # the hub stops the user's server and its kernel first: slow on a busy machine
        except subprocess.TimeoutExpired:
            stop(proc)
            proc.wait(10)
        for pid in started:
            with contextlib.suppress(psutil.Error):
                child = psutil.Process(pid)
                child.terminate()
                child.wait(10)


def test_dashboard_through_jupyterhub(page: Page, hub: str) -> None:
    """Log in with the shared password; the hub starts the user's server and the dashboard renders
    at /user/<name>/voila/render/decide.ipynb, without code, and answers."""
    target = f"{hub}/user/{USER}/voila/render/decide.ipynb"
    page.goto(target, wait_until="domcontentloaded", timeout=SLOW)
    expect(page.locator("#login_submit")).to_be_visible(timeout=SLOW)  # not logged in: the hub's login form
    page.locator("#username_input").fill(USER)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()
    # via /hub/spawn-pending while the server starts, then the server's own OAuth round with the hub
    page.wait_for_url(re.compile(re.escape(target) + r"(\?.*)?$"), wait_until="domcontentloaded", timeout=SLOW)
    settle(page)
    expect(card(page)).to_have_text("Events")
    assert "build_app" not in page.content()
    choose(page, ".pf-q-response_expectation", "The result, to continue")
    expect(card(page)).to_have_text("Workflow orchestration", timeout=SLOW)


def test_binder_launch_path_on_a_plain_jupyter_server(page: Page) -> None:
    """What a Binder launch with ?urlpath=voila/render/notebooks/decide.ipynb opens: a Jupyter server
    started in the repository root (as repo2docker does), the dashboard through its Voila extension.
    mybinder.org itself cannot be reached from here; this is the same server and path, locally."""
    port = free_port()
    token = "pf-" + os.urandom(12).hex()
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with (ROOT / "artifacts" / "jupyter-server-binder.log").open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "jupyter"), "server", "--no-browser", "--allow-root", f"--port={port}",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={ROOT}"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "JUPYTER_TOKEN": token},
        )  # fmt: skip
    try:
        wait_for_port(port, proc)
        page.goto(
            f"http://127.0.0.1:{port}/voila/render/notebooks/decide.ipynb?token={token}",
            wait_until="domcontentloaded", timeout=SLOW,
        )  # fmt: skip
        settle(page)
        expect(card(page)).to_have_text("Events")
        assert "build_app" not in page.content()
        choose(page, ".pf-q-response_expectation", "The result, to continue")
        expect(card(page)).to_have_text("Workflow orchestration", timeout=SLOW)
    finally:
        stop(proc)


# --- JupyterHub on Kubernetes: docs/kubernetes/values.yaml (no cluster here: checked as configuration)

VALUES = ROOT / "docs" / "kubernetes" / "values.yaml"


def test_kubernetes_values_are_what_docs_say() -> None:
    """The Zero to JupyterHub values parse, open every server on the dashboard that the image
    carries, keep the person's volume off the repository, compress, and use the repository's
    own Voila settings."""
    import yaml  # PyYAML: patternfit's own loader dependency

    values = yaml.safe_load(VALUES.read_text())
    assert set(values) <= {"hub", "singleuser", "cull", "prePuller", "scheduling", "proxy"}, set(values)
    single = values["singleuser"]
    assert single["image"]["name"] and isinstance(single["image"]["tag"], str)  # "0.1.0", not a float
    url = single["defaultUrl"]
    prefix = "/voila/render/"
    assert url.startswith(prefix) and (ROOT / url.removeprefix(prefix)).is_file(), url  # repo root = server root
    home = "/home/jovyan"
    assert single["storage"]["homeMountPath"].startswith(home + "/"), "a volume on the home would hide the repo"
    assert single["extraEnv"]["PATTERNFIT_DECISIONS"].startswith(single["storage"]["homeMountPath"])
    files = single["extraFiles"]
    server = next(f for f in files.values() if f["mountPath"].endswith("/jupyter_server_config.json"))
    assert server["data"]["ServerApp"]["tornado_settings"]["compress_response"] is True
    voila_file = next(f for f in files.values() if f["mountPath"].endswith("/voila.json"))
    assert voila_file["mountPath"].startswith("/etc/jupyter/")
    ours = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"]
    assert voila_file["data"]["VoilaConfiguration"] == ours, "docs/kubernetes/values.yaml and voila.json differ"
    hub_config = values["hub"]["config"]
    assert hub_config["JupyterHub"]["authenticator_class"] == "shared-password"
    assert len(hub_config["SharedPasswordAuthenticator"]["user_password"]) >= 8
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
