"""The workshop bar's widgets over `WorkshopState`: the title, the notes, choice and rationale of the
connection on screen, the entries, the compare picks and view, the files, the status and error
lines. Each widget sets the state through one of its methods; what the bar shows is drawn from the
state's traits (`draw_*`), never read back from a widget. `WorkshopApp` (apps/workshop/app.py) is the
page around it and gives the actions that reach the decision (`add`, `reopen`, `new_connection`,
`open_bytes`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.templates import render
from patternfit.apps.pages import page_header, upload_button
from patternfit.apps.workshop.intro import chart_output, frame_html
from patternfit.apps.workshop.state import UNDECIDED, WorkshopState
from patternfit.workshop.file import MAX_COMPARE, Entry, new_id

LEAD = (
    "One connection at a time: answer together, write down the room's notes and choice, add it to the "
    "workshop; compare up to six; download the workshop file to carry on."
)
Guard = Callable[[Callable[..., Any]], Callable[..., None]]


def _widget(widget: w.Widget, css: str) -> Any:
    widget.add_class(css)
    return widget


class WorkshopBar:
    """The bar's widgets (attributes of the page: `title`, `notes`, `chosen`, `rationale`,
    `entries`, `pick`, `compare_table`, `error`, `status_html`, …) bound to `state`."""

    state: WorkshopState
    _syncing = False  # the bar is being drawn from the state: its widgets' changes are not the visitor's

    # the page's actions (WorkshopApp)
    def add(self, *_: Any) -> Entry | None:
        raise NotImplementedError

    def reopen(self, entry_id: str) -> None:
        raise NotImplementedError

    def new_connection(self, *_: Any) -> None:
        raise NotImplementedError

    def open_bytes(self, content: bytes, filename: str) -> bool:
        raise NotImplementedError

    def download_text(self) -> str:
        return self.state.download_text()

    def build_bar(self, state: WorkshopState, guard: Guard) -> None:
        """Make the bar's widgets (`bar`, and `header_html` for the top of the page) and bind them."""
        box = w.Layout
        self.title = _widget(
            w.Text(
                value=state.workshop.title,
                description="Workshop",
                layout=box(width="420px"),
                tooltip="The workshop's title, used for its file name",
            ),
            "pf-workshop-title",
        )
        self.notes = _widget(
            w.Textarea(placeholder="notes of the room", description="Notes", layout=box(width="400px", height="56px")),
            "pf-workshop-notes",
        )
        self.chosen = _widget(
            w.Dropdown(
                options=state.choice_options(), value=UNDECIDED, description="Chosen", layout=box(width="400px")
            ),
            "pf-workshop-chosen",
        )
        self.rationale = _widget(
            w.Textarea(
                placeholder="Why the room chose against the recommendation (required)",
                description="Rationale",
                layout=box(width="400px", height="56px", display="none"),
            ),
            "pf-workshop-rationale",
        )
        self.required = _widget(w.HTML("", layout=box(width="400px")), "pf-workshop-rationale-required")
        self.add_button = _widget(
            w.Button(description="Add / update this connection", button_style="primary", layout=box(width="auto")),
            "pf-workshop-add",
        )
        self.new_button = _widget(
            w.Button(
                description="New connection",
                icon="plus",
                layout=box(width="auto"),
                tooltip="Start a new, blank connection with an empty bar",
            ),
            "pf-workshop-new",
        )
        self.entries = _widget(
            w.Select(options=[], rows=4, description="Entries", layout=box(width="400px")), "pf-workshop-entries"
        )
        self.remove_button = _widget(
            w.Button(description="Remove selected", layout=box(width="auto")), "pf-workshop-remove"
        )
        self.save_button = _widget(
            w.Button(description="Save on the server", layout=box(width="auto")), "pf-workshop-save"
        )
        self.download = _widget(w.HTML(""), "pf-workshop-download")
        self.upload = _widget(
            upload_button(".yaml,.yml", "Open a workshop file", "Open a workshop file (.yaml) saved earlier"),
            "pf-workshop-upload",
        )
        self.pick = _widget(
            w.SelectMultiple(options=[], rows=4, description="Compare", layout=box(width="400px")), "pf-workshop-pick"
        )
        self.compare_button = _widget(
            w.Button(description=f"Compare (up to {MAX_COMPARE})", layout=box(width="auto")),
            "pf-workshop-compare-button",
        )
        self.compare_table = w.HTML("", layout=box(width="100%"))
        self.compare_chart = _widget(w.Output(layout=box(width="100%")), "pf-workshop-compare-chart")
        self.compare_box = _widget(
            w.VBox(
                [w.HTML("<h3>Side by side</h3>"), self.compare_table, self.compare_chart],
                layout=box(width="100%", display="none"),
            ),
            "pf-workshop-compare",
        )
        self.error = _widget(w.HTML("", layout=box(width="100%", display="none")), "pf-error")
        self.status_html = _widget(w.HTML(""), "pf-workshop-status")
        self._bind(state, guard)
        entry_form = w.VBox(
            [self.notes, self.chosen, self.rationale, self.required, w.HBox([self.add_button, self.new_button])]
        )
        listing = w.VBox(
            [self.entries, w.HBox([self.remove_button, self.save_button]), w.HBox([self.download, self.upload])]
        )
        row = w.HBox(
            [entry_form, listing, w.VBox([self.pick, self.compare_button])],
            layout=box(width="100%", flex_flow="row wrap"),
        )
        # the messages sit in the bar, under the actions that cause them, and stay in view while
        # the page scrolls (the bar is sticky on wide screens: see pf-workshop-notice in the CSS)
        notice = w.VBox([self.error, self.status_html], layout=box(width="100%"))
        notice.add_class("pf-workshop-notice")
        notice.add_class("pf-notice")
        self.bar = w.VBox([self.title, row, notice, self.compare_box], layout=box(width="100%"))
        self.bar.add_class("pf-panel")
        self.bar.add_class("pf-workshop-bar")
        self.header_html = page_header("workshop", LEAD)
        self.draw_entries()
        self.draw_bar()

    def _bind(self, state: WorkshopState, guard: Guard) -> None:
        def typed(field: str, value: Callable[[Any], Any] = str) -> Callable[[Any], None]:
            def changed(change: Any) -> None:
                if not self._syncing:
                    state.type(**{field: value(change["new"])})

            return guard(changed)

        self.notes.observe(typed("notes"), "value")  # every key (continuous_update): saved within 1 s
        self.chosen.observe(typed("chosen", lambda v: None if v == UNDECIDED else str(v)), "value")
        self.rationale.observe(typed("rationale"), "value")
        self.title.observe(guard(lambda c: None if self._syncing else state.set_title(str(c["new"]))), "value")
        self.pick.observe(guard(lambda c: None if self._syncing else state.set_pick(c["new"])), "value")
        self.entries.observe(guard(self._entry_picked), "value")
        self.upload.observe(guard(self._uploaded), "value")
        self.add_button.on_click(guard(self.add))
        self.new_button.on_click(guard(self.new_connection))
        self.remove_button.on_click(guard(lambda _: state.remove(state.selected)))
        self.save_button.on_click(guard(lambda _: state.save_on_server()))
        self.compare_button.on_click(guard(lambda _: state.compare_picked()))
        state.observe(guard(lambda _: self.draw_entries()), ["workshop", "selected", "pick"])
        state.observe(guard(lambda _: self.draw_bar()), ["bar", "recommended", "ruled_out"])
        state.observe(guard(lambda _: self.draw_compare()), "compared")
        state.observe(guard(lambda _: self.draw_notice()), ["status", "status_ok", "error"])

    # -- drawn from the state ----------------------------------------------------------------
    def draw_entries(self) -> None:
        """The title, the entries and compare lists, and the download link."""
        state = self.state
        options = state.entry_options()
        self._syncing = True
        try:
            if (self.title.value.strip() or state.workshop.title) != state.workshop.title:
                self.title.value = state.workshop.title
            if list(self.entries.options) != options:
                self.entries.options = options
                self.pick.options = options
            # the workshop may change before the selection follows it (a removed entry): show
            # only what the lists still hold; the state's own change redraws them once more
            ids = {value for _, value in options}
            self.entries.value = state.selected if state.selected in ids else None
            self.pick.value = tuple(p for p in state.pick if p in ids)
        finally:
            self._syncing = False
        self.download.value = H.download_html(
            state.download_text(),
            f"{new_id(state.workshop.title)}.yaml",
            "application/x-yaml",
            "Download the workshop file",
        )

    def draw_bar(self) -> None:
        """The notes, choice and rationale; the recommendation marked in the Chosen list; the
        Rationale field shown (and said to be required) when the choice differs from it."""
        state, bar = self.state, self.state.bar
        self._syncing = True
        try:
            options = state.choice_options()
            if list(self.chosen.options) != options:
                self.chosen.options = options
            self.chosen.value = bar.chosen or UNDECIDED
            if self.notes.value != bar.notes:
                self.notes.value = bar.notes
            if self.rationale.value != bar.rationale:
                self.rationale.value = bar.rationale
        finally:
            self._syncing = False
        self.rationale.layout.display = None if state.against_recommendation() else "none"
        self.required.value = render("workshop/rationale_required.html") if state.rationale_missing() else ""

    def draw_compare(self) -> None:
        compared = self.state.compared
        if compared is None:
            return
        self.compare_table.value = frame_html(compared.table)
        self.compare_chart.outputs = (chart_output(compared.chart),)
        self.compare_box.layout.display = None

    def draw_notice(self) -> None:
        state = self.state
        if state.error:
            H.show_banner(self.error, state.error)
        else:
            H.hide_banner(self.error)
        self.status_html.value = H.status_html(state.status, ok=state.status_ok) if state.status else ""

    # -- the visitor's actions -----------------------------------------------------------------
    def _entry_picked(self, change: Any) -> None:
        if not self._syncing and change["new"] and change["new"] != self.state.selected:
            self.reopen(str(change["new"]))

    def _uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.upload.value = ()  # the same file can be opened again
            self.open_bytes(*item)
