"""A flow as a mermaid sequence diagram: one arrow per step, labelled with the step's pattern;
synchronous calls solid, asynchronous steps dashed; the orchestrator a participant when orchestrated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import networkx as nx  # type: ignore[import-untyped]

from patternfit.flows.file import Flow
from patternfit.model.catalog import Model
from patternfit.records.diagram import mermaid_text

SOLID, DASHED, UNKNOWN = "->>", "-->>", "--)"
ORCHESTRATOR = "Orchestrator"


def pattern_label(model: Model, pattern: str | None, *, unknown: str = "pattern open") -> str:
    """A step's pattern as a person reads it: the catalog's label, a design word as given, or `unknown`."""
    if pattern is None:
        return unknown
    return model.pattern(pattern).label if pattern in model.pattern_keys else pattern


def arrow(pattern: str | None) -> str:
    """Solid for a synchronous call, dashed for events, batch and workflow steps, an open dashed
    arrow where the pattern is not known."""
    if pattern is None:
        return UNKNOWN
    return SOLID if pattern in ("api", "shared_database") else DASHED


def coordinator(flow: Flow) -> str:
    """Who coordinates an orchestrated flow: the one the flow names, else the participant that
    starts at least half of the steps doing work (two or more), else a new Orchestrator."""
    if flow.orchestrator:
        return flow.orchestrator
    work = [s.source for s in flow.steps if not s.compensates and not s.reply_to]
    counts = Counter(work)
    if counts:
        who, n = counts.most_common(1)[0]
        if n >= 2 and 2 * n >= len(work):
            return who
    return ORCHESTRATOR


def to_mermaid(
    flow: Flow, graph: nx.DiGraph, patterns: Mapping[str, str | None], style: str | None, model: Model
) -> str:
    """The mermaid source (no fence); every label escaped for mermaid."""
    names: dict[str, str] = {}
    orchestrated = style == "orchestration" or bool(flow.orchestrator)
    boss = coordinator(flow)
    if orchestrated:
        names[boss] = "o0"
    for step in flow.steps:
        for who in (step.source, step.target):
            names.setdefault(who, f"p{len(names)}")
    lines = ["sequenceDiagram"]
    lines += [f"    participant {ident} as {mermaid_text(who)}" for who, ident in names.items()]
    if orchestrated and len(names) > 1:
        last = list(names.values())[-1]
        lines.append(
            f"    Note over {names[boss]},{last}: {mermaid_text(f'{boss} coordinates every step (orchestration)')}"
        )
    for n, step in enumerate(flow.steps, 1):
        pattern = patterns[step.id]
        shown = pattern_label(model, pattern)
        kind = " (reply)" if step.reply_to else " (compensates " + step.compensates + ")" if step.compensates else ""
        text = f"{n}. {step.label}{kind} [{shown}]"
        lines.append(f"    {names[step.source]}{arrow(pattern)}{names[step.target]}: {mermaid_text(text)}")
        after = [flow.step(a).label for a in graph.successors(step.id)] + list(step.outcomes)
        if len(after) > 1:
            labels = ", ".join(after)
            lines.append(f"    Note over {names[step.target]}: {mermaid_text('branches: ' + labels)}")
    return "\n".join(lines)
