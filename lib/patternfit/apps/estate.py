"""The estate dashboard: upload an inventory (or load the example), see what was read, the
findings and charts, filter the findings, download the report. An organisation profile
(YAML, as exported by the calibration notebook) can be uploaded too: the review is re-run with
it, and the summary and both downloads name it (or the reference model when there is none).
ipywidgets over `estate.review`; the notebook only calls `build_estate_app()`.

* Charts are plotly figures shown with ``fig.show()`` inside ``ipywidgets.Output`` under the
  ``plotly_mimetype`` renderer (no FigureWidget: its 5 MB bundle per instance is not needed for
  four static charts). They are built from the review's summary tables, so a large inventory
  sends only a few hundred numbers to the browser.
* Downloads are ``<a download href="data:…;base64,…">`` links in an ``ipywidgets.HTML``, which
  work in Voila; a report too large for a page link says so and points to the CLI.
* Every text that came from the upload (names, ids, cell values, file name) is escaped with
  ``html.escape`` before it becomes HTML.

CSS hooks: ``pf-estate-upload``, ``pf-estate-example``, ``pf-estate-profile-upload``,
``pf-estate-profile-clear``, ``pf-estate-basis``, ``pf-estate-progress``, ``pf-error``,
``pf-estate-validation``, ``pf-estate-summary``, ``pf-estate-chart-<name>``,
``pf-estate-filter-view`` / ``-owner`` / ``-search``, ``pf-estate-table``, ``pf-estate-download``.
"""

from __future__ import annotations

import base64
import html
import re
import sys
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
import yaml

from patternfit.apps.common import html as H
from patternfit.apps.common.plotly_output import use_plotly_mimetype
from patternfit.apps.pages import page_header, upload_button
from patternfit.charts.estate import CHARTS, estate_charts
from patternfit.errors import InputError, PatternfitError
from patternfit.estate.findings import NOT_GIVEN
from patternfit.estate.importers import read_source
from patternfit.estate.review import EstateReview, Inventory, profile_label, report_bytes, review
from patternfit.io.yamlio import decode, parse
from patternfit.model.catalog import Model, load_model
from patternfit.model.profile import apply_profile

ROWS_SHOWN = 200  # rows of the findings table drawn in the page
PROBLEMS_SHOWN = 50  # unreadable cells listed in the validation panel
DOWNLOAD_BYTES = 25_000_000  # larger reports are not offered as page links
XLSX_ROWS = 50_000  # larger inventories get the CSV link only (XLSX takes ~1 s per 10k rows)
MAX_UPLOAD = 200_000_000
MAX_PROFILE = 1_000_000  # a profile is a short YAML file
VIEWS = (
    ("Mismatches (largest gap first)", "mismatches"),
    ("Workshop candidates", "workshop"),
    ("Undecided: what to ask", "undecided"),
    ("Bridges to build", "bridges"),
    ("Rows with errors", "errors"),
    ("All rows", "all"),
)
ALL_OWNERS = "All owners"
# what an upload can be: the inventory template, or an architecture model any importer reads
SOURCES = ".csv,.xlsx,.json,.yaml,.yml,.xml"
OFF_MENU = {"shared_database": "Shared database", "other": "Other (not one of the patterns)", NOT_GIVEN: "not given"}
# the table's columns as people read them (the report keeps the keys: tools read it)
HEADERS = {
    "row": "row", "id": "id", "name": "connection", "owner": "owner", "current_pattern": "pattern in use",
    "recommended": "recommended", "runner_up": "runner-up", "gap": "gap to the recommendation",
    "margin": "margin", "unanswered": "questions unanswered", "reason": "why", "error": "problem",
    "what_to_ask": "what to ask", "check": "check", "bridges": "bridges",
}  # fmt: skip
PATTERN_COLUMNS = ("current_pattern", "recommended", "runner_up")
WRAPPED = {"name", "reason", "error", "what_to_ask", "bridges"}  # long text columns wrap; the others stay on one line
CSS = """<style>
.pf-estate h1, .pf-estate h2 { margin: 0.6em 0 0.3em; }
.pf-estate .pf-error { color: #8b0000; background: #fde8e8; border-left: 4px solid #c62828; padding: 0.5em 0.8em; }
.pf-estate table.pf-grid { border-collapse: collapse; width: 100%; font-size: 13px; }
.pf-estate table.pf-grid th { text-align: left; background: #f2f2f2; position: sticky; top: 0; }
.pf-estate table.pf-grid th, .pf-estate table.pf-grid td { border-bottom: 1px solid #e3e3e3; padding: 3px 6px;
  vertical-align: top; white-space: nowrap; }
.pf-estate table.pf-grid td.pf-wrap { white-space: pre-wrap; min-width: 16em; line-height: 1.35; }
.pf-estate .pf-figures { display: flex; gap: 1.5em; flex-wrap: wrap; font-size: 15px; }
.pf-estate .pf-figures b { font-size: 20px; display: block; }
.pf-estate .pf-table-box { overflow-x: auto; }  /* every row whole; a table too wide scrolls in its box */
.pf-estate a.pf-button { display: inline-block; margin-right: 1em; padding: 6px 12px; border: 1px solid #0072B2;
  border-radius: 4px; color: #0072B2; text-decoration: none; }
.pf-estate .pf-muted { color: #666; }
</style>"""


