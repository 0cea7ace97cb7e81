"""The step graph of a flow (networkx) and the coordination inputs it answers.

A flow answers the coordination inputs of data/rules.yaml from its shape: how many steps it has,
where it branches, whether its steps depend on each other, who owns them, what compensates what.
What the flow's own `characteristics` / `sub` say wins; what neither says stays unanswered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx  # type: ignore[import-untyped]

from patternfit.flows.file import Flow, Step
from patternfit.model.flows import FlowModel

VISIBILITY = ("none", "logs", "end_to_end")


@dataclass(frozen=True, slots=True)
class FlowInputs:
    """The coordination inputs of a whole flow, each with where it came from."""

    characteristics: Mapping[str, Any]
    sub: Mapping[str, Any]
    reasons: Mapping[str, str]  # key (sub.<key> for a sub input) → why it has that value

    def value(self, key: str) -> Any:
        return self.sub.get(key[4:]) if key.startswith("sub.") else self.characteristics.get(key)


def step_graph(flow: Flow) -> nx.DiGraph:
    """Steps as nodes (in the flow's order), `next` as edges; a step without `next` leads to the
    following step unless either is a compensation."""
    graph = nx.DiGraph()
    graph.add_nodes_from(s.id for s in flow.steps)
    for i, step in enumerate(flow.steps):
        if step.next is not None:
            graph.add_edges_from((step.id, n) for n in step.next)
        elif i + 1 < len(flow.steps) and not step.compensates and not flow.steps[i + 1].compensates:
            graph.add_edge(step.id, flow.steps[i + 1].id)
    return graph


def forward(graph: nx.DiGraph, flow: Flow) -> nx.DiGraph:
    """The graph with only the edges that go forward in the flow's order: acyclic, for longest paths."""
    order = {s.id: i for i, s in enumerate(flow.steps)}
    return nx.DiGraph([(a, b) for a, b in graph.edges if order[a] < order[b]])


def work_steps(flow: Flow) -> list[Step]:
    """The steps that do work: not compensations, not replies."""
    return [s for s in flow.steps if not s.compensates and not s.reply_to]


def branch_points(graph: nx.DiGraph, flow: Flow) -> list[str]:
    """Steps after which the flow can go more than one way (next steps and outcomes together)."""
    return [s.id for s in flow.steps if graph.out_degree(s.id) + len(s.outcomes) > 1]


def flow_inputs(flow: Flow, graph: nx.DiGraph, rules: FlowModel) -> FlowInputs:
    """The coordination inputs the flow answers (its own answers first, then its shape)."""
    chars: dict[str, Any] = {}
    sub: dict[str, Any] = {}
    why: dict[str, str] = {}
    work = work_steps(flow)
    chars["coordinated_steps"] = len(work)
    why["coordinated_steps"] = f"{len(work)} steps do work (compensations and replies not counted)"
    for key in ("human_step", "visibility", "consistency"):
        value, reason = _from_steps(flow, key)
        if value is not None:
            chars[key], why[key] = value, reason
    for key, value in flow.characteristics.items():
        chars[key], why[key] = value, "the flow's own answer"
    branches = branch_points(graph, flow)
    shape = {
        "branching": _branching(branches, rules),
        "step_dependency": _dependency(graph, flow),
        "ownership_boundary": _ownership(flow),
    }
    for key, (value, reason) in shape.items():
        if value is not None:
            sub[key], why[f"sub.{key}"] = value, reason
    for key, value in flow.sub.items():
        sub[key], why[f"sub.{key}"] = value, "the flow's own answer"
    return FlowInputs(chars, sub, why)


def _from_steps(flow: Flow, key: str) -> tuple[Any, str]:
    """A flow-wide answer from its steps' answers (a compensation step makes it compensable)."""
    answers = {s.id: s.connection.characteristics.get(key) for s in flow.steps}
    given = {k: v for k, v in answers.items() if v is not None}
    if key == "human_step":
        if any(given.values()):
            return True, f"step {next(k for k, v in given.items() if v)} has a human step"
        if given and len(given) == len(answers):
            return False, "no step has a human step"
        return None, ""
    if key == "visibility":
        if "end_to_end" in given.values():
            return (
                "end_to_end",
                f"step {next(k for k, v in given.items() if v == 'end_to_end')} needs end-to-end visibility",
            )
        if given and len(given) == len(answers):
            top = max(given.values(), key=VISIBILITY.index)
            return top, f"the most any step needs is {top}"
        return None, ""
    compensations = [s.id for s in flow.steps if s.compensates]
    if "atomic" in given.values():
        return "atomic", f"step {next(k for k, v in given.items() if v == 'atomic')} must be all-or-nothing"
    if compensations:
        return "compensable", f"steps {', '.join(compensations)} compensate earlier steps"
    if "compensable" in given.values():
        return "compensable", f"step {next(k for k, v in given.items() if v == 'compensable')} is compensable"
    return None, ""


def _branching(branches: list[str], rules: FlowModel) -> tuple[str, str]:
    if not branches:
        return "linear", "the flow does not branch"
    kind = "complex" if len(branches) >= rules.branching_complex else "some"
    return kind, f"the flow branches after {', '.join(branches)}"


def _dependency(graph: nx.DiGraph, flow: Flow) -> tuple[str | None, str]:
    work = {s.id for s in work_steps(flow)}
    dag = forward(graph.subgraph(work), flow)
    dag.add_nodes_from(work)
    if len(work) < 2:
        return None, ""
    depth = len(nx.dag_longest_path(dag)) if dag.number_of_edges() else 1
    if depth >= 3 or (depth == 2 and max((d for _, d in dag.out_degree()), default=0) < 2):
        return "sequential", f"a path of {depth} steps, each after the one before"
    return "independent", "each step reacts to the trigger alone; no step waits for another"


def _ownership(flow: Flow) -> tuple[str | None, str]:
    owners = {s.owner for s in flow.steps}
    if "" in owners or not owners:
        return None, ""
    if len(owners) == 1:
        return "single_team", f"{next(iter(owners))} owns every step"
    return "multi_team", f"{len(owners)} owners: {', '.join(sorted(owners))}"
