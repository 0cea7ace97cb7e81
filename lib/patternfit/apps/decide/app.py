"""The decision dashboard: ipywidgets over a widget-free `DecisionState`. The only
Jupyter-aware layer.

``build_app()`` returns the widget to display (in JupyterLab or Voila); ``DecisionApp`` is the
object behind it, which tests drive directly (``set_answer``, ``load_example``, ``load_file``,
``assessment``, …). Other dashboards observe ``app.state`` (``app.state.observe(cb,
"assessment")``) rather than the widgets.

The page in parts (apps/decide/): ``state`` (the values), ``questions`` (guided panel and the
questionnaire), ``card`` (card, findings, checklist as templates), ``charts_view``, ``panels``
(weights, asked/proposed, guide), ``record``; ``guidance`` says what the state is and what to
ask next.

Speed, by design (issue 16):
* The page draws only what is in view (``lazy``, as `build_app` makes it): the bar charts at the
  top are SVG drawn here (`charts.svg`), always current; the plotly charts further down (figure
  dicts in ``ipywidgets.Output``, no FigureWidget) and the record panel are drawn when the
  browser's `InView` says they are near the view, and marked or withdrawn while out of date.
* A chart is sent again only when its figure changed; an answer recomputes the assessment once
  (2,000 robustness samples, a few ms); a name or the people of the record do not recompute it.
* Rarely used panels, and the record form, are built when first opened or seen.

Nothing typed is lost (issue 20): loading an example, a file, a new blank connection or a
workshop entry over answers that were typed and not kept elsewhere offers "Undo" (which puts them
back, profile and weights included, and can itself be undone); with ``drafts`` (the published page,
as `build_app` makes it) the page keeps a per-visitor draft — the connection on screen and the one
an Undo would put back — written within a second of the last change, and offers it after a reload
(`apps.common.drafts`, the workshop page's mechanism).

Organisation profiles (``patternfit.profile``): a visitor may upload one in the "Organisation
profile" panel, or code calls ``DecisionApp.set_profile``. A published dashboard can put an
organisation-wide profile in force for every visitor with ``PATTERNFIT_PROFILE``; a bad file
shows the error banner and the reference model is used. ``self.base_model`` stays the reference
model; ``self.model`` is the model in force.
"""

from __future__ import annotations

import copy
import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as w

from patternfit import settings
from patternfit.apps.common import html as H
from patternfit.apps.common.drafts import Drafts, Found
from patternfit.apps.common.inview import InView, part_class
from patternfit.apps.common.plotly_output import use_plotly_mimetype
from patternfit.apps.common.questions import Shared
from patternfit.apps.common.templates import render
from patternfit.apps.common.visitor import under_voila
from patternfit.apps.decide.card import card_html, checklist_html, findings_html, profile_html
from patternfit.apps.decide.charts_view import ChartsView
from patternfit.apps.decide.guidance import Guidance, effects, guidance
from patternfit.apps.decide.panels import ExtraPanel, GuidePanel, WeightsPanel
from patternfit.apps.decide.questions import QuestionsView
from patternfit.apps.decide.record import RecordPanel
from patternfit.apps.decide.state import DecisionState, Snapshot
from patternfit.engine.assess import Assessment
from patternfit.errors import InputError, PatternfitError
from patternfit.io.yamlio import MAX_BYTES, decode, parse
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import UNNAMED, Connection, load_connection, parse_connection
from patternfit.model.examples import examples
from patternfit.model.profile import apply_profile, load_profile, profile_technologies
from patternfit.model.technologies import Technologies, implement_with
from patternfit.workshop.file import Entry, Workshop, changed_weights, profile_mapping

LOG = logging.getLogger(__name__)
SAMPLES = 2000
DEFAULT_EXAMPLE = "order-created-fanout"
BLANK = "__blank__"
OPENED = "__opened__"  # the examples list after a file was opened (not blank)
PROFILE_ENV = settings.PROFILE
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
TITLE = "patternfit — decide one connection"
LEAD = "Answer what the panel asks next; the recommendation updates as you go. Tick “not sure” rather than guess."
NOTE = "Answer the questions (or pick an example) to see a recommendation."
BLANK_NOTE = "New, blank connection: nothing is carried over from the one before. " + NOTE
DRAFT = "decide"  # the decide page's draft file: <drafts>/<visitor>/decide.draft.yaml
REPLACED = "replaced"  # the draft entry holding what Undo would put back

# (the profile as loaded, its identity for the card and records, the profiled model)
ProfileRead = tuple[dict[str, Any], dict[str, Any], Model]


@dataclass(frozen=True, slots=True)
class Replaced:
    """A connection that a load replaced while it held answers not kept elsewhere: what Undo puts back."""

    snapshot: Snapshot
    profile: ProfileRead | None
    example: str | None  # what the examples list showed
    kept: bool  # whether it was as loaded (an example, a file, an entry) rather than typed
    extra: Mapping[str, Any] | None = None  # what the page around the app typed for it (the workshop's bar)


class Companion(Protocol):
    """A page around the app whose typed fields belong to the connection on screen (the workshop's
    bar): they go with it when a load replaces it, and come back with Undo."""

    def typed(self) -> Mapping[str, Any] | None:
        """The fields typed for the connection on screen and kept nowhere else (None: none)."""

    def put_typed(self, fields: Mapping[str, Any] | None) -> None:
        """Show `fields` again (None: nothing typed, an empty form unless the connection has its own)."""


