"""Assessing a flow: each step as `assess` gives it, the coordination decided exactly over the
coordination rules, the state settled only when exact, and every finding raised by a crafted
flow while its mirror image stays silent."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from patternfit.engine.assess import assess_connection
from patternfit.flows import assess_flow, parse_flow
from patternfit.flows.coordinate import fields
from patternfit.flows.render import headline, render_markdown, render_text
from patternfit.model.catalog import Model
from patternfit.model.flows import load_flow_model

from tests.flows.helpers import api, chain, example, saga, step

CHOREOGRAPHY = {
    "branching": "linear",
    "step_dependency": "independent",
    "change_pattern": "add_reactions",
    "ownership_boundary": "cross_domain",
}


def ids(flow: dict[str, Any], model: Model) -> list[str]:
    return [f.id for f in assess_flow(flow, model=model).findings]


def test_each_step_is_assessed_as_assess_gives_it(model: Model) -> None:
    """The JSON's steps carry each step's assessment exactly as `assess_connection(connection, samples=0)` gives it."""
    flow = {"name": "f", "steps": [step("a", "Shop", "Pricing", example("checkout-price-lookup"))]}
    out = assess_flow(flow, model=model).to_dict()
    alone = assess_connection(parse_flow(flow, model).steps[0].connection, samples=0, model=model).to_dict()
    got = {k: v for k, v in out["steps"]["a"].items() if k in alone}
    assert got == alone
    assert set(out) >= {"steps", "coordination", "coordination_detail", "findings", "diagram", "state", "ask"}


def test_a_saga_with_compensations_is_orchestrated_and_decided(model: Model) -> None:
    """Three dependent steps with compensations and branches: orchestration, whatever the open inputs."""
    a = assess_flow(saga(owners=("a", "b", "c")), model=model)
    assert a.coordination.style == "orchestration"
    assert a.coordination.decided
    assert {s["id"] for s in a.coordination.signals} >= {"compensable_many_steps", "sequential", "branching_some"}
    assert a.coordination.inputs["consistency"]["value"] == "compensable"
    assert a.coordination.inputs["sub.ownership_boundary"]["value"] == "multi_team"


def test_the_flows_own_answers_win_over_its_shape(model: Model) -> None:
    """`sub` given for the whole flow replaces what the shape says, and can make it a choreography."""
    a = assess_flow(saga(owners=("a", "b", "c"), **CHOREOGRAPHY), model=model)
    assert a.coordination.style == "choreography"
    assert a.coordination.inputs["sub.step_dependency"]["why"] == "the flow's own answer"


def _completions(inputs: dict[str, Any], open_keys: list[str], model: Model) -> set[str | None]:
    """The styles every completion of the open inputs gives, each computed by `assess` itself on one
    connection carrying the flow's coordination inputs (the per-connection coordination answer)."""
    styles = set()
    values = [model.question(k.removeprefix("sub.")).scale.values for k in open_keys]
    for combo in itertools.product(*values):
        answers = {**inputs, **dict(zip(open_keys, combo, strict=True))}
        connection = {
            "characteristics": {k: v for k, v in answers.items() if not k.startswith("sub.") and v is not None},
            "sub": {k[4:]: v for k, v in answers.items() if k.startswith("sub.") and v is not None},
        }
        styles.add(assess_connection(connection, samples=0, model=model).coordination)
    return styles


