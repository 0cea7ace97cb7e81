"""The calibration page's editors: a slider and a reason per weight, and the fit-change form. They
write through the state's setters and observe it; they hold nothing the state does not."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from patternfit.apps.calibrate.labels import describe_change, fit_choices, reference_fit
from patternfit.apps.calibrate.state import CalibrateState
from patternfit.apps.calibrate.views import fits_html

WEIGHT_MAX = 10.0  # the sliders' range; a profile's larger weight widens its slider
Safe = Callable[[Callable[..., Any]], Callable[..., None]]
STYLE = {"description_width": "120px"}


class WeightEditor:
    """A slider and a reason per question; `sliders[key]` / `reasons[key]` are the widgets."""

    def __init__(self, state: CalibrateState, safe: Safe) -> None:
        self.state = state
        self.sliders: dict[str, w.FloatSlider] = {}
        self.reasons: dict[str, w.Text] = {}
        rows = []
        for q in state.model.characteristics:
            default = state.model.default_weights()[q.key]
            slider = w.FloatSlider(value=state.weights[q.key], min=0.0, max=max(WEIGHT_MAX, default), step=0.5,
                                   description=q.label, continuous_update=False,
                                   style={"description_width": "220px"}, layout=w.Layout(width="480px"))  # fmt: skip
            slider.add_class(f"pf-cw-{q.key}")
            why = w.Text(value=state.reasons[q.key], placeholder="reason (needed when changed)",
                         layout=w.Layout(width="360px"))  # fmt: skip
            slider.observe(safe(lambda change, key=q.key: state.set_weight(key, change["new"])), "value")
            why.observe(safe(lambda change, key=q.key: state.set_reason(key, change["new"])), "value")
            self.sliders[q.key], self.reasons[q.key] = slider, why
            rows.append(w.HBox([slider, why]))
        self.widget = w.VBox(rows)
        state.observe(lambda change: self._show(change["new"], self.sliders), "weights")
        state.observe(lambda change: self._show(change["new"], self.reasons), "reasons")

    @staticmethod
    def _show(values: Mapping[str, Any], widgets: Mapping[str, Any]) -> None:
        for key, value in values.items():
            widget = widgets[key]
            if isinstance(widget, w.FloatSlider) and value > widget.max:
                widget.max = value
            widget.value = value


class FitEditor:
    """Choose a cell (question, answer, pattern), an allowed value and a reason; add or remove."""

    def __init__(self, state: CalibrateState, safe: Safe) -> None:
        self.state, self.model = state, state.model
        self.key = w.Dropdown(options=[(q.label, q.key) for q in self.model.characteristics],
                              description="Characteristic", style=STYLE)  # fmt: skip
        self.answer = w.Dropdown(description="Answer", style=STYLE)
        self.pattern = w.Dropdown(options=[(p.label, p.key) for p in self.model.patterns], description="Pattern",
                                  style=STYLE)  # fmt: skip
        self.to = w.Dropdown(description="Fit value", style=STYLE)
        self.reason = w.Text(description="Reason", placeholder="why the organisation differs", style=STYLE)
        add = w.Button(description="Add fit change", layout=w.Layout(width="auto"))
        add.add_class("pf-calibrate-add-fit")
        add.on_click(safe(self.add))
        for field in (self.key, self.answer, self.pattern):
            field.observe(safe(self._offer), "value")
        self._offer()
        self.listed = w.HTML("")
        self.remove_choice = w.Dropdown(description="Remove", style=STYLE)
        remove = w.Button(description="Remove", layout=w.Layout(width="auto"))
        remove.on_click(safe(self.remove))
        self.widget = w.VBox([self.key, self.answer, self.pattern, self.to, self.reason, add,
                              self.listed, w.HBox([self.remove_choice, remove])])  # fmt: skip
        state.observe(lambda _: self._show(), "fit_changes")
        self._show()

    def add(self, *_: Any) -> None:
        """Add the change the form describes (it needs a reason); the form's reason is then cleared."""
        if not self.reason.value.strip():
            self.state.error = "A fit change needs a reason: say why the organisation differs."
            return
        if self.state.add_fit(str(self.key.value), self.answer.value, str(self.pattern.value),
                              int(self.to.value), self.reason.value):  # fmt: skip
            self.reason.value = ""

    def remove(self, *_: Any) -> None:
        if self.remove_choice.value is not None:
            self.state.remove_fit(int(self.remove_choice.value))

    def _offer(self, *_: Any) -> None:
        """The answers of the chosen question, and the values the chosen cell may take."""
        q = self.model.question(str(self.key.value))
        answers = [(q.value_label(v), v) for v in q.scale.values]
        if [v for _, v in self.answer.options] != [v for _, v in answers]:
            self.answer.options = answers
            self.answer.value = answers[0][1]
        pattern = str(self.pattern.value)
        ref = reference_fit(self.model, q.key, self.answer.value, pattern)
        choices = fit_choices(self.model, q.key, self.answer.value, pattern)
        self.to.options = [(f"{v:+d}" + (" (reference)" if v == ref else ""), v) for v in choices]
        self.to.value = ref

    def _show(self) -> None:
        changes = self.state.fit_changes
        self.listed.value = fits_html(changes, self.model)
        self.remove_choice.options = [(describe_change(c.as_dict(), self.model), i) for i, c in enumerate(changes)]
