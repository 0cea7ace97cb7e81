"""The business-flow dashboard: build a flow step by step (or load the example), see each step's
pattern, the flow's coordination and why, the findings across steps and the sequence diagram, and
download the flow's record and the flow file. ipywidgets over `FlowState`; the notebook only calls
`build_flow_app()`.

CSS hooks: ``pf-flow-name``, ``pf-flow-from``, ``pf-flow-to``, ``pf-flow-how``, ``pf-flow-owner``,
``pf-flow-compensates``, ``pf-flow-add``, ``pf-flow-remove``, ``pf-flow-example``, ``pf-error``,
``pf-flow-result`` (``pf-flow-state``, ``pf-flow-coordination``, ``pf-flow-steps``,
``pf-flow-findings``, ``pf-flow-diagram``), ``pf-download-md``, ``pf-flow-download-yaml``.
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.templates import render
from patternfit.apps.flow.state import HOW, FlowState
from patternfit.apps.pages import page_header
from patternfit.errors import PatternfitError
from patternfit.flows.diagram import pattern_label
from patternfit.flows.record import FlowRecordMeta, render_flow_record
from patternfit.flows.render import coordination_line, headline
from patternfit.records.text import slugify

LOG = logging.getLogger(__name__)
LEAD = (
    "Build a business flow step by step: each step's pattern, orchestration or choreography for the whole"
    " flow, and what fights across steps."
)


class FlowApp:
    """The page: the step form, the result and the downloads, all drawn from `state`."""

    def __init__(self, state: FlowState | None = None) -> None:
        self.state = state or FlowState()
        self.name = self._text("Flow name", "pf-flow-name", "e.g. Checkout")
        self.source = self._text("From", "pf-flow-from", "the caller or sender")
        self.target = self._text("To", "pf-flow-to", "the callee or receiver")
        self.owner = self._text("Owner", "pf-flow-owner", "the team (optional)")
        labels = {"": "not known yet", "api": "Synchronous API (a call)", "events": "Events (a message)",
                  "batch": "Batch", "workflow": "Workflow orchestration"}  # fmt: skip
        self.how = w.Dropdown(options=[(labels[h], h) for h in HOW], description="Pattern")
        self.how.add_class("pf-flow-how")
        self.compensates = w.Dropdown(options=[("no", "")], description="Compensates")
        self.compensates.add_class("pf-flow-compensates")
        self.add = self._button("Add step", "pf-flow-add", "primary")
        self.remove = self._button("Remove last step", "pf-flow-remove", "")
        self.example = self._button("Load the example flow", "pf-flow-example", "")
        self.banner = w.HTML(layout=w.Layout(display="none"))
        self.banner.add_class("pf-error")
        self.result = w.HTML()
        self.downloads = w.HTML()
        report = lambda message: H.show_banner(self.banner, message)  # noqa: E731
        kept = "the flow is as it was"
        self.add.on_click(H.guarded(self._add, report, kept, LOG))
        self.remove.on_click(H.guarded(lambda _: self.state.remove_last(), report, kept, LOG))
        self.example.on_click(H.guarded(lambda _: self.state.load_example(), report, kept, LOG))
        self.name.observe(H.guarded(lambda c: self.state.set_name(c["new"]), report, kept, LOG), "value")
        self.state.observe(lambda _: self.draw(), ["result", "error", "flow"])
        form = w.VBox([
            self.name,
            w.HBox([self.source, self.target], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.how, self.owner, self.compensates], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.add, self.remove, self.example], layout=w.Layout(flex_flow="row wrap")),
        ])  # fmt: skip
        self.widget = w.VBox(
            [w.HTML(H.CSS), page_header("flow", LEAD), form, self.banner, self.result, self.downloads],
            layout=w.Layout(width="100%", max_width="1100px"),
        )
        self.widget.add_class("pf-app")
        self.draw()

    @staticmethod
    def _text(label: str, css: str, placeholder: str) -> w.Text:
        box = w.Text(description=label, placeholder=placeholder, continuous_update=False)
        box.add_class(css)
        return box

    @staticmethod
    def _button(label: str, css: str, style: str) -> w.Button:
        button = w.Button(description=label, button_style=style, tooltip=label)
        button.add_class(css)
        return button

    def _add(self, _: Any) -> None:
        if not self.source.value.strip() or not self.target.value.strip():
            H.show_banner(self.banner, "A step needs both ends: fill in From and To, then Add step.")
            return
        self.state.add_step(
            self.source.value,
            self.target.value,
            self.how.value,
            owner=self.owner.value,
            compensates=self.compensates.value,
        )
        self.source.value, self.target.value = self.target.value, ""

    def draw(self) -> None:
        """Redraw the result, the downloads and the compensation choices from the state."""
        state = self.state
        steps = state.flow.get("steps", [])
        self.compensates.options = [("no", "")] + [(f"{s['id']}: {s['from']} → {s['to']}", s["id"]) for s in steps]
        if self.name.value != state.flow.get("name", ""):
            self.name.value = state.flow.get("name", "")
        if state.error:
            H.show_banner(self.banner, state.error)
        else:
            H.hide_banner(self.banner)
        a = state.result
        if a is None:
            self.result.value = H.status_html(
                "Add the flow's first step (From, To, and its pattern if known), or load the example flow."
            )
            self.downloads.value = ""
            return
        model, rules = state.model, state.rules
        rows = []
        for n, s in enumerate(a.flow.steps, 1):
            pattern = a.patterns[s.id]
            shown = pattern_label(model, pattern, unknown="not known yet")
            after = [*a.next_of[s.id], *s.outcomes]
            then = " or ".join(after) + (f" (compensates {s.compensates})" if s.compensates else "")
            rows.append({"n": n, "label": s.label, "source": s.source, "target": s.target, "pattern": shown,
                         "state": a.steps[s.id].state, "then": then})  # fmt: skip
        self.result.value = render(
            "flow/result.html",
            headline=headline(a, rules),
            coordination=coordination_line(a, rules),
            signals=[f"{x['label']} ({x['score']:+d})" for x in a.coordination.signals],
            note=a.coordination.note,
            steps=rows,
            findings=[
                {"id": f.id, "title": f.title, "steps": ", ".join(f.steps), "message": f.message, "fix": f.fix}
                for f in a.findings
            ],
            asks=list(a.asks),
            diagram=a.diagram,
        )
        self.downloads.value = self._downloads(a)

    def _downloads(self, a: Any) -> str:
        stem = slugify(a.flow.name) or "flow"
        links = [
            H.download_html(self.state.flow_yaml(), f"{stem}.flow.yaml", "application/x-yaml", "Download the flow file")
        ]
        try:
            record = render_flow_record(a, FlowRecordMeta(), self.state.model, self.state.rules)
        except PatternfitError as exc:
            md = H.disabled_download_html("Download the record (Markdown)", exc.message)
        else:
            md = H.download_html(record, f"{stem}-coordination.md", "text/markdown", "Download the record (Markdown)")
        return f'<div class="pf-download-md">{md}</div><div class="pf-flow-download-yaml">{links[0]}</div>'


def build_flow_app(state: FlowState | None = None) -> w.Widget:
    """The business-flow dashboard (the notebook's only call)."""
    return FlowApp(state).widget