@pytest.mark.parametrize(
    "flow",
    [
        saga(owners=("a", "b", "c")),
        saga(owners=("a",), change_pattern="add_reactions"),
        chain(3),
        {"name": "two", "steps": [step("a", "A", "B"), step("b", "B", "C")]},
        {
            "name": "fan",
            "steps": [step("t", "A", "B", next=["x", "y"]), step("x", "B", "C", next=[]), step("y", "B", "D")],
        },
    ],
    ids=["saga", "saga-reactions", "chain", "two", "fan"],
)
def test_decided_means_no_completion_changes_the_style(model: Model, flow: dict[str, Any]) -> None:
    """Brute force over every answer to the open inputs: decided exactly when all give the same style;
    when not decided, the keys named to ask are among those that change it."""
    a = assess_flow(flow, model=model)
    inputs = {k: v["value"] for k, v in a.coordination.inputs.items()}
    open_keys = [k for k in fields(model) if inputs[k] is None]
    styles = _completions(inputs, open_keys, model)
    assert a.coordination.decided == (styles == {a.coordination.style} and a.coordination.style is not None)
    if not a.coordination.decided:
        assert a.coordination.open_keys or a.coordination.style is None
        assert set(a.coordination.open_keys) <= set(open_keys)


def test_settled_only_when_every_step_is_settled_and_the_coordination_decided(model: Model) -> None:
    """Settled steps and a decided coordination: settled; one step left unanswered: open; the word
    'settled' appears in the text only when the state is settled."""
    rules = load_flow_model()
    settled = {
        "name": "Three examples",
        "characteristics": {"visibility": "end_to_end", "human_step": False},
        "sub": {"change_pattern": "change_sequence"},
        "steps": [
            step("a", "Shop", "Pricing", example("checkout-price-lookup")),
            step("b", "Shop", "Ledger", example("nightly-reconciliation")),
            step("c", "Shop", "Warehouse", example("order-created-fanout")),
        ],
    }
    a = assess_flow(settled, model=model)
    assert [s.state for s in a.steps.values()] == ["settled"] * 3
    assert a.coordination.decided and a.state == "settled"
    assert "Settled" in render_text(a, model, rules)
    opened = {**settled, "steps": [*settled["steps"], step("d", "Shop", "Mail")]}
    b = assess_flow(opened, model=model)
    assert b.state == "open"
    for text in (render_text(b, model, rules), render_markdown(b, model, rules)):
        state_lines = [line for line in text.splitlines() if "State:" in line or "Coordination:" in line]
        assert len(state_lines) == 2 and not any("settled" in line.lower() for line in state_lines)
    assert headline(b, rules).startswith("Open:")


def test_a_step_with_contradicting_answers_puts_the_flow_in_conflict(model: Model) -> None:
    """C-2 in one step (a result now, yet decoupled in time) makes the flow's state conflict."""
    flow = {"name": "f", "steps": [step("a", "A", "B", api(temporal_decoupling=True)), step("b", "B", "C", api())]}
    a = assess_flow(flow, model=model)
    assert a.steps["a"].state == "conflict" and a.state == "conflict"
    assert "a" in render_text(a, model, load_flow_model()).split("Conflict:")[1]


# -- findings: each crafted flow raises its finding, its mirror image does not -------------------------


def test_a_synchronous_chain_deeper_than_the_threshold_is_found(model: Model) -> None:
    """Four synchronous calls in a row: F-01 naming the four steps; three in a row, or four with an
    asynchronous step in the middle: nothing."""
    limit = load_flow_model().sync_chain_max
    found = [f for f in assess_flow(chain(limit + 1), model=model).findings if f.id == "F-01"]
    assert len(found) == 1 and found[0].steps == tuple(f"c{k}" for k in range(limit + 1))
    assert "S0 → S1" in found[0].message and found[0].fix and found[0].sources
    assert "F-01" not in ids(chain(limit), model)
    assert "F-01" not in ids(chain(limit + 1, async_at=1), model)


def test_calls_that_do_not_wait_on_each_other_are_no_chain(model: Model) -> None:
    """Four synchronous calls from one caller to four services are no chain (each callee calls no one)."""
    flow = {"name": "star", "steps": [step(f"c{k}", "Hub", f"S{k}", {"proposed": "api"}) for k in range(5)]}
    assert "F-01" not in ids(flow, model)