def build_app(
    model: Model | None = None,
    *,
    example: str | None = DEFAULT_EXAMPLE,
    lazy: bool = True,
    drafts: str | Path | None = None,
) -> w.Widget:
    """The decision dashboard widget (its ``DecisionApp`` is at ``widget.app``). In a page
    (``lazy``, the default) the charts and the record are drawn when they come into view; the
    page keeps per-visitor drafts in `drafts` (default: $PATTERNFIT_DRAFTS)."""
    use_plotly_mimetype()
    return DecisionApp(model, example=example, lazy=lazy, drafts=drafts or settings.drafts_dir()).widget


def script_output(js: str) -> w.Output:
    out = w.Output(layout=w.Layout(display="none"))
    out.outputs = (
        {"output_type": "display_data", "data": {"application/javascript": js, "text/plain": ""}, "metadata": {}},
    )
    return out


class DecisionApp:
    """The dashboard's widgets over `state`; every change of the state's assessment redraws."""

    def __init__(
        self,
        model: Model | None = None,
        *,
        example: str | None = DEFAULT_EXAMPLE,
        samples: int = SAMPLES,
        lazy: bool = False,
        drafts: str | Path | None = None,
        visitor: str | None = None,
        local_draft: bool | None = None,
    ) -> None:
        """`lazy`: draw a chart or the record only once the browser says it is in view (the
        page `build_app` makes); without a browser (tests, code) everything is drawn at once.
        `drafts`: keep per-visitor drafts in this folder (None: no drafts — the workshop page,
        which embeds this app, keeps its own); `visitor`: a visitor id known up front;
        `local_draft`: keep one local draft until an id arrives (default: not under Voila)."""
        self.lazy = lazy
        self._part = f"{uuid.uuid4().hex[:8]}-"  # this page's parts, apart from any other app's
        self._card: dict[str, Any] = {}  # what the card was last rendered from
        self.base_model = model or load_model()
        self.state = DecisionState(self.base_model, samples=samples)
        self._profile: dict[str, Any] | None = None
        self._profile_info: dict[str, Any] | None = None
        self.samples = samples
        self.rev = 0
        self._technologies: tuple[dict[str, Any], Technologies] | None = None  # (profile, its catalogue)
        self.examples = examples(self.base_model)
        self.guidance: Guidance = guidance(None, self.base_model)
        self.muted = False
        self._errors = 0  # errors shown so far (a success after the last one clears the notice)
        self._depth = 0  # callbacks running (one set off by another is not the user's action)
        self._shared = Shared()
        self.replaced: Replaced | None = None  # what Undo puts back
        self.companion: Companion | None = None  # set by a page that embeds this app (the workshop)
        self._kept: Snapshot | None = None  # the connection as last loaded or kept (None: typed)
        self._blank = False  # the connection was started blank and nothing is answered yet
        self.keeper: Drafts | None = None
        self._build()
        self.state.observe(self._assessed, "assessment")
        self.state.observe(self._state_error, "error")
        self._profile_from_env()
        if example and example != BLANK:
            self.load_example(example)
        else:
            self.refresh()
        if drafts is not None:
            self._keep_drafts(Path(drafts), visitor, not under_voila() if local_draft is None else local_draft)

    # -- what tests, notebooks and the other dashboards use ------------------------------
    @property
    def model(self) -> Model:
        """The model in force: the reference, or a profiled copy while a profile is."""
        return self.state.model

    @property
    def assessment(self) -> Assessment | None:
        """The current assessment (None while nothing is answered)."""
        return self.state.assessment

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.state.weights)

    @weights.setter
    def weights(self, value: Mapping[str, float]) -> None:
        self.state.set_weights(value)

    @property
    def sub(self) -> dict[str, Any]:
        return dict(self.state.sub)

    @property
    def stated(self) -> dict[str, Any]:
        return dict(self.state.stated)

    @property
    def proposed(self) -> dict[str, Any]:
        return dict(self.state.proposed)

    @property
    def rows(self) -> dict[str, Any]:
        return self.questions.rows

    @property
    def sub_rows(self) -> dict[str, Any]:
        return self.questions.sub_rows

    @property
    def sub_box(self) -> w.VBox:
        return self.questions.sub_box

    @property
    def _shown(self) -> dict[str, Any]:  # tests look at which charts are shown
        return self.charts_view.shown

    @property
    def _sliders(self) -> dict[str, w.FloatSlider]:
        return self.weights_panel.sliders

    @property
    def _extra_rows(self) -> dict[str, Any]:
        return self.extra_panel.rows

    @property
    def guide_tabs(self) -> w.Tab | None:
        return self.guide_panel.tabs

    @property
    def profile(self) -> dict[str, Any] | None:
        """The organisation profile in force, as loaded (name, version, author, changes);
        None for the reference model."""
        return copy.deepcopy(self._profile)

    def set_profile(self, source: Mapping[str, Any] | str | Path | None) -> bool:
        """Put an organisation profile (a mapping or a YAML path) in force and re-assess; None
        goes back to the reference model. The weights become the profile's. A bad profile shows
        the error banner, changes nothing and returns False."""
        try:
            read = self._read_profile(source) if source is not None else None
        except PatternfitError as exc:
            self.show_error(f"{exc.message} (the profile was not applied)")
            return False
        self._put_in_force(read)
        return True

    def load_profile_bytes(self, content: bytes, filename: str) -> bool:
        """Apply an uploaded profile file (.yaml/.yml/.json); a bad one is refused in the banner."""
        name = Path(filename).name or "profile"
        try:
            if len(content) > MAX_BYTES:
                raise InputError(name, f"is {len(content):,} bytes, larger than the {MAX_BYTES:,} allowed", "")
            suffix = Path(name).suffix.lower()
            if suffix not in PROFILE_SUFFIXES:
                raise InputError(name, "is not a profile file", "open a .yaml, .yml or .json profile")
            data = parse(decode(bytes(content), name, what="profile"), name, json_only=suffix == ".json")
            read = self._read_profile(data, where=name)
        except PatternfitError as exc:
            self.show_error(f"{exc.message} (the profile was not applied)")
            return False
        self._put_in_force(read)
        return True

    @property
    def connection(self) -> Connection:
        """The connection the state describes."""
        return self.state.connection()

    def connection_dict(self) -> dict[str, Any]:
        """The connection-file form of what is on screen."""
        return self.state.connection_dict()

    def set_answer(self, key: str, value: Any, *, unsure: bool | None = None) -> None:
        """Answer a characteristic or coordination question (None: not answered)."""
        if key not in self.model.keys and key not in {q.key for q in self.model.sub_inputs}:
            raise KeyError(key)
        if unsure is None:
            flag = key if key in self.model.keys else f"sub.{key}"
            unsure = flag in self.state.unsure
        with self.state.held():
            self.state.set_answer(key, value, unsure=unsure)
        self.questions.sync()
        self.refresh()

    def set_stated(self, key: str, value: Any) -> None:
        """What was asked for (None clears it)."""
        self.state.set_stated(key, value)
        self.extra_panel.sync()

    def set_proposed(self, key: str, value: Any) -> None:
        """What was proposed: ``pattern`` or a design fact (None clears it)."""
        self.state.set_proposed(key, value)
        self.extra_panel.sync()

    def set_weight(self, key: str, value: float) -> None:
        self.state.set_weight(key, value)
        self.weights_panel.sync()

    def reset_weights(self, *_: Any) -> None:
        self.state.set_weights(self.model.default_weights())
        self.weights_panel.sync()

    def load_example(self, name: str) -> None:
        """Load an example connection by file stem or name; BLANK starts an empty one (and the
        list goes back to "— choose —", so that choosing "New, blank connection" again works)."""
        if name == BLANK:
            self.apply_connection(Connection(), example=BLANK)
            self.mark_kept()
            return
        for stem, (label, path) in self.examples.items():
            if name in (stem, label):
                self.apply_connection(load_connection(path, self.model), example=stem)
                self.mark_kept()
                return
        raise KeyError(name)

    def mark_kept(self) -> None:
        """The connection on screen is kept elsewhere (an example, a file, a workshop entry):
        loading another over it loses nothing until it is changed."""
        self._kept = self.state.snapshot()

    def unsaved(self) -> bool:
        """Whether the screen holds answers or text that were typed and are kept nowhere else."""
        now = self.state.snapshot()
        return now != self._kept and not (now.blank and self._kept is None)

    def undo(self, *_: Any) -> bool:
        """Put back the connection the last load replaced (answers, names, weights, profile);
        the one it replaces, if typed, can be put back the same way. False when there is none."""
        back, self.replaced = self.replaced, None
        if back is None:
            return False
        now = self._replaceable()
        self.muted = True
        try:
            if (back.profile[0] if back.profile else None) is not self._profile:
                self._use_profile(back.profile)
            self.state.put(back.snapshot)
            self._sync_widgets(back.example)
        finally:
            self.muted = False
        self._kept = back.snapshot if back.kept else None
        self._blank = False
        self.refresh()
        if self.companion is not None:
            self.companion.put_typed(back.extra)
        self._offer_undo(now)
        self.status_line(f"Put back “{back.snapshot.name.strip() or UNNAMED}”.")
        return True

    def load_file(self, content: bytes, filename: str) -> bool:
        """Open an uploaded connection file (.yaml/.yml/.json) or decision record (.md).
        A record is re-assessed as it was recorded: with its stored profile (or the reference
        model) and weights. On a bad file the error banner names the problem and nothing else
        changes."""
        try:
            connection, extra = self._read_upload(bytes(content), filename)
            if "profile" in extra:
                stored = extra["profile"]
                where = f"{Path(filename).name}: patternfit.profile"
                extra["profile"] = self._read_profile(stored, where=where) if stored is not None else None
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        except Exception as exc:  # a bug must not take the page down or show a traceback
            self.show_error(f"{Path(filename).name}: could not be read ({type(exc).__name__}); nothing was changed.")
            return False
        had_profile = self._profile is not None
        replaced = self._replaceable()  # before the file's profile is put in force
        if "profile" in extra:
            self._use_profile(extra["profile"])
        self._apply(connection, OPENED, extra.get("weights"), extra.get("meta"), replaced)
        self.mark_kept()
        self.clear_error()
        info = self._profile_info
        if info:
            used = f" with its profile “{info['name']}” version {info['version']}"
        elif had_profile and "profile" in extra:
            used = " with the reference model, as it was recorded"
        else:
            used = ""
        self.status_line(f"Opened {Path(filename).name}{used}.")
        return True

    def apply_connection(
        self, c: Connection, *, example: str | None, weights: Mapping[str, float] | None = None, meta: Any = None
    ) -> None:
        """Show a connection (and, from a record, its weights and metadata), then refresh. Answers
        it replaces that were typed and kept nowhere else can be put back with `undo`."""
        self._apply(c, example, weights, meta, self._replaceable())

    def _apply(
        self,
        c: Connection,
        example: str | None,
        weights: Mapping[str, float] | None,
        meta: Any,
        replaced: Replaced | None,
    ) -> None:
        self.muted = True
        try:
            with self.state.held():
                self.state.apply(c, weights=weights)
                if c.name == UNNAMED and example == BLANK:
                    self.state.name = ""
            # an opened file is not one of the examples: the list says so instead of going blank;
            # a blank connection is no example either: the list says "— choose —", so that
            # choosing "New, blank connection" again starts another one
            self._sync_widgets(None if example == BLANK else example if example in self.examples else OPENED)
            self.record.reset(meta)
        finally:
            self.muted = False
        self._kept = None
        self._blank = example == BLANK
        self.refresh()
        if self.companion is not None and replaced is not None and replaced.extra:
            self.companion.put_typed(None)  # what was typed went with the connection it was typed for
        self._offer_undo(replaced)

    def _sync_widgets(self, example: str | None) -> None:
        """The connection's fields, the questions, the panels and the examples list from the state."""
        self.name.value = self.state.name
        self.description.value = self.state.description
        self.source.value = self.state.source
        self.target.value = self.state.target
        self.questions.last = None
        self.questions.sync()
        self.extra_panel.sync()
        self.weights_panel.sync()
        self.examples_dropdown.value = example

    def _replaceable(self) -> Replaced | None:
        """What a load about to happen would replace and Undo should put back (None: nothing typed)."""
        extra = self.companion.typed() if self.companion is not None else None
        if not self.unsaved() and not extra:
            return None
        snap = self.state.snapshot()
        return Replaced(snap, self._profile_read(), self.examples_dropdown.value, snap == self._kept, extra)

    def _offer_undo(self, replaced: Replaced | None) -> None:
        """Say what a load replaced, beside an Undo button; hide the offer when nothing was lost."""
        self.replaced = replaced
        if replaced is None:
            self.undo_box.layout.display = "none"
            self.undo_text.value = ""
        else:
            snap = replaced.snapshot
            self.undo_text.value = render(
                "decide/undo.html",
                notes=bool(replaced.extra),
                old=snap.name.strip() or UNNAMED,
                answered=len(snap.answers),
                total=len(self.base_model.keys),
                new=self.state.name.strip() or "a new, blank connection",
            )
            self.undo_box.layout.display = "flex"
        if self.keeper is not None:  # the draft keeps what Undo would put back
            self.keeper.save_soon()

    def show_error(self, message: str) -> None:
        """The error in the notice fixed in view (role=alert), wherever the user is."""
        self._errors += 1
        self.error.value = H.error_html(message)
        self.error_box.layout.display = "flex"

    def clear_error(self, *_: Any) -> None:
        self.error_box.layout.display = "none"
        self.error.value = ""

    def status_line(self, message: str) -> None:
        self.status.value = H.status_html(message) if message else ""

    # -- recomputation ---------------------------------------------------------------------
    def refresh(self, *_: Any) -> None:
        """Recompute what changed in the state (cached when nothing the numbers need did)."""
        if self.muted:
            return
        before = self.state.revision
        self.state.recompute()
        if self.state.revision == before and not self.state.error:
            self._assessed(None)

    def _state_error(self, change: Any) -> None:
        if change["new"]:
            self.show_error(change["new"])

    def _assessed(self, _change: Any) -> None:
        """Redraw after the state's assessment changed: card first (it names the chart
        revisions to expect), then the charts that changed, then the text."""
        if self.muted:
            return
        self.rev += 1
        a = self.state.assessment
        m = self.model
        g = self.guidance = guidance(a, m)
        self.charts_view.update(a, m, self.rev)
        self._blank = self._blank and a is None and self.state.snapshot().blank
        note = BLANK_NOTE if self._blank else NOTE
        self._card = {"note": note, "profile": self._profile_info, "implement": self._implement_with(a)}
        self._show_card()
        self.charts_view.flush()
        self.questions.show(g, effects(a, m, g))
        self.findings.value = findings_html(a, m, g)  # an unchanged value sends nothing
        checklist = checklist_html(a, m, g)
        if self.checklist.value != checklist:
            self.checklist.value = checklist
        self.guide_panel.sync()
        self.record.update(a)

    def _show_card(self) -> None:
        """The card, naming the revision each drawn chart shows (``data-pf-charts``)."""
        card = card_html(
            self.state.assessment, self.model, self.guidance, rev=self.rev, charts=self.charts_view.drawn, **self._card
        )
        if self.card.value != card:
            self.card.value = card

    def _in_view(self, change: Any) -> None:
        """The browser says which parts are in view: draw what came into view and is out of date."""
        seen = {name[len(self._part) :] for name in change["new"] if name.startswith(self._part)}
        self.record.show("record" in seen)
        if self.charts_view.show(seen):
            self._show_card()
            self.charts_view.flush()

    def _implement_with(self, a: Assessment | None) -> str:
        """'Implement with …' when the profile in force names a standard for the recommendation."""
        definition = self._profile
        if a is None or not a.recommended or not definition:
            return ""
        # the profile is replaced, never changed in place, when another is put in force
        if self._technologies is None or self._technologies[0] is not definition:
            self._technologies = (definition, profile_technologies(copy.deepcopy(dict(definition))))
        flavour = a.messaging_flavour if a.recommended == "events" else None
        label = self.model.pattern(a.recommended).label
        return implement_with(a.recommended, flavour, self._technologies[1], label=label)

    # -- building the page -----------------------------------------------------------------
    def _build(self) -> None:
        s = self._shared
        self.examples_dropdown = w.Dropdown(
            options=[
                ("— choose —", None),
                ("New, blank connection", BLANK),
                *[(label, stem) for stem, (label, _) in self.examples.items()],
                ("(an opened file)", OPENED),
            ],
            value=None,
            description="Example",
            layout=w.Layout(width="380px"),
            style=s.plain,
        )
        self.examples_dropdown.add_class("pf-examples")
        self.examples_dropdown.observe(self.guard(self._example_chosen), names="value")
        self.reload = w.Button(
            description="Reload example",
            tooltip="Load the chosen example again, as it is in the model (undo your edits)",
            layout=w.Layout(width="auto"),
        )
        self.reload.add_class("pf-reload-example")
        self.reload.on_click(self.guard(self._reload_example))
        self.upload = w.FileUpload(
            accept=".yaml,.yml,.json,.md", multiple=False, description="Open a connection or record",
            tooltip="Open a connection file (.yaml, .yml, .json) or a decision record (.md)",
        )  # fmt: skip
        self.upload.layout.width = "auto"
        self.upload.add_class("pf-upload")
        self.upload.observe(self.guard(self._uploaded), names="value")
        self.status = w.HTML("", layout=s.auto, style=s.html)
        self.status.add_class("pf-status")
        self.name = w.Text(
            description="Connection",
            placeholder="e.g. Order created → warehouse, billing",
            layout=w.Layout(flex="2 1 300px"),
            style=s.text_style,
        )
        self.name.add_class("pf-name")
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
        self.description.add_class("pf-description")
        self.source.add_class("pf-source")
        self.target.add_class("pf-target")
        for field, text in (("name", self.name), ("source", self.source), ("target", self.target)):
            text.observe(self.guard(self._text_changed(field)), names="value")
        self.description.observe(self.guard(self._text_changed("description")), names="value")
        toolbar = w.HBox([self.examples_dropdown, self.reload, self.upload, self.status], layout=s.full)
        toolbar.add_class("pf-toolbar")
        # "… was replaced by … — Undo": a load over typed answers loses nothing
        self.undo_text = w.HTML("", layout=s.auto, style=s.html)
        self.undo_button = w.Button(description="Undo", icon="undo", layout=w.Layout(width="auto", flex="0 0 auto"),
                                    tooltip="Put back the connection that was replaced")  # fmt: skip
        self.undo_button.add_class("pf-undo-button")
        self.undo_button.on_click(self.guard(self.undo))
        self.undo_box = w.HBox(
            [self.undo_text, self.undo_button],
            layout=w.Layout(width="100%", display="none", align_items="center", flex_flow="row wrap"),
        )
        self.undo_box.add_class("pf-undo")
        connection = w.VBox(
            [toolbar, self.undo_box, w.HBox([self.name, self.source, self.target], layout=s.full), self.description],
            layout=s.full,
        )
        connection.add_class("pf-panel")

        # errors show in a notice fixed in view wherever the user is; the next success clears it
        self.error = w.HTML("", layout=w.Layout(flex="1 1 auto"), style=s.html)
        self.error.add_class("pf-error")
        dismiss = w.Button(description="Dismiss", layout=w.Layout(width="100px", flex="0 0 auto"))
        dismiss.on_click(self.clear_error)
        self.error_box = w.HBox(
            [self.error, dismiss], layout=w.Layout(width="100%", display="none", align_items="center")
        )
        self.error_box.add_class("pf-notice")

        self.questions = QuestionsView(self.state, self.base_model, s, self.guard)
        self.extra_panel = ExtraPanel(self.state, s, self.guard)
        self.extra = self.extra_panel.widget
        left = w.VBox([self.questions.guided], layout=w.Layout(flex="1 1 48%", min_width="380px"))
        left.add_class("pf-left")

        self.card = w.HTML("", layout=s.full, style=s.html)
        self.card.add_class("pf-recommendation")
        self.charts_view = ChartsView(lazy=self.lazy, part=self._part_class)
        self.charts = self.charts_view.outputs
        self.findings = w.HTML("", layout=s.full, style=s.html)
        self.findings.add_class("pf-findings")
        right = w.VBox([self.card], layout=w.Layout(flex="1 1 48%", min_width="400px"))
        right.add_class("pf-right")
        cols = w.HBox([left, right], layout=s.full)
        cols.add_class("pf-cols")
        cols.add_class("pf-top")

        views = self.charts_view.boxes
        answer = w.VBox(
            [views["scores"], views["acceptability"], self.findings, views["coordination"]],
            layout=w.Layout(flex="1 1 48%", min_width="400px"),
        )
        answer.add_class("pf-right-more")
        qcol = w.VBox([self.questions.full, self.extra], layout=w.Layout(flex="1 1 48%", min_width="380px"))
        qcol.add_class("pf-left-more")
        more = w.HBox([qcol, answer], layout=s.full)
        more.add_class("pf-cols")

        self.checklist = w.HTML("", layout=w.Layout(flex="1 1 38%"), style=s.html)
        self.checklist.add_class("pf-checklist")
        views["profiles"].layout = w.Layout(flex="1 1 58%", min_width="480px")
        self.charts["profiles"].layout = w.Layout(width="100%")
        trade = w.HBox([views["profiles"], self.checklist], layout=s.full)
        trade.add_class("pf-cols")

        self.weights_panel = WeightsPanel(self.state, s, self.guard)
        self.weights_accordion = self.weights_panel.widget

        self.profile_panel = w.VBox([], layout=s.full)
        self.profile_accordion = w.Accordion(
            children=[self.profile_panel], titles=(self._profile_title(),), selected_index=None, layout=s.full
        )
        self.profile_accordion.add_class("pf-profile-panel")
        self.profile_accordion.observe(self.guard(self._open_profile), names="selected_index")
        self.profile_upload: w.FileUpload | None = None
        self.profile_reset: w.Button | None = None
        self.profile_html: w.HTML | None = None
        self.profile_status = w.HTML("", layout=s.auto, style=s.html)
        self.profile_status.add_class("pf-profile-status")

        self.guide_panel = GuidePanel(self.base_model, s, self.guard, lambda: self._recommended())
        self.guide_accordion = self.guide_panel.widget

        self.record = RecordPanel(self, s, lazy=self.lazy, part=self._part_class("record"))
        header = w.HTML(H.links_html("decide", "Which integration pattern?", LEAD), layout=s.full, style=s.html)
        header.add_class("pf-header")
        self.widget = w.VBox(
            [
                w.HTML(H.CSS, layout=s.auto, style=s.html),
                script_output(H.PLOTLY_PATCH_JS + "\n" + H.A11Y_JS + "\n" + H.title_js(TITLE)),
                header,
                connection,
                cols,
                more,
                w.HTML("<h2>Trade-offs</h2>", layout=s.auto, style=s.html),
                views["contributions"],
                trade,
                self.guide_accordion,
                self.profile_accordion,
                self.weights_accordion,
                self.record.widget,
                self.error_box,  # last: sticky at the bottom of the screen wherever the user is
            ],
            layout=s.full,
        )
        if self.lazy:
            parts = [f"{self._part}{name}" for name in (*self.charts_view.outputs, "record")]
            self.inview = InView(names=parts, layout=w.Layout(display="none"))
            self.inview.observe(self.guard(self._in_view), names="seen")
            self.widget.children = (*self.widget.children, self.inview)
        self.widget.add_class("pf-app")
        self.widget.add_class("pf-decide")  # the decide page itself (not embedded in the workshop)
        self.widget.app = self

    def _part_class(self, name: str) -> str:
        return part_class(self._part + name)

    def _recommended(self) -> str | None:
        a = self.state.assessment
        return a.recommended if a is not None else None

    # -- callbacks -------------------------------------------------------------------------
    def guard(self, callback: Callable[..., Any]) -> Callable[..., None]:
        """A widget callback: a failure shows in the notice, never as a traceback; a success
        clears a notice left by an earlier action."""

        def run(*args: Any) -> None:
            # widgets set by code (muted, or inside another callback) are no action of the user's
            before, by_code = self._errors, self.muted or self._depth > 0
            self._depth += 1
            try:
                callback(*args)
            finally:
                self._depth -= 1
            if not by_code and self._errors == before and self.error_box.layout.display != "none":
                self.clear_error()

        return H.guarded(run, self.show_error, "the answers on the page are kept", LOG)

    def _text_changed(self, field: str) -> Callable[[Any], None]:
        def changed(change: Any) -> None:
            if not self.muted:
                self.state.set_text(**{field: change["new"]})

        return changed

    def _example_chosen(self, change: Any) -> None:
        if self.muted or change["new"] in (None, OPENED):
            return
        self.clear_error()
        self.status_line("")
        self.load_example(change["new"])

    def _reload_example(self, _button: Any = None) -> None:
        """Choosing the example already selected does nothing in a dropdown: this reloads it."""
        chosen = self.examples_dropdown.value
        if chosen in (None, OPENED):
            self.status_line("Choose an example first.")
            return
        self.clear_error()
        self.load_example(chosen)
        self.status_line("Example reloaded as it is in the model.")

    def _uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.load_file(*item)
            self.upload.value = ()  # the same file can be opened again

    def _read_upload(self, content: bytes, filename: str) -> tuple[Connection, dict[str, Any]]:
        name = Path(filename).name or "upload"
        if len(content) > MAX_BYTES:
            raise InputError(
                name, f"is {len(content):,} bytes, larger than the {MAX_BYTES:,} allowed", "open a smaller file"
            )
        suffix = Path(name).suffix.lower()
        if suffix == ".md":
            record = self.record.read(content, name)
            stored = record.profile if record.profile and isinstance(record.profile.get("changes"), list) else None
            return record.connection, {"weights": record.weights, "meta": record.meta, "profile": stored}
        if suffix not in (".yaml", ".yml", ".json"):
            raise InputError(
                name, "is neither a connection file nor a decision record", "open a .yaml, .yml, .json or .md file"
            )
        text = decode(content, name, what="connection file")
        data = parse(text, name, json_only=suffix == ".json")
        return parse_connection(data, self.model, where=name), {}

    # -- drafts ----------------------------------------------------------------------------
    def _keep_drafts(self, folder: Path, visitor: str | None, local: bool) -> None:
        """Keep this page's per-visitor draft (`apps.common.drafts`): the prompt goes under the
        page's header, the visitor widget at the end; every recomputation saves within a second."""
        keeper = self.keeper = Drafts(
            folder,
            (DRAFT,),
            self.base_model,
            contents=self._draft_contents,
            offer=self._draft_offer,
            restore=self._draft_restore,
            say=lambda message, ok: self.status_line(message) if ok else self.show_error(message),
            guard=self.guard,
        )
        keeper.banner.add_class("pf-decide-draft")
        keeper.banner.add_class("pf-panel")
        children = list(self.widget.children)
        children.insert(3, keeper.banner)  # after the style, the scripts and the header
        self.widget.children = (*children, keeper.visitor_widget)
        if local:
            keeper.use_folder(folder)
        if visitor is not None:
            keeper.use_visitor(visitor)
        self.state.observe(lambda _change: keeper.save_soon(), "assessment")

    def restore_draft(self, *_: Any) -> bool:
        """Put the draft on offer back on the page (False when there is none)."""
        return self.keeper.restore() if self.keeper is not None else False

    def _entry(self, entry_id: str, snap: Snapshot, read: ProfileRead | None) -> Entry:
        """A snapshot as a workshop entry (the draft's file format); the weights that differ from
        the profile's defaults, the profile as loaded."""
        model = read[2] if read is not None else self.base_model
        answered = {*snap.answers, *(f"sub.{k}" for k in snap.sub)}  # a draft reads back as a connection file
        c = Connection(
            name=snap.name.strip() or UNNAMED, description=snap.description.strip(), source=snap.source.strip(),
            target=snap.target.strip(), characteristics=dict(snap.answers), sub=dict(snap.sub),
            stated=dict(snap.stated), proposed=dict(snap.proposed),
            unsure=tuple(k for k in snap.unsure if k in answered),
        )  # fmt: skip
        profile = profile_mapping(read[0]) if read is not None else None
        return Entry(entry_id, c, weights=changed_weights(snap.weights, model.default_weights()), profile=profile)

    def draft_entries(self) -> tuple[Entry, ...]:
        """The draft of this page, as workshop entries: the connection on screen (id ``current``)
        and, while Undo would put one back, the connection it replaced (id ``replaced``)."""
        entries = [self._entry("current", self.state.snapshot(), self._profile_read())]
        back = self.replaced
        if back is not None and (not back.kept or back.extra):
            entry = self._entry(REPLACED, back.snapshot, back.profile)
            if back.extra:
                extra = back.extra
                notes, chosen, rationale = extra.get("notes") or "", extra.get("chosen") or None, extra.get("rationale")
                entry = replace(entry, notes=str(notes), chosen=chosen, rationale=str(rationale or ""))
            entries.append(entry)
        return tuple(entries)

    def _draft_contents(self) -> dict[str, Workshop]:
        return {DRAFT: Workshop(title=TITLE, entries=self.draft_entries())}

    def _draft_offer(self, found: Found) -> str:
        """The prompt's text; "" when the draft holds nothing but what is on screen already."""
        draft = found.get(DRAFT)
        if draft is None or not draft.entries:
            return ""
        current = draft.entries[0]
        replaced = draft.entries[1] if len(draft.entries) > 1 else None
        same = replaced is None and current == self._entry("current", self.state.snapshot(), self._profile_read())
        if same:
            return ""
        return render(
            "decide/draft.html",
            name=current.connection.name,
            answered=len(current.connection.characteristics),
            total=len(self.base_model.keys),
            replaced=replaced.connection.name if replaced is not None else "",
        )

    def _profile_read(self) -> ProfileRead | None:
        """The profile in force as `_read_profile` gave it (None: the reference model)."""
        if self._profile is None or self._profile_info is None:
            return None
        return self._profile, self._profile_info, self.state.model

    def _draft_restore(self, found: Found) -> None:
        draft = found.get(DRAFT)
        if draft is not None and draft.entries:
            self.restore_entries(draft.entries)
            self.status_line("Draft restored.")

    def restore_entries(self, drafted: Sequence[Entry]) -> None:
        """Put `draft_entries` back: the first on screen (its profile and weights too); the one
        it had replaced, if any, to be put back with Undo. A bad profile is an InputError."""
        if not drafted:
            return
        entries = [(e, self._read_profile(e.profile, where="draft: profile") if e.profile else None) for e in drafted]
        (current, read), rest = entries[0], [(e, r) for e, r in entries[1:] if e.id == REPLACED]
        replaced = self._replaceable()
        if (read[0] if read else None) != self._profile:
            self._use_profile(read)
        defaults = (read[2] if read else self.base_model).default_weights()
        self._apply(current.connection, None, {**defaults, **current.weights}, None, replaced)
        self.muted = True
        try:
            self.examples_dropdown.value = None  # a draft is no example and no opened file
            if current.connection.name == UNNAMED:
                self.name.value = ""
        finally:
            self.muted = False
        if current.connection.name == UNNAMED:
            self.state.set_text(name="")
        if rest and self.replaced is None:
            entry, old = rest[0]
            model = old[2] if old else self.base_model
            c = entry.connection
            snap = Snapshot(
                "" if c.name == UNNAMED else c.name, c.description, c.source, c.target, dict(c.characteristics),
                tuple(c.unsure), dict(c.sub), dict(c.stated), dict(c.proposed),
                {**model.default_weights(), **entry.weights},
            )  # fmt: skip
            typed = {"notes": entry.notes, "chosen": entry.chosen, "rationale": entry.rationale}
            extra = typed if any(typed.values()) else None
            self._offer_undo(Replaced(snap, old, None, kept=False, extra=extra))

    # -- organisation profile --------------------------------------------------------------
    def _read_profile(self, source: Any, where: str = "profile") -> ProfileRead:
        """Check a profile (a mapping, or a path) against the reference model; errors name
        `where` (the path, for a path) and the key."""
        read = load_profile(source, where)  # the typed `Profile`, read once
        model, info = apply_profile(read, self.base_model)
        return read.to_dict(), info, model

    def _use_profile(self, read: ProfileRead | None) -> None:
        """Put a checked profile (None: the reference model) in force; the caller refreshes."""
        raw, info, model = read if read is not None else (None, None, self.base_model)
        self._profile, self._profile_info = raw, info
        key = "" if raw is None else json.dumps(raw, sort_keys=True, default=str)
        with self.state.held():
            self.state.use_model(model, info, key)
        self.weights_panel.sync()
        self._show_profile()

    def _put_in_force(self, read: ProfileRead | None) -> None:
        self._use_profile(read)
        self.clear_error()
        self.refresh()
        info = self._profile_info
        message = (
            f"Profile “{info['name']}” version {info['version']} applied." if info else "Back to the reference model."
        )
        self.status_line(message)
        self.profile_status.value = H.status_html(message)  # beside the upload that did it

    def _profile_from_env(self) -> None:
        """The organisation-wide profile of a published dashboard ($PATTERNFIT_PROFILE)."""
        path = settings.profile_path()
        if path is None:
            return
        try:
            self._use_profile(self._read_profile(path))
        except PatternfitError as exc:
            self.show_error(f"{exc.message} (set by {PROFILE_ENV}; the reference model is used)")
        except Exception as exc:  # a bug must not take the page down
            LOG.exception("the profile in %s could not be applied", PROFILE_ENV)
            self.show_error(
                f"{path}: could not be applied ({type(exc).__name__}; set by {PROFILE_ENV}); "
                "the reference model is used."
            )

    def _profile_title(self) -> str:
        info = self._profile_info
        now = f"“{info['name']}” version {info['version']}" if info else "none, the reference model"
        return f"Organisation profile: {now}"

    def _show_profile(self) -> None:
        title = self._profile_title()
        if tuple(self.profile_accordion.titles) != (title,):
            self.profile_accordion.titles = (title,)
        if self.profile_html is not None and self.profile_reset is not None:
            self.profile_html.value = profile_html(self._profile, self.base_model)
            self.profile_reset.disabled = self._profile is None

    def _open_profile(self, change: Any) -> None:
        if change["new"] is None or self.profile_upload is not None:
            return
        self.profile_upload = w.FileUpload(
            accept=".yaml,.yml,.json", multiple=False, description="Apply a profile", tooltip="Apply a profile file"
        )
        self.profile_upload.layout.width = "auto"
        self.profile_upload.add_class("pf-profile-upload")
        self.profile_upload.observe(self.guard(self._profile_uploaded), names="value")
        self.profile_reset = w.Button(
            description="Back to the reference model", icon="undo", layout=w.Layout(width="auto")
        )
        self.profile_reset.add_class("pf-profile-reset")
        self.profile_reset.on_click(self.guard(lambda _button: self.set_profile(None)))
        self.profile_html = w.HTML("", layout=self._shared.full, style=self._shared.html)
        self.profile_html.add_class("pf-profile")
        note = w.HTML(
            "<div>An organisation profile changes weights and fit values of the model, each with a reason "
            "(see <code>patternfit.profile</code>). Applying one re-assesses at once; the record names it "
            "and stores it, so a reopened record is re-assessed with it.</div>",
            style=self._shared.html,
        )
        tools = w.HBox([self.profile_upload, self.profile_reset, self.profile_status], layout=self._shared.full)
        tools.add_class("pf-toolbar")
        self.profile_panel.children = [note, tools, self.profile_html]
        self._show_profile()

    def _profile_uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None and self.profile_upload is not None:
            self.load_profile_bytes(*item)
            self.profile_upload.value = ()  # the same file can be applied again
