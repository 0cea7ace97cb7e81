"""The workshop page's room panel (`pf-room`): open a room for the connection on screen, show its
link, QR code and short code, count who has joined and answered (answers stay hidden), reveal the
room's spread and disputes, settle each dispute, and put the room's answers on the dashboard.

The live count is a kernel-side poll of the store (a daemon thread, every `POLL` seconds) writing
into an HTML widget; it stops when the room closes or the panel is closed.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from patternfit import settings
from patternfit.model.catalog import Model
from patternfit.model.connection import parse_connection
from patternfit.room.analysis import RoomAnalysis
from patternfit.room.open import analyse_room, open_room
from patternfit.room.pages import choices_of_dispute, render_reveal
from patternfit.room.store import Room, RoomStore
from patternfit.room.summary import room_summary

LOG = logging.getLogger(__name__)
POLL = 1.0
NOT_SURE = "__not_sure__"

# Where this page is served from (origin + base path), so the link and QR code name the server.
ORIGIN_ESM = """
export default {
  render({ model, el }) {
    const base = location.pathname.split("/voila/")[0].replace(/\\/+$/, "");
    model.set("origin", location.origin + (base === location.pathname ? "" : base));
    model.save_changes();
  },
};
"""


class PageOrigin(anywidget.AnyWidget):
    """Sends the page's origin and base path (e.g. http://host:8866) once; no network access."""

    _esm = ORIGIN_ESM
    origin = traitlets.Unicode("").tag(sync=True)


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code, big enough to scan from the back of a room."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=8, border=2, title="QR code of the room's link"))


def count_html(joined: int, answered: int, *, is_open: bool) -> str:
    """Who has joined and answered — never what they answered."""
    state = "open" if is_open else "closed"
    return (
        f'<p class="pf-room-count" aria-live="polite">Room {state}: <strong class="pf-room-joined">{joined}</strong> '
        f'joined, <strong class="pf-room-answered">{answered}</strong> answered. '
        "Answers stay hidden until you reveal them.</p>"
    )


