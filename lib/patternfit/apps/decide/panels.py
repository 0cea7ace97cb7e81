"""The rarely used panels of the decide page, built when first opened: the weights, what was
asked for and proposed, and the pattern guide. Each binds to the `DecisionState`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from patternfit.apps.common.guide import guide, pattern_page
from patternfit.apps.common.questions import QuestionRow, Shared, grid
from patternfit.apps.common.templates import render
from patternfit.apps.decide.state import DecisionState
from patternfit.model.catalog import PROPOSABLE, Model

Guard = Callable[[Callable[..., Any]], Callable[..., None]]
STATED_KEYS = ("latency_budget", "response_expectation")
GUIDE_TAIL = "## Orchestration or choreography"
EXTRA_TITLE = "What was asked for, what was proposed (optional)"


class ExtraPanel:
    """What was asked for (stated) and what was proposed (a pattern and design facts); every
    question here is optional, so none is marked unanswered."""

    def __init__(self, state: DecisionState, shared: Shared, guard: Guard) -> None:
        self.state, self.shared, self.guard = state, shared, guard
        self.rows: dict[str, QuestionRow] = {}
        self.widget = w.Accordion(children=[w.VBox([])], titles=(EXTRA_TITLE,), selected_index=None, layout=shared.full)
        self.widget.add_class("pf-extra")
        self.widget.observe(guard(self._open), names="selected_index")

    def _open(self, change: Any) -> None:
        if change["new"] is None or self.rows:
            return
        s, m, guard = self.shared, self.state.model, self.guard
        for key in STATED_KEYS:
            self.rows[f"stated.{key}"] = QuestionRow(
                m.question(key), m, s, guard(self._changed), css=f"pf-stated-{key}", unsure=False, optional=True
            )
        proposed = self._proposed_rows()
        for row in proposed:
            self.rows[f"proposed.{row.key}"] = row
        self.sync()
        stated = [r for k, r in self.rows.items() if k.startswith("stated.")]
        self.widget.children = [
            w.VBox(
                [
                    w.HTML(render("decide/extra_stated.html"), style=s.html),
                    grid(stated, unsure=False),
                    w.HTML(render("decide/extra_proposed.html"), style=s.html),
                    grid(proposed, unsure=False),
                ],
                layout=s.full,
            )
        ]

    def _proposed_rows(self) -> list[QuestionRow]:
        """The proposed pattern (a question made from the catalog's patterns) and the design facts."""
        s, m, guard = self.shared, self.state.model, self.guard
        labels = [m.pattern(p).label if p in m.pattern_keys else p.replace("_", " ").capitalize() for p in PROPOSABLE]
        pattern_q = dataclasses.replace(
            m.question("counterpart_capability"),
            key="pattern",
            label="Proposed pattern",
            question="Which pattern did someone propose for this connection?",
            help="",
            sources=(),
            examples=None,
            not_meant=None,
        )
        proposed = [
            QuestionRow(
                pattern_q,
                m,
                s,
                guard(self._changed),
                css="pf-proposed-pattern",
                unsure=False,
                labels=labels,
                values=list(PROPOSABLE),
                optional=True,
            )
        ]
        proposed += [
            QuestionRow(q, m, s, guard(self._changed), css=f"pf-proposed-{q.key}", unsure=False, optional=True)
            for q in m.design_facts
        ]
        return proposed

    def _changed(self, row: QuestionRow) -> None:
        name = next(k for k, r in self.rows.items() if r is row)
        section, key = name.split(".", 1)
        if section == "stated":
            self.state.set_stated(key, row.value)
        else:
            self.state.set_proposed(key, row.value)
        self.sync_title()

    def sync(self) -> None:
        for name, row in self.rows.items():
            section, key = name.split(".", 1)
            row.set((self.state.stated if section == "stated" else self.state.proposed).get(key))
        self.sync_title()

    def sync_title(self) -> None:
        count = len(self.state.stated) + len(self.state.proposed)
        title = EXTRA_TITLE + (f": {count} set" if count else "")
        if tuple(self.widget.titles) != (title,):
            self.widget.titles = (title,)


class WeightsPanel:
    """One slider per characteristic, in the range of data/policy.yaml."""

    def __init__(self, state: DecisionState, shared: Shared, guard: Guard) -> None:
        self.state, self.shared, self.guard = state, shared, guard
        self.sliders: dict[str, w.FloatSlider] = {}
        self.panel = w.VBox([], layout=shared.full)
        self.widget = w.Accordion(
            children=[self.panel], titles=("Advanced: weights",), selected_index=None, layout=shared.full
        )
        self.widget.observe(guard(self._open), names="selected_index")
        self.widget.add_class("pf-weights")
        self.muted = False

    def _open(self, change: Any) -> None:
        if change["new"] is None or self.sliders:
            return
        m = self.state.model
        policy = getattr(m, "policy", None)
        low, high = getattr(policy, "weight_range", (0.0, 10.0))
        step = float(getattr(policy, "weight_step", 0.5))
        style = w.SliderStyle(description_width="230px")
        layout = w.Layout(width="95%")
        for q in m.characteristics:
            slider = w.FloatSlider(
                value=self.state.weights[q.key],
                min=float(low),
                max=float(high),
                step=step,
                description=q.label,
                continuous_update=False,
                readout_format=".1f",
                style=style,
                layout=layout,
            )
            slider.add_class(f"pf-w-{q.key}")
            slider.observe(self.guard(self._moved), names="value")
            self.sliders[q.key] = slider
        reset = w.Button(description="Reset to the model's weights", icon="undo", layout=w.Layout(width="auto"))
        reset.add_class("pf-reset-weights")
        reset.on_click(self.guard(lambda _b: self.state.set_weights(self.state.model.default_weights())))
        note = w.HTML(render("decide/weights_note.html", low=f"{low:g}", high=f"{high:g}"), style=self.shared.html)
        box = w.GridBox(list(self.sliders.values()), layout=w.Layout(grid_template_columns="1fr 1fr", width="100%"))
        self.panel.children = [note, box, reset]

    def _moved(self, _change: Any) -> None:
        if self.muted:
            return
        self.state.set_weights({k: float(s.value) for k, s in self.sliders.items()})

    def sync(self) -> None:
        self.muted = True
        try:
            for key, slider in self.sliders.items():
                slider.value = self.state.weights[key]
        finally:
            self.muted = False


class GuidePanel:
    """The pattern guide: one tab per pattern, built on first open; the recommended one starred."""

    def __init__(self, model: Model, shared: Shared, guard: Guard, recommended: Callable[[], str | None]) -> None:
        self.model = model
        self.recommended = recommended
        self.widget = w.Accordion(
            children=[w.VBox([])],
            titles=("Pattern guide: when to use each pattern, when not, trade-offs, checklists, sources",),
            selected_index=None,
            layout=shared.full,
        )
        self.widget.add_class("pf-guide")
        self.widget.observe(guard(self._open), names="selected_index")
        self.tabs: w.Tab | None = None
        self.keys: list[str] = []

    def _open(self, change: Any) -> None:
        if change["new"] is None or self.tabs is not None:
            return
        m = self.model
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
        self.keys = list(pages)
        recommended = self.recommended()
        first = self.keys.index(recommended) if recommended in pages else 0
        self.tabs = w.Tab(children=outputs, titles=self.titles(), selected_index=first)
        self.tabs.add_class("pf-guide-tabs")
        self.widget.children = [self.tabs]

    def titles(self) -> tuple[str, ...]:
        m = self.model
        recommended = self.recommended()
        out = []
        for key in self.keys:
            if key in m.pattern_keys:
                label = m.pattern(key).label
                out.append(f"★ {label}" if key == recommended else label)  # short: tab titles are cut
            else:
                out.append("Orchestration or choreography")
        return tuple(out)

    def sync(self) -> None:
        if self.tabs is not None:
            titles = self.titles()
            if tuple(self.tabs.titles) != titles:
                self.tabs.titles = titles
