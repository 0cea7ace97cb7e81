"""One question of the dashboard as widgets: its text with help and sources, a dropdown whose
first entry is the explicit "not answered" state, a "not sure" box, and a line saying what the
current answer does. The row box carries the CSS hook ``pf-q-<key>``; the dropdown and the box
have accessible names that say which question they belong to.

Layouts and styles are shared between rows: every ipywidgets Layout or Style is its own model
in the browser, and the page opens faster with fewer of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from patternfit.apps.common import html as H
from patternfit.model.catalog import Model, Question

NOT_ANSWERED = "— not answered —"
# Whole-number questions offer these values; a loaded value outside them is added.
INT_CHOICES: dict[int, tuple[int, ...]] = {
    1: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 30, 50),
    0: (0, 1, 2, 3, 4, 5, 8, 10, 16, 64, 256, 512, 1024, 2048, 5120),
}


class Shared:
    """Layouts and styles reused by every row (never mutated after creation)."""

    def __init__(self) -> None:
        self.text = w.Layout(flex="1 1 auto", min_width="0", width="auto")
        self.answer = w.Layout(width="230px", flex="0 0 auto")
        self.unsure = w.Layout(width="100px", flex="0 0 auto")
        self.full = w.Layout(width="100%")
        self.auto = w.Layout()  # the default layout, for the widgets that never change theirs
        self.row = w.Layout(grid_template_columns="minmax(0, 1fr) 230px 100px", width="100%")
        self.row_plain = w.Layout(grid_template_columns="minmax(0, 1fr) 230px", width="100%")
        self.plain = DescriptionStyle(description_width="initial")
        self.text_style = TextStyle(description_width="initial")
        self.checkbox = CheckboxStyle(description_width="initial")
        self.html = HTMLStyle()


def choices(q: Question) -> list[Any]:
    """The canonical values a question's dropdown offers, in order."""
    if q.scale.type == "integer":
        minimum = q.scale.minimum or 0
        base = INT_CHOICES[1] if minimum >= 1 else INT_CHOICES[0]
        return [v for v in base if v >= minimum]
    return list(q.scale.values)


def value_label(q: Question, value: Any) -> str:
    """How an answer reads in the dropdown ('Yes'/'No' for yes-or-no questions)."""
    if q.scale.type == "boolean" and not q.value_labels:
        return "Yes" if value else "No"
    return q.value_label(value)


def grid(rows: Sequence[QuestionRow], *, unsure: bool = True) -> w.VBox:
    """Rows of questions, one box per row (text | answer | not sure, and the effect below)."""
    box = w.VBox([r.box for r in rows], layout=w.Layout(width="100%"))
    box.add_class("pf-qgrid")
    if not unsure:
        box.add_class("pf-qgrid-plain")
    return box


class QuestionRow:
    """Widgets for one question; `value` is the canonical answer or None when not answered."""

    def __init__(
        self,
        q: Question,
        model: Model,
        shared: Shared,
        on_change: Callable[[QuestionRow], None],
        *,
        css: str,
        unsure: bool = True,
        labels: Sequence[str] | None = None,
        values: Sequence[Any] | None = None,
        optional: bool = False,
    ) -> None:
        self.q = q
        self.key = q.key
        self.values: list[Any] = list(values) if values is not None else choices(q)
        shown = list(labels) if labels is not None else [value_label(q, v) for v in self.values]
        name = f'<span class="pf-sr">{H.esc(q.label)}</span>'
        self.dropdown = w.Dropdown(
            options=[NOT_ANSWERED, *shown],
            index=0,
            description=name,
            description_allow_html=True,
            layout=shared.answer,
            style=shared.plain,
        )
        self.dropdown.add_class("pf-answer")
        self.text = w.HTML(H.question_html(q, model), layout=shared.text, style=shared.html)
        self.effect = w.HTML("", layout=shared.full, style=shared.html)
        self.effect.add_class("pf-effect-line")
        widgets: list[w.Widget] = [self.text, self.dropdown]
        self.unsure: w.Checkbox | None = None
        if unsure:
            self.unsure = w.Checkbox(
                False,
                description=f'not sure<span class="pf-sr"> about {H.esc(q.label)}</span>',
                description_allow_html=True,
                indent=False,
                disabled=True,
                layout=shared.unsure,
                style=shared.checkbox,
            )
            self.unsure.add_class("pf-unsure")
            widgets.append(self.unsure)
        self.widgets = [*widgets, self.effect]
        self.box = w.GridBox(self.widgets, layout=shared.row if unsure else shared.row_plain)
        self.box.add_class(css)
        self.box.add_class("pf-qrow")
        self.optional = optional
        if not optional:
            self.box.add_class("pf-unanswered")
        self._answered = False
        self._on_change = on_change
        self.dropdown.observe(self._changed, names="index")
        if self.unsure is not None:
            self.unsure.observe(self._changed, names="value")

    def show_effect(self, html: str) -> None:
        """The line under the question: what its current answer does ('' hides it)."""
        if self.effect.value != html:
            self.effect.value = html

    @property
    def value(self) -> Any:
        index = self.dropdown.index
        return None if not index else self.values[index - 1]

    @property
    def is_unsure(self) -> bool:
        return bool(self.unsure is not None and self.unsure.value and self.value is not None)

    def set(self, value: Any, unsure: bool = False) -> None:
        """Show `value` (None: not answered); fires no change callback of its own."""
        callback, self._on_change = self._on_change, _ignore
        try:
            if value is None:
                self.dropdown.index = 0
            else:
                if value not in self.values or isinstance(value, bool) != isinstance(self.values[0], bool):
                    self._add_value(value)
                self.dropdown.index = 1 + self._position(value)
            if self.unsure is not None:
                self.unsure.value = bool(unsure and value is not None)
            self._mark()
        finally:
            self._on_change = callback

    def _position(self, value: Any) -> int:
        for i, v in enumerate(self.values):
            if v == value and type(v) is type(value):
                return i
        raise ValueError(f"{self.key}: {value!r} is not offered")

    def _add_value(self, value: Any) -> None:
        """A whole number outside the offered list (e.g. 40 receivers): insert it in order."""
        if not isinstance(value, int) or isinstance(value, bool) or self.q.scale.type != "integer":
            raise ValueError(f"{self.key}: {value!r} is not offered")
        self.values = sorted({*self.values, value})
        self.dropdown.options = [NOT_ANSWERED, *[value_label(self.q, v) for v in self.values]]

    def _mark(self) -> None:
        answered = self.value is not None
        if answered != self._answered:
            self._answered = answered
            if self.optional:
                pass
            elif answered:
                self.box.remove_class("pf-unanswered")
            else:
                self.box.add_class("pf-unanswered")
        if self.unsure is not None and self.unsure.disabled == answered:
            self.unsure.disabled = not answered

    def _changed(self, _change: Any) -> None:
        self._mark()
        self._on_change(self)


def _ignore(_row: QuestionRow) -> None:
    return None
