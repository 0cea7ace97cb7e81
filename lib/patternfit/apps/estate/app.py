"""The estate dashboard: upload an inventory (or load the example), see what was read, the
findings and charts, filter the findings, download the report. An organisation profile
(YAML, as exported by the calibration notebook) and a column mapping can be uploaded too: the
review is run again with them, and the summary and both downloads name the profile (or the
reference model when there is none). The notebook only calls `build_estate_app()`.

The page is widgets over an `EstateState` (the state, apart from the widgets): an upload calls a
state method; the widgets observe the state's traits and draw from it (`fragments`: Jinja2
templates, autoescaped). The page opens with its uploads only; the results (`ResultsView`) are
built at the first review, and, as served, their charts and downloads are drawn when they come
into view.

* Charts are plotly figures in ``ipywidgets.Output`` as plotly's mime bundle (what ``fig.show()``
  emits under the ``plotly_mimetype`` renderer, `common.plotly_output`), built from the review's
  summary tables.
* Downloads are ``<a download href="data:…;base64,…">`` links, which work in Voila; a report too
  large for a page link says so and points to the CLI.

CSS hooks: ``pf-estate-upload``, ``pf-estate-example``, ``pf-estate-profile-upload``,
``pf-estate-profile-clear``, ``pf-estate-mapping-upload``, ``pf-estate-mapping-clear``,
``pf-estate-mapping``, ``pf-estate-template``, ``pf-estate-basis``, ``pf-estate-progress``,
``pf-error``, ``pf-estate-validation``, ``pf-estate-summary``, ``pf-estate-chart-<name>``,
``pf-estate-filter-view`` / ``-owner`` / ``-search``, ``pf-estate-table``, ``pf-estate-open-pick``,
``pf-estate-open``, ``pf-estate-download``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.estate.fragments import basis_html, mapping_html, progress_html, template_html
from patternfit.apps.estate.state import EstateState

if TYPE_CHECKING:
    from patternfit.apps.estate.results import ResultsView
from patternfit.apps.pages import page_header, upload_button
from patternfit.model.catalog import Model

LOG = logging.getLogger(__name__)
# what an upload can be: the inventory template, or an architecture model any importer reads
SOURCES = ".csv,.xlsx,.json,.yaml,.yml,.xml"


def build_estate_app(model: Model | None = None, *, lazy: bool = True) -> w.Widget:
    """The estate dashboard widget (its `EstateApp` is at ``widget.app``); `lazy`: draw the charts
    and downloads only when the browser says they are in view."""
    return EstateApp(model, lazy=lazy).widget


class EstateApp:
    """The widgets over an `EstateState` (``state``); tests drive the state and the page's public
    hooks (`upload_changed`, `profile_changed`, `mapping_changed`) and read the widgets."""

    def __init__(self, model: Model | None = None, *, lazy: bool = False) -> None:
        self.state = EstateState(model)
        self.model = self.state.model
        self.lazy = lazy
        self.results: ResultsView | None = None  # built at the first review
        self.upload = self._upload(
            SOURCES,
            "Upload an inventory or a model",
            "An inventory (.csv/.xlsx), a Structurizr workspace (.json), a Backstage catalog or AsyncAPI "
            "document (.yaml) or an ArchiMate exchange file (.xml)",
            "pf-estate-upload",
            self.upload_changed,
        )
        self.example_button = self._button("Load the example inventory", "table", "pf-estate-example", shown=True)
        self.example_button.on_click(self.guard(lambda _: self.state.load_example()))
        self.profile_upload = self._upload(
            ".yaml,.yml",
            "Upload a profile (.yaml)",
            "An organisation profile exported by the calibration dashboard",
            "pf-estate-profile-upload",
            self.profile_changed,
        )
        self.profile_clear = self._button("Use the reference model", "undo", "pf-estate-profile-clear")
        self.profile_clear.on_click(self.guard(lambda _: self.state.clear_profile()))
        self.mapping_upload = self._upload(
            ".yaml,.yml",
            "Upload a column mapping (.yaml)",
            "For a spreadsheet with its own column names: columns: {Interface Name: name, …}",
            "pf-estate-mapping-upload",
            self.mapping_changed,
        )
        self.mapping_clear = self._button("No column mapping", "undo", "pf-estate-mapping-clear")
        self.mapping_clear.on_click(self.guard(lambda _: self.state.clear_mapping()))
        self.mapping_line = _html("pf-estate-mapping")
        self.template = _html("pf-estate-template", template_html(self.model))
        self.basis = _html("pf-estate-basis")
        self.progress = w.IntProgress(value=0, min=0, max=100, layout=w.Layout(width="320px", display="none"))
        self.progress.add_class("pf-estate-progress")
        self.progress_label = _html("pf-estate-progress-label")
        self.error_box = _html("pf-error", layout=w.Layout(width="100%", display="none"))
        self.results_box = w.VBox([], layout=w.Layout(width="100%", display="none"))
        self.widget = w.VBox(
            [
                w.HTML(H.CSS),  # the dashboards' one stylesheet (apps/static/dashboard.css)
                page_header("estate"),
                w.HBox([self.upload, self.example_button, self.progress, self.progress_label]),
                self.template,
                w.HBox([self.mapping_upload, self.mapping_clear, self.mapping_line]),
                w.HBox([self.profile_upload, self.profile_clear, self.basis]),
                self.error_box,
                self.results_box,
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("pf-estate")
        self.widget.app = self
        s = self.state
        s.observe(self.guard(self._show_review), names="review")
        s.observe(self.guard(self._show_basis), names=["profile", "profile_info", "profile_file"])
        s.observe(self.guard(self._show_mapping), names=["mapping", "mapping_file"])
        s.observe(self._show_progress, names="progress")
        s.observe(self._show_error, names="error")
        self._show_basis()
        self._show_mapping()

    # -- the public hooks: what the upload buttons do ------------------------------------------

    def upload_changed(self, change: Any) -> None:
        """An inventory or model was chosen: review it (the button is cleared: the same file can come again)."""
        if item := self._take(self.upload, change):
            self.state.load_bytes(*item)

    def profile_changed(self, change: Any) -> None:
        """A profile was chosen: put it in force."""
        if item := self._take(self.profile_upload, change):
            self.state.load_profile_bytes(*item)

    def mapping_changed(self, change: Any) -> None:
        """A column mapping was chosen: read the last upload again with it."""
        if item := self._take(self.mapping_upload, change):
            self.state.load_mapping_bytes(*item)

    def guard(self, callback: Callable[..., Any]) -> Callable[..., None]:
        """A widget callback whose failure (a bug) shows in the error banner, never as a traceback."""
        return H.guarded(callback, self._report, "try again, or use `patternfit estate` on the command line", LOG)

    # -- drawing from the state ------------------------------------------------------------------

    def _show_review(self, _change: Any = None) -> None:
        if self.state.review is None:
            self.results_box.layout.display = "none"
            return
        if self.results is None:
            from patternfit.apps.estate.results import ResultsView  # the review's stack: loaded with the first review

            self.results = ResultsView(self.state, self.guard, lazy=self.lazy)
            self.results_box.children = (self.results.widget,)
        self.results.draw()
        self.results_box.layout.display = None

    def _show_basis(self, _change: Any = None) -> None:
        s = self.state
        self.basis.value = basis_html(self.model, s.profile_info, s.profile_file)
        self.profile_clear.layout.display = None if s.profile is not None else "none"

    def _show_mapping(self, _change: Any = None) -> None:
        s = self.state
        self.mapping_line.value = mapping_html(s.mapping_file if s.mapping is not None else "")
        self.mapping_clear.layout.display = None if s.mapping is not None else "none"

    def _show_progress(self, _change: Any = None) -> None:
        fraction = self.state.progress
        if fraction < 0:
            self.progress.layout.display = "none"
            self.progress_label.value = ""
            return
        self.progress.layout.display = None
        self.progress.value = int(100 * fraction)
        self.progress_label.value = progress_html(self.state.stage)

    def _show_error(self, _change: Any = None) -> None:
        if self.state.error:
            H.show_banner(self.error_box, self.state.error)
        else:
            H.hide_banner(self.error_box)

    def _report(self, message: str) -> None:
        self.state.error = message

    # -- building ---------------------------------------------------------------------------------

    def _upload(
        self, accept: str, description: str, tooltip: str, css: str, on_change: Callable[[Any], None]
    ) -> w.FileUpload:
        button = upload_button(accept, description, tooltip)
        button.add_class(css)
        button.observe(self.guard(on_change), names="value")
        return button

    @staticmethod
    def _button(description: str, icon: str, css: str, *, shown: bool = False) -> w.Button:
        """A button; the undo buttons (not `shown`) show while there is something to undo."""
        button = w.Button(description=description, icon=icon, layout=w.Layout(width="auto"))
        button.layout.display = None if shown else "none"
        button.add_class(css)
        return button

    @staticmethod
    def _take(button: w.FileUpload, change: Any) -> tuple[bytes, str] | None:
        item = H.first_upload(change)
        if item is not None:
            button.value = ()  # the same file can be uploaded again (after fixing it)
        return item


def _html(css: str, value: str = "", layout: w.Layout | None = None) -> w.HTML:
    widget = w.HTML(value, layout=layout or w.Layout())
    widget.add_class(css)
    return widget
