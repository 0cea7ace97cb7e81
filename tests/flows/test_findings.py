"""patternfit.flows.findings: the findings across a flow's steps, one function of the flow's shape each."""

from __future__ import annotations

import pytest
from patternfit.engine.assess import assess_connection
from patternfit.flows.file import parse_flow
from patternfit.flows.findings import find, step_pattern
from patternfit.flows.graph import flow_inputs, step_graph
from patternfit.model.flows import load_flow_model
from patternfit.model.technologies import load_technologies

from tests.flows.helpers import chain, saga


@pytest.fixture(scope="module")
def rules():
    return load_flow_model()


def findings(data, patterns, style, model, rules):
    flow = parse_flow(data, model)
    graph = step_graph(flow)
    inputs = flow_inputs(flow, graph, rules)
    return find(flow, graph, patterns, inputs, style, model, rules, load_technologies())


def test_a_chain_deeper_than_the_limit_is_f01_and_one_at_it_is_not(model, rules):
    """Four synchronous calls in a row raise F-01 naming each step; three (the limit) raise nothing."""
    deep = findings(chain(4), {f"c{k}": "api" for k in range(4)}, None, model, rules)
    assert [f.id for f in deep] == ["F-01"] and deep[0].steps == ("c0", "c1", "c2", "c3")
    assert "4 synchronous calls in a row" in deep[0].message
    assert findings(chain(3), {f"c{k}": "api" for k in range(3)}, None, model, rules) == []


def test_a_choreography_whose_compensations_have_many_owners_is_sprawl(model, rules):
    """A choreographed saga whose compensations belong to two owners is F-03; orchestrated it is not."""
    data = saga(owners=("shop", "payments", "shipping"))
    patterns = {s["id"]: "events" for s in data["steps"]}
    assert "F-03" in [f.id for f in findings(data, patterns, "choreography", model, rules)]
    assert "F-03" not in [f.id for f in findings(data, patterns, "orchestration", model, rules)]


def test_a_step_uses_what_is_proposed_then_its_technology_then_the_recommendation(model):
    """The proposed pattern first, then the technology's, then the recommendation; a silent step is open."""
    data = chain(1)
    data["steps"][0]["connection"] = {"name": "c", "proposed": "batch"}
    data["steps"][0]["technology"] = "Apache Kafka"
    flow = parse_flow(data, model)
    step = flow.steps[0]
    assessment = assess_connection(step.connection, samples=0, model=model)
    assert step_pattern(step, assessment, load_technologies()) == "batch"
    bare = parse_flow(
        {"name": "x", "steps": [{"id": "s", "from": "A", "to": "B", "technology": "Apache Kafka"}]}, model
    )
    assert step_pattern(bare.steps[0], assessment, load_technologies()) == "events"
    silent = parse_flow({"name": "x", "steps": [{"id": "s", "from": "A", "to": "B"}]}, model)
    assert step_pattern(silent.steps[0], assessment, load_technologies()) is None  # nothing known: open
    answered = {"id": "s", "from": "A", "to": "B", "connection": {"characteristics": {"latency_budget": "subsecond"}}}
    step = parse_flow({"name": "x", "steps": [answered]}, model).steps[0]
    recommended = assess_connection(step.connection, samples=0, model=model).recommended
    assert (
        step_pattern(step, assess_connection(step.connection, samples=0, model=model), load_technologies())
        == recommended
    )
