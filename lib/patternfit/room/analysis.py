"""What a room's answers say together: the spread of each answer, the disputes whose outcome can
change the recommendation (most consequential first), the share of the room under each pattern,
whose view would flip it, and the recommendation of the room's combined answers.

Every outcome is the engine's own: `assess_connection(…, samples=0)` per participant, per disputed value and
for the combined answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from patternfit.engine.assess import Assessment, assess_connection
from patternfit.model.catalog import Model, Question, load_model
from patternfit.model.connection import Connection
from patternfit.room.answers import parse_answer_set, room_questions
from patternfit.room.store import AnswerSet

NO_ROLE = "no role given"


@dataclass(frozen=True, slots=True)
class Dispute:
    """A question the room disagrees on whose answer can change the recommendation."""

    key: str
    label: str
    spread: Mapping[str, int]
    unsure: int
    majority: str
    outcomes: Mapping[str, str | None]  # value → the pattern the combined answers give with it
    value_of_information: float  # share of the key's answers that lead elsewhere than the majority's outcome
    flips: tuple[Mapping[str, Any], ...] = ()  # [{role, value, recommended, state}] a group whose view changes it

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "label": self.label, "spread": dict(self.spread), "unsure": self.unsure,
            "majority": self.majority, "outcomes": dict(self.outcomes),
            "value_of_information": self.value_of_information, "flips": [dict(f) for f in self.flips],
        }  # fmt: skip


@dataclass(frozen=True)
class RoomAnalysis:
    """The room's analysis; `to_dict()` is `patternfit room report --format json`."""

    participants: int
    spread: Mapping[str, Mapping[str, int]]
    unsure: Mapping[str, int]
    disputes: tuple[Dispute, ...]
    shares: Mapping[str, float]
    combined: Connection
    assessment: Assessment
    settled: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    roles: Mapping[str, int] = field(default_factory=dict)
    revealed: bool = False
    split: tuple[str, ...] = ()  # disputed keys with no majority (a tie): left out of the combined answers

    @property
    def recommended(self) -> str | None:
        return self.assessment.recommended

    @property
    def state(self) -> str:
        return self.assessment.state

    def to_dict(self) -> dict[str, Any]:
        return {
            "participants": self.participants,
            "roles": dict(self.roles),
            "spread": {k: dict(v) for k, v in self.spread.items()},
            "unsure": dict(self.unsure),
            "disputes": [d.to_dict() for d in self.disputes],
            "shares": dict(self.shares),
            "recommended": self.recommended,
            "coordination": self.assessment.coordination,
            "messaging_flavour": self.assessment.messaging_flavour,
            "state": self.state,
            "combined": self.combined.to_dict(),
            "split": list(self.split),
            "settled": {k: dict(v) for k, v in self.settled.items()},
            "revealed": self.revealed,
        }


