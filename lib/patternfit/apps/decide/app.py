"""The decision dashboard: ipywidgets over a widget-free `DecisionState`; the page's wiring.

``build_app()`` returns the widget to display (in JupyterLab or Voila); ``DecisionApp`` is the
object behind it, which tests and other pages drive through its public members (``set_answer``,
``load_example``, ``load_file``, ``assessment``, ``undo`` …) and ``app.state``, which they observe
(``app.state.observe(cb, "assessment")``) rather than the widgets.

The page in parts (apps/decide/), each with one job. Without widgets: ``state`` (the values, the
profile in force, what is kept elsewhere), ``files`` (profiles and uploads read into typed
values), ``undo`` (what a load replaced, and its draft form), ``guidance`` (what to ask next).
Views: ``connection_bar`` (examples, open, the fields, Undo), ``questions``, ``answer`` (the
``card``, ``charts_view``, findings, checklist), ``panels`` (weights, asked/proposed, guide),
``profile_panel`` (and putting a profile in force), ``record``, ``notice`` (the error notice),
``layout`` (where each sits). ``loads`` puts a connection on screen and back (Undo); ``draft``
keeps the per-visitor draft. This class wires them and is the page's public face.

Speed (issue 16): in a page (``lazy``) the plotly charts and the record are drawn when the
browser's `InView` says they are near the view; an answer recomputes once; names do not.
Nothing typed is lost (issue 20): a load over typed answers offers Undo; with ``drafts`` the page
keeps a per-visitor draft (`apps.common.drafts`) and offers it after a reload.
Organisation profiles: uploaded in the "Organisation profile" panel, set by code
(`set_profile`) or for every visitor with ``PATTERNFIT_PROFILE``; ``base_model`` stays the
reference model, ``model`` is the model in force.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from patternfit import settings
from patternfit.apps.common import html as H
from patternfit.apps.common.drafts import Drafts
from patternfit.apps.common.inview import InView, part_class
from patternfit.apps.common.plotly_output import use_plotly_mimetype
from patternfit.apps.common.questions import Shared
from patternfit.apps.common.visitor import under_voila
from patternfit.apps.decide.answer import AnswerView, CardInputs
from patternfit.apps.decide.card import implement_line
from patternfit.apps.decide.charts_view import ChartsView
from patternfit.apps.decide.connection_bar import BLANK, OPENED, ConnectionBar
from patternfit.apps.decide.draft import DRAFT, keep_drafts
from patternfit.apps.decide.files import PROFILE_SUFFIXES, ProfileRead, env_profile
from patternfit.apps.decide.guidance import Guidance, effects, guidance
from patternfit.apps.decide.layout import LEAD, TITLE, page, script_output
from patternfit.apps.decide.loads import Loads
from patternfit.apps.decide.notice import Notice
from patternfit.apps.decide.panels import ExtraPanel, GuidePanel, WeightsPanel
from patternfit.apps.decide.profile_panel import ProfilePanel
from patternfit.apps.decide.questions import QuestionsView
from patternfit.apps.decide.record import RecordPanel
from patternfit.apps.decide.state import DecisionState
from patternfit.apps.decide.undo import REPLACED, Companion, Replaced
from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import Connection
from patternfit.model.examples import examples
from patternfit.workshop.file import Entry

__all__ = [  # DecisionApp, build_app, and names that moved to the parts (still importable from here)
    "BLANK", "DEFAULT_EXAMPLE", "DRAFT", "LEAD", "OPENED", "PROFILE_ENV", "PROFILE_SUFFIXES", "REPLACED", "SAMPLES",
    "TITLE", "Companion", "DecisionApp", "ProfileRead", "Replaced", "build_app", "script_output",
]  # fmt: skip

LOG = logging.getLogger(__name__)
SAMPLES = 2000
DEFAULT_EXAMPLE = "order-created-fanout"
PROFILE_ENV = settings.PROFILE
NOTE = "Answer the questions (or pick an example) to see a recommendation."
BLANK_NOTE = "New, blank connection: nothing is carried over from the one before. " + NOTE


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
        self.lazy, self.samples, self.rev, self.muted = lazy, samples, 0, False
        self._part = f"{uuid.uuid4().hex[:8]}-"  # this page's parts, apart from any other app's
        self.base_model = model or load_model()
        self.state = DecisionState(self.base_model, samples=samples)
        self.examples = examples(self.base_model)
        self.guidance: Guidance = guidance(None, self.base_model)
        self._depth = 0  # callbacks running (one set off by another is not the user's action)
        self.companion: Companion | None = None  # set by a page that embeds this app (the workshop)
        self.keeper: Drafts | None = None
        self._build()
        self.state.observe(self._assessed, "assessment")
        self.state.observe(self._failed, "error")
        self._start(example, drafts, visitor, local_draft)

    def _start(self, example: str | None, drafts: str | Path | None, visitor: str | None, local: bool | None) -> None:
        """The profile in force for every visitor, the first connection, and the draft."""
        read, problem = env_profile(self.base_model)  # the organisation-wide profile of a published page
        if read is not None:
            self.profile_panel.use(read)
        if problem:
            self.show_error(problem)
        if example and example != BLANK:
            self.load_example(example)
        else:
            self.refresh()
        if drafts is not None:
            local = not under_voila() if local is None else local
            self.keeper = keep_drafts(self, Path(drafts), visitor, local)

    # -- what tests, notebooks and the other dashboards read --------------------------------
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
    def connection(self) -> Connection:
        """The connection the state describes."""
        return self.state.connection()

    def connection_dict(self) -> dict[str, Any]:
        """The connection-file form of what is on screen."""
        return self.state.connection_dict()

    @property
    def profile(self) -> dict[str, Any] | None:
        """The organisation profile in force, as loaded (name, version, author, changes);
        None for the reference model."""
        return copy.deepcopy(self.state.definition)

    @property
    def parts_shown(self) -> tuple[str, ...]:
        """The charts drawn and shown now (in a lazy page: those that came into view)."""
        return tuple(self.charts_view.shown)

    def part_name(self, name: str) -> str:
        """The name the browser's `InView` reports for the part `name` (a chart, or ``record``)."""
        return self._part + name

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
    def guide_tabs(self) -> w.Tab | None:
        return self.guide_panel.tabs

    # -- what they do -----------------------------------------------------------------------
    def set_answer(self, key: str, value: Any, *, unsure: bool | None = None) -> None:
        """Answer a characteristic or coordination question (None: not answered)."""
        if key not in self.model.keys and key not in {q.key for q in self.model.sub_inputs}:
            raise KeyError(key)
        if unsure is None:
            unsure = (key if key in self.model.keys else f"sub.{key}") in self.state.unsure
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

    # -- what is on screen, and Undo (`loads`) ----------------------------------------------
    def load_example(self, name: str) -> None:
        """Load an example connection by file stem or name; BLANK starts an empty one (and the
        list goes back to "— choose —", so that choosing "New, blank connection" again works)."""
        self.loads.load_example(name)

    def load_file(self, content: bytes, filename: str) -> bool:
        """Open an uploaded connection file (.yaml/.yml/.json) or decision record (.md).
        A record is re-assessed as it was recorded: with its stored profile (or the reference
        model) and weights. On a bad file the error banner names the problem and nothing else
        changes."""
        return self.loads.load_file(content, filename)

    def apply_connection(
        self, c: Connection, *, example: str | None, weights: Mapping[str, float] | None = None, meta: Any = None
    ) -> None:
        """Show a connection (and, from a record, its weights and metadata), then refresh. Answers
        it replaces that were typed and kept nowhere else can be put back with `undo`."""
        self.loads.apply(c, example=example, weights=weights, meta=meta)

    def mark_kept(self) -> None:
        """The connection on screen is kept elsewhere (an example, a file, a workshop entry):
        loading another over it loses nothing until it is changed."""
        self.state.mark_kept()

    def unsaved(self) -> bool:
        """Whether the screen holds answers or text that were typed and are kept nowhere else."""
        return self.state.unsaved()

    @property
    def replaced(self) -> Replaced | None:
        """What Undo puts back (None: nothing)."""
        return self.loads.replaced

    def undo(self, *_: Any) -> bool:
        """Put back the connection the last load replaced (answers, names, weights, profile);
        the one it replaces, if typed, can be put back the same way. False when there is none."""
        return self.loads.undo()

    def draft_entries(self) -> tuple[Entry, ...]:
        """The draft of this page, as workshop entries: the connection on screen (id ``current``)
        and, while Undo would put one back, the connection it replaced (id ``replaced``)."""
        return self.loads.draft_entries()

    def restore_entries(self, drafted: Sequence[Entry]) -> None:
        """Put `draft_entries` back: the first on screen (its profile and weights too); the one
        it had replaced, if any, to be put back with Undo. A bad profile is an InputError."""
        self.loads.restore_entries(drafted)

    def restore_draft(self, *_: Any) -> bool:
        """Put the draft on offer back on the page (False when there is none)."""
        return self.keeper.restore() if self.keeper is not None else False

    # -- the organisation profile -------------------------------------------------------------
    def set_profile(self, source: Mapping[str, Any] | str | Path | None) -> bool:
        """Put an organisation profile (a mapping or a YAML path) in force and re-assess; None
        goes back to the reference model. The weights become the profile's. A bad profile shows
        the error banner, changes nothing and returns False."""
        return self.profile_panel.apply(source)

    def load_profile_bytes(self, content: bytes, filename: str) -> bool:
        """Apply an uploaded profile file (.yaml/.yml/.json); a bad one is refused in the banner."""
        return self.profile_panel.apply_file(content, filename)

    # -- messages and callbacks ---------------------------------------------------------------
    def show_error(self, message: str) -> None:
        """The error in the notice fixed in view (role=alert), wherever the user is."""
        self.notice.show(message)

    def clear_error(self, *_: Any) -> None:
        self.notice.clear()

    def status_line(self, message: str) -> None:
        self.bar.say(message)

    def guard(self, callback: Callable[..., Any], *, action: bool = True) -> Callable[..., None]:
        """A widget callback: a failure shows in the notice, never as a traceback; a success
        clears a notice left by an earlier action. `action=False` for what the visitor did not
        ask for (a part scrolled into view): it never clears the notice."""

        def run(*args: Any) -> None:
            # widgets set by code (muted, or inside another callback) are no action of the user's
            before, by_code = self.notice.shown, self.muted or self._depth > 0 or not action
            self._depth += 1
            try:
                callback(*args)
            finally:
                self._depth -= 1
            if not by_code and self.notice.shown == before and self.notice.visible:
                self.clear_error()

        return H.guarded(run, self.show_error, "the answers on the page are kept", LOG)

    @contextlib.contextmanager
    def by_code(self) -> Iterator[None]:
        """Widgets set inside are set by code: no callback takes them for the visitor's."""
        self.muted = True
        try:
            with self.bar.quiet():
                yield
        finally:
            self.muted = False

    def _chosen(self, name: str, *, reloaded: bool = False) -> None:
        """An example chosen in the list (or reloaded with its button)."""
        self.clear_error()
        self.status_line("")
        self.load_example(name)
        if reloaded:
            self.status_line("Example reloaded as it is in the model.")

    def _failed(self, change: Any) -> None:
        if change["new"]:
            self.show_error(change["new"])

    # -- recomputation ---------------------------------------------------------------------
    def refresh(self, *_: Any) -> None:
        """Recompute what changed in the state (cached when nothing the numbers need did)."""
        if self.muted:
            return
        before = self.state.revision
        self.state.recompute()
        if self.state.revision == before and not self.state.error:
            self._assessed(None)

    def _assessed(self, _change: Any) -> None:
        """Redraw after the state's assessment changed: the answer (card, charts, text), the
        questions, the guide and the record."""
        if self.muted:
            return
        self.rev += 1
        a, m, read = self.state.assessment, self.model, self.state.profile_read
        g = self.guidance = guidance(a, m)
        self.state.started_blank = self.state.started_blank and a is None and self.state.snapshot().blank
        note = BLANK_NOTE if self.state.started_blank else NOTE
        info, implement = (read.info if read else None), implement_line(a, m, read)
        self.answer.show(CardInputs(a, m, g, self.rev, note=note, profile=info, implement=implement))
        self.questions.show(g, effects(a, m, g))
        self.guide_panel.sync()
        self.record.update(a)

    def _in_view(self, change: Any) -> None:
        """The browser says which parts are in view: draw what came into view and is out of date."""
        seen = {name[len(self._part) :] for name in change["new"] if name.startswith(self._part)}
        self.record.show("record" in seen)
        self.answer.in_view(seen)

    def _recommended(self) -> str | None:
        a = self.state.assessment
        return a.recommended if a is not None else None

    # -- building the page -----------------------------------------------------------------
    def _build(self) -> None:
        s, guard = Shared(), self.guard
        self.notice = Notice(s)
        self.bar = ConnectionBar(
            self.state, self.examples, s, guard, choose=self._chosen,
            reload=lambda name: self._chosen(name, reloaded=True), open_file=self.load_file, undo=self.undo,
        )  # fmt: skip
        self.questions = QuestionsView(self.state, self.base_model, s, guard)
        self.extra_panel = ExtraPanel(self.state, s, guard)
        self.answer = AnswerView(s, lazy=self.lazy, part=lambda name: part_class(self.part_name(name)))
        self.weights_panel = WeightsPanel(self.state, s, guard)
        self.profile_panel = ProfilePanel(self, s)
        self.guide_panel = GuidePanel(self.base_model, s, guard, self._recommended)
        self.record = RecordPanel(self, s, lazy=self.lazy, part=part_class(self.part_name("record")))
        self.loads = Loads(self)
        self._aliases()
        self.widget = page(
            s, connection=self.bar.widget, guided=self.questions.guided, card=self.card,
            questions=[self.questions.full, self.extra], views=self.charts_view.boxes, findings=self.findings,
            checklist=self.checklist, notice=self.error_box,
            panels=[self.guide_accordion, self.profile_accordion, self.weights_accordion, self.record.widget],
        )  # fmt: skip
        if self.lazy:
            parts = [self.part_name(name) for name in (*self.charts_view.outputs, "record")]
            self.inview = InView(names=parts, layout=w.Layout(display="none"))
            self.inview.observe(self.guard(self._in_view, action=False), names="seen")
            self.widget.children = (*self.widget.children, self.inview)
        self.widget.add_class("pf-app")
        self.widget.add_class("pf-decide")  # the decide page itself (not embedded in the workshop)
        self.widget.app = self

    def _aliases(self) -> None:
        """The parts' widgets under the names other pages and tests have long used."""
        bar = self.bar
        self.examples_dropdown: w.Dropdown = bar.examples_dropdown
        self.reload: w.Button = bar.reload
        self.upload: w.FileUpload = bar.upload
        self.status: w.HTML = bar.status
        self.name: w.Text = bar.name
        self.source: w.Text = bar.source
        self.target: w.Text = bar.target
        self.description: w.Textarea = bar.description
        self.undo_text: w.HTML = bar.undo_text
        self.undo_button: w.Button = bar.undo_button
        self.undo_box: w.HBox = bar.undo_box
        self.error: w.HTML = self.notice.error
        self.charts_view: ChartsView = self.answer.charts_view
        self.charts = self.charts_view.outputs
        self.card: w.HTML = self.answer.card
        self.findings: w.HTML = self.answer.findings
        self.checklist: w.HTML = self.answer.checklist
        self.error_box: w.HBox = self.notice.box
        self.extra: w.Accordion = self.extra_panel.widget
        self.weights_accordion: w.Accordion = self.weights_panel.widget
        self.profile_accordion: w.Accordion = self.profile_panel.accordion
        self.guide_accordion: w.Accordion = self.guide_panel.widget
