"""patternfit.flows.graph: a flow's steps as a graph, and the coordination inputs its shape answers."""

from __future__ import annotations

import pytest
from patternfit.flows.file import parse_flow
from patternfit.flows.graph import branch_points, flow_inputs, forward, step_graph, work_steps
from patternfit.model.flows import load_flow_model

from tests.flows.helpers import chain, saga


@pytest.fixture(scope="module")
def rules():
    return load_flow_model()


def test_a_chain_is_linear_and_sequential(model, rules):
    """Four calls in a row: edges follow the list, nothing branches, each step waits for the one before."""
    flow = parse_flow(chain(4), model)
    graph = step_graph(flow)
    assert list(graph.edges) == [("c0", "c1"), ("c1", "c2"), ("c2", "c3")]
    assert branch_points(graph, flow) == []
    inputs = flow_inputs(flow, graph, rules)
    assert inputs.characteristics["coordinated_steps"] == 4
    assert inputs.sub["branching"] == "linear" and inputs.sub["step_dependency"] == "sequential"


def test_a_saga_branches_and_its_compensations_make_it_compensable(model, rules):
    """Compensations do no work, branch after their step, and make the flow compensable, citing them."""
    flow = parse_flow(saga(owners=("a", "b", "c")), model)
    graph = step_graph(flow)
    assert [s.id for s in work_steps(flow)] == ["reserve", "pay", "ship"]
    assert branch_points(graph, flow) == ["reserve", "pay"]
    inputs = flow_inputs(flow, graph, rules)
    assert inputs.characteristics["consistency"] == "compensable"
    assert inputs.reasons["consistency"] == "steps undo_reserve, undo_pay compensate earlier steps"
    assert inputs.sub["branching"] == "some"


def test_the_flows_own_answers_win_over_its_shape(model, rules):
    """An answer the flow gives itself replaces the one its shape suggests, and says so."""
    flow = parse_flow(saga(owners=("a",), branching="complex"), model)
    inputs = flow_inputs(flow, step_graph(flow), rules)
    assert inputs.sub["branching"] == "complex" and inputs.reasons["sub.branching"] == "the flow's own answer"


def test_forward_drops_the_edges_that_go_back(model):
    """A step leading back to an earlier one keeps only forward edges, so the graph has no cycle."""
    data = chain(3)
    data["steps"][2]["next"] = ["c0"]
    flow = parse_flow(data, model)
    graph = step_graph(flow)
    assert ("c2", "c0") in graph.edges and ("c2", "c0") not in forward(graph, flow).edges
