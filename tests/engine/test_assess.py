"""assess(): knock-outs, scores, explanations, rules — golden cases from the reference."""

from __future__ import annotations

import json
import math

import pytest
from patternfit import assess

from tests.conftest import ROOT

EXPECTED = {
    # data/examples, drawn from the field guide's five situations
    "checkout-price-lookup": ("api", None, None),
    "order-created-fanout": ("events", "topic", None),
    "nightly-reconciliation": ("batch", None, None),
    "customer-onboarding": ("workflow", None, "orchestration"),
    "shipment-reaction-chain": ("events", "topic", "choreography"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_field_guide_examples(examples, model, name):
    """Each example connection gets the pattern the field guide argues for."""
    a = assess(examples[name], samples=500, model=model)
    recommended, flavour, coordination = EXPECTED[name]
    assert a.recommended == recommended
    assert a.messaging_flavour == flavour
    assert a.coordination == coordination
    assert a.margin is not None and a.margin > 0.05
    assert a.acceptability[recommended] > 0.9


BASE = {
    "response_expectation": "ack_only", "latency_budget": "seconds", "freshness_value": 4,
    "interaction_intent": "command", "consumer_count": 1, "consumer_churn": "low",
    "data_volume": "single", "load_profile": "steady", "coordinated_steps": 1,
    "process_duration": "seconds", "human_step": False, "consistency": "eventual",
    "ordering": "per_key", "delivery_criticality": "critical", "temporal_decoupling": True,
    "visibility": "logs", "replay_needed": False, "counterpart_capability": "messaging",
}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "changes", "flavour"),
    [
        ("order processing: Service Bus queue", {}, "queue"),
        (
            "site telemetry: Event Hubs stream",
            {
                "response_expectation": "none",
                "interaction_intent": "data_sync",
                "consumer_count": 2,
                "data_volume": "small_set",
                "delivery_criticality": "low",
                "replay_needed": True,
                "load_profile": "bursty",
                "consistency": "best_effort",
            },
            "stream",
        ),
        (
            "item shipped: Event Grid topic",
            {
                "response_expectation": "none",
                "interaction_intent": "fact_notification",
                "consumer_count": 4,
                "consumer_churn": "medium",
                "ordering": "none",
                "delivery_criticality": "high",
                "freshness_value": 3,
            },
            "topic",
        ),
    ],
)
def test_azure_a2_worked_example(model, name, changes, flavour):
    """A2's e-commerce example: Service Bus for orders, Event Hubs for telemetry, Event Grid
    for 'an item was shipped' — events in three flavours (decision-model.md §2.1, A2)."""
    a = assess({"name": name, "characteristics": {**BASE, **changes}}, samples=0, model=model)
    assert a.recommended == "events"
    assert a.messaging_flavour == flavour


def test_drone_delivery_scheduler_is_synchronous(model):
    """A7 Drone Delivery: the scheduler needs a response from each downstream service → API."""
    chars = {
        **BASE,
        "response_expectation": "result_now",
        "latency_budget": "subsecond",
        "interaction_intent": "query",
        "temporal_decoupling": False,
        "ordering": "none",
        "process_duration": "subsecond",
        "counterpart_capability": "api",
    }
    a = assess({"characteristics": chars}, samples=0, model=model)
    assert a.recommended == "api"
    assert set(a.knocked_out) == {"events", "batch"}


def test_knockouts_carry_ids_and_reasons(model, examples):
    """Knocked-out patterns have no score, and list KO ids with reasons."""
    a = assess(examples["checkout-price-lookup"], samples=0, model=model)
    assert a.scores["batch"] is None and a.scores["events"] is None
    assert [r["id"] for r in a.knocked_out["batch"]] == ["KO-1", "KO-2"]
    assert all(r["reason"] for rs in a.knocked_out.values() for r in rs)
    assert a.ranking[-2:] == ["batch", "events"] or set(a.ranking[-2:]) == {"batch", "events"}


