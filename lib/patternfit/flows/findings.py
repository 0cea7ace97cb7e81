"""Findings across a flow's steps (texts, thresholds and sources in data/flows.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx  # type: ignore[import-untyped]

from patternfit.engine.assess import Assessment
from patternfit.flows.file import Flow, Step
from patternfit.flows.graph import FlowInputs, forward
from patternfit.model.catalog import PATTERN_KEYS, Model
from patternfit.model.flows import FlowModel
from patternfit.model.technologies import Technologies


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: what is wrong across which steps, and how to fix it."""

    id: str
    title: str
    message: str
    steps: tuple[str, ...]
    fix: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "message": self.message,
            "steps": list(self.steps),
            "fix": self.fix,
            "sources": list(self.sources),
        }


def step_pattern(step: Step, assessment: Assessment, technologies: Technologies) -> str | None:
    """The pattern a step uses: the one proposed, else its technology's, else the recommended one."""
    proposed = step.connection.proposed.get("pattern")
    if proposed in PATTERN_KEYS:
        return str(proposed)
    tech = technologies.match(step.technology) if step.technology else None
    if tech is not None and tech.pattern in PATTERN_KEYS:
        return tech.pattern
    if not step.connection.characteristics:
        return None  # nothing is known of the step: its pattern is open, not the engine's default
    return assessment.recommended


def find(
    flow: Flow,
    graph: nx.DiGraph,
    patterns: Mapping[str, str | None],
    inputs: FlowInputs,
    style: str | None,
    model: Model,
    rules: FlowModel,
    technologies: Technologies,
) -> list[Finding]:
    """Every finding the flow raises, in the order of data/flows.yaml."""
    found = [
        _sync_chain(flow, graph, patterns, rules),
        _timing(flow, patterns, model, rules),
        _sprawl(flow, style, rules),
        _trivial(flow, inputs, style, rules),
    ]
    return [f for f in found if f is not None] + _technologies(flow, model, rules, technologies)


def _make(rules: FlowModel, key: str, concerns: list[str], **values: Any) -> Finding:
    text = rules.findings[key]
    return Finding(key, text.title, text.message.format(**values), tuple(concerns), text.fix, text.sources)


def _sync_chain(flow: Flow, graph: nx.DiGraph, patterns: Mapping[str, str | None], rules: FlowModel) -> Finding | None:
    """Synchronous calls where each callee calls on before it answers: a → b with a.to == b.from."""
    calls = {s.id: s for s in flow.steps if patterns[s.id] == "api" and not s.reply_to and not s.compensates}
    chain = nx.DiGraph()
    chain.add_nodes_from(calls)
    chain.add_edges_from(
        (a, b)
        for a, b in forward(graph, flow).edges
        if a in calls and b in calls and calls[a].target == calls[b].source
    )
    path = nx.dag_longest_path(chain) if chain.number_of_nodes() else []
    if len(path) <= rules.sync_chain_max:
        return None
    names = [calls[path[0]].source] + [calls[p].target for p in path]
    return _make(rules, "F-01", path, count=len(path), chain=" → ".join(names), limit=rules.sync_chain_max)


def _timing(flow: Flow, patterns: Mapping[str, str | None], model: Model, rules: FlowModel) -> Finding | None:
    """Batch steps in a flow that must finish within minutes (its process_duration or latency_budget)."""
    key = next((k for k in ("process_duration", "latency_budget") if k in flow.characteristics), None)
    if key is None or flow.characteristics[key] not in rules.fast_durations:
        return None
    slow = [s.id for s in flow.steps if patterns[s.id] == "batch"]
    if not slow:
        return None
    duration = model.question(key).value_label(flow.characteristics[key])
    return _make(rules, "F-02", slow, step=", ".join(slow), duration=duration)


def _sprawl(flow: Flow, style: str | None, rules: FlowModel) -> Finding | None:
    """A choreography whose compensations several owners hold (P-09)."""
    if style != "choreography" or flow.orchestrator:
        return None
    undo = [s for s in flow.steps if s.compensates]
    owners = sorted({s.owner or s.target for s in undo})
    if len(owners) < rules.sprawl_owners:
        return None
    ids = [s.id for s in undo]
    return _make(rules, "F-03", ids, steps=", ".join(ids), count=len(owners), owners=", ".join(owners))


def _trivial(flow: Flow, inputs: FlowInputs, style: str | None, rules: FlowModel) -> Finding | None:
    """An orchestrated flow whose steps are independent reactions, with nothing to compensate (P-08)."""
    orchestrated = bool(flow.orchestrator) or style == "orchestration"
    independent = inputs.sub.get("step_dependency") == "independent"
    if not orchestrated or not independent or any(s.compensates for s in flow.steps):
        return None
    return _make(rules, "F-04", [s.id for s in flow.steps], orchestrator=flow.orchestrator or "a coordinator")


def _technologies(flow: Flow, model: Model, rules: FlowModel, technologies: Technologies) -> list[Finding]:
    """Per pattern, the technologies the flow's steps name: more than one is the inconsistency pitfall."""
    by_pattern: dict[str, dict[str, list[str]]] = {}
    for step in flow.steps:
        tech = technologies.match(step.technology) if step.technology else None
        if tech is not None:
            by_pattern.setdefault(tech.pattern, {}).setdefault(tech.name, []).append(step.id)
    out = []
    for pattern, names in by_pattern.items():
        if len(names) > 1:
            steps = [i for ids in names.values() for i in ids]
            label = model.pattern(pattern).label if pattern in PATTERN_KEYS else pattern
            listed = ", ".join(f"{n} ({', '.join(ids)})" for n, ids in names.items())
            out.append(_make(rules, "F-05", steps, pattern=label, count=len(names), technologies=listed))
    return out