def esc(text: Any) -> str:
    """Text made inert in HTML (quotes included)."""
    return html.escape("" if text is None else str(text), quote=True)


def build_estate_app(model: Model | None = None) -> w.Widget:
    """The estate dashboard widget (its `EstateApp` is at ``widget.app``)."""
    use_plotly_mimetype()
    return EstateApp(model).widget


def example_inventory(model: Model) -> Path:
    """The example inventory shipped in data/examples/."""
    return model.directory / "examples" / "inventory.csv"


class EstateApp:
    """The widgets and the review behind them; tests drive `load_bytes`, `load_example`,
    `set_view` and read `review`, `table_frame()`."""

    def __init__(self, model: Model | None = None) -> None:
        self.model = model or load_model()
        self.review: EstateReview | None = None
        self.inventory: Inventory | None = None  # the last inventory read, re-reviewed when the profile changes
        self.profile: Mapping[str, Any] | None = None  # the uploaded profile (as parsed), None: reference model
        self.profile_info: dict[str, Any] | None = None
        self.profile_file = ""
        self.source_name = ""
        self._last: tuple[bytes, str] | None = None
        full = w.Layout(width="100%")

        self.mapping: dict[str, Any] | None = None  # a column mapping for spreadsheets with other headers
        self.mapping_file = ""
        self.upload = upload_button(
            SOURCES,
            "Upload an inventory or a model",
            "An inventory (.csv/.xlsx), a Structurizr workspace (.json), a Backstage catalog or AsyncAPI "
            "document (.yaml) or an ArchiMate exchange file (.xml)",
        )
        self.upload.add_class("pf-estate-upload")
        self.upload.observe(self._uploaded, names="value")
        self.example_button = w.Button(description="Load the example inventory", icon="table")
        self.example_button.layout.width = "auto"
        self.example_button.add_class("pf-estate-example")
        self.example_button.on_click(lambda _: self.load_example())
        self.profile_upload = upload_button(
            ".yaml,.yml", "Upload a profile (.yaml)", "An organisation profile exported by the calibration dashboard"
        )
        self.profile_upload.add_class("pf-estate-profile-upload")
        self.profile_upload.observe(self._profile_uploaded, names="value")
        self.profile_clear = w.Button(description="Use the reference model", icon="undo")
        self.profile_clear.layout.width = "auto"
        self.profile_clear.layout.display = "none"
        self.profile_clear.add_class("pf-estate-profile-clear")
        self.profile_clear.on_click(lambda _: self.clear_profile())
        self.mapping_upload = upload_button(
            ".yaml,.yml",
            "Upload a column mapping (.yaml)",
            "For a spreadsheet with its own column names: columns: {Interface Name: name, …}",
        )
        self.mapping_upload.add_class("pf-estate-mapping-upload")
        self.mapping_upload.observe(self._mapping_uploaded, names="value")
        self.mapping_clear = w.Button(description="No column mapping", icon="undo", layout=w.Layout(width="auto"))
        self.mapping_clear.layout.display = "none"
        self.mapping_clear.add_class("pf-estate-mapping-clear")
        self.mapping_clear.on_click(lambda _: self.clear_mapping())
        self.mapping_line = w.HTML("")
        self.mapping_line.add_class("pf-estate-mapping")
        self.template = w.HTML(template_html(self.model))
        self.template.add_class("pf-estate-template")
        self.open_pick = w.Dropdown(options=[("— choose a connection —", "")], value="",
                                    description="Connection", layout=w.Layout(width="520px"))  # fmt: skip
        self.open_pick.add_class("pf-estate-open-pick")
        self.open_pick.observe(lambda _: self._draw_open(), names="value")
        self.open_link = w.HTML("")
        self.open_link.add_class("pf-estate-open")
        self.basis = w.HTML("")
        self.basis.add_class("pf-estate-basis")
        self.progress = w.IntProgress(
            value=0, min=0, max=100, description="", layout=w.Layout(width="320px", display="none")
        )
        self.progress.add_class("pf-estate-progress")
        self.progress_label = w.HTML("")
        self.progress_label.add_class("pf-estate-progress-label")
        self.error_box = w.HTML("", layout=full)
        self.error_box.add_class("pf-error-box")

        self.validation = w.HTML("", layout=full)
        self.validation.add_class("pf-estate-validation")
        self.summary = w.HTML("", layout=full)
        self.summary.add_class("pf-estate-summary")
        self.charts = {name: w.Output(layout=w.Layout(width="100%")) for name in CHARTS}
        for name, out in self.charts.items():
            out.add_class("pf-estate-chart")
            out.add_class(f"pf-estate-chart-{name}")
        self.view = w.Dropdown(options=VIEWS, value="mismatches", description="Show")
        self.view.add_class("pf-estate-filter-view")
        self.owner = w.Dropdown(options=[ALL_OWNERS], value=ALL_OWNERS, description="Owner")
        self.owner.add_class("pf-estate-filter-owner")
        self.search = w.Text(
            value="", placeholder="id or name contains …", description="Search", continuous_update=False
        )
        self.search.add_class("pf-estate-filter-search")
        for control in (self.view, self.owner, self.search):
            control.observe(lambda _: self._draw_table(), names="value")
        self.table = w.HTML("", layout=full)
        self.table.add_class("pf-estate-table")
        self.downloads = w.HTML("", layout=full)
        self.downloads.add_class("pf-estate-download")

        self.results_box = w.VBox(
            [
                w.HTML("<h2>What was read</h2>"), self.validation,
                w.HTML("<h2>Findings</h2>"), self.summary,
                w.HBox([self.charts["matrix"], self.charts["owners"]], layout=full),
                w.HBox([self.charts["gaps"], self.charts["pitfalls"]], layout=full),
                w.HTML("<h2>Connections</h2>"), w.HBox([self.view, self.owner, self.search]), self.table,
                w.HTML("<h2>Open a connection in the decide dashboard</h2>"), self.open_pick, self.open_link,
                w.HTML("<h2>Report</h2>"), self.downloads,
            ],
            layout=w.Layout(width="100%", display="none"),
        )  # fmt: skip
        self.widget = w.VBox(
            [
                w.HTML(H.CSS + CSS),  # the dashboards' stylesheet (the link bar, a phone's layout), then the estate's
                page_header("estate"),
                w.HBox([self.upload, self.example_button, self.progress, self.progress_label]),
                self.template,
                w.HBox([self.mapping_upload, self.mapping_clear, self.mapping_line]),
                w.HBox([self.profile_upload, self.profile_clear, self.basis]),
                self.error_box,
                self.results_box,
            ],
            layout=full,
        )
        self.widget.add_class("pf-estate")
        self.widget.app = self
        self._show_basis()

    # -- loading ------------------------------------------------------------------------------

    def load_example(self) -> None:
        """Review the example inventory of data/examples/."""
        path = example_inventory(self.model)
        self.load_bytes(path.read_bytes(), path.name)

    def load_bytes(self, data: bytes, name: str) -> None:
        """Read, check and assess an uploaded inventory, then draw everything."""
        self.show_error("")
        self.source_name = Path(name).name or "inventory"
        self._last = (bytes(data), self.source_name)

        def read_and_review() -> None:
            if len(data) > MAX_UPLOAD:
                raise PatternfitError(
                    self.source_name,
                    f"is larger than {MAX_UPLOAD // 1_000_000} MB",
                    "use `patternfit estate` on the command line",
                )
            self.inventory = read_source(bytes(data), name=self.source_name, columns=self.mapping, model=self.model)
            self._review()

        self._attempt(read_and_review, self._forget)

    def load_profile_bytes(self, data: bytes, name: str) -> bool:
        """Use an uploaded profile and re-run the review with it; a bad profile is refused in the
        error banner (naming the file and the key) and everything on the page stays as it was."""
        where = Path(name).name or "profile"
        self.show_error("")
        try:
            if len(data) > MAX_PROFILE:
                raise InputError(
                    where, f"is larger than {MAX_PROFILE // 1_000_000} MB", "a profile is a short YAML file"
                )
            profile = parse(decode(bytes(data), where, what="profile"), where)
            _, info = apply_profile(profile, self.model, where=where)
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        kept = (self.profile, self.profile_info, self.profile_file)
        self.profile, self.profile_info, self.profile_file = profile, info, where
        if not self._rerun(kept):
            return False
        self._show_basis()
        return True

    def load_mapping_bytes(self, data: bytes, name: str) -> bool:
        """Use a column mapping (YAML: ``columns: {their header: our key}``, ``values: {...}``) for
        the next spreadsheet read, and read the last upload again with it; a bad mapping is
        refused in the banner and the previous one stays."""
        where = Path(name).name or "mapping"
        self.show_error("")
        try:
            if len(data) > MAX_PROFILE:
                raise InputError(
                    where, f"is larger than {MAX_PROFILE // 1_000_000} MB", "a mapping is a short YAML file"
                )
            mapping = parse(decode(bytes(data), where, what="column mapping"), where)
            if not isinstance(mapping, Mapping) or "columns" not in mapping:
                raise InputError(where, "is not a column mapping", "write `columns: {Their header: our key, …}`")
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        kept = (self.mapping, self.mapping_file)
        self.mapping, self.mapping_file = dict(mapping), where
        if not self._reread(kept):
            return False
        self._show_mapping()
        return True

    def clear_mapping(self) -> None:
        """Read spreadsheets by our own column names again."""
        kept = (self.mapping, self.mapping_file)
        self.mapping, self.mapping_file = None, ""
        self.show_error("")
        self._reread(kept)
        self._show_mapping()

    def _reread(self, kept: tuple[Any, str]) -> bool:
        """Read the last upload again (after the mapping changed); on failure the previous mapping."""
        if self.inventory is None or self._last is None:
            return True
        data, name = self._last

        def again() -> None:
            self.inventory = read_source(data, name=name, columns=self.mapping, model=self.model)
            self._review()

        def restore() -> None:
            self.mapping, self.mapping_file = kept

        return self._attempt(again, restore)

    def _show_mapping(self) -> None:
        self.mapping_clear.layout.display = None if self.mapping is not None else "none"
        self.mapping_line.value = (
            f"Spreadsheets are read with the column mapping <code>{esc(self.mapping_file)}</code>."
            if self.mapping is not None
            else ""
        )

    def _mapping_uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.mapping_upload.value = ()
            self.load_mapping_bytes(*item)

    def connection_file(self, connection_id: str) -> str:
        """The connection file (YAML) of one readable row, for the decide dashboard's upload."""
        if self.review is None:
            raise InputError("estate", "nothing is loaded yet", "upload an inventory first")
        connection = self.review.connection(connection_id)
        return yaml.safe_dump(connection.to_dict(), sort_keys=False, allow_unicode=True)

    def _draw_open(self) -> None:
        chosen = str(self.open_pick.value or "")
        if not chosen or self.review is None:
            self.open_link.value = (
                '<p class="pf-muted">Choose a connection of the table above: its answers become a connection '
                "file that the decide dashboard opens, pre-filled.</p>"
            )
            return
        try:
            text = self.connection_file(chosen)
        except PatternfitError as exc:
            self.open_link.value = f'<p class="pf-warn">{esc(exc.message)}</p>'
            return
        self.open_link.value = (
            self._still_to_ask(chosen)
            + H.download_html(
                text, f"{slug(chosen)}.yaml", "application/x-yaml", f"Download {chosen} as a connection file"
            )
            + ' <a class="pf-button" href="decide.ipynb" target="_blank" rel="noopener">Open the decide dashboard</a>'
            '<p class="pf-muted">In the decide dashboard, <b>Open a connection or record</b> and choose the '
            "downloaded file: the questions come filled in as the source answered them; the rest stay open.</p>"
        )

    def _still_to_ask(self, connection_id: str) -> str:
        """The questions the source left open for this connection, by their labels ("" when none)."""
        assert self.review is not None
        row = int(self.review.inventory.table.index[self.review.position(connection_id)])
        keys = list((getattr(self.review.inventory, "questions", None) or {}).get(row, ()))
        labels = []
        for key in keys:
            try:
                labels.append(self.model.question(str(key)).label)
            except KeyError:
                continue
        if not labels:
            return ""
        more = f" and {len(labels) - 6} more" if len(labels) > 6 else ""
        return f'<p class="pf-estate-to-ask">Still to ask: {esc(", ".join(labels[:6]))}{more}.</p>'

    def clear_profile(self) -> None:
        """Go back to the reference model (and re-run the review)."""
        kept = (self.profile, self.profile_info, self.profile_file)
        self.profile, self.profile_info, self.profile_file = None, None, ""
        self.show_error("")
        self._rerun(kept)
        self._show_basis()

    def _rerun(self, kept: tuple[Any, Any, str]) -> bool:
        """Review the current inventory again; on failure put the previous profile back."""
        if self.inventory is None:
            return True

        def restore() -> None:
            self.profile, self.profile_info, self.profile_file = kept

        return self._attempt(self._review, restore)

    def _review(self) -> None:
        assert self.inventory is not None
        self.review = review(self.inventory, model=self.model, profile=self.profile, progress=self._progress)
        self._progress(0.85, "charts")
        self._render()

    def _forget(self) -> None:
        self.review = None
        self.inventory = None
        self.results_box.layout.display = "none"

    def _attempt(self, work: Callable[[], None], undo: Callable[[], None]) -> bool:
        """Run `work`; a failure calls `undo` and shows one line in the error banner (never a traceback)."""
        self._progress(0.02, "reading")
        try:
            work()
            return True
        except PatternfitError as exc:
            undo()
            self.show_error(exc.message)
        except Exception as exc:  # a bug: say so on the page rather than fail silently
            undo()
            self.show_error(f"Unexpected error (a bug in patternfit): {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
        finally:
            self._progress(None, "")
        return False

    def _uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.upload.value = ()  # the same file can be uploaded again
            self.load_bytes(*item)

    def _profile_uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.profile_upload.value = ()  # the same file can be uploaded again (after fixing it)
            self.load_profile_bytes(*item)

    def _show_basis(self) -> None:
        self.basis.value = basis_html(self.model, self.profile_info, self.profile_file)
        self.profile_clear.layout.display = None if self.profile is not None else "none"

    def _progress(self, fraction: float | None, stage: str) -> None:
        if fraction is None:
            self.progress.layout.display = "none"
            self.progress_label.value = ""
            return
        share = {"reading": (0.0, 0.3), "checking": (0.3, 0.1), "scoring": (0.4, 0.45), "charts": (0.85, 0.15)}
        start, width = share.get(stage, (0.0, 1.0))
        self.progress.layout.display = None
        self.progress.value = int(100 * min(1.0, start + width * fraction))
        self.progress_label.value = f'<span class="pf-muted">{esc(stage)} …</span>'

    def show_error(self, message: str) -> None:
        self.error_box.value = f'<div class="pf-error">{esc(message)}</div>' if message else ""

    # -- drawing ------------------------------------------------------------------------------

    def _render(self) -> None:
        result = self.review
        assert result is not None
        self.validation.value = validation_html(result, self.source_name)
        self.summary.value = summary_html(result)
        self._draw_charts(result)
        owner = result.findings.owner
        counts = np.bincount(np.asarray(owner.codes), minlength=len(owner.categories))
        owners = [str(o) for o, k in zip(owner.categories, counts, strict=True) if k]
        self.owner.options = [ALL_OWNERS, *owners]
        self.owner.value = ALL_OWNERS
        self._draw_table()
        self.downloads.value = downloads_html(result, self.source_name)
        self.results_box.layout.display = None

    def _draw_charts(self, result: EstateReview) -> None:
        import plotly.graph_objects as go

        for name, spec in estate_charts(result).items():
            out = self.charts[name]
            with out:
                out.clear_output(wait=True)
                go.Figure(spec).show()

    def set_view(self, view: str, owner: str = ALL_OWNERS, search: str = "") -> None:
        """Choose what the findings table shows (as the dropdowns and search box do)."""
        self.view.value, self.owner.value, self.search.value = view, owner, search
        self._draw_table()

    def table_frame(self) -> pd.DataFrame:
        """The rows the findings table shows now (before the ROWS_SHOWN cut)."""
        result = self.review
        if result is None:
            return pd.DataFrame()
        return filtered(result, self.view.value, self.owner.value, self.search.value)

    def _pick_options(self, frame: pd.DataFrame) -> None:
        """The connections the table shows (the first ROWS_SHOWN), offered to open in decide."""
        options: list[tuple[str, str]] = [("— choose a connection —", "")]
        if "id" in frame.columns:
            names = frame["name"] if "name" in frame.columns else frame["id"]
            seen = set()
            for ident, name in zip(frame["id"].head(ROWS_SHOWN), names.head(ROWS_SHOWN), strict=True):
                key = str(ident)
                if key and key not in seen and key != "nan":
                    seen.add(key)
                    options.append((f"{key}: {name}", key))
        keep = self.open_pick.value if self.open_pick.value in {v for _, v in options} else ""
        self.open_pick.options = options
        self.open_pick.value = keep
        self._draw_open()

    def _draw_table(self) -> None:
        if self.review is None:
            self.table.value = ""
            return
        frame = self.table_frame()
        self.table.value = table_html(frame, self.model)
        self._pick_options(frame)


# -- HTML -----------------------------------------------------------------------------------------


def basis_html(model: Model, info: Mapping[str, Any] | None, filename: str) -> str:
    """The line beside the profile upload: which model the review uses."""
    if info is None:
        return (
            f'<span class="pf-muted">Assessing with the <b>reference model {esc(model.version)}</b>. '
            "Upload your organisation's profile (from the calibration notebook) to use its weights.</span>"
        )
    author = f" by {esc(info['author'])}" if info.get("author") else ""
    return (
        f"Assessing with the <b>profile {esc(profile_label(info))}</b>{author} — {int(info['changes'])} "
        f"change{'s' if info['changes'] != 1 else ''} to the reference model {esc(model.version)}, "
        f"from <code>{esc(filename)}</code>."
    )


def validation_html(result: EstateReview, name: str) -> str:
    """What was read: counts, warnings and the unreadable cells."""
    inventory = result.inventory
    summary = result.findings.summary
    parts = [
        f"<p>Read <b>{summary['connections']:,}</b> connections from <code>{esc(name)}</code> "
        f"({esc(inventory.kind.upper())}): <b>{summary['assessed']:,}</b> assessed "
        f"(<b>{summary['undecided']:,}</b> undecided), "
        f"<b>{result.error_rows:,}</b> with unreadable cells (left out of the results)"
        + (f", {inventory.skipped:,} blank rows skipped" if inventory.skipped else "")
        + ".</p>"
    ]
    for warning in inventory.warnings:
        parts.append(f'<p class="pf-muted">Note: {esc(warning)}</p>')
    parts.append(problems_html(result.problems))
    return "".join(parts)


def problems_html(problems: pd.DataFrame, shown: int = PROBLEMS_SHOWN, rest: str = "in the report") -> str:
    """The unreadable cells (row as in the spreadsheet, column, value, problem, allowed), escaped."""
    if not len(problems):
        return ""
    head = problems.head(shown)
    rows = "".join(
        f"<tr><td>{esc(r.row)}</td><td>{esc(r.column)}</td><td>{esc(r.value)}</td>"
        f'<td class="pf-wrap">{esc(r.problem)}</td><td class="pf-wrap">{esc(r.allowed)}</td></tr>'
        for r in head.itertuples(index=False)
    )
    more = f'<p class="pf-muted">… and {len(problems) - shown:,} more {esc(rest)}.</p>' if len(problems) > shown else ""
    return (
        '<div class="pf-table-box" tabindex="0" role="region" aria-label="Unreadable cells">'
        '<table class="pf-grid pf-problems"><thead><tr><th>row</th><th>column</th><th>value</th><th>problem</th>'
        f"<th>allowed</th></tr></thead><tbody>{rows}</tbody></table></div>{more}"
    )


def summary_html(result: EstateReview) -> str:
    """Key figures and the per-owner verdicts."""
    model = result.model
    findings = result.findings
    summary = findings.summary
    figures = [
        ("assessed", summary["assessed"]),
        ("undecided", summary["undecided"]),
        ("mismatches", summary["mismatches"]),
        ("workshop candidates", summary["workshop candidates"]),
        ("bridges needed", summary["bridges needed"]),
        ("rows with errors", summary["rows with errors"]),
    ]
    cells = "".join(f"<div><b>{value:,}</b>{esc(label)}</div>" for label, value in figures)
    basis = f'<p class="pf-estate-summary-basis">Assessed with the <b>{esc(result.basis)}</b>.</p>'
    owners = findings.owners
    rows = "".join(
        f"<tr><td>{esc(r.owner)}</td><td>{r.connections:,}</td><td>{esc(spread_words(r.effective_patterns))}</td>"
        f"<td>{esc(pattern_label(model, r.dominant))}</td><td>{_pct(r.mismatch_rate)}</td>"
        f'<td class="pf-wrap">{esc(r.verdict)}</td></tr>'
        for r in owners.itertuples(index=False)
    )
    return (
        f'{basis}<div class="pf-figures">{cells}</div>'
        '<p class="pf-muted">A mismatch: the pattern in use is knocked out, is a shared database, or scores at '
        f"least {findings.gap_threshold:g} below the recommendation. Workshop candidates: a close call, no pattern "
        f"fitting, or {model.policy.many_unanswered}+ questions unanswered. Undecided: fewer than "
        f"{model.policy.min_answers} answers tell the patterns apart, or the best fits tie — no pattern is "
        "recommended and no gap is judged.</p>"
        '<div class="pf-table-box" tabindex="0" role="region" aria-label="Owners">'
        '<table class="pf-grid pf-owners"><thead><tr><th>owner</th><th>connections</th>'
        "<th>how the connections spread over the patterns</th><th>most used</th><th>mismatch rate</th>"
        "<th>verdict</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def filtered(result: EstateReview, view: str, owner: str = ALL_OWNERS, search: str = "") -> pd.DataFrame:
    """The findings table for a view ('mismatches', 'workshop', 'undecided', 'bridges', 'errors', 'all'),
    owner and search."""
    findings = result.findings
    if view == "mismatches":
        frame = findings.mismatches
    elif view == "workshop":
        frame = findings.workshop
    elif view == "undecided":
        frame = findings.undecided_rows
    elif view == "bridges":
        frame = findings.bridges
    else:
        table = result.inventory.table
        picked = result.encoded.bad if view == "errors" else np.ones(len(table), bool)
        positions = np.flatnonzero(picked)
        frame = pd.DataFrame({"row": table.index.to_numpy()[positions]})
        for column in ("id", "name"):
            if column in table.columns:
                frame[column] = table[column].iloc[positions].to_numpy()
        frame["owner"] = findings.owner.take(positions)
        frame["current_pattern"] = findings.rows["current_pattern"].array.take(positions)
        frame["recommended"] = result.results["recommended"].array.take(positions)
        frame["gap"] = findings.rows["gap"].to_numpy()[positions]
        frame["error"] = result.results["error"].array.take(positions)
    if owner != ALL_OWNERS:
        frame = frame[frame["owner"].astype(str) == owner]
    text = search.strip().lower()
    if text:
        hay = (
            frame.get("id", pd.Series("", index=frame.index)).astype(str)
            + " "
            + frame.get("name", pd.Series("", index=frame.index)).astype(str)
        )
        frame = frame[hay.str.lower().str.contains(text, regex=False)]
    return frame.reset_index(drop=True)


def table_html(frame: pd.DataFrame, model: Model | None = None) -> str:
    """An escaped HTML table of the first ROWS_SHOWN rows: headers in words, patterns by label."""
    if frame.empty:
        return '<p class="pf-muted">No connections match.</p>'
    shown = frame.head(ROWS_SHOWN).copy()
    if model is not None:
        for column in PATTERN_COLUMNS:
            if column in shown.columns:
                shown[column] = [pattern_label(model, v) for v in shown[column].astype(object)]
    head = "".join(f"<th>{esc(HEADERS.get(str(c), str(c).replace('_', ' ')))}</th>" for c in shown.columns)
    cells = ['<td class="pf-wrap">' if c in WRAPPED else "<td>" for c in shown.columns]
    body = "".join(
        "<tr>" + "".join(f"{td}{_cell(v)}</td>" for td, v in zip(cells, row, strict=True)) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    note = (
        f'<p class="pf-muted">Showing the first {ROWS_SHOWN:,} of {len(frame):,}; the report has them all.</p>'
        if len(frame) > ROWS_SHOWN
        else f'<p class="pf-muted">{len(frame):,} connections.</p>'
    )
    table = f'<table class="pf-grid"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    box = '<div class="pf-table-box" tabindex="0" role="region" aria-label="Connections">'
    return f"{note}{box}{table}</div>"


def downloads_html(result: EstateReview, name: str) -> str:
    """Links that download the report as CSV and XLSX (when small enough for a page link)."""
    stem = (Path(name).stem or "inventory") + "-report"
    if result.profile:
        stem += "-" + slug(f"{result.profile['name']}-{result.profile['version']}")
    links = []
    csv = report_bytes(result, "csv")
    if len(csv) <= DOWNLOAD_BYTES:
        links.append(_link(csv, f"{stem}.csv", "text/csv", "Download the report (CSV)"))
    if result.inventory.rows <= XLSX_ROWS:
        xlsx = report_bytes(result, "xlsx")
        if len(xlsx) <= DOWNLOAD_BYTES:
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            links.append(_link(xlsx, f"{stem}.xlsx", mime, "Download the report (XLSX, with a summary sheet)"))
    if not links:
        return (
            '<p class="pf-muted">This report is too large for a download link: run '
            "<code>patternfit estate INVENTORY --out REPORT.csv</code>.</p>"
        )
    note = (
        f'<p class="pf-muted pf-estate-download-basis">Assessed with the {esc(result.basis)}: each report says so '
        "in its <code>model</code> and <code>profile</code> columns (the XLSX also on its summary sheet).</p>"
    )
    return note + "".join(links)


def pattern_label(model: Model, key: Any) -> str:
    """A pattern key (or shared_database, other, not given) as people read it."""
    text = "" if key is None or key is pd.NA or (isinstance(key, float) and np.isnan(key)) else str(key)
    if text in model.pattern_keys:
        return model.pattern(text).label
    return OFF_MENU.get(text, text)


def spread_words(effective: Any) -> str:
    """How many patterns an owner really uses (exp of the entropy of its mix), in words."""
    if effective is None or (isinstance(effective, float) and np.isnan(effective)):
        return "no pattern given"
    n = float(effective)
    if n < 1.5:
        return "one pattern for nearly everything"
    return f"spread over about {round(n)} patterns"


def template_html(model: Model) -> str:
    """Download buttons for the blank inventory (the server does not serve data/)."""
    folder = model.directory / "inventory"
    links = []
    for filename, mime, label in (
        ("template.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "Download the inventory template (XLSX, with drop-downs and a legend)"),
        ("template.csv", "text/csv", "Download the template (CSV, header row only)"),
    ):  # fmt: skip
        path = folder / filename
        if path.is_file():
            links.append(_link(path.read_bytes(), f"inventory-{filename}", mime, label))
    return '<div class="pf-estate-template-links">' + "".join(links) + "</div>" if links else ""


def slug(text: str) -> str:
    """A file-name part: letters, digits, dots and dashes only."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.").lower()[:60] or "profile"


def _link(data: bytes, filename: str, mime: str, label: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return f'<a class="pf-button" download="{esc(filename)}" href="data:{esc(mime)};base64,{payload}">{esc(label)}</a>'


def _cell(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return "" if np.isnan(value) else f"{value:.2f}"
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return esc(value)


def _pct(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.0%}"
