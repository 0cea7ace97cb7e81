"""The record panel of the dashboard: who decided what, a live MADR preview, downloads from
the browser (data-URI links, which work in Voila without a server file) and "save to the
decisions folder" on the server."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle

from patternfit import settings
from patternfit.apps.common import html as H
from patternfit.apps.common.templates import render
from patternfit.engine.assess import Assessment
from patternfit.errors import PatternfitError
from patternfit.records import (
    LoadedRecord,
    RecordMeta,
    build_record,
    load_record,
    render_record,
    save_record,
    slugify,
)
from patternfit.records.diagram import to_svg
from patternfit.records.types import STATUSES

if TYPE_CHECKING:
    from patternfit.apps.common.questions import Shared
    from patternfit.model.catalog import Model


class RecordHost(Protocol):
    """What the record panel needs of the page it sits in (the decision dashboard)."""

    muted: bool

    @property
    def model(self) -> Model: ...

    @property
    def profile(self) -> Any: ...
    @property
    def assessment(self) -> Assessment | None: ...
    def guard(self, callback: Callable[..., Any]) -> Callable[..., None]: ...


AS_RECOMMENDED = "__recommended__"
# The record layouts the panel offers (the CLI's --template madr|madr-minimal|nygard, and --format log4brains).
LAYOUTS = {
    "madr": "MADR 4.0",
    "madr-minimal": "MADR 4.0 minimal",
    "nygard": "Nygard (adr-tools)",
    "log4brains": "log4brains",
}


def decisions_folder() -> Path:
    """Where "save" writes: $PATTERNFIT_DECISIONS, else docs/decisions in this checkout.

    The folder is the server's setting, not a visitor's, so it is created when missing (a fresh
    checkout has no docs/ yet); a folder that cannot be created is reported on save."""
    folder = settings.decisions_dir()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def split_names(text: str) -> tuple[str, ...]:
    """'Ana, Bo; Chen' → ('Ana', 'Bo', 'Chen')."""
    return tuple(n.strip() for n in re.split(r"[,;\n]", text) if n.strip())


class RecordPanel:
    """Widgets of the record; `update(assessment)` re-renders preview and downloads."""

    def __init__(self, app: RecordHost, shared: Shared, *, lazy: bool = False, part: str = "") -> None:
        """`lazy`: the panel's widgets are made when it first comes into view (`show`), and the
        record is rendered only while it is in view; out of view the downloads are withdrawn,
        so a record of earlier answers is never offered."""
        self.app = app
        self.shared = shared
        self.visible = not lazy
        self.built = False
        self._pending = False
        self._meta: RecordMeta | None = None  # a reopened record's metadata, until the form exists
        self.room: dict[str, Any] | None = None  # the workshop room the answers came from (room_summary)
        self.record: Any = None
        self.markdown = ""
        self.json = ""
        self.html = ""
        # the download hooks (pf-download-md, …) are on the page from the start, withdrawn until
        # the record is prepared
        self.download_md = self._link("pf-download-md")
        self.download_json = self._link("pf-download-json")
        self.download_html = self._link("pf-download-html")
        self.downloads = w.HBox(
            [self.download_md, self.download_json, self.download_html], layout=w.Layout(margin="8px 0")
        )
        self._waiting = w.HTML(
            H.status_html("The record form and preview appear when this panel is in view.", ok=False),
            layout=shared.auto,
            style=shared.html,
        )
        self._withdraw("The record is prepared when this panel is in view.")
        self.widget = w.VBox(
            [
                w.HTML(render("decide/record_heading.html"), layout=shared.auto, style=shared.html),
                self._waiting,
                self.downloads,
            ],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("pf-panel")
        self.widget.add_class("pf-record")
        if part:
            self.widget.add_class(part)
        if not lazy:
            self._build()

    def _link(self, css_class: str) -> w.HTML:
        """A download link's place (empty until the record is prepared)."""
        link = w.HTML("", layout=self.shared.auto, style=self.shared.html)
        link.add_class(css_class)
        return link

    def _build(self) -> None:
        """The form and the preview, when the panel is first in view (at once when not lazy)."""
        self.built = True
        label = w.Layout(width="96%")
        text_style = TextStyle(description_width="130px")
        pick_style = DescriptionStyle(description_width="130px")
        self._build_people(label, text_style, pick_style)
        self._build_choice(text_style, pick_style)
        self._build_output()
        for widget in (
            self.title, self.status, self.date, self.deciders, self.consulted, self.informed,
            self.chosen, self.rationale, self.layout_choice,
        ):  # fmt: skip
            widget.observe(self.app.guard(self._changed), names="value")
        self._recommended: str | None = "?"
        self._pending_chosen: str | None = None
        self._quiet = True
        try:
            self.reset(self._meta)
        finally:
            self._quiet = False
        self.widget.children = (self.widget.children[0], self._columns())

    def _build_people(self, label: w.Layout, text_style: TextStyle, pick_style: DescriptionStyle) -> None:
        """Title, status, date and who decided, was consulted and informed."""
        self.title = w.Text(
            description="Title",
            placeholder="(default: the connection and the chosen pattern)",
            layout=label,
            style=text_style,
        )
        self.status = w.Dropdown(
            options=list(STATUSES),
            value="proposed",
            description="Status",
            layout=w.Layout(width="260px"),
            style=pick_style,
        )
        self.date = w.Text(
            value=dt.date.today().isoformat(),
            description="Date",
            placeholder="YYYY-MM-DD",
            layout=w.Layout(width="200px"),
            style=TextStyle(description_width="40px"),
        )
        self.deciders = w.Text(
            description="Decision-makers", placeholder="names, separated by commas", layout=label, style=text_style
        )
        self.consulted = w.Text(
            description="Consulted", placeholder="names, separated by commas", layout=label, style=text_style
        )
        self.informed = w.Text(
            description="Informed", placeholder="names, separated by commas", layout=label, style=text_style
        )

    def _build_choice(self, text_style: TextStyle, pick_style: DescriptionStyle) -> None:
        """The option chosen, the rationale it may need, and the record's layout."""
        s = self.shared
        self.chosen = w.Dropdown(
            options=[("As recommended", AS_RECOMMENDED)],
            value=AS_RECOMMENDED,
            description="Chosen option",
            layout=w.Layout(width="460px"),
            style=pick_style,
        )
        self.chosen.add_class("pf-chosen")
        self.rationale = w.Textarea(
            description="Rationale",
            placeholder="Why the team chose against the recommendation (required)",
            layout=w.Layout(width="100%", height="80px", display="none"),
            style=text_style,
        )
        self.rationale.add_class("pf-rationale")
        self.required = w.HTML("", layout=s.auto, style=s.html)
        self.required.add_class("pf-rationale-required")
        self.layout_choice = w.Dropdown(
            options=[(label, key) for key, label in LAYOUTS.items()],
            value="madr",
            description="Layout",
            layout=w.Layout(width="360px"),
            style=pick_style,
        )
        self.layout_choice.add_class("pf-template")

    def _build_output(self) -> None:
        """The preview (its title, the diagram, the Markdown) and "Save to the decisions folder"."""
        s = self.shared
        self.diagram = w.HTML("", layout=w.Layout(width="100%"), style=s.html)
        self.diagram.add_class("pf-diagram-preview")
        self.preview_title = w.HTML("", layout=s.auto, style=s.html)
        self.save = w.Button(description="Save to the decisions folder", icon="save", layout=w.Layout(width="auto"))
        self.save.add_class("pf-save")
        self.save.on_click(self.app.guard(self.save_to_folder))
        self.saved = w.HTML("", layout=s.auto, style=s.html)
        self.saved.add_class("pf-saved")
        self.preview = w.HTML("", layout=w.Layout(width="100%"), style=s.html)
        self.preview.add_class("pf-preview")

    def _columns(self) -> w.HBox:
        """The form beside the preview (one under the other on a narrow screen)."""
        form = w.VBox(
            [
                self.title,
                w.HBox([self.status, self.date]),
                self.deciders,
                self.consulted,
                self.informed,
                self.chosen,
                self.rationale,
                self.required,
                self.layout_choice,
                self.downloads,
                w.HBox([self.save, self.saved], layout=w.Layout(align_items="center")),
            ],
            layout=w.Layout(flex="1 1 40%", min_width="420px"),
        )
        preview = w.VBox(
            [self.preview_title, self.diagram, self.preview],
            layout=w.Layout(flex="1 1 56%", min_width="480px"),
        )
        cols = w.HBox([form, preview], layout=w.Layout(width="100%"))
        cols.add_class("pf-cols")
        return cols

    # -- state -----------------------------------------------------------------------------
    def layout(self) -> tuple[str, str]:
        """(format, template) of the chosen layout, as `render_record` and `save_record` take them."""
        key = str(self.layout_choice.value)
        return ("log4brains", "madr") if key == "log4brains" else ("madr", key)

    def meta(self) -> RecordMeta:
        chosen = None if self.chosen.value == AS_RECOMMENDED else self.chosen.value
        return RecordMeta(
            title=self.title.value.strip(),
            status=self.status.value,
            date=self.date.value.strip(),
            decision_makers=split_names(self.deciders.value),
            consulted=split_names(self.consulted.value),
            informed=split_names(self.informed.value),
            chosen=chosen,
            rationale=self.rationale.value.strip(),
            room=self.room,
        )

    def reset(self, meta: RecordMeta | None) -> None:
        """Fill the fields from a reopened record's metadata, or clear them for a new one."""
        if not getattr(self, "_quiet", False):  # the form being built replays the metadata: the room stays
            self.room = dict(meta.room) if meta is not None and meta.room else None
        self._meta = meta
        if not self.built:
            return
        self.title.value = meta.title if meta else ""
        self.status.value = meta.status if meta and meta.status in STATUSES else "proposed"
        self.date.value = meta.date if meta else dt.date.today().isoformat()
        self.deciders.value = ", ".join(meta.decision_makers) if meta else ""
        self.consulted.value = ", ".join(meta.consulted) if meta else ""
        self.informed.value = ", ".join(meta.informed) if meta else ""
        self._pending_chosen = meta.chosen if meta else None
        self.rationale.value = meta.rationale if meta else ""
        self.saved.value = ""

    def read(self, content: bytes, name: str) -> LoadedRecord:
        """Parse an uploaded record (load_record reads files, so via a private temp folder). The
        upload's name is only shown in messages, never used as a path: the copy has a fixed name."""
        suffix = Path(name).suffix.lower()
        with tempfile.TemporaryDirectory(prefix="patternfit-") as folder:
            path = Path(folder) / f"upload{suffix if suffix in ('.md', '.json') else '.md'}"
            path.write_bytes(content)
            try:
                return load_record(path, self.app.model)
            except PatternfitError as exc:
                exc.where = exc.where.replace(str(path), name)
                raise type(exc)(exc.where, exc.what.replace(str(path), name), exc.fix) from None

    # -- rendering -------------------------------------------------------------------------
    def show(self, visible: bool) -> None:
        """The panel came into view (or left it): render what changed meanwhile."""
        self.visible = visible
        if not visible:
            return
        first = not self.built
        if first:
            self._build()
        if first or self._pending:
            self.update(self.app.assessment)

    def update(self, a: Assessment | None) -> None:
        """Re-render after any change: options, rationale state, preview and downloads. Out of
        view (lazy), only note that it must be done, and take the old record out of reach."""
        if not self.visible or not self.built:
            if not self._pending:
                self._pending = True
                self.record, self.markdown, self.json, self.html = None, "", "", ""
                if self.built:
                    self._unavailable("The record is prepared when this panel is in view.")
            return
        self._pending = False
        self._sync_options(a)
        override = self.chosen.value != AS_RECOMMENDED and a is not None and self.chosen.value != a.recommended
        self.rationale.layout.display = None if override else "none"
        missing = override and not self.rationale.value.strip()
        self.required.value = render("decide/rationale_required.html") if missing else ""
        self.record, self.markdown, self.json, self.html = None, "", "", ""
        self.preview_title.value = render("decide/preview_title.html", layout=LAYOUTS[self.layout_choice.value])
        problem = self._render(a, missing)
        if problem:
            self._unavailable(problem)
            return
        self._publish()

    def _render(self, a: Assessment | None, missing: bool) -> str:
        """Build and render the record of `a` (what is missing, or went wrong, as a sentence)."""
        if a is None:
            return "Answer some questions first."
        model = self.app.model
        if missing:
            chosen = model.pattern(str(self.chosen.value)).label
            recommended = model.pattern(a.recommended).label if a.recommended else "no pattern"
            return (
                f"The record needs the rationale: why the team chose {chosen} against the recommendation "
                f"{recommended}. Write it in the Rationale field."
            )
        try:
            self.record = build_record(a, self.meta(), model, profile=self.app.profile)
            fmt, template = self.layout()
            self.markdown = render_record(self.record, fmt, template=template)
            self.json = render_record(self.record, "json")
            self.html = render_record(self.record, "html")
        except PatternfitError as exc:
            return exc.message
        return ""

    def _publish(self) -> None:
        """The rendered record in the preview, the download links and the Save button."""
        slug = slugify(self.record.title)
        self.preview.value = H.preview_html(self.markdown)
        self.download_md.value = H.download_html(self.markdown, f"{slug}.md", "text/markdown", "Download Markdown")
        self.download_json.value = H.download_html(self.json, f"{slug}.json", "application/json", "Download JSON")
        self.download_html.value = H.download_html(self.html, f"{slug}.html", "text/html", "Download HTML")
        d = self.record.diagram
        title = f"{self.record.chosen_label}: {self.record.title}"
        self.diagram.value = render("decide/diagram.html", svg=to_svg(d, title)) if d is not None else ""
        self.save.disabled = False

    def _withdraw(self, why: str) -> None:
        """The three downloads as disabled buttons that say why."""
        self.download_md.value = H.disabled_download_html("Download Markdown", why)
        self.download_json.value = H.disabled_download_html("Download JSON", why)
        self.download_html.value = H.disabled_download_html("Download HTML", why)

    def _unavailable(self, problem: str) -> None:
        self.preview.value = H.status_html(problem, ok=False)
        self._withdraw(problem)
        self.diagram.value = ""
        self.save.disabled = True

    def _sync_options(self, a: Assessment | None) -> None:
        recommended = a.recommended if a is not None else None
        pending = self._pending_chosen
        if recommended == self._recommended and pending is None:
            return
        model = self.app.model
        head = f"As recommended: {model.pattern(recommended).label}" if recommended else "As recommended (none)"
        options = [(head, AS_RECOMMENDED)]
        for p in model.patterns:
            ruled = a is not None and p.key in a.knocked_out
            options.append((p.label + (" (ruled out)" if ruled else ""), p.key))
        current = pending if pending is not None else self.chosen.value
        if current == recommended:
            current = AS_RECOMMENDED
        self._recommended = recommended
        self._pending_chosen = None
        self._quiet = True
        try:
            self.chosen.options = options
            self.chosen.value = current if current in [v for _, v in options] else AS_RECOMMENDED
        finally:
            self._quiet = False

    def _changed(self, _change: Any) -> None:
        if self._quiet or self.app.muted:
            return
        self.saved.value = ""
        self.update(self.app.assessment)

    def save_to_folder(self, _button: Any = None) -> Path | None:
        """Save the record into the decisions folder on the server (the "Save" button); its path,
        or None when there is nothing to save or the save failed (the panel says why)."""
        if self._pending or not self.built:  # the button is in view when clicked; code may call this at any time
            if not self.built:
                self._build()
            visible, self.visible = self.visible, True
            self.update(self.app.assessment)
            self.visible = visible
        if self.record is None:
            self.saved.value = H.status_html("Nothing to save yet.", ok=False)
            return None
        try:
            fmt, template = self.layout()
            path = save_record(self.record, decisions_folder(), fmt, template)
        except PatternfitError as exc:
            self.saved.value = H.status_html(exc.message, ok=False)
            return None
        home = settings.home()
        shown = path.relative_to(home) if path.is_relative_to(home) else path
        self.saved.value = H.status_html(f"Saved as {shown}")
        return path
