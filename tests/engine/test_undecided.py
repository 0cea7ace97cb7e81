"""Undecided (issue 20 part 5, engine/undecided.py): too few answers that speak, or a tie of the best fits.

`assess` says so in `Assessment.undecided` (and its JSON), keeping the pattern it shows; the estate
leaves `recommended` blank — tests/estate/test_estate_score.py checks the two agree row by row."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from patternfit.engine.assess import assess_connection
from patternfit.engine.undecided import speaks

from tests.strategies import MODEL, connections


def test_nothing_answered_is_undecided_and_names_what_to_ask(model):
    """No answer: undecided, no answer speaks, every pattern contends, three questions to ask (by key)."""
    result = assess_connection({"name": "blank", "characteristics": {}}, samples=0)
    assert result.undecided == {
        "reason": "few_answers",
        "message": "no answer tells the patterns apart yet",
        "speaking": 0,
        "needed": 2,
        "patterns": ["api", "events", "batch", "workflow"],
        "ask": result.undecided["ask"],
    }
    ask = result.undecided["ask"]
    assert len(ask) == model.policy.undecided_ask == 3 and len(set(ask)) == 3
    assert set(ask) <= set(model.keys) and result.to_dict()["undecided"] == result.undecided


def test_one_answer_is_a_hint_not_a_recommendation(model):
    """One answer that speaks (a caller waits): undecided, the live patterns contend, the answered key not asked."""
    result = assess_connection({"name": "one", "characteristics": {"response_expectation": "result_now"}}, samples=0)
    assert result.undecided is not None and result.undecided["reason"] == "few_answers"
    assert result.undecided["message"] == "only 1 answer tells the patterns apart (2 needed)"
    assert result.undecided["patterns"] == ["api", "workflow"]  # KO-1 rules out batch and events
    assert "response_expectation" not in result.undecided["ask"]


def test_a_neutral_answer_does_not_speak(model):
    """An answer whose fits are equal for all patterns does not count towards min_answers."""
    w = model.weights
    table = speaks(w, model)
    neutral = [(c, level) for c in range(len(model.keys)) for level in range(model.characteristics[c].scale.levels)
               if not table[c, level]]  # fmt: skip
    assert neutral, "the model has no neutral answer to test with"
    c, level = neutral[0]
    key, value = model.keys[c], model.characteristics[c].scale.values[level]
    result = assess_connection(
        {"name": "n", "characteristics": {key: value, "response_expectation": "result_now"}}, samples=0
    )
    assert result.undecided is not None and result.undecided["speaking"] == 1


def test_two_answers_that_speak_decide(examples):
    """Two answers that speak and no tie: decided (None), even while the state is open."""
    result = assess_connection(
        {"name": "two", "characteristics": {"response_expectation": "result_now", "interaction_intent": "query"}},
        samples=0,
    )
    assert result.undecided is None and result.recommended == "api"


def test_a_tie_with_every_answer_given_is_undecided(model):
    """INT-044 of the example inventory: all 18 answered, Events and Workflow tie; nothing open to ask."""
    answers = {
        "response_expectation": "ack_only", "latency_budget": "seconds", "freshness_value": 5,
        "interaction_intent": "command", "consumer_count": 1, "consumer_churn": "low", "data_volume": "single",
        "load_profile": "bursty", "coordinated_steps": 3, "process_duration": "seconds", "human_step": False,
        "consistency": "compensable", "ordering": "per_key", "delivery_criticality": "critical",
        "temporal_decoupling": True, "visibility": "end_to_end", "replay_needed": False,
        "counterpart_capability": "any",
    }  # fmt: skip
    result = assess_connection({"name": "leaver", "characteristics": answers}, samples=0)
    assert result.undecided is not None
    assert result.undecided["reason"] == "tie" and result.undecided["patterns"] == ["events", "workflow"]
    assert result.undecided["message"] == "Events and Workflow fit equally well" and result.undecided["ask"] == []
    assert result.tie is not None and result.state != "settled"


def test_a_higher_threshold_in_the_policy_widens_undecided(model):
    """min_answers is read from the model's policy: at 3, two answers that speak are undecided."""
    strict = dataclasses.replace(model, policy=dataclasses.replace(model.policy, min_answers=3))
    data = {"name": "two", "characteristics": {"response_expectation": "result_now", "interaction_intent": "query"}}
    result = assess_connection(data, samples=0, model=strict)
    assert result.undecided is not None and result.undecided["needed"] == 3


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(connections())
def test_undecided_follows_its_definition(data):
    """Property: undecided exactly when fewer than min_answers answers speak or the best live fits tie."""
    result = assess_connection(data, samples=0)
    w = MODEL.weights
    table = speaks(w, MODEL)
    speaking = 0
    for c, key in enumerate(MODEL.keys):
        if key in result.connection.characteristics:
            speaking += bool(table[c, MODEL.characteristics[c].scale.level_of(result.connection.characteristics[key])])
    live = [s for s in result.scores.values() if s is not None]
    if not live:
        assert result.undecided is None
        return
    tie = sum(s >= max(live) - 1e-4 for s in live) > 1
    few = speaking < MODEL.policy.min_answers
    assert (result.undecided is not None) == (few or tie) or abs(sorted(live)[-1] - sorted(live)[-2]) < 2e-4
    if result.undecided is not None:
        assert result.undecided["speaking"] == speaking
        assert result.undecided["reason"] == ("few_answers" if few else "tie")
        assert not set(result.undecided["ask"]) & set(result.connection.characteristics)
