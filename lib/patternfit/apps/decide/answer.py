"""The decide page's answer: the recommendation card, the charts, the findings and the checklist,
redrawn from each new assessment. The card comes first: it names the revision of each chart it
expects (``data-pf-charts``), then the charts that changed are sent; in a lazy page a plotly
chart is drawn when the browser says it came into view."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from patternfit.apps.common.questions import Shared
from patternfit.apps.decide.card import card_html, checklist_html, findings_html
from patternfit.apps.decide.charts_view import ChartsView
from patternfit.apps.decide.guidance import Guidance
from patternfit.apps.decide.layout import text_box
from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model


@dataclass(frozen=True, slots=True)
class CardInputs:
    """What the card is drawn from (again when a chart comes into view)."""

    a: Assessment | None
    model: Model
    guidance: Guidance
    rev: int
    note: str = ""
    profile: Mapping[str, Any] | None = None  # the identity of the profile in force
    implement: str = ""  # "Implement with …" (the profile's standard), or ""


class AnswerView:
    """The card, the charts (`charts_view`), the findings and the checklist."""

    def __init__(self, shared: Shared, *, lazy: bool, part: Callable[[str], str]) -> None:
        self.charts_view = ChartsView(lazy=lazy, part=part)
        self.charts_view.outputs["profiles"].layout = w.Layout(width="100%")
        self.card = text_box("pf-recommendation", shared)
        self.findings = text_box("pf-findings", shared)
        self.checklist = text_box("pf-checklist", shared, w.Layout(flex="1 1 38%"))
        self._card: CardInputs | None = None

    def show(self, card: CardInputs) -> None:
        """Draw an assessment: the card, then the charts that changed, then the findings and the checklist."""
        a, m, g = card.a, card.model, card.guidance
        self.charts_view.update(a, m, card.rev)
        self._card = card
        self._show_card()
        self.charts_view.flush()
        self.findings.value = findings_html(a, m, g)  # an unchanged value sends nothing
        checklist = checklist_html(a, m, g)
        if self.checklist.value != checklist:
            self.checklist.value = checklist

    def in_view(self, seen: set[str]) -> None:
        """The parts the browser says are in view: draw the charts among them that are out of date."""
        if self.charts_view.show(seen):
            self._show_card()
            self.charts_view.flush()

    def _show_card(self) -> None:
        """The card, naming the revision each drawn chart shows (``data-pf-charts``)."""
        c = self._card
        if c is None:
            return
        card = card_html(
            c.a, c.model, c.guidance, rev=c.rev, charts=self.charts_view.drawn,
            note=c.note, profile=c.profile, implement=c.implement,
        )  # fmt: skip
        if self.card.value != card:
            self.card.value = card