def test_a_batch_step_in_a_flow_that_must_finish_in_minutes_is_found(model: Model) -> None:
    """A batch step in a flow due within minutes: F-02 naming it; the same flow due within hours: nothing."""
    steps = [step("a", "A", "B", {"proposed": "api"}), step("b", "B", "C", {"proposed": "batch"})]
    fast = {"name": "fast", "characteristics": {"process_duration": "minutes"}, "steps": steps}
    found = [f for f in assess_flow(fast, model=model).findings if f.id == "F-02"]
    assert len(found) == 1 and found[0].steps == ("b",)
    assert "F-02" not in ids({**fast, "characteristics": {"process_duration": "hours"}}, model)
    assert "F-02" not in ids({**fast, "steps": [steps[0], step("b", "B", "C", {"proposed": "events"})]}, model)


def test_a_choreography_with_compensations_across_owners_is_p09_sprawl(model: Model) -> None:
    """Choreographed, compensations owned by two teams: F-03; one owner, or orchestrated: nothing."""
    sprawl = saga(owners=("inv", "pay", "ship"), **CHOREOGRAPHY)
    assert assess_flow(sprawl, model=model).coordination.style == "choreography"
    found = [f for f in assess_flow(sprawl, model=model).findings if f.id == "F-03"]
    assert len(found) == 1 and found[0].steps == ("undo_reserve", "undo_pay")
    assert "inv, pay" in found[0].message
    assert "F-03" not in ids(saga(owners=("one",), **CHOREOGRAPHY), model)
    assert "F-03" not in ids(saga(owners=("inv", "pay", "ship"), orchestrator="Camunda", **CHOREOGRAPHY), model)
    assert "F-03" not in ids(saga(owners=("inv", "pay", "ship")), model)


def test_an_orchestrated_flow_of_independent_reactions_is_p08(model: Model) -> None:
    """An orchestrator over reactions that do not depend on each other: F-04; the same orchestrator
    over dependent steps: nothing."""
    trigger = step("t", "Shop", "Orders", {"proposed": "events"}, next=["a", "b", "c"])
    reactions = [step(k, "Orders", f"S{k}", {"proposed": "events"}, next=[]) for k in "abc"]
    flow = {"name": "fan", "orchestrator": "Camunda", "steps": [trigger, *reactions]}
    found = [f for f in assess_flow(flow, model=model).findings if f.id == "F-04"]
    assert len(found) == 1 and "Camunda" in found[0].message and set(found[0].steps) == {"t", "a", "b", "c"}
    sequential = {**flow, "steps": [step(k, "Orders", f"S{k}", {"proposed": "events"}) for k in "abcd"]}
    assert "F-04" not in ids(sequential, model)
    assert "F-04" not in ids({k: v for k, v in flow.items() if k != "orchestrator"}, model)


def test_one_pattern_with_several_technologies_is_the_inconsistency_pitfall(model: Model) -> None:
    """Events over RabbitMQ in one step and Kafka in another: F-05; Kafka in both: nothing."""
    mixed = {
        "name": "mixed",
        "steps": [step("a", "A", "B", technology="RabbitMQ"), step("b", "B", "C", technology="Apache Kafka 3.7")],
    }
    found = [f for f in assess_flow(mixed, model=model).findings if f.id == "F-05"]
    assert len(found) == 1 and found[0].steps == ("a", "b")
    assert "RabbitMQ" in found[0].message and "Apache Kafka" in found[0].message
    same = {"name": "same", "steps": [step("a", "A", "B", technology="Kafka"), step("b", "B", "C", technology="kafka")]}
    assert "F-05" not in ids(same, model)


def test_every_finding_cites_sources_of_the_model(model: Model) -> None:
    """Each finding text in data/flows.yaml has a title, a fix and at least one source."""
    rules = load_flow_model()
    assert sorted(rules.findings) == ["F-01", "F-02", "F-03", "F-04", "F-05"]
    assert all(f.fix and f.sources and f.title for f in rules.findings.values())
