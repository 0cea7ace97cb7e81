"""The room as a decision record keeps it: how many took part, each dispute with its spread and how
it was settled, and the dissent in words (the record's text and its `patternfit` block's `room`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from patternfit.engine.assess import assess_connection
from patternfit.model.catalog import Model
from patternfit.room.analysis import RoomAnalysis
from patternfit.room.answers import room_questions
from patternfit.room.pages import pattern_label, value_label


def room_summary(analysis: RoomAnalysis, model: Model, room_id: str = "") -> dict[str, Any]:
    """A plain mapping for the record: numbers and words, nobody's id or name."""
    questions = room_questions(model)
    disputes = []
    keys = [*analysis.settled, *(d.key for d in analysis.disputes if d.key not in analysis.settled)]
    by_key = {d.key: d for d in analysis.disputes}
    for key in keys:
        if key not in analysis.spread or key not in questions:
            continue
        q = questions[key]
        spread = {value_label(q, v): n for v, n in analysis.spread[key].items()}
        fixed = analysis.settled.get(key)
        if fixed is not None:
            agreed = "not sure" if fixed.get("value") is None else value_label(q, _text(fixed["value"]))
            settled = f"settled: {agreed}" + (
                " (marked not sure)" if fixed.get("unsure") and fixed.get("value") else ""
            )
            keep = None if fixed.get("value") is None else _text(fixed["value"])
        elif key in analysis.split:
            settled = "not settled: the room was split, so the answer was left out"
            keep = None
        else:
            majority = by_key[key].majority
            settled = f"not settled: the majority, {value_label(q, majority)}, was taken and marked not sure"
            keep = majority
        dissent = [
            f"{n} answered {value_label(q, v)} (which gives {pattern_label(model, outcome(analysis, key, v, model))})"
            for v, n in analysis.spread[key].items()
            if keep is None or v != keep
        ]
        disputes.append({"key": key, "label": q.label, "spread": spread, "unsure": analysis.unsure.get(key, 0),
                         "settled": settled, "dissent": dissent})  # fmt: skip
    return {
        "room": room_id,
        "participants": analysis.participants,
        "roles": dict(analysis.roles),
        "shares": {pattern_label(model, p): s for p, s in analysis.shares.items()},
        "recommended": analysis.recommended,
        "state": analysis.state,
        "disputes": disputes,
    }


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def outcome(analysis: RoomAnalysis, key: str, text: str, model: Model) -> str | None:
    """The pattern the room's combined answers give with `key` answered `text` (sure)."""
    question = room_questions(model)[key]
    value: Any = (
        int(text)
        if question.scale.type == "integer"
        else next((v for v in question.scale.values if _text(v) == text), text)
    )
    c = analysis.combined
    characteristics, sub = dict(c.characteristics), dict(c.sub)
    (sub if key.startswith("sub.") else characteristics)[key.removeprefix("sub.")] = value
    unsure = tuple(k for k in c.unsure if k != key)
    trial = dataclasses.replace(c, characteristics=characteristics, sub=sub, unsure=unsure)
    return assess_connection(trial, samples=0, model=model).recommended


def room_lines(room: Mapping[str, Any]) -> tuple[str, ...]:
    """The room in sentences, for the record's text."""
    people = int(room.get("participants", 0))
    roles = ", ".join(f"{r} {n}" for r, n in dict(room.get("roles", {})).items())
    shares = ", ".join(f"{p} {round(100 * float(s))} %" for p, s in dict(room.get("shares", {})).items())
    lines = [f"{people} people answered in the room" + (f" ({roles})" if roles else "") + "."]
    if shares:
        lines.append(f"Their own answers gave: {shares}.")
    for d in room.get("disputes", []):
        spread = ", ".join(f"{v} {n}" for v, n in dict(d.get("spread", {})).items())
        unsure = f"; not sure {d['unsure']}" if d.get("unsure") else ""
        dissent = f" Dissent: {'; '.join(d['dissent'])}." if d.get("dissent") else ""
        lines.append(f"{d.get('label', d.get('key'))} — answers: {spread}{unsure}; {d.get('settled', '')}.{dissent}")
    if not room.get("disputes"):
        lines.append("No disagreement in the room changed the recommendation.")
    return tuple(lines)