def test_contributions_are_weight_times_fit(model, examples):
    """Each contribution is weight × fit, and they add up to the unnormalised score."""
    a = assess(examples["order-created-fanout"], samples=0, model=model)
    events = a.contributions["events"]
    assert events["consumer_count"] == 2 * 2  # weight 2, fit +2 for 6+
    total_weight = sum(a.weights[k] for k in events)
    assert math.isclose(sum(events.values()) / (2 * total_weight), a.scores["events"], abs_tol=1e-4)


def test_explanation_names_the_strongest_reasons(model):
    """The explanation is built from the strongest contributions, in plain words."""
    a = assess(
        {
            "characteristics": {
                "consumer_count": 6,
                "interaction_intent": "fact_notification",
                "response_expectation": "none",
            }
        },
        samples=0,
        model=model,
    )
    assert a.recommended == "events"
    assert a.explanations[0].startswith("Events fit best because")
    assert "6 independent" in a.explanations[0]


def test_partial_questionnaire_reports_what_it_lacks(model):
    """A partial questionnaire still gives an answer and lists the unanswered questions."""
    a = assess({"characteristics": {"human_step": True, "process_duration": "days_weeks"}}, samples=200, model=model)
    assert a.recommended == "workflow"
    assert len(a.unanswered) == 16
    assert "latency_budget" in a.unanswered
    assert any("16 of 18 questions are unanswered" in line for line in a.explanations)


def test_empty_questionnaire_does_not_crash(model):
    """No answers at all: every score 0, the tie goes to the simplest pattern."""
    a = assess({"name": "blank"}, samples=100, model=model)
    assert a.recommended == "api"
    assert set(a.scores.values()) == {0.0}
    assert a.low_confidence


