"""The calibration page's widgets over its state (`CalibrateState`): an organisation tunes weights
and fit values (each change with a reason), sees at once which recommendations change on the
examples, on its own connections and over an inventory, and exports the profile YAML that the
dashboard, the CLI (``--profile``) and the estate use.

Widgets only set the state (through its setters) and observe it to show it; the weights live in
the state, never in the sliders. Editors only offer allowed values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets as t

from patternfit.apps.calibrate.editors import FitEditor, WeightEditor
from patternfit.apps.calibrate.state import SAMPLES, CalibrateState
from patternfit.apps.calibrate.views import effect_html, inventory_hint_html, inventory_html
from patternfit.apps.common import html as H
from patternfit.apps.pages import page_header, upload_button
from patternfit.errors import PatternfitError
from patternfit.model.catalog import Model

LOG = logging.getLogger(__name__)
EXPORT_INPUTS = ["name", "version", "author", "weights", "reasons", "fit_changes"]
DOWNLOAD = "Download the profile (YAML)"


def build_calibrate_app(model: Model | None = None) -> w.Widget:
    """The calibration widget (its ``CalibrateApp`` is at ``widget.app``)."""
    return CalibrateApp(model).widget


class CalibrateApp:
    """The page: header fields, weight and fit editors, uploads → `state`; its effect ← `state`."""

    def __init__(self, model: Model | None = None, *, samples: int = SAMPLES) -> None:
        self.state = CalibrateState(model, samples=samples)
        self.model = self.state.model
        self.error = w.HTML("", layout=w.Layout(width="100%", display="none"))
        self.error.add_class("pf-error")
        self.weights = WeightEditor(self.state, self.safe)
        self.fits = FitEditor(self.state, self.safe)
        self.table = self._html("pf-calibrate-effect")
        self.inventory_box = self._html("pf-calibrate-inventory")
        self.download = w.HTML("")
        self.download.add_class("pf-calibrate-download")
        self.export_note = w.HTML("")
        self.widget = self._layout()
        self.widget.app = self
        self.state.observe(lambda _: self._show_error(), "error")
        self.state.observe(self.safe(lambda _: self._show_effect()), "effect")
        self.state.observe(self.safe(lambda _: self._show_inventory()), "inventory_effect")
        self.state.observe(self.safe(lambda _: self._show_export()), EXPORT_INPUTS)
        self._show_error()
        self._show_effect()
        self._show_inventory()
        self._show_export()

    def safe(self, callback: Callable[..., Any]) -> Callable[..., None]:
        """`callback` for a widget: a failure is shown in the banner, never as a traceback."""
        return H.guarded(callback, self.show_error, "the profile is kept", LOG)

    def show_error(self, message: str) -> None:
        self.state.error = message

    # -- the state, shown ------------------------------------------------------------------
    def _show_error(self) -> None:
        if self.state.error:
            H.show_banner(self.error, self.state.error)
        else:
            H.hide_banner(self.error)

    def _show_effect(self) -> None:
        self.table.value = effect_html(self.state.effect, self.model)

    def _show_inventory(self) -> None:
        effect = self.state.inventory_effect
        self.inventory_box.value = inventory_hint_html() if effect is None else inventory_html(effect, self.model)

    def _show_export(self) -> None:
        try:
            text = self.state.profile_yaml()
        except PatternfitError as exc:
            self.download.value = H.disabled_download_html(DOWNLOAD, exc.message)
            self.export_note.value = H.status_html(exc.message, ok=False) if self.state.changes() else ""
            return
        self.download.value = H.download_html(text, self.state.profile_filename(), "application/x-yaml", DOWNLOAD)
        self.export_note.value = ""

    # -- the widgets -----------------------------------------------------------------------
    def _html(self, hook: str) -> w.HTML:
        box = w.HTML("", layout=w.Layout(width="100%"))
        box.add_class(hook)
        return box

    def _upload(self, accept: str, label: str, tip: str, hook: str, load: Callable[[bytes, str], bool]) -> w.Widget:
        button = upload_button(accept, label, tip)
        button.add_class(hook)

        def uploaded(change: Any) -> None:
            item = H.first_upload(change)
            if item is not None:
                button.value = ()
                load(*item)

        button.observe(self.safe(uploaded), "value")
        return button

    def _header(self) -> w.Widget:
        style = {"description_width": "120px"}
        self.name = w.Text(description="Name", placeholder="e.g. Acme integration office", style=style)
        self.version = w.Text(description="Version", style=style)
        self.author = w.Text(description="Author", style=style)
        self.name.add_class("pf-calibrate-name")
        for field in ("name", "version", "author"):
            t.link((self.state, field), (getattr(self, field), "value"))
        self.profile_upload = self._upload(
            ".yaml,.yml", "Open a profile", "Open a profile (.yaml) saved earlier",
            "pf-calibrate-profile-upload", self.state.load_profile_bytes,
        )  # fmt: skip
        self.subject_upload = self._upload(
            ".yaml,.yml,.json", "Add connections", "Add a connection file or a workshop file to the table below",
            "pf-calibrate-subject-upload", self.state.load_subjects_bytes,
        )  # fmt: skip
        return w.HBox(
            [w.VBox([self.name, self.version, self.author]), w.VBox([self.profile_upload, self.subject_upload])]
        )

    def _inventory_buttons(self) -> w.Widget:
        self.inventory_upload = self._upload(
            ".csv,.xlsx", "Add an inventory (.csv / .xlsx)", "An inventory in the estate review's template",
            "pf-calibrate-inventory-upload", self.state.load_inventory_bytes,
        )  # fmt: skip
        self.inventory_upload.layout.width = "auto"
        example = w.Button(description="Try the example inventory", icon="table", layout=w.Layout(width="auto"))
        example.add_class("pf-calibrate-inventory-example")
        example.on_click(self.safe(lambda *_: self.state.load_example_inventory()))
        return w.HBox([self.inventory_upload, example])

    def _layout(self) -> w.VBox:
        tabs = w.Tab([self.weights.widget, self.fits.widget])
        tabs.set_title(0, "Weights")
        tabs.set_title(1, "Fit values")
        page = w.VBox(
            [
                w.HTML(H.CSS),
                page_header("calibrate"),
                self.error,
                self._header(),
                tabs,
                w.HTML("<h2>Effect on the connections</h2>"),
                self.table,
                w.HTML("<h2>Effect on an inventory</h2>"),
                self._inventory_buttons(),
                self.inventory_box,
                w.HBox([self.download, self.export_note]),
            ],
            layout=w.Layout(width="100%"),
        )
        page.add_class("pf-calibrate")
        return page
