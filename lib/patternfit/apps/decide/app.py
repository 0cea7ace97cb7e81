"""The decision dashboard: ipywidgets over the engine. The only Jupyter-aware layer.

``build_app()`` returns the widget to display (in JupyterLab or Voila); ``DecisionApp`` is
the object behind it, which tests drive directly (``set_answer``, ``load_example``,
``load_file``, ``assessment``, …).

Speed, by design:
* Charts are plotly figure dicts shown in ``ipywidgets.Output`` as
  ``application/vnd.plotly.v1+json`` — what ``fig.show()`` emits with the ``plotly_mimetype``
  renderer. plotly.js comes once per page with the jupyterlab-plotly extension, however many
  charts there are; no FigureWidget (which ships a 5 MB bundle per instance).
* An answer recomputes the assessment once (2,000 robustness samples, ~15 ms) and a chart is
  sent again only when its figure changed; typing a name or the people of the record does not
  recompute the assessment at all.
* Rarely used panels (weights; the organisation profile; the pattern guide; what was asked for
  and proposed; the orchestration questions of single-step flows) are built when first opened.

Organisation profiles (``patternfit.profile``): a visitor may upload one in the "Organisation
profile" panel, or code calls ``DecisionApp.set_profile``. A published dashboard can put an
organisation-wide profile in force for every visitor with the environment variable
``PATTERNFIT_PROFILE`` (the path of a profile YAML on the server), read when the page opens; a
bad file shows the error banner and the reference model is used. ``self.base_model`` stays the
reference model; ``self.model`` is the model in force (the profiled copy while a profile is).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w

from patternfit import settings
from patternfit.model.examples import examples
from patternfit.apps.common import html as H
from patternfit.apps.common.questions import QuestionRow, Shared, grid
from patternfit.apps.decide.record import RecordPanel
from patternfit.engine.assess import DEFAULT_SAMPLES, Assessment, assess
from patternfit.charts.decision import CHART_NAMES, chart_specs, mimebundle
from patternfit.model.connection import UNNAMED, Connection, load_connection, parse_connection
from patternfit.errors import InputError, PatternfitError
from patternfit.apps.common.guide import guide, pattern_page
from patternfit.model.catalog import PROPOSABLE, Model, load_model
from patternfit.model.profile import apply_profile, load_profile
from patternfit.io.yamlio import MAX_BYTES, decode, parse

LOG = logging.getLogger(__name__)
SAMPLES = DEFAULT_SAMPLES
DEFAULT_EXAMPLE = "order-created-fanout"
BLANK = "__blank__"
STATED_KEYS = ("latency_budget", "response_expectation")
PROFILE_ENV = settings.PROFILE
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
GUIDE_TAIL = "## Orchestration or choreography"

# (the profile as loaded, its identity for the card and records, the profiled model)
ProfileRead = tuple[dict[str, Any], dict[str, Any], Model]


def use_plotly_mimetype() -> None:
    """Make ``fig.show()`` emit plotly's mime bundle (works in JupyterLab and Voila 0.5)."""
    os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")
    pio = sys.modules.get("plotly.io")
    if pio is not None:
        pio.renderers.default = "plotly_mimetype"


def build_app(model: Model | None = None, *, example: str | None = DEFAULT_EXAMPLE) -> w.Widget:
    """The decision dashboard widget (its ``DecisionApp`` is at ``widget.app``)."""
    use_plotly_mimetype()
    return DecisionApp(model, example=example).widget