class RoomPanel:
    """The panel; `connection` gives the connection on screen (connection-file form), `apply` puts
    the room's combined answers on the dashboard, with the room's summary for the record."""

    def __init__(
        self,
        model: Model,
        connection: Callable[[], dict[str, Any]],
        apply: Callable[[Any, dict[str, Any]], None],
        *,
        store: RoomStore | None = None,
    ) -> None:
        self.model = model
        self.connection = connection
        self.apply = apply
        self._store = store
        self.room: Room | None = None
        self.analysis: RoomAnalysis | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._build()

    @property
    def store(self) -> RoomStore:
        if self._store is None:
            self._store = RoomStore()
        return self._store

    # -- what tests and the page use --------------------------------------------------------
    def open(self, *_: Any) -> Room:
        """Open a room for the connection on screen and start counting."""
        connection = parse_connection(self.connection(), self.model, where="dashboard")
        self.room = open_room(self.store, connection, self.model)
        self.analysis = None
        self.reveal_html.value = ""
        self._show_link()
        self.refresh()
        self._start()
        return self.room

    def refresh(self) -> tuple[int, int]:
        """Read the count from the store (answers stay hidden) and, once revealed, the analysis."""
        if self.room is None:
            return 0, 0
        joined, answered = self.store.counts(self.room.id)
        self.count.value = count_html(joined, answered, is_open=self.room.is_open)
        return joined, answered

    def reveal(self, *_: Any) -> RoomAnalysis | None:
        """Show the room's answers: spread, disputes, shares and the room's recommendation."""
        if self.room is None:
            return None
        self.store.set_revealed(self.room.id)
        return self.show_analysis()

    def show_analysis(self) -> RoomAnalysis | None:
        if self.room is None:
            return None
        self.room = self.store.get(self.room.id) or self.room
        self.analysis = analyse_room(self.store, self.room, self.model)
        joined, _ = self.store.counts(self.room.id)
        self.reveal_html.value = render_reveal(self.analysis, self.room, self.model, joined=joined)
        self._offer_settle()
        return self.analysis

    def settle(self, *_: Any) -> None:
        """Settle the first dispute with the value chosen (or "not sure"), then move to the next."""
        if self.room is None or self.analysis is None or not self.analysis.disputes:
            return
        key = self.analysis.disputes[0].key
        value = self.settle_value.value
        if value == NOT_SURE:
            self.store.settle(self.room.id, key, None, unsure=True)
        else:
            self.store.settle(self.room.id, key, value)
        self.show_analysis()

    def use_answers(self, *_: Any) -> None:
        """Put the room's combined answers (agreed values; disputed keys by majority, unsure) on the dashboard."""
        if self.analysis is None:
            self.show_analysis()
        if self.analysis is not None and self.room is not None:
            self.apply(self.analysis.combined, room_summary(self.analysis, self.model, self.room.id))

    def close_room(self, *_: Any) -> None:
        """Take no more answers (the analysis stays)."""
        if self.room is None:
            return
        self.store.set_open(self.room.id, False)
        self.room = self.store.get(self.room.id) or self.room
        self._stop.set()
        self.refresh()

    def stop(self) -> None:
        """Stop the live count."""
        self._stop.set()

    # -- widgets ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.open_button = w.Button(description="Open a room", tooltip="let phones answer this connection's questions")
        self.open_button.add_class("pf-room-open")
        self.link = w.HTML("")
        self.link.add_class("pf-room-link")
        self.count = w.HTML("")
        self.count.add_class("pf-room-count-box")
        self.reveal_button = w.Button(description="Reveal answers", disabled=True)
        self.reveal_button.add_class("pf-room-reveal-button")
        self.close_button = w.Button(description="Close room", disabled=True)
        self.close_button.add_class("pf-room-close")
        self.apply_button = w.Button(description="Use the room's answers", disabled=True)
        self.apply_button.add_class("pf-room-apply")
        self.reveal_html = w.HTML("")
        self.reveal_html.add_class("pf-room-result")
        self.settle_value = w.Dropdown(options=[], description="Agreed:")
        self.settle_value.add_class("pf-room-settle-value")
        self.settle_button = w.Button(description="Settle")
        self.settle_button.add_class("pf-room-settle")
        self.settle_box = w.HBox([self.settle_value, self.settle_button], layout=w.Layout(display="none"))
        self.origin = PageOrigin(layout=w.Layout(height="0px", margin="0px"))
        self.origin.observe(lambda _c: self._show_link(), "origin")
        for button, action in ((self.open_button, self.open), (self.reveal_button, self.reveal),
                               (self.close_button, self.close_room), (self.settle_button, self.settle),
                               (self.apply_button, self.use_answers)):  # fmt: skip
            button.on_click(self._safe(action))
        actions = w.HBox([self.open_button, self.reveal_button, self.close_button, self.apply_button],
                         layout=w.Layout(flex_flow="row wrap"))  # fmt: skip
        title = w.HTML("<h3>Room: the whole room answers on their phones</h3>")
        self.error = w.HTML("")
        self.widget = w.VBox([title, actions, self.link, self.count, self.reveal_html, self.settle_box, self.error,
                              self.origin], layout=w.Layout(width="100%"))  # fmt: skip
        self.widget.add_class("pf-room")
        self.widget.add_class("pf-panel")

    def _safe(self, action: Callable[..., Any]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            try:
                self.error.value = ""
                action(*args)
            except Exception as exc:  # a panel action never breaks the page: say what failed
                LOG.exception("room panel")
                self.error.value = f'<p class="pf-error" role="alert">{html.escape(str(exc))}</p>'

        return run

    def url(self) -> str:
        """The phones' link: $PATTERNFIT_ROOM_URL or this page's own origin, plus /room/<id>."""
        if self.room is None:
            return ""
        return f"{settings.room_url() or self.origin.origin}{self.room.path}"

    def _show_link(self) -> None:
        if self.room is None:
            return
        url = self.url()
        qr = qr_svg(url) if url.startswith("http") else ""
        proxy = f"{self.room.path}?proxy=1" if not url.startswith("http") else f"{url}?proxy=1"
        self.link.value = (
            f'<div class="pf-room-join"><p>Join on your phone: <a href="{html.escape(url)}" target="_blank" '
            f'rel="noopener">{html.escape(url)}</a> — or open <code>/room</code> and type the code '
            f'<strong class="pf-room-code">{self.room.code}</strong>.</p>'
            f'<div class="pf-room-qr" style="max-width:360px">{qr}</div>'
            f'<p><a href="{html.escape(proxy)}" target="_blank" rel="noopener">Answer for someone without a device</a>'
            "</p></div>"
        )
        for button in (self.reveal_button, self.close_button, self.apply_button):
            button.disabled = False

    def _offer_settle(self) -> None:
        if self.analysis is None or not self.analysis.disputes:
            self.settle_box.layout.display = "none"
            return
        dispute = self.analysis.disputes[0]
        self.settle_value.options = [*choices_of_dispute(dispute, self.model), ("not sure", NOT_SURE)]
        self.settle_value.description = "Agreed:"
        self.settle_value.description_allow_html = False
        self.settle_box.layout.display = "flex"

    def _start(self) -> None:
        self._stop.set()
        self._stop = threading.Event()
        stop = self._stop

        def poll() -> None:
            store = RoomStore(self.store.target)  # this thread's own connection
            while not stop.wait(POLL):
                if self.room is None:
                    continue
                try:
                    joined, answered = store.counts(self.room.id)
                    self.count.value = count_html(joined, answered, is_open=True)
                except Exception:  # a store hiccup: try again on the next tick
                    LOG.exception("room count")
            store.close()

        self._thread = threading.Thread(target=poll, name="pf-room-count", daemon=True)
        self._thread.start()
