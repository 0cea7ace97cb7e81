"""The connection's panel at the top of the decide page: the examples list, "Reload example",
"Open a connection or record", the status line, the connection's name, ends and description,
and the Undo offer after a load replaced typed answers.

The fields write to the state as they are typed; what the buttons do is the page's (callbacks).
Writes made here by code (`show`) are not taken for the visitor's."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.questions import Shared
from patternfit.apps.decide.state import DecisionState

BLANK = "__blank__"
OPENED = "__opened__"  # the examples list after a file was opened (not blank)
TEXT_FIELDS = ("name", "source", "target", "description")

Guard = Callable[[Callable[..., Any]], Callable[..., None]]


class ConnectionBar:
    """The examples list, Reload, Open, the status line, the connection's fields and Undo."""

    def __init__(
        self,
        state: DecisionState,
        examples: Mapping[str, tuple[str, Path]],
        shared: Shared,
        guard: Guard,
        *,
        choose: Callable[[str], None],
        reload: Callable[[str], None],
        open_file: Callable[[bytes, str], Any],
        undo: Callable[..., Any],
    ) -> None:
        self.state = state
        self._choose, self._reload, self._open = choose, reload, open_file
        self._quiet = False
        s = shared
        self._build_tools(examples, s, guard)
        self._build_fields(s, guard)
        # "… was replaced by … — Undo": a load over typed answers loses nothing
        self.undo_text = w.HTML("", layout=s.auto, style=s.html)
        self.undo_button = w.Button(description="Undo", icon="undo", layout=w.Layout(width="auto", flex="0 0 auto"),
                                    tooltip="Put back the connection that was replaced")  # fmt: skip
        self.undo_button.add_class("pf-undo-button")
        self.undo_button.on_click(guard(undo))
        self.undo_box = w.HBox(
            [self.undo_text, self.undo_button],
            layout=w.Layout(width="100%", display="none", align_items="center", flex_flow="row wrap"),
        )
        self.undo_box.add_class("pf-undo")
        toolbar = w.HBox([self.examples_dropdown, self.reload, self.upload, self.status], layout=s.full)
        toolbar.add_class("pf-toolbar")
        ends = w.HBox([self.name, self.source, self.target], layout=s.full)
        self.widget = w.VBox([toolbar, self.undo_box, ends, self.description], layout=s.full)
        self.widget.add_class("pf-panel")

    def _build_tools(self, examples: Mapping[str, tuple[str, Path]], s: Shared, guard: Guard) -> None:
        self.examples_dropdown = w.Dropdown(
            options=[
                ("— choose —", None),
                ("New, blank connection", BLANK),
                *[(label, stem) for stem, (label, _) in examples.items()],
                ("(an opened file)", OPENED),
            ],
            value=None,
            description="Example",
            layout=w.Layout(width="380px"),
            style=s.plain,
        )
        self.examples_dropdown.add_class("pf-examples")
        self.examples_dropdown.observe(guard(self._chosen), names="value")
        self.reload = w.Button(
            description="Reload example",
            tooltip="Load the chosen example again, as it is in the model (undo your edits)",
            layout=w.Layout(width="auto"),
        )
        self.reload.add_class("pf-reload-example")
        self.reload.on_click(guard(self._reload_clicked))
        self.upload = w.FileUpload(
            accept=".yaml,.yml,.json,.md", multiple=False, description="Open a connection or record",
            tooltip="Open a connection file (.yaml, .yml, .json) or a decision record (.md)",
        )  # fmt: skip
        self.upload.layout.width = "auto"
        self.upload.add_class("pf-upload")
        self.upload.observe(guard(self._uploaded), names="value")
        self.status = w.HTML("", layout=s.auto, style=s.html)
        self.status.add_class("pf-status")

    def _build_fields(self, s: Shared, guard: Guard) -> None:
        self.name = w.Text(
            description="Connection",
            placeholder="e.g. Order created → warehouse, billing",
            layout=w.Layout(flex="2 1 300px"),
            style=s.text_style,
        )
        self.source = w.Text(
            description="From", placeholder="source system", layout=w.Layout(flex="1 1 160px"), style=s.text_style
        )
        self.target = w.Text(
            description="→ To", placeholder="target system(s)", layout=w.Layout(flex="1 1 160px"), style=s.text_style
        )
        self.description = w.Textarea(
            description="Description",
            placeholder="What flows, and why",
            layout=w.Layout(width="100%", height="40px"),
            style=s.text_style,
        )
        for field in TEXT_FIELDS:
            text = getattr(self, field)
            text.add_class(f"pf-{field}")
            text.observe(guard(self._typed(field)), names="value")

    # -- what the page shows ---------------------------------------------------------------
    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Widgets set inside are set by code, not by the visitor."""
        quiet, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = quiet

    def show(self, example: str | None) -> None:
        """The connection's fields from the state, and what the examples list shows."""
        with self.quiet():
            for field in TEXT_FIELDS:
                getattr(self, field).value = getattr(self.state, field)
            self.examples_dropdown.value = example

    def show_example(self, example: str | None) -> None:
        with self.quiet():
            self.examples_dropdown.value = example

    def say(self, message: str) -> None:
        """The status line beside the toolbar ('' clears it)."""
        self.status.value = H.status_html(message) if message else ""

    def offer_undo(self, text: str) -> None:
        """Show `text` beside the Undo button ('' hides the offer)."""
        self.undo_text.value = text
        self.undo_box.layout.display = "flex" if text else "none"

    # -- what the visitor does ---------------------------------------------------------------
    def _typed(self, field: str) -> Callable[[Any], None]:
        def changed(change: Any) -> None:
            if not self._quiet:
                self.state.set_text(**{field: change["new"]})

        return changed

    def _chosen(self, change: Any) -> None:
        if not self._quiet and change["new"] not in (None, OPENED):
            self._choose(change["new"])

    def _reload_clicked(self, _button: Any = None) -> None:
        """Choosing the example already selected does nothing in a dropdown: this reloads it."""
        chosen = self.examples_dropdown.value
        if chosen in (None, OPENED):
            self.say("Choose an example first.")
            return
        self._reload(chosen)

    def _uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self._open(*item)
            self.upload.value = ()  # the same file can be opened again
