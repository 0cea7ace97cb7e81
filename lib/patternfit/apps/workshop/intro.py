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
    drawn at once, or in a page (``lazy``) when each first comes into view. Until then each keeps
    the chart's height and is marked ``pf-stale`` ("Drawn when in view…"), as on the decide page."""

    def __init__(self, model: Model | None = None, *, lazy: bool = True) -> None:
        use_plotly_mimetype()
        self.model = model or load_model()
        assessments = example_assessments(self.model)
        self.specs = {
            "tradeoffs": tradeoff_profiles(self.model, None),
            "examples": compare_scores(list(assessments), self.model),
        }
        part = f"{uuid.uuid4().hex[:8]}-intro-"
        self.charts: dict[str, w.Output] = {}
        self.boxes: dict[str, w.VBox] = {}
        for name, spec in self.specs.items():
            height = f"{int(spec['layout'].get('height', 360))}px"
            out = self.charts[name] = w.Output(layout=w.Layout(width="100%", height=height))
            out.add_class("pf-chart")
            box = self.boxes[name] = w.VBox([out], layout=w.Layout(width="100%"))
            for css in ("pf-chart-box", f"pf-workshop-{name}-chart", part_class(part + name), "pf-stale"):
                box.add_class(css)
        self.table = w.HTML(frame_html(compare(assessments, self.model)), layout=w.Layout(width="100%"))
        self.table.add_class("pf-workshop-examples-table")
        self.tradeoffs = w.VBox([self.boxes["tradeoffs"]], layout=w.Layout(width="100%"))
        self.examples = w.VBox([self.table, self.boxes["examples"]], layout=w.Layout(width="100%"))
        for cell in (self.tradeoffs, self.examples):
            cell.add_class("pf-workshop-intro")  # as wide as the page, never wider (dashboard.css)
        if lazy:
            seen = InView(names=[part + n for n in self.specs], layout=w.Layout(display="none"))
            seen.observe(H.guarded(lambda c: self._seen(part, c["new"]), LOG.error, "drawn later", LOG), "seen")
            self.tradeoffs.children = (*self.tradeoffs.children, seen)
        else:
            for name in self.specs:
                self.draw(name)

    @property
    def drawn(self) -> set[str]:
        """The charts drawn so far."""
        return {name for name, out in self.charts.items() if out.outputs}

    def draw(self, name: str) -> None:
        """Draw chart `name` (once)."""
        if name not in self.drawn:
            self.charts[name].outputs = (chart_output(self.specs[name]),)
            self.boxes[name].remove_class("pf-stale")

    def _seen(self, part: str, names: list[str]) -> None:
        for name in names:
            self.draw(name.removeprefix(part))
