"""Assess a business flow: every step as a connection, the flow's coordination, the findings
across steps, the decision state and the diagram."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patternfit.engine.assess import Assessment, assess_connection
from patternfit.flows import diagram
from patternfit.flows.coordinate import Coordination, decide
from patternfit.flows.file import Flow, load_flow, parse_flow
from patternfit.flows.findings import Finding, find, step_pattern
from patternfit.flows.graph import FlowInputs, branch_points, flow_inputs, step_graph
from patternfit.model.catalog import Model, load_model
from patternfit.model.flows import FlowModel, load_flow_model
from patternfit.model.technologies import Technologies, load_technologies


@dataclass(frozen=True)
class FlowAssessment:
    """The outcome for one flow. `to_dict()` is the JSON of `patternfit flow`."""

    flow: Flow
    steps: Mapping[str, Assessment]
    patterns: Mapping[str, str | None]  # the pattern each step uses (proposed, technology or recommended)
    coordination: Coordination
    inputs: FlowInputs
    findings: tuple[Finding, ...]
    branches: tuple[str, ...]
    next_of: Mapping[str, tuple[str, ...]]  # step → the steps that follow it (the graph's edges)
    state: str  # settled / open / conflict
    asks: tuple[str, ...]  # what to ask the flow's owner (the source's silences, the open inputs)
    diagram: str
    model_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.flow.name,
            "description": self.flow.description,
            "origin": self.flow.origin,
            "state": self.state,
            "steps": {
                s.id: {
                    "from": s.source,
                    "to": s.target,
                    "title": s.label,
                    "next": list(self.next_of[s.id]),
                    "compensates": s.compensates or None,
                    "reply_to": s.reply_to or None,
                    "owner": s.owner or None,
                    "technology": s.technology or None,
                    "pattern": self.patterns[s.id],
                    **self.steps[s.id].to_dict(),
                }
                for s in self.flow.steps
            },
            "order": [s.id for s in self.flow.steps],
            "branches": list(self.branches),
            "coordination": self.coordination.style,
            "coordination_detail": self.coordination.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "ask": list(self.asks),
            "diagram": self.diagram,
            "flow": self.flow.to_dict(),
            "model_version": self.model_version,
        }


def assess_flow(
    flow: Flow | Mapping[str, Any] | str | Path,
    *,
    model: Model | None = None,
    rules: FlowModel | None = None,
    technologies: Technologies | None = None,
) -> FlowAssessment:
    """Assess a flow (a `Flow`, a flow mapping or a flow file). Raises `InputError` on bad input."""
    model = model or load_model()
    rules = rules or load_flow_model()
    technologies = technologies or load_technologies()
    if isinstance(flow, (str, Path)):
        flow = load_flow(flow, model)
    elif not isinstance(flow, Flow):
        flow = parse_flow(flow, model)
    steps = _assess_steps(flow, model)
    patterns = {s.id: step_pattern(s, steps[s.id], technologies) for s in flow.steps}
    graph = step_graph(flow)
    inputs = flow_inputs(flow, graph, rules)
    coordination = decide(inputs, model)
    findings = find(flow, graph, patterns, inputs, coordination.style, model, rules, technologies)
    return FlowAssessment(
        flow=flow,
        steps=steps,
        patterns=patterns,
        coordination=coordination,
        inputs=inputs,
        findings=tuple(findings),
        branches=tuple(branch_points(graph, flow)),
        next_of={n: tuple(graph.successors(n)) for n in graph.nodes},
        state=_state(steps, coordination),
        asks=_asks(flow, steps, coordination, rules, model),
        diagram=diagram.to_mermaid(flow, graph, patterns, coordination.style, model),
        model_version=model.version,
    )


def _assess_steps(flow: Flow, model: Model) -> dict[str, Assessment]:
    """Each step's assessment; steps whose answers are the same (a reply and its request, steps a
    source says nothing about) share one, under their own connection."""
    done: dict[str, Assessment] = {}
    out = {}
    for step in flow.steps:
        answers = {k: v for k, v in step.connection.to_dict().items() if k not in _NAMES}
        key = json.dumps(answers, sort_keys=True, default=str)
        if key not in done:
            done[key] = assess_connection(step.connection, samples=0, model=model)
        out[step.id] = dataclasses.replace(done[key], connection=step.connection)
    return out


_NAMES = ("name", "description", "source", "target")


def _state(steps: Mapping[str, Assessment], coordination: Coordination) -> str:
    """conflict when a step's answers conflict; settled only when every step is settled and the
    coordination (where it applies) is decided whatever the open inputs are; open otherwise."""
    states = {a.state for a in steps.values()}
    if "conflict" in states:
        return "conflict"
    if states == {"settled"} and (coordination.decided or not coordination.applies):
        return "settled"
    return "open"


def _asks(
    flow: Flow, steps: Mapping[str, Assessment], coordination: Coordination, rules: FlowModel, model: Model
) -> tuple[str, ...]:
    """The source's silences first, then the flow-wide inputs that could change the coordination."""
    out = list(flow.asks)
    for key in coordination.open_keys:
        name = key.removeprefix("sub.")
        text = rules.asks.get(name) or model.question(name).question
        if text not in out:
            out.append(text)
    return tuple(out)
