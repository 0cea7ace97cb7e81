"""The phones' web handlers, served by the same tornado server as Voila (no kernel per phone).

``GET /room/<id>`` is the phone page (server-rendered, a few lines of script); ``POST
/room/<id>/answers`` stores a participant's answers; ``GET /room`` and ``POST /room`` let a phone
type the short code (rate-limited per address, valid while the room is open). The phones never
need the server's token: a room's unguessable id is its capability. Tornado's xsrf check needs a
cookie the phones do not have, so a post must be JSON (a form cannot send that cross-site without a
preflight) and, where the browser names an Origin, come from this host.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from tornado.web import RequestHandler

from patternfit.errors import PatternfitError
from patternfit.model.catalog import load_model
from patternfit.room.answers import parse_answer_set
from patternfit.room.pages import render_code_page, render_message_page, render_phone_page
from patternfit.room.store import RoomStore

ROOM_ID = r"[A-Za-z0-9_-]{16,64}"
MAX_BODY = 64 * 1024
CODE_TRIES = 10  # short-code guesses per address …
CODE_WINDOW = 60.0  # … per this many seconds


STORES: dict[str | None, RoomStore] = {}


def _store(target: str | None) -> RoomStore:
    if target not in STORES:
        STORES[target] = RoomStore(target)
    return STORES[target]


def close_stores() -> None:
    """Close the stores the handlers opened (a server shutting down, a test's end)."""
    for target in list(STORES):
        STORES.pop(target).close()


class _RoomHandler(RequestHandler):
    def initialize(self, store: str | None = None) -> None:
        self.store_target = store

    @property
    def store(self) -> RoomStore:
        return _store(self.store_target)

    @property
    def base(self) -> str:
        return str(self.settings.get("base_url", "/")).rstrip("/")

    def check_xsrf_cookie(self) -> None:
        """The room's id is the capability; the JSON and Origin checks stand in for xsrf."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def page(self, status: int, title: str, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render_message_page(title, message, self.base))

    def json_reply(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))


class PhonePage(_RoomHandler):
    """GET /room/<id>: the questions, or a plain page saying the room is closed."""

    def get(self, room_id: str) -> None:
        room = self.store.get(room_id)
        if room is None:
            self.page(404, "No such room", "There is no room at this link. Ask the facilitator for the link or code.")
        elif not room.is_open:
            self.page(
                404, "This room is closed", "The facilitator has closed this room: it takes no more answers. Thank you!"
            )
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(render_phone_page(room, load_model(), self.base))


class Answers(_RoomHandler):
    """POST /room/<id>/answers: one participant's answers (a later post replaces the earlier)."""

    def post(self, room_id: str) -> None:
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return self.json_reply(415, {"error": "Content-Type: send application/json"})
        origin = self.request.headers.get("Origin")
        if origin and origin != "null" and urlsplit(origin).netloc != self.request.host:
            return self.json_reply(403, {"error": "Origin: post from the room's own page"})
        if len(self.request.body) > MAX_BODY:
            return self.json_reply(413, {"error": f"body: at most {MAX_BODY} bytes"})
        room = self.store.get(room_id)
        if room is None or not room.is_open:
            return self.json_reply(404, {"error": "room: no open room at this link"})
        try:
            data = json.loads(self.request.body)
        except (ValueError, UnicodeDecodeError):
            return self.json_reply(400, {"error": "body: not valid JSON"})
        try:
            answer_set = parse_answer_set(data, load_model())
        except PatternfitError as exc:
            return self.json_reply(400, {"error": exc.message})
        self.store.put_answers(room_id, answer_set)
        return self.json_reply(200, {"ok": True})


class _Limiter:
    """At most `tries` attempts per address in a sliding window."""

    def __init__(self, tries: int = CODE_TRIES, window: float = CODE_WINDOW) -> None:
        self.tries, self.window = tries, window
        self.seen: dict[str, deque[float]] = {}

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        times = self.seen.setdefault(address, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) >= self.tries:
            return False
        times.append(now)
        if len(self.seen) > 10_000:  # forget idle addresses
            self.seen = {a: t for a, t in self.seen.items() if now - t[-1] <= self.window}
        return True


LIMITER = _Limiter()


class CodeEntry(_RoomHandler):
    """GET /room: type the short code; POST /room: go to the open room with that code."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render_code_page(self.base, ""))

    def post(self) -> None:
        if not LIMITER.allow(self.request.remote_ip or ""):
            self.set_status(429)
            self.set_header("Retry-After", str(int(CODE_WINDOW)))
            self.finish(render_code_page(self.base, "Too many tries: wait a minute."))
            return
        code = "".join(self.get_body_argument("code", "").split())
        room_id = self.store.find_code(code) if code.isdigit() and len(code) <= 12 else None
        if room_id is None:
            self.set_status(404)
            self.finish(render_code_page(self.base, "No open room has this code."))
            return
        self.redirect(f"{self.base}/room/{room_id}", status=303)


def room_handlers(
    base_url: str = "/", store: str | None = None
) -> list[tuple[str, type[RequestHandler], dict[str, Any]]]:
    """The room's routes under `base_url`, for a tornado Application (Voila or jupyter_server). The
    model is loaded in the background meanwhile, so the first phone does not wait for it."""
    threading.Thread(target=load_model, name="pf-room-model", daemon=True).start()
    prefix = base_url.rstrip("/")
    options = {"store": store}
    return [
        (rf"{prefix}/room/?", CodeEntry, options),
        (rf"{prefix}/room/({ROOM_ID})/?", PhonePage, options),
        (rf"{prefix}/room/({ROOM_ID})/answers", Answers, options),
    ]