class DecisionApp:
    """The dashboard's state and widgets; every change of an answer calls `refresh`."""

    def __init__(
        self, model: Model | None = None, *, example: str | None = DEFAULT_EXAMPLE, samples: int = SAMPLES
    ) -> None:
        self.base_model = model or load_model()
        self.model = self.base_model  # the model in force: a profiled copy while a profile is
        self._profile: dict[str, Any] | None = None
        self._profile_info: dict[str, Any] | None = None
        self._profile_key = ""
        self.samples = samples
        self.rev = 0
        self.weights: dict[str, float] = self.model.default_weights()
        self.sub: dict[str, Any] = {}
        self.stated: dict[str, Any] = {}
        self.proposed: dict[str, Any] = {}
        self.examples = examples(self.model)
        self._assessment: Assessment | None = None
        self._engine_key: Any = None
        self._shown: dict[str, Any] = {}
        self._drawn: dict[str, int] = {}
        self.muted = False
        self._shared = Shared()
        self._build()
        self._profile_from_env()
        if example and example != BLANK:
            self.load_example(example)
        else:
            self.refresh()

    # -- what tests and notebooks use ------------------------------------------------------
    @property
    def assessment(self) -> Assessment | None:
        """The current assessment (None while nothing is answered)."""
        return self._assessment

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
        """The connection as the widgets describe it (validated like a connection file)."""
        return parse_connection(self.connection_dict(), self.model, where="dashboard")

    def connection_dict(self) -> dict[str, Any]:
        """The connection-file form of what is on screen."""
        answers = {r.key: r.value for r in self.rows.values() if r.value is not None}
        data: dict[str, Any] = {
            "name": self.name.value.strip() or UNNAMED,
            "description": self.description.value.strip(),
            "source": self.source.value.strip(),
            "target": self.target.value.strip(),
            "characteristics": answers,
        }
        if self.sub and _several_steps(answers):
            data["sub"] = dict(self.sub)
        if self.stated:
            data["stated"] = dict(self.stated)
        if self.proposed:
            data["proposed"] = dict(self.proposed)
        unsure = [r.key for r in self.rows.values() if r.is_unsure]
        if unsure:
            data["unsure"] = unsure
        return data

    def set_answer(self, key: str, value: Any, *, unsure: bool | None = None) -> None:
        """Answer a characteristic or coordination question (None: not answered)."""
        if key in self.rows:
            row = self.rows[key]
            row.set(value, row.is_unsure if unsure is None else unsure)
            self._update_sub_visibility()
        elif key in {q.key for q in self.model.sub_inputs}:
            _put(self.sub, key, value)
            self._sync_sub()
        else:
            raise KeyError(key)
        self.refresh()

    def set_stated(self, key: str, value: Any) -> None:
        """What was asked for (None clears it)."""
        _put(self.stated, key, value)
        self._sync_extra()
        self.refresh()

    def set_proposed(self, key: str, value: Any) -> None:
        """What was proposed: ``pattern`` or a design fact (None clears it)."""
        _put(self.proposed, key, value)
        self._sync_extra()
        self.refresh()

    def set_weight(self, key: str, value: float) -> None:
        if key not in self.weights:
            raise KeyError(key)
        self.weights[key] = float(value)
        self._sync_weights()
        self.refresh()

    def reset_weights(self, *_: Any) -> None:
        self.weights = self.model.default_weights()
        self._sync_weights()
        self.refresh()

    def load_example(self, name: str) -> None:
        """Load an example connection by file stem or name; BLANK starts an empty one."""
        if name == BLANK:
            self.apply_connection(Connection(), example=BLANK)
            return
        for stem, (label, path) in self.examples.items():
            if name in (stem, label):
                self.apply_connection(load_connection(path, self.model), example=stem)
                return
        raise KeyError(name)

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
        if "profile" in extra:
            self._use_profile(extra["profile"])
        self.apply_connection(connection, example=None, weights=extra.get("weights"), meta=extra.get("meta"))
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
        """Show a connection (and, from a record, its weights and metadata), then refresh."""
        self.muted = True
        try:
            self.name.value = "" if c.name == UNNAMED and example == BLANK else c.name
            self.description.value = c.description
            self.source.value = c.source
            self.target.value = c.target
            for key, row in self.rows.items():
                row.set(c.characteristics.get(key), key in c.unsure)
            self.sub = dict(c.sub)
            self.stated = dict(c.stated)
            self.proposed = dict(c.proposed)
            self._sync_sub()
            self._sync_extra()
            self.weights = self.model.default_weights()
            if weights is not None:
                self.weights.update({k: float(v) for k, v in weights.items()})
            self._sync_weights()
            self.examples_dropdown.value = example if example in (*self.examples, BLANK) else None
            self.record.reset(meta)
            self._update_sub_visibility()
        finally:
            self.muted = False
        self.refresh()

    def show_error(self, message: str) -> None:
        self.error.value = H.error_html(message)
        self.error_box.layout.display = "flex"

    def clear_error(self, *_: Any) -> None:
        self.error_box.layout.display = "none"
        self.error.value = ""

    def status_line(self, message: str) -> None:
        self.status.value = H.status_html(message) if message else ""

    # -- recomputation ---------------------------------------------------------------------
    def refresh(self, *_: Any) -> None:
        """Recompute what the widgets' state changed, and redraw only what differs."""
        if self.muted:
            return
        try:
            connection = self.connection
            key = self._key(connection)
            if not connection.characteristics:
                self._assessment = None
            elif key != self._engine_key or self._assessment is None:
                fresh = assess(connection, weights=self.weights, samples=self.samples, seed=0, model=self.model)
                info = self._profile_info
                self._assessment = dataclasses.replace(fresh, profile=dict(info)) if info else fresh
            else:  # only names and descriptions changed: the numbers stand
                self._assessment = dataclasses.replace(self._assessment, connection=connection)
            self._engine_key = key
        except PatternfitError as exc:
            self.show_error(exc.message)
            return
        self.rev += 1
        a = self._assessment
        changed = self._changed_charts()
        # the card first (it names the recommendation and which chart revisions to expect),
        # then only the charts that changed, then the text panels
        note = "Answer the questions (or pick an example) to see a recommendation."
        self.card.value = H.card_html(
            a, self.model, rev=self.rev, charts=self._drawn, note=note, profile=self._profile_info
        )
        self._draw_charts(changed)
        self.findings.value = H.findings_html(a, self.model)
        checklist = H.checklist_html(a, self.model)
        if self.checklist.value != checklist:
            self.checklist.value = checklist
        self._sync_guide_titles()
        self.record.update(a)

    def _key(self, c: Connection) -> Any:
        return (
            tuple(sorted(c.characteristics.items())),
            tuple(sorted(c.sub.items())),
            tuple(sorted(c.stated.items())),
            tuple(sorted(c.proposed.items())),
            c.unsure,
            tuple(self.weights.values()),
            self._profile_key,
        )

    def _changed_charts(self) -> dict[str, Any]:
        """Charts whose figure differs from the one shown (None: remove it); `_drawn` then
        holds the revision each chart shows."""
        specs = chart_specs(self._assessment, self.model) if self._assessment is not None else {}
        changed: dict[str, Any] = {}
        for name in CHART_NAMES:
            spec = specs.get(name)
            if spec is None:
                if name in self._shown:
                    changed[name] = None
                    del self._shown[name]
                    self._drawn.pop(name, None)
            elif self._shown.get(name) != spec:
                changed[name] = self._shown[name] = spec
                self._drawn[name] = self.rev
        return changed

    def _draw_charts(self, changed: Mapping[str, Any]) -> None:
        for name, spec in changed.items():
            out = self.charts[name]
            if spec is None:
                out.outputs = ()
                out.layout.display = "none"
                continue
            meta = {"pf_chart": name, "pf_rev": self._drawn[name]}
            bundle = {
                **mimebundle({"data": spec["data"], "layout": {**spec["layout"], "meta": meta}}),
                "text/plain": f"<{name} chart>",
            }
            height = f"{int(spec['layout'].get('height', 360))}px"
            if out.layout.height != height:
                out.layout.height = height
            out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
            if out.layout.display == "none":
                out.layout.display = None

    # -- building the page -----------------------------------------------------------------
    def _build(self) -> None:
        s = self._shared
        m = self.model
        self.examples_dropdown = w.Dropdown(
            options=[
                ("— choose —", None),
                ("New, blank connection", BLANK),
                *[(label, stem) for stem, (label, _) in self.examples.items()],
            ],
            value=None,
            description="Example",
            layout=w.Layout(width="380px"),
            style=s.plain,
        )
        self.examples_dropdown.add_class("pf-examples")
        self.examples_dropdown.observe(self.guard(self._example_chosen), names="value")
        self.upload = w.FileUpload(
            accept=".yaml,.yml,.json,.md", multiple=False, description="Open a connection or record"
        )
        self.upload.layout.width = "auto"
        self.upload.add_class("pf-upload")
        self.upload.observe(self.guard(self._uploaded), names="value")
        self.status = w.HTML("", style=s.html)
        self.name = w.Text(
            description="Connection",
            placeholder="e.g. Order created → warehouse, billing",
            layout=w.Layout(flex="2 1 300px"),
            style=s.text_style,
        )
        self.name.add_class("pf-name")
        self.source = w.Text(
            description="From", placeholder="source system", layout=w.Layout(flex="1 1 180px"), style=s.text_style
        )
        self.target = w.Text(
            description="→ To", placeholder="target system(s)", layout=w.Layout(flex="1 1 180px"), style=s.text_style
        )
        self.description = w.Textarea(
            description="Description",
            placeholder="What flows, and why",
            layout=w.Layout(width="100%", height="60px"),
            style=s.text_style,
        )
        for text in (self.name, self.source, self.target, self.description):
            text.observe(self.guard(self.refresh), names="value")
        toolbar = w.HBox([self.examples_dropdown, self.upload, self.status], layout=s.full)
        toolbar.add_class("pf-toolbar")
        connection = w.VBox(
            [toolbar, w.HBox([self.name, self.source, self.target], layout=s.full), self.description], layout=s.full
        )
        connection.add_class("pf-panel")

        self.error = w.HTML("", layout=w.Layout(flex="1 1 auto"), style=s.html)
        self.error.add_class("pf-error")
        dismiss = w.Button(description="Dismiss", layout=w.Layout(width="100px", flex="0 0 auto"))
        dismiss.on_click(self.clear_error)
        self.error_box = w.HBox(
            [self.error, dismiss], layout=w.Layout(width="100%", display="none", align_items="center")
        )

        self.rows = {
            q.key: QuestionRow(q, m, s, self.guard(self._answered), css=f"pf-q-{q.key}") for q in m.characteristics
        }
        self.sub_rows: dict[str, QuestionRow] = {}
        self.sub_box = w.VBox([], layout=w.Layout(width="100%", display="none"))
        self.sub_box.add_class("pf-sub")
        questions: list[w.Widget] = [w.HTML("<h2>The questions</h2>", style=s.html)]
        for group, label in m.groups:
            rows = [r for r in self.rows.values() if r.q.group == group]
            if rows:
                questions += [w.HTML(f'<div class="pf-group-title">{H.esc(label)}</div>', style=s.html), grid(rows)]
            if group == "process":
                questions.append(self.sub_box)
        self.extra = w.Accordion(
            children=[w.VBox([])],
            titles=("What was asked for, what was proposed (optional)",),
            selected_index=None,
            layout=s.full,
        )
        self.extra.observe(self.guard(self._open_extra), names="selected_index")
        self._extra_rows: dict[str, QuestionRow] = {}
        questions.append(self.extra)
        left = w.VBox(questions, layout=w.Layout(flex="1 1 50%", min_width="420px"))
        left.add_class("pf-left")

        self.card = w.HTML("", layout=s.full, style=s.html)
        self.card.add_class("pf-recommendation")
        self.charts = {name: w.Output(layout=w.Layout(width="100%")) for name in CHART_NAMES}
        for name, out in self.charts.items():
            out.add_class("pf-chart")
            out.add_class(f"pf-chart-{name}")
        self.findings = w.HTML("", layout=s.full, style=s.html)
        self.findings.add_class("pf-findings")
        card_box = w.VBox([self.card], layout=s.full)
        card_box.add_class("pf-sticky")
        right = w.VBox(
            [
                w.HTML("<h2>The answer</h2>", style=s.html),
                card_box,
                self.charts["scores"],
                self.charts["acceptability"],
                self.findings,
                self.charts["coordination"],
            ],
            layout=w.Layout(flex="1 1 46%", min_width="480px"),
        )
        right.add_class("pf-right")
        cols = w.HBox([left, right], layout=s.full)
        cols.add_class("pf-cols")

        self.checklist = w.HTML("", layout=w.Layout(flex="1 1 38%"), style=s.html)
        self.checklist.add_class("pf-checklist")
        self.charts["profiles"].layout = w.Layout(flex="1 1 58%", min_width="520px")
        trade = w.HBox([self.charts["profiles"], self.checklist], layout=s.full)
        trade.add_class("pf-cols")

        self.weights_panel = w.VBox([], layout=s.full)
        self._sliders: dict[str, w.FloatSlider] = {}
        self.weights_accordion = w.Accordion(
            children=[self.weights_panel], titles=("Advanced: weights",), selected_index=None, layout=s.full
        )
        self.weights_accordion.observe(self.guard(self._open_weights), names="selected_index")
        self.weights_accordion.add_class("pf-weights")

        self.profile_panel = w.VBox([], layout=s.full)
        self.profile_accordion = w.Accordion(
            children=[self.profile_panel], titles=(self._profile_title(),), selected_index=None, layout=s.full
        )
        self.profile_accordion.add_class("pf-profile-panel")
        self.profile_accordion.observe(self.guard(self._open_profile), names="selected_index")
        self.profile_upload: w.FileUpload | None = None
        self.profile_reset: w.Button | None = None
        self.profile_html: w.HTML | None = None

        self.guide_accordion = w.Accordion(
            children=[w.VBox([])],
            titles=("Pattern guide: when to use each pattern, when not, trade-offs, checklists, sources",),
            selected_index=None,
            layout=s.full,
        )
        self.guide_accordion.add_class("pf-guide")
        self.guide_accordion.observe(self.guard(self._open_guide), names="selected_index")
        self.guide_tabs: w.Tab | None = None
        self._guide_keys: list[str] = []

        self.record = RecordPanel(self, s)
        script = w.Output(layout=w.Layout(display="none"))
        script.outputs = (
            {
                "output_type": "display_data",
                "data": {"application/javascript": H.PLOTLY_PATCH_JS, "text/plain": ""},
                "metadata": {},
            },
        )
        self.widget = w.VBox(
            [
                w.HTML(H.CSS, style=s.html),
                script,
                connection,
                self.error_box,
                cols,
                w.HTML("<h2>Trade-offs</h2>", style=s.html),
                self.charts["contributions"],
                trade,
                self.guide_accordion,
                self.profile_accordion,
                self.weights_accordion,
                self.record.widget,
            ],
            layout=s.full,
        )
        self.widget.add_class("pf-app")
        self.widget.app = self

    # -- callbacks -------------------------------------------------------------------------
    def guard(self, callback: Callable[..., Any]) -> Callable[..., None]:
        return H.guarded(callback, self.show_error, "the answers on the page are kept", LOG)

    def _answered(self, row: QuestionRow) -> None:
        if row.key == "coordinated_steps":
            self._update_sub_visibility()
        self.refresh()

    def _update_sub_visibility(self) -> None:
        shown = _several_steps({"coordinated_steps": self.rows["coordinated_steps"].value})
        if shown and not self.sub_rows:
            self._build_sub()
        display = None if shown else "none"
        if self.sub_box.layout.display != display:
            self.sub_box.layout.display = display

    def _build_sub(self) -> None:
        s, m = self._shared, self.model
        self.sub_rows = {
            q.key: QuestionRow(q, m, s, self.guard(self._sub_changed), css=f"pf-q-{q.key}", unsure=False)
            for q in m.sub_inputs
        }
        self._sync_sub()
        title = w.HTML(
            '<div class="pf-group-title">Orchestration or choreography? (a flow of several steps)</div>', style=s.html
        )
        self.sub_box.children = [title, grid(list(self.sub_rows.values()), unsure=False)]

    def _sub_changed(self, row: QuestionRow) -> None:
        _put(self.sub, row.key, row.value)
        self.refresh()

    def _sync_sub(self) -> None:
        for key, row in self.sub_rows.items():
            row.set(self.sub.get(key))

    def _example_chosen(self, change: Any) -> None:
        if self.muted or change["new"] is None:
            return
        self.clear_error()
        self.status_line("")
        self.load_example(change["new"])

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

    # -- organisation profile --------------------------------------------------------------
    def _read_profile(self, source: Any, where: str = "profile") -> ProfileRead:
        """Check a profile (a mapping, or a path) against the reference model; errors name
        `where` (the path, for a path) and the key."""
        raw = load_profile(copy.deepcopy(dict(source)) if isinstance(source, Mapping) else source, where)
        model, info = apply_profile(raw, self.base_model, where=raw.pop("where"))
        return raw, info, model

    def _use_profile(self, read: ProfileRead | None) -> None:
        """Put a checked profile (None: the reference model) in force; the caller refreshes."""
        raw, info, model = read if read is not None else (None, None, self.base_model)
        self._profile, self._profile_info, self.model = raw, info, model
        self._profile_key = "" if raw is None else json.dumps(raw, sort_keys=True, default=str)
        self.weights = model.default_weights()
        self._sync_weights()
        self._show_profile()

    def _put_in_force(self, read: ProfileRead | None) -> None:
        self._use_profile(read)
        self.clear_error()
        self.refresh()
        info = self._profile_info
        self.status_line(
            f"Profile “{info['name']}” version {info['version']} applied." if info else "Back to the reference model."
        )

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
            self.profile_html.value = H.profile_html(self._profile, self.base_model)
            self.profile_reset.disabled = self._profile is None

    def _open_profile(self, change: Any) -> None:
        if change["new"] is None or self.profile_upload is not None:
            return
        self.profile_upload = w.FileUpload(accept=".yaml,.yml,.json", multiple=False, description="Apply a profile")
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
        tools = w.HBox([self.profile_upload, self.profile_reset], layout=self._shared.full)
        tools.add_class("pf-toolbar")
        self.profile_panel.children = [note, tools, self.profile_html]
        self._show_profile()

    def _profile_uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None and self.profile_upload is not None:
            self.load_profile_bytes(*item)
            self.profile_upload.value = ()  # the same file can be applied again

    # -- the pattern guide -----------------------------------------------------------------
    def _open_guide(self, change: Any) -> None:
        """One tab per pattern, built on first open (the page opens without it)."""
        if change["new"] is None or self.guide_tabs is not None:
            return
        m = self.base_model
        pages = {p.key: pattern_page(m, p.key) for p in m.patterns}
        whole = guide(m)
        if GUIDE_TAIL in whole:
            pages["coordination"] = whole[whole.index(GUIDE_TAIL) :]
        outputs = []
        for key, page in pages.items():
            out = w.Output(layout=w.Layout(width="100%"))
            out.add_class(f"pf-guide-{key}")
            out.outputs = (
                {"output_type": "display_data", "data": {"text/markdown": page, "text/plain": page}, "metadata": {}},
            )
            outputs.append(out)
        self._guide_keys = list(pages)
        a = self._assessment
        first = self._guide_keys.index(a.recommended) if a is not None and a.recommended in pages else 0
        self.guide_tabs = w.Tab(children=outputs, titles=self._guide_titles(), selected_index=first)
        self.guide_tabs.add_class("pf-guide-tabs")
        self.guide_accordion.children = [self.guide_tabs]

    def _guide_titles(self) -> tuple[str, ...]:
        m = self.base_model
        recommended = self._assessment.recommended if self._assessment is not None else None
        titles = []
        for key in self._guide_keys:
            if key in m.pattern_keys:
                label = m.pattern(key).label
                titles.append(f"★ {label} (recommended)" if key == recommended else label)
            else:
                titles.append("Orchestration or choreography; sources")
        return tuple(titles)

    def _sync_guide_titles(self) -> None:
        if self.guide_tabs is not None:
            titles = self._guide_titles()
            if tuple(self.guide_tabs.titles) != titles:
                self.guide_tabs.titles = titles

    # -- lazily built panels ---------------------------------------------------------------
    def _open_extra(self, change: Any) -> None:
        if change["new"] is None or self._extra_rows:
            return
        s, m = self._shared, self.model
        for key in STATED_KEYS:
            self._extra_rows[f"stated.{key}"] = QuestionRow(
                m.question(key), m, s, self.guard(self._extra_changed), css=f"pf-stated-{key}", unsure=False
            )
        labels = [m.pattern(p).label if p in m.pattern_keys else p.replace("_", " ").capitalize() for p in PROPOSABLE]
        pattern_q = dataclasses.replace(
            m.question("counterpart_capability"),
            key="pattern",
            label="Proposed pattern",
            question="Which pattern did someone propose for this connection?",
            help="",
            sources=(),
        )
        proposed = [
            QuestionRow(
                pattern_q,
                m,
                s,
                self.guard(self._extra_changed),
                css="pf-proposed-pattern",
                unsure=False,
                labels=labels,
                values=list(PROPOSABLE),
            )
        ]
        proposed += [
            QuestionRow(q, m, s, self.guard(self._extra_changed), css=f"pf-proposed-{q.key}", unsure=False)
            for q in m.design_facts
        ]
        for row in proposed:
            self._extra_rows[f"proposed.{row.key}"] = row
        self._sync_extra()
        stated = [r for k, r in self._extra_rows.items() if k.startswith("stated.")]
        self.extra.children = [
            w.VBox(
                [
                    w.HTML(
                        "<h3>What was asked for</h3>"
                        "<div>Where the request stated something else than the answers above.</div>",
                        style=s.html,
                    ),
                    grid(stated, unsure=False),
                    w.HTML(
                        "<h3>What was proposed</h3>"
                        "<div>A design someone proposed, and facts about it: some pitfalls only show with them.</div>",
                        style=s.html,
                    ),
                    grid(proposed, unsure=False),
                ],
                layout=s.full,
            )
        ]

    def _extra_changed(self, row: QuestionRow) -> None:
        for name, r in self._extra_rows.items():
            section, key = name.split(".", 1)
            _put(self.stated if section == "stated" else self.proposed, key, r.value)
        self._sync_extra_title()
        self.refresh()

    def _sync_extra(self) -> None:
        for name, row in self._extra_rows.items():
            section, key = name.split(".", 1)
            row.set((self.stated if section == "stated" else self.proposed).get(key))
        self._sync_extra_title()

    def _sync_extra_title(self) -> None:
        count = len(self.stated) + len(self.proposed)
        title = "What was asked for, what was proposed (optional)" + (f": {count} set" if count else "")
        if tuple(self.extra.titles) != (title,):
            self.extra.titles = (title,)

    def _open_weights(self, change: Any) -> None:
        if change["new"] is None or self._sliders:
            return
        style = w.SliderStyle(description_width="230px")
        layout = w.Layout(width="95%")
        for q in self.model.characteristics:
            slider = w.FloatSlider(
                value=self.weights[q.key],
                min=self.model.policy.weight_range[0],
                max=self.model.policy.weight_range[1],
                step=self.model.policy.weight_step,
                description=q.label,
                continuous_update=False,
                readout_format=".1f",
                style=style,
                layout=layout,
            )
            slider.add_class(f"pf-w-{q.key}")
            slider.observe(self.guard(self._slider_moved), names="value")
            self._sliders[q.key] = slider
        reset = w.Button(description="Reset to the model's weights", icon="undo", layout=w.Layout(width="auto"))
        reset.add_class("pf-reset-weights")
        reset.on_click(self.guard(self.reset_weights))
        note = w.HTML(
            "<div>How much each answer counts in the fit scores (0 = ignore). "
            "The robustness analysis varies the weights around these values. Reset returns to the "
            "weights of the organisation profile in force, or of the reference model.</div>",
            style=self._shared.html,
        )
        box = w.GridBox(list(self._sliders.values()), layout=w.Layout(grid_template_columns="1fr 1fr", width="100%"))
        self.weights_panel.children = [note, box, reset]

    def _slider_moved(self, _change: Any) -> None:
        if self.muted:
            return
        self.weights = {k: float(s.value) for k, s in self._sliders.items()}
        self.refresh()

    def _sync_weights(self) -> None:
        muted, self.muted = self.muted, True
        try:
            for key, slider in self._sliders.items():
                slider.value = self.weights[key]
        finally:
            self.muted = muted


def _several_steps(answers: Mapping[str, Any]) -> bool:
    """The orchestration-vs-choreography questions apply from two coordinated steps on."""
    steps = answers.get("coordinated_steps")
    return isinstance(steps, int) and not isinstance(steps, bool) and steps >= 2


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value