def test_every_pattern_knocked_out_escalates(tmp_path):
    """Conflicting knock-outs leave no pattern: recommended is None and C-ALL says so.

    The reference model never excludes workflow, so a copy of it gets a knock-out that does."""
    import shutil

    import yaml
    from patternfit.model.catalog import load_model

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    rules = yaml.safe_load((data / "rules.yaml").read_text())
    rules["knockouts"][3]["excludes"] = ["api", "workflow"]  # KO-4, human step
    (data / "rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True))
    chars = {"response_expectation": "result_now", "counterpart_capability": "file_only", "human_step": True}
    a = assess({"characteristics": chars}, samples=100, model=load_model(data))
    assert a.recommended is None
    assert any(c["id"] == "C-ALL" for c in a.contradictions)
    assert a.checklist == []
    json.dumps(a.to_dict())


def test_contradictions_flagged(model):
    """result_now with minutes of work is the C-1 contradiction; atomic flags REDESIGN."""
    a = assess(
        {
            "characteristics": {
                "response_expectation": "result_now",
                "process_duration": "minutes",
                "consistency": "atomic",
            }
        },
        samples=0,
        model=model,
    )
    ids = {c["id"] for c in a.contradictions}
    assert {"C-1", "REDESIGN"} <= ids


@pytest.mark.parametrize(
    ("connection", "pitfall"),
    [
        ({"characteristics": {"latency_budget": "seconds", "freshness_value": 1}}, "P-03"),
        ({"characteristics": {"latency_budget": "hours"}, "stated": {"latency_budget": "seconds"}}, "P-03"),
        ({"characteristics": {"process_duration": "hours"}, "stated": {"response_expectation": "result_now"}}, "P-04"),
        (
            {
                "characteristics": {"response_expectation": "result_now", "interaction_intent": "command"},
                "proposed": "events",
            },
            "P-05",
        ),
        (
            {
                "characteristics": {"response_expectation": "result_now", "interaction_intent": "query"},
                "proposed": "events",
            },
            "P-06",
        ),
        ({"characteristics": {}, "proposed": "shared_database"}, "P-07"),
        (
            {
                "characteristics": {"coordinated_steps": 1, "consistency": "eventual", "human_step": False},
                "proposed": "workflow",
            },
            "P-08",
        ),
        (
            {
                "characteristics": {"coordinated_steps": 6, "visibility": "end_to_end"},
                "sub": {"step_dependency": "sequential"},
                "proposed": "events",
            },
            "P-09",
        ),
        (
            {
                "characteristics": {
                    "delivery_criticality": "critical",
                    "interaction_intent": "fact_notification",
                    "consumer_count": 5,
                },
                "proposed": {"pattern": "events", "idempotency_key": False},
            },
            "P-12",
        ),
        ({"characteristics": {"consistency": "atomic"}, "proposed": "events"}, "P-13"),
        ({"characteristics": {"counterpart_capability": "file_only", "freshness_value": 5}}, "P-27"),
    ],
)
def test_pitfalls_fire_with_reference_ids(model, connection, pitfall):
    """Each pitfall detector fires on its trigger, with id, message and fix."""
    a = assess(connection, samples=0, model=model)
    hits = {p["id"]: p for p in a.pitfalls}
    assert pitfall in hits
    assert hits[pitfall]["message"] and hits[pitfall]["fix"]


def test_unknown_idempotency_key_is_a_check_not_a_pitfall(model):
    """Nobody said the design lacks an idempotency key: P-12 is not raised, K-IDEMPOTENCY asks."""
    chars = {"delivery_criticality": "critical", "interaction_intent": "fact_notification", "consumer_count": 5}
    a = assess({"characteristics": chars}, samples=0, model=model)
    assert "P-12" not in {p["id"] for p in a.pitfalls}
    check = next(c for c in a.checks if c["id"] == "K-IDEMPOTENCY")
    assert check["question"].endswith("?") and "P-12" in check["why"]
    data = a.to_dict()
    assert data["checks"] == a.checks


def test_ordering_on_events_recommends_a_flavour_that_keeps_order(model):
    """Per-key order on a fact for several receivers: a stream, said so; no P-20 from our own choice."""
    chars = {**BASE, "response_expectation": "none", "interaction_intent": "fact_notification", "consumer_count": 4,
             "ordering": "per_key"}  # fmt: skip
    a = assess({"characteristics": chars}, samples=0, model=model)
    assert a.recommended == "events" and a.messaging_flavour == "stream"
    assert "order" in a.flavour_detail["reason"].lower()
    assert "P-20" not in {p["id"] for p in a.pitfalls}


def test_nightly_batch_copy_for_lookups_is_the_replication_pitfall(model):
    """Copying data by a nightly batch to answer on-demand lookups is P-06, as by events."""
    chars = {"response_expectation": "result_now", "interaction_intent": "query"}
    a = assess({"characteristics": chars, "proposed": "batch"}, samples=0, model=model)
    assert "P-06" in {p["id"] for p in a.pitfalls}


def test_request_reply_over_a_broker_for_a_query_is_the_interactive_async_pitfall(model):
    """A waiting caller asking a query over a broker is P-05."""
    chars = {"response_expectation": "result_now", "interaction_intent": "query"}
    a = assess({"characteristics": chars, "proposed": "events"}, samples=0, model=model)
    assert "P-05" in {p["id"] for p in a.pitfalls}


def test_no_pitfall_from_the_tools_own_recommendation(model):
    """API recommended for three steps does not raise the synchronous-chain pitfall by itself."""
    chars = {"response_expectation": "result_now", "latency_budget": "subsecond", "coordinated_steps": 3,
             "process_duration": "subsecond", "consistency": "none"}  # fmt: skip
    a = assess({"characteristics": chars}, samples=0, model=model)
    assert a.recommended == "api"
    assert "P-01" not in {p["id"] for p in a.pitfalls}
    proposed = assess({"characteristics": chars, "proposed": "api"}, samples=0, model=model)
    assert "P-01" in {p["id"] for p in proposed.pitfalls}


def test_idempotency_key_silences_exactly_once_pitfall(model):
    """P-12 is quiet once the design declares an idempotency key."""
    chars = {"delivery_criticality": "critical", "interaction_intent": "fact_notification", "consumer_count": 5}
    a = assess(
        {"characteristics": chars, "proposed": {"pattern": "events", "idempotency_key": True}}, samples=0, model=model
    )
    assert "P-12" not in {p["id"] for p in a.pitfalls}


def test_coordination_signals_explain_the_style(model, examples):
    """The coordination sub-decision lists the signals that decided it."""
    a = assess(examples["customer-onboarding"], samples=0, model=model)
    detail = a.coordination_detail
    assert detail["style"] == "orchestration" and detail["score"] > 0
    assert any(s["id"] == "human_step" for s in detail["signals"])


def test_no_coordination_for_single_step(model, examples):
    """A one-step connection has no orchestration-vs-choreography sub-decision."""
    a = assess(examples["checkout-price-lookup"], samples=0, model=model)
    assert a.coordination is None and a.coordination_detail is None


def test_checklist_of_recommended_pattern(model, examples):
    """The checklist is the recommended pattern's, plus choreography add-ons when choreographed."""
    a = assess(examples["shipment-reaction-chain"], samples=0, model=model)
    ids = [i["id"] for i in a.checklist]
    assert ids[0] == "EVT-1" and any(i.startswith("CHO-") for i in ids)


def test_to_dict_matches_the_json_contract(model, examples):
    """to_dict() has the contract's keys and is JSON-serialisable."""
    a = assess(examples["order-created-fanout"], samples=300, model=model)
    data = json.loads(json.dumps(a.to_dict()))
    for key in (
        "recommended",
        "coordination",
        "messaging_flavour",
        "scores",
        "knocked_out",
        "acceptability",
        "contributions",
        "pitfalls",
        "contradictions",
        "checklist",
        "unanswered",
        "model_version",
    ):
        assert key in data
    assert data["model_version"] == model.version
    assert data["recommended"] == "events"


def test_samples_zero_skips_robustness(model, examples):
    """samples=0 gives no robustness and null acceptabilities."""
    a = assess(examples["order-created-fanout"], samples=0, model=model)
    assert a.robustness is None
    assert set(a.acceptability.values()) == {None}


def test_custom_weights_change_the_result(model):
    """Weights matter: the same answers can flip with different priorities."""
    chars = {
        "response_expectation": "ack_only",
        "consumer_count": 6,
        "human_step": False,
        "visibility": "none",
        "coordinated_steps": 4,
        "consumer_churn": "high",
    }
    default = assess({"characteristics": chars}, samples=0, model=model)
    tilted = assess(
        {"characteristics": chars}, weights={"visibility": 12, "coordinated_steps": 12}, samples=0, model=model
    )
    assert default.recommended == "events"
    assert tilted.recommended == "workflow"


@pytest.mark.parametrize(
    ("weights", "what"),
    [
        ({"consumer_count": -1}, "≥ 0"),
        ({"consumer_count": float("nan")}, "≥ 0"),
        ({"consumer_count": "high"}, "not a number"),
        ({"consumer_cnt": 2}, "did you mean 'consumer_count'"),
        (
            dict.fromkeys(
                (
                    "response_expectation",
                    "latency_budget",
                    "freshness_value",
                    "interaction_intent",
                    "consumer_count",
                    "consumer_churn",
                    "data_volume",
                    "load_profile",
                    "coordinated_steps",
                    "process_duration",
                    "human_step",
                    "consistency",
                    "ordering",
                    "delivery_criticality",
                    "temporal_decoupling",
                    "visibility",
                    "replay_needed",
                    "counterpart_capability",
                ),
                0,
            ),
            "all weights are zero",
        ),
    ],
)
def test_bad_weights_are_refused(model, weights, what):
    """Negative, NaN, non-numeric, unknown and all-zero weights raise InputError."""
    from patternfit.errors import InputError

    with pytest.raises(InputError, match=what):
        assess({"characteristics": {"consumer_count": 3}}, weights=weights, samples=0, model=model)


def test_flavour_follows_the_recommendation_not_the_proposal(model, examples):
    """A proposal of batch does not hide the messaging flavour of an events recommendation."""
    from patternfit.model.connection import load_connection

    data = load_connection(examples["order-created-fanout"], model).to_dict()
    a = assess({**data, "proposed": "batch"}, samples=0, model=model)
    assert a.recommended == "events"
    assert a.messaging_flavour == "topic"
