"""The workshop notebook's walk-through before the page: the four patterns' trade-offs and the five
worked examples. The examples are assessed once per model (cached); in a page (``lazy``) the two
plotly charts are drawn only when they come into view (`apps.common.inview`), so opening the page
loads no plotly.js and draws no chart the visitor has not scrolled to.
"""

from __future__ import annotations

import functools
import logging
import uuid
from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.inview import InView, part_class
from patternfit.apps.common.plotly_output import use_plotly_mimetype
from patternfit.apps.common.templates import render
from patternfit.charts.compare import compare_scores
from patternfit.charts.decision import mimebundle, tradeoff_profiles
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.model.catalog import Model, load_model
from patternfit.workshop.file import compare

LOG = logging.getLogger(__name__)


def frame_html(frame: Any) -> str:
    """A compare DataFrame as an escaped HTML table (user text never becomes markup)."""
    rows = [(index, list(row)) for index, row in zip(frame.index, frame.itertuples(index=False), strict=True)]
    return render("workshop/compare_table.html", columns=list(frame.columns), rows=rows)


@functools.lru_cache(maxsize=4)
def example_assessments(model: Model | None = None) -> tuple[Assessment, ...]:
    """The example connections of data/examples, assessed (no robustness: deterministic, fast)."""
    from patternfit.model.connection import load_connection
    from patternfit.model.examples import examples

    model = model or load_model()
    return tuple(
        assess_connection(load_connection(path, model), samples=0, model=model) for _, path in examples(model).values()
    )


def recommendations_text(model: Model | None = None) -> str:
    """One line per example: its name and the recommended pattern (and coordination)."""
    model = model or load_model()
    lines = []
    for a in example_assessments(model):
        label = model.pattern(a.recommended).label if a.recommended else "none"
        lines.append(f"{a.connection.name}: {label}" + (f" ({a.coordination})" if a.coordination else ""))
    return "\n".join(lines)


def chart_output(spec: dict[str, Any]) -> dict[str, Any]:
    """An Output's display_data of a figure dict (plotly's mime bundle)."""
    return {"output_type": "display_data", "data": mimebundle(spec), "metadata": {}}


class Intro:
    """The walk-through's two charts (`tradeoffs`, `examples`: widgets for the notebook's cells),
    drawn at once, or in a page (``lazy``) when each first comes into view."""

    def __init__(self, model: Model | None = None, *, lazy: bool = True) -> None:
        use_plotly_mimetype()
        self.model = model or load_model()
        self._part = f"{uuid.uuid4().hex[:8]}-intro-"
        self.charts = {name: w.Output(layout=w.Layout(width="100%")) for name in ("tradeoffs", "examples")}
        for name, out in self.charts.items():
            out.add_class("pf-chart")
            out.add_class(f"pf-workshop-{name}-chart")
            out.add_class(part_class(self._part + name))
        self.table = w.HTML("", layout=w.Layout(width="100%"))
        self.table.add_class("pf-workshop-examples-table")
        self.drawn: set[str] = set()
        self.tradeoffs = self.charts["tradeoffs"]
        self.examples = w.VBox([self.table, self.charts["examples"]], layout=w.Layout(width="100%"))
        self.inview: InView | None = None
        if lazy:
            self.inview = InView(names=[self._part + n for n in self.charts], layout=w.Layout(display="none"))
            self.inview.observe(H.guarded(self._seen, LOG.error, "the chart is drawn later", LOG), "seen")
            self.tradeoffs = w.VBox([self.charts["tradeoffs"], self.inview], layout=w.Layout(width="100%"))
        self.table.value = frame_html(compare(example_assessments(self.model), self.model))
        if not lazy:
            self.draw("tradeoffs")
            self.draw("examples")

    def draw(self, name: str) -> None:
        """Draw chart `name` (once)."""
        if name in self.drawn:
            return
        if name == "tradeoffs":
            spec = tradeoff_profiles(self.model, None)
        else:
            spec = compare_scores(list(example_assessments(self.model)), self.model)
        self.charts[name].outputs = (chart_output(spec),)
        self.drawn.add(name)

    def _seen(self, change: Any) -> None:
        for part in change["new"]:
            self.draw(part.removeprefix(self._part))
