"""patternfit.room.extension: the room's handlers as a jupyter_server extension, found as jupyter_server finds it.

tests/room/test_extension.py serves a room through a real `jupyter server`; this module checks the
extension's own contract in process: jupyter_server finds its extension point, and loading it adds
the room's routes under the server's base URL to the server's tornado application."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import tornado.web
from jupyter_server.extension.utils import get_metadata
from patternfit.room import extension
from patternfit.room.handlers import CodeEntry, PhonePage
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

ROOM = "abcdefghijklmnop1234"


def test_jupyter_server_finds_the_extension_point():
    """jupyter_server's own lookup finds the module as its single extension point."""
    module, points = get_metadata("patternfit.room.extension")
    assert module is extension and points == [{"module": "patternfit.room.extension"}]


@pytest.mark.parametrize("base", ["/", "/user/ada/"])
def test_loading_adds_the_room_routes_under_the_base_url(base: str):
    """Loaded into a tornado application, /room and /room/<id> under the base URL reach the room's handlers."""
    app = tornado.web.Application(base_url=base)
    module, _ = get_metadata("patternfit.room.extension")
    loader = module._load_jupyter_server_extension  # the name jupyter_server calls
    loader(SimpleNamespace(web_app=app))
    prefix = base.rstrip("/")

    def handler(path: str) -> type | None:
        line = RequestStartLine("GET", path, "HTTP/1.1")
        found = app.find_handler(HTTPServerRequest(start_line=line, headers=HTTPHeaders({"Host": "localhost"})))
        return getattr(found, "handler_class", None)

    assert handler(f"{prefix}/room") is CodeEntry
    assert handler(f"{prefix}/room/{ROOM}") is PhonePage
    assert handler(f"{prefix}/room/short") is not PhonePage  # an id too short to be a capability
