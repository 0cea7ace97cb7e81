"""Past one server: two Voila processes behind one nginx with sticky sessions (docs/serving.md §6).

A first visit is split at random between the backends; nginx's `pf_backend` cookie keeps every
later request of that visitor (static files, the kernel websocket) on the backend that runs the
visitor's kernel. Checked here: first visits reach both backends, two browsers land on different
backends and both dashboards answer through the proxy, each kernel websocket is upgraded (101) by
the backend that served its page, and a forged cookie cannot send the proxy elsewhere.
"""

from __future__ import annotations

import http.client
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_dashboard import SLOW
from tests.browser.test_serving import ONE_KERNEL, answer_and_see_update, wait_http
from tests.voila_proc import NGINX, STICKY_LOCATION, free_port, nginx, nginx_conf, sticky_http_block, voila

pytestmark = pytest.mark.browser

ATTEMPTS = 12  # fresh browsers tried to reach the other backend: all on one by chance is 2**-11


CHEAP = "/pf-no-such-page"  # Voila answers at once; `/` would start a kernel per request


def first_visit(port: int, cookie: str | None = None) -> tuple[int, str, list[str]]:
    """GET CHEAP through the proxy (`cookie` as pf_backend): status, body, the pf_backend Set-Cookies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", CHEAP, headers={"Cookie": f"pf_backend={cookie}"} if cookie else {})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        ours = [c for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith("pf_backend=")]
        return resp.status, body, ours
    finally:
        conn.close()


def access_log(tmp: Path) -> list[str]:
    return (tmp / "access.log").read_text().splitlines()


def backend_of(context: Any) -> str:
    return str(next(c["value"] for c in context.cookies() if c["name"] == "pf_backend"))


def test_two_voila_behind_nginx_with_sticky_sessions(browser: Any, tmp_path: Path) -> None:
    assert Path(NGINX).exists(), "nginx is missing: `make nginx` installs Debian's nginx-light"
    with (
        voila("notebooks/decide.ipynb", *ONE_KERNEL) as (url_a, _, _),
        voila("notebooks/decide.ipynb", *ONE_KERNEL) as (url_b, _, _),
    ):
        ports = {"a": int(url_a.rstrip("/").rsplit(":", 1)[1]), "b": int(url_b.rstrip("/").rsplit(":", 1)[1])}
        listen = free_port()
        conf = nginx_conf(tmp_path, listen, sticky_http_block(ports), STICKY_LOCATION)
        with nginx(conf, tmp_path) as proxy:
            base = f"http://127.0.0.1:{listen}"
            wait_http(base, proxy)

            # first visits (no cookie) are split across both backends; the cookie names the one
            seen = set()
            for _ in range(20):
                status, _, cookies = first_visit(listen)
                assert status < 500  # answered by a backend (Voila redirects unknown paths), not 502
                assert len(cookies) == 1 and "HttpOnly" in cookies[0] and "Path=/" in cookies[0], cookies
                seen.add(cookies[0].split(";")[0].split("=", 1)[1])
            assert seen == {"a", "b"}, seen
            answered = {line.rsplit("upstream=", 1)[1] for line in access_log(tmp_path) if CHEAP in line}
            assert answered == {f"127.0.0.1:{port}" for port in ports.values()}, answered

            # two people, each on their own backend, both dashboards answering through the proxy
            contexts: list[Any] = []
            pages: dict[str, Any] = {}
            sockets: list[str] = []
            try:
                for _ in range(ATTEMPTS):
                    context = browser.new_context(viewport={"width": 1440, "height": 1000})
                    page = context.new_page()
                    page.on("websocket", lambda ws: sockets.append(ws.url))
                    page.goto(f"{base}/", wait_until="domcontentloaded", timeout=SLOW)
                    name = backend_of(context)
                    if name in pages:
                        context.close()
                        continue
                    contexts.append(context)
                    pages[name] = page
                    if len(pages) == 2:
                        break
                assert set(pages) == {"a", "b"}, f"{ATTEMPTS} fresh browsers all landed on {set(pages)}"
                for name, page in pages.items():
                    # every request after the page carries the cookie: its static files and kernel
                    # websocket reach the backend that started its kernel, so it answers
                    answer_and_see_update(page)
                    assert backend_of(page.context) == name
            finally:
                for context in contexts:
                    context.close()  # nginx logs each websocket (101) when it closes

            assert any(u.startswith(f"ws://127.0.0.1:{listen}/api/kernels/") for u in sockets), sockets
            deadline = time.monotonic() + 15
            while True:
                channels = [line for line in access_log(tmp_path) if "/channels" in line]
                upstreams = {line.rsplit("upstream=", 1)[1] for line in channels}
                if all(f"127.0.0.1:{port}" in upstreams for port in ports.values()):
                    break
                assert time.monotonic() < deadline, f"kernel websockets not on both backends: {channels}"
                time.sleep(0.2)
            assert all(" 101 " in line for line in channels), channels

            # a forged cookie falls back to the split: the proxy only knows pf_a and pf_b
            for forged in ("127.0.0.1:22", "../x", "pf_a"):
                status, _, cookies = first_visit(listen, forged)
                assert status < 500 and [c.split(";")[0] for c in cookies] in (["pf_backend=a"], ["pf_backend=b"])
            for name in ports:  # and a known name is kept
                assert first_visit(listen, name)[2][0].startswith(f"pf_backend={name};")
