"""patternfit.room.answers: what a phone may post, checked into an AnswerSet."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError
from patternfit.room.answers import parse_answer_set, room_questions


def test_every_characteristic_and_coordination_input_may_be_answered(model):
    """The phone's questions are the catalog's characteristics plus `sub.` coordination inputs."""
    questions = room_questions(model)
    assert set(model.keys) <= set(questions)
    assert {f"sub.{q.key}" for q in model.sub_inputs} <= set(questions)


def test_a_posted_body_is_coerced_and_tidied(model):
    """Answers take their canonical value, a null answer is left out, unsure keys are kept once, text tidied."""
    body = {
        "participant": "phone-1234",
        "answers": {"consumer_count": 6, "human_step": None, "latency_budget": "seconds"},
        "unsure": ["latency_budget", "latency_budget"],
        "role": "  ops  team ",
    }
    answer_set = parse_answer_set(body, model)
    assert answer_set.answers == {"consumer_count": 6, "latency_budget": "seconds"}
    assert answer_set.unsure == ("latency_budget",) and answer_set.role == "ops team"


@pytest.mark.parametrize(
    ("body", "where", "what"),
    [
        ([], "body", "must be a JSON object"),
        ({"participant": "x"}, "participant", "must be 8–64 letters"),
        ({"participant": "phone-1234", "answers": {"latency_budgt": "seconds"}}, "latency_budgt", "did you mean"),
        ({"participant": "phone-1234", "unsure": ["nope"]}, "unsure", "'nope' is not a question key"),
        ({"participant": "phone-1234", "role": "r" * 61}, "role", "at most 60 characters"),
        ({"participant": "phone-1234", "admin": True}, "admin", "unknown field"),
    ],
)
def test_a_bad_body_names_the_field(model, body, where, what):
    """Each bad part of a posted body is an InputError naming the field and what to send."""
    with pytest.raises(InputError) as raised:
        parse_answer_set(body, model)
    assert raised.value.where == where and what in raised.value.what
