"""The charts of the decide page, from the figure dicts of `charts.decision`: the bar charts at
the top (`SVG_CHARTS`) as inline SVG in an ``HTML`` widget, the others as
``application/vnd.plotly.v1+json`` in an ``ipywidgets.Output`` (plotly.js runs only once one of
those is drawn). A chart is sent again only when its figure changed, and a plotly chart, on a
page that draws only what is in view (``lazy``), only once it is in view. Each has a text
alternative (a visually hidden summary, for screen readers and axe) that is always current."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from patternfit.apps.common.templates import render
from patternfit.charts.decision import CHART_NAMES, chart_specs, mimebundle
from patternfit.charts.svg import bars_svg
from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model

# Drawn as inline SVG (charts/svg.py): the bar charts at the top of the page. They need no
# plotly.js, so they are always drawn, in view or not; the others are plotly, drawn in view.
SVG_CHARTS = ("scores", "acceptability", "coordination")


def chart_text(name: str, a: Assessment, model: Model) -> str:
    """A sentence that says what chart `name` shows, for people who cannot see it."""
    label = {p.key: p.label for p in model.patterns}
    if name == "scores":
        parts = [
            f"{label[k]} {'ruled out' if a.scores.get(k) is None else format(a.scores[k], '+.2f')}" for k in a.ranking
        ]
        return "Chart, fit of each pattern: " + "; ".join(parts) + "."
    if name == "acceptability" and a.robustness is not None:
        parts = [
            f"{label[k]} first in {a.acceptability.get(k) or 0:.0%}"
            if a.scores.get(k) is not None
            else f"{label[k]} ruled out"
            for k in a.ranking
        ]
        return f"Chart, rank over {a.robustness.samples:,} weightings: " + "; ".join(parts) + "."
    if name == "coordination" and a.coordination_detail:
        d = a.coordination_detail
        signals = ", ".join(f"{s['label']} {int(s['score']):+d}" for s in d.get("signals") or []) or "no signal fired"
        return f"Chart, orchestration or choreography: total {int(d.get('score', 0)):+d} ({signals})."
    if name == "contributions":
        return "Chart, which answers pushed each pattern up or down; the reasons are listed under Why."
    if name == "profiles":
        lead = f", {label[a.recommended]} highlighted" if a.recommended in label else ""
        return f"Chart, trade-off profiles of the four patterns on the model's dimensions (1 weak … 5 strong){lead}."
    return ""


class ChartsView:
    """One Output per chart (`outputs[name]`) and its text alternative.

    `update` takes a new assessment; a chart is drawn when its figure changed and it is visible
    (`visible`: every chart, unless the page draws only what is in view). A chart out of view
    keeps what it showed, marked ``pf-stale`` (dimmed, "drawn when in view"), until `show` says it
    came into view. `drawn` holds, for each chart that shows the current figure, the revision it
    was drawn at; the card's ``data-pf-charts`` is made from it. The text alternatives are always
    current, drawn or not: they cost the browser nothing."""

    def __init__(self, *, lazy: bool = False, part: Callable[[str], str] | None = None) -> None:
        self.outputs: dict[str, w.Output | w.HTML] = {
            name: w.HTML("", layout=w.Layout(width="100%"))
            if name in SVG_CHARTS
            else w.Output(layout=w.Layout(width="100%"))
            for name in CHART_NAMES
        }
        # a plotly chart's text alternative sits beside it; an SVG chart's is in the same widget
        text_layout = w.Layout()  # shared: the text boxes never change theirs
        self.texts = {name: w.HTML("", layout=text_layout) for name in CHART_NAMES if name not in SVG_CHARTS}
        self.boxes: dict[str, w.Widget] = {}
        for name, out in self.outputs.items():
            out.add_class("pf-chart")
            out.add_class(f"pf-chart-{name}")
            if name in SVG_CHARTS:
                out.add_class("pf-chart-svg")
                self.boxes[name] = out
            else:
                self.texts[name].add_class("pf-sr-box")
                self.boxes[name] = w.VBox([self.texts[name], out], layout=w.Layout(width="100%"))
            self.boxes[name].add_class("pf-chart-box")
            if part is not None:
                self.boxes[name].add_class(part(name))
        self.visible: set[str] = set(SVG_CHARTS) if lazy else set(CHART_NAMES)
        self.wanted: dict[str, Any] = {}  # the current figure of each chart
        self.shown: dict[str, Any] = {}  # the figure each Output shows
        self.drawn: dict[str, int] = {}  # chart → revision it shows, for charts that are current
        self.stale: set[str] = set()
        self._rev = 0
        self._todo: dict[str, tuple[Any, int]] = {}  # chart → (figure, revision) to send
        self.alt: dict[str, str] = {}  # chart → its text alternative now
        self._alt_sent: dict[str, str] = {}

    def update(self, a: Assessment | None, model: Model, rev: int) -> None:
        """A new assessment at revision `rev`: plan the visible charts whose figure changed (drawn
        by `flush`, after the card that names them), mark the others stale, and bring every text
        alternative up to date."""
        self._rev = rev
        self.wanted = chart_specs(a, model) if a is not None else {}
        self.alt = {n: render("decide/chart_text.html", text=chart_text(n, a, model)) for n in self.wanted} if a else {}
        self._sync()
        for name, text in self.alt.items():
            if name in SVG_CHARTS:  # sent with the drawing, in one message
                if name not in self._todo and self._alt_sent.get(name) != text:
                    self._todo[name] = (self.wanted[name], self.drawn.get(name, rev))
            elif self.texts[name].value != text:
                self.texts[name].value = text

    def flush(self) -> None:
        """Send the charts `update` or `show` planned."""
        todo, self._todo = self._todo, {}
        for name, (spec, rev) in todo.items():
            out = self.outputs[name]
            if isinstance(out, w.HTML):
                text = self.alt.get(name, "")
                out.value = text + bars_svg(spec, chart=name, rev=rev)
                self._alt_sent[name] = text
                continue
            meta = {"pf_chart": name, "pf_rev": rev}
            bundle = {
                **mimebundle({"data": spec["data"], "layout": {**spec["layout"], "meta": meta}}),
                "text/plain": f"<{name} chart>",
            }
            out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)

    def show(self, visible: set[str]) -> bool:
        """The charts now in view; True when one was drawn (the card then names it)."""
        self.visible = {n for n in visible if n in self.outputs} | set(SVG_CHARTS)
        before = dict(self.drawn)
        self._sync()
        return self.drawn != before  # the caller renders the card, then calls flush()

    def _sync(self) -> None:
        for name in CHART_NAMES:
            spec = self.wanted.get(name)
            out = self.outputs[name]
            if spec is None:
                if name in self.shown or out.layout.display != "none":
                    if isinstance(out, w.HTML):
                        out.value = ""
                        self._alt_sent.pop(name, None)
                    else:
                        out.outputs = ()
                        self.texts[name].value = ""
                    out.layout.display = "none"
                self.shown.pop(name, None)
                self.drawn.pop(name, None)
                self._mark(name, False)
                continue
            height = f"{int(spec['layout'].get('height', 360))}px"
            # the space is kept before the chart is first drawn; out of view it keeps its height
            # until it is drawn again (one message less per answer)
            seen = name in self.visible or not out.layout.height
            if isinstance(out, w.Output) and seen and out.layout.height != height:
                out.layout.height = height
            if out.layout.display == "none":
                out.layout.display = None
            if self.shown.get(name) == spec:
                self._mark(name, False)  # unchanged: still true at its revision
            elif name in self.visible:
                self._draw(name, spec)
                self._mark(name, False)
            else:
                self.drawn.pop(name, None)
                self._mark(name, True)

    def _draw(self, name: str, spec: Any) -> None:
        self._todo[name] = (spec, self._rev)
        self.shown[name] = spec
        self.drawn[name] = self._rev

    def _mark(self, name: str, stale: bool) -> None:
        if stale == (name in self.stale):
            return
        box = self.boxes[name]
        if stale:
            self.stale.add(name)
            box.add_class("pf-stale")
        else:
            self.stale.discard(name)
            box.remove_class("pf-stale")