def value_text(value: Any) -> str:
    """An answer as the spread's key: true/false, a number, or the catalog value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def representative(question: Question, value: Any) -> Any:
    """An integer answer by its bucket (the bucket's smallest number), so 4 and 5 agree in '3–5'."""
    scale = question.scale
    if scale.type != "integer" or not scale.bucket_max:
        return value
    level = scale.level_of(value)
    if level == 0:
        return scale.minimum if scale.minimum is not None else value
    previous = scale.bucket_max[level - 1]
    return value if previous is None else previous + 1


def _connection(answers: Mapping[str, Any], unsure: Iterable[str], base: Connection) -> Connection:
    characteristics = {k: v for k, v in answers.items() if not k.startswith("sub.")}
    sub = {k[4:]: v for k, v in answers.items() if k.startswith("sub.")}
    marked = tuple(k for k in dict.fromkeys(unsure) if k in answers)
    return Connection(base.name, base.description, base.source, base.target, characteristics, sub, unsure=marked)


def _headline(a: Assessment) -> str | None:
    return a.recommended


def assess_room(
    answer_sets: Iterable[AnswerSet | Mapping[str, Any]],
    *,
    connection: Connection | None = None,
    settled: Mapping[str, Mapping[str, Any]] | None = None,
    revealed: bool = False,
    model: Model | None = None,
) -> RoomAnalysis:
    """Analyse a room's answer sets (`AnswerSet`s or the phones' JSON bodies). `connection` lends its
    name and description; `settled` holds the disputes the facilitator settled (key → {value, unsure}).

    The combined answers take each agreed value; a disputed key its majority, marked unsure; a key
    the room is split on with no majority is left out (unanswered) until settled — in simulated
    pairs of noisy readers of tests/corpus/reading that reached the expected pattern more often
    than breaking the tie by the scale's order (bench_room)."""
    model = model or load_model()
    base = connection or Connection()
    settled = dict(settled or {})
    questions = room_questions(model)
    sets = [s if isinstance(s, AnswerSet) else parse_answer_set(s, model) for s in answer_sets]
    sets = [s for s in sets if s.answered]
    normal = [{k: representative(questions[k], v) for k, v in s.answers.items() if k in questions} for s in sets]

    spread: dict[str, dict[str, int]] = {}
    unsure: dict[str, int] = {}
    values: dict[str, Counter[Any]] = {}
    for key, question in questions.items():
        counts: Counter[Any] = Counter(a[key] for a in normal if key in a)
        marked = sum(1 for s in sets if key in s.unsure)
        if counts:
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], _order(question, kv[0])))
            values[key] = Counter(dict(ordered))
            spread[key] = {value_text(v): n for v, n in ordered}
        if marked:
            unsure[key] = marked

    combined_answers: dict[str, Any] = {}
    combined_unsure: list[str] = []
    split: list[str] = []
    for key, counts in values.items():
        majority = next(iter(counts))
        fixed = settled.get(key)
        if fixed is not None and fixed.get("value") is not None:
            combined_answers[key] = questions[key].scale.coerce(fixed["value"])
            if fixed.get("unsure"):
                combined_unsure.append(key)
            continue
        top = list(counts.values())
        if len(top) > 1 and top[0] == top[1]:  # split with no majority: the room's answer is left out
            split.append(key)
            continue
        combined_answers[key] = majority
        answered_here = sum(counts.values())
        if len(counts) > 1 or (fixed is not None and fixed.get("unsure")) or unsure.get(key, 0) * 2 > answered_here:
            combined_unsure.append(key)
    combined = _connection(combined_answers, combined_unsure, base)
    assessment = assess_connection(combined, samples=0, model=model)

    disputes = []
    for key, counts in values.items():
        if len(counts) < 2 or key in settled:
            continue
        outcomes = {}
        states: dict[Any, str] = {}
        for value in counts:
            trial = _connection({**combined_answers, key: value}, [k for k in combined_unsure if k != key], base)
            result = assess_connection(trial, samples=0, model=model)
            outcomes[value] = _headline(result)
            states[value] = result.state
        if len(set(outcomes.values())) < 2:
            continue
        majority = next(iter(counts))
        total = sum(counts.values())
        elsewhere = sum(n for v, n in counts.items() if outcomes[v] != outcomes[majority])
        flips = _flips(key, sets, normal, outcomes, states, assessment.recommended)
        disputes.append(Dispute(
            key, questions[key].label, spread[key], unsure.get(key, 0), value_text(majority),
            {value_text(v): p for v, p in outcomes.items()}, round(elsewhere / total, 4), flips,
        ))  # fmt: skip
    order = list(questions)
    disputes.sort(key=lambda d: (-d.value_of_information, order.index(d.key)))

    own = Counter(
        _headline(assess_connection(_connection(s.answers, s.unsure, base), samples=0, model=model)) for s in sets
    )
    shares = {p: round(own[p] / len(sets), 4) for p in model.pattern_keys if own[p]} if sets else {}
    roles = Counter(s.role or NO_ROLE for s in sets)
    return RoomAnalysis(len(sets), spread, unsure, tuple(disputes), shares, combined, assessment, settled,
                        dict(roles), revealed, tuple(split))  # fmt: skip


def _order(question: Question, value: Any) -> int:
    values = question.scale.values
    if question.scale.type == "integer":
        return question.scale.level_of(value)
    return values.index(value) if value in values else len(values)


def _flips(
    key: str,
    sets: list[AnswerSet],
    normal: list[dict[str, Any]],
    outcomes: Mapping[Any, str | None],
    states: Mapping[Any, str],
    current: str | None,
) -> tuple[dict[str, Any], ...]:
    """Each role whose own majority answer to `key` would give another pattern than the room's."""
    by_role: dict[str, Counter[Any]] = {}
    for s, answers in zip(sets, normal, strict=True):
        if key in answers and s.role:
            by_role.setdefault(s.role, Counter())[answers[key]] += 1
    flips = []
    for role, counts in sorted(by_role.items()):
        value, _ = counts.most_common(1)[0]
        if outcomes.get(value) != current:
            flips.append({"role": role, "value": value_text(value), "recommended": outcomes.get(value),
                          "state": states.get(value, "open")})  # fmt: skip
    return tuple(flips)
