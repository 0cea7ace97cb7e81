"""The charts of the decide page: plotly figure dicts shown in ``ipywidgets.Output`` as
``application/vnd.plotly.v1+json`` (plotly.js comes once per page with the jupyterlab-plotly
extension). A chart is sent again only when its figure changed; each has a text alternative
(a visually hidden summary beside it, for screen readers and axe)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.charts.decision import CHART_NAMES, chart_specs, mimebundle
from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model


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
    """One Output per chart (`outputs[name]`) and its text alternative; `update` draws the
    charts whose figure changed and returns which revision each chart shows."""

    def __init__(self) -> None:
        self.outputs = {name: w.Output(layout=w.Layout(width="100%")) for name in CHART_NAMES}
        self.texts = {name: w.HTML("") for name in CHART_NAMES}
        self.boxes: dict[str, w.VBox] = {}
        for name, out in self.outputs.items():
            out.add_class("pf-chart")
            out.add_class(f"pf-chart-{name}")
            self.texts[name].add_class("pf-sr-box")
            self.boxes[name] = w.VBox([self.texts[name], out], layout=w.Layout(width="100%"))
        self.shown: dict[str, Any] = {}
        self.drawn: dict[str, int] = {}

    def changed(self, a: Assessment | None, model: Model, rev: int) -> dict[str, Any]:
        """Charts whose figure differs from the one shown (None: remove it); `drawn` then holds
        the revision each chart shows."""
        specs = chart_specs(a, model) if a is not None else {}
        changed: dict[str, Any] = {}
        for name in CHART_NAMES:
            spec = specs.get(name)
            if spec is None:
                if name in self.shown:
                    changed[name] = None
                    del self.shown[name]
                    self.drawn.pop(name, None)
            elif self.shown.get(name) != spec:
                changed[name] = self.shown[name] = spec
                self.drawn[name] = rev
        return changed

    def draw(self, changed: Mapping[str, Any], a: Assessment | None, model: Model) -> None:
        for name, spec in changed.items():
            out = self.outputs[name]
            if spec is None:
                out.outputs = ()
                out.layout.display = "none"
                self.texts[name].value = ""
                continue
            meta = {"pf_chart": name, "pf_rev": self.drawn[name]}
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
        if a is not None:
            for name in self.shown:
                text = f'<p class="pf-sr">{H.esc(chart_text(name, a, model))}</p>'
                if self.texts[name].value != text:
                    self.texts[name].value = text
