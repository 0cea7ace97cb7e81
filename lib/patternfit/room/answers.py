"""A participant's posted answers, checked against the catalog at the edge: one `AnswerSet` out, or
an `InputError` naming the key and what it allows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.model.catalog import Model, Question
from patternfit.model.connection import coerce_answer
from patternfit.room.store import AnswerSet

PARTICIPANT = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ROLES = (
    "ops",
    "development",
    "business",
    "security",
    "architecture",
    "data",
    "product",
)  # suggestions; any short text goes
MAX_TEXT = 60


def room_questions(model: Model) -> dict[str, Question]:
    """Every question a phone may answer, by its key (`sub.<key>` for the coordination inputs)."""
    return {q.key: q for q in model.characteristics} | {f"sub.{q.key}": q for q in model.sub_inputs}


def parse_answer_set(data: Any, model: Model) -> AnswerSet:
    """Check a posted body `{participant, answers, unsure, role?, name?}`; InputError names the key."""
    if not isinstance(data, Mapping):
        raise InputError("body", "must be a JSON object", 'send {"participant": …, "answers": {…}, "unsure": […]}')
    for key in data:
        if key not in ("participant", "answers", "unsure", "role", "name"):
            raise InputError(
                str(key), "unknown field", allowed_text(("participant", "answers", "unsure", "role", "name"))
            )
    participant = data.get("participant")
    if not isinstance(participant, str) or not PARTICIPANT.match(participant):
        raise InputError("participant", "must be 8–64 letters, digits, '-' or '_'", "send the id the page keeps")
    questions = room_questions(model)
    raw = data.get("answers", {})
    if not isinstance(raw, Mapping):
        raise InputError("answers", "must be an object of key: value", 'e.g. {"response_expectation": "none"}')
    answers: dict[str, Any] = {}
    for key, value in raw.items():
        question = questions.get(key)
        if question is None:
            raise InputError(str(key), f"unknown question{did_you_mean(key, questions)}", allowed_text(questions))
        if value is not None:
            answers[key] = coerce_answer(question, value, key)
    unsure = data.get("unsure", [])
    if not isinstance(unsure, list) or any(not isinstance(k, str) or k not in questions for k in unsure):
        bad = (
            unsure
            if not isinstance(unsure, list)
            else next(k for k in unsure if not isinstance(k, str) or k not in questions)
        )
        raise InputError("unsure", f"{bad!r} is not a question key", 'list question keys, e.g. ["freshness_value"]')
    return AnswerSet(
        participant,
        answers,
        tuple(dict.fromkeys(unsure)),
        role=_short_text(data.get("role"), "role"),
        name=_short_text(data.get("name"), "name"),
    )


def _short_text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise InputError(key, f"must be text of at most {MAX_TEXT} characters", f"e.g. {ROLES[0]}")
    return " ".join(value.split())
