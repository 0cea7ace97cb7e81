"""The room's handlers on a real tornado server in a background thread, and a tiny HTTP client."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from patternfit.room.handlers import close_stores, room_handlers
from tornado.httpserver import HTTPServer
from tornado.web import Application

from tests.voila_proc import free_port


@dataclass(frozen=True)
class Reply:
    code: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass(frozen=True)
class Client:
    port: int

    def request(self, method: str, path: str, body: str | bytes | None = None, **headers: str) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()})
            r = conn.getresponse()
            return Reply(r.status, r.read(), {k: v for k, v in r.getheaders()})
        finally:
            conn.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_json(self, path: str, body: Any, **headers: str) -> Reply:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.request("POST", path, data, **{"Content_Type": "application/json", **headers})

    def post_form(self, path: str, body: str) -> Reply:
        return self.request("POST", path, body, Content_Type="application/x-www-form-urlencoded")


@contextlib.contextmanager
def serving(store: str) -> Iterator[Client]:
    """Serve the room's handlers over `store` on a free port until the block ends."""
    port = free_port()
    ready = threading.Event()
    loop = asyncio.new_event_loop()
    server: list[HTTPServer] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        http_server = HTTPServer(Application(room_handlers("/", store), base_url="/"))
        http_server.listen(port, "127.0.0.1")
        server.append(http_server)
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield Client(port)
    finally:
        loop.call_soon_threadsafe(server[0].stop)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        close_stores()
