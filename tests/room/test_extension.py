"""In server-extension mode (a jupyter_server, as JupyterHub and Binder run it) the phones' pages
are served too, outside the server's token; the rest of the server still asks for it."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from patternfit.room.store import RoomStore

from tests.voila_proc import free_port

SERVER = str(Path(sys.executable).with_name("jupyter-server"))


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_jupyter_server_with_the_extension_serves_the_phone_page(tmp_path: Path) -> None:
    """/room/<id> answers 200 with no token; /api/contents still needs the token."""
    store_path = str(tmp_path / "rooms.sqlite3")
    store = RoomStore(store_path)
    room = store.create("Orders", {"name": "Orders", "characteristics": {}}, ["consumer_count"])
    store.close()
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "PATTERNFIT_ROOMS_DB": store_path, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")}
    out = log.open("wb")
    proc = subprocess.Popen(
        [SERVER, "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", "--allow-root",
         "--IdentityProvider.token=s3cret", f"--ServerApp.root_dir={tmp_path}",
         "--ServerApp.jpserver_extensions={'patternfit.room.extension': True}"],
        env=env, stdout=subprocess.DEVNULL, stderr=out, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status = get(port, room.path)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.3)
        assert status == 200
        assert get(port, "/api/contents") == 403
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        out.close()
