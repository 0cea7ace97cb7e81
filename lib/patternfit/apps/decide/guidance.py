"""What the decide page says about an assessment besides the pattern, without widgets: the
decision state in words, the questions to ask next, the questions that cannot matter, and at
each question what its current answer does.

It reads the engine's ``Assessment.state``, ``.ask_next``, ``.conditional`` and ``.checks``
(issues 12 and 13): the page decides nothing the engine did not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from patternfit.engine.assess import Assessment
from patternfit.engine.results import Conditional, Reason
from patternfit.model.catalog import Model

STATES = ("settled", "open", "conflict")
SUB = "sub."
ASK_SHOWN = 2  # how many next questions the guided panel shows (with the one just answered: 3 rows)


@dataclass(frozen=True)
class Change:
    value: Any
    recommended: str | None


@dataclass(frozen=True)
class Ask:
    """A question worth answering next (`key`, or ``sub.<key>`` for a coordination input) and
    the answers that would change the winner."""

    key: str
    changes: tuple[Change, ...] = ()

    @property
    def question_key(self) -> str:
        return self.key[len(SUB) :] if self.key.startswith(SUB) else self.key


@dataclass(frozen=True)
class Guidance:
    state: str  # settled | open | conflict (None-free: no assessment reads as "open")
    ask_next: tuple[Ask, ...]
    cannot_matter: frozenset[str]  # unanswered keys that make no difference now (see questions.py)
    conditional: dict[str, list[Conditional]] = field(default_factory=dict)  # pattern → unsure-only KOs
    checks: tuple[Any, ...] = ()


def _engine_asks(raw: Sequence[Any]) -> tuple[Ask, ...]:
    asks = []
    for item in raw:
        if isinstance(item, str):
            asks.append(Ask(item))
        elif isinstance(item, Mapping) and "key" in item:
            changes = tuple(
                Change(c.get("value"), c.get("recommended"))
                for c in item.get("changes") or ()
                if isinstance(c, Mapping)
            )
            asks.append(Ask(str(item["key"]), changes))
    return tuple(asks)


def guidance(a: Assessment | None, model: Model) -> Guidance:
    """The state, the next questions and the questions that cannot matter for `a`, from the
    engine's ``state``, ``ask_next``, ``conditional`` and ``checks``."""
    if a is None:
        first = tuple(Ask(q.key) for q in model.characteristics[:ASK_SHOWN])
        return Guidance("open", first, frozenset())
    asks = _engine_asks(a.ask_next) if a.state != "settled" else ()
    asked = {x.question_key for x in asks}
    # open: the exact state asks every question whose answer can shrink a way to change the
    # result, so the others make no difference now; in a conflict nothing is folded
    cannot = frozenset(k for k in a.unanswered if k not in asked) if a.state != "conflict" else frozenset()
    state = a.state if a.state in STATES else "open"
    return Guidance(state, asks, cannot, dict(a.conditional), tuple(a.checks))


@dataclass(frozen=True)
class Effect:
    """What a question's current answer does: a sentence, and whether it asks to be confirmed
    (an answer marked unsure that knocks out a pattern)."""

    text: str
    confirm: bool = False


def effects(a: Assessment | None, model: Model, g: Guidance | None = None) -> dict[str, Effect]:
    """Question key → what its answer does now ("rules out Batch and Events — KO-1")."""
    if a is None:
        return {}
    c = a.connection
    fired: dict[str, list[str]] = {}  # KO id → patterns it rules out here
    ruled: dict[str, Sequence[Reason | Conditional]] = {**a.knocked_out, **(g.conditional if g else {})}
    for pattern, reasons in ruled.items():
        for r in reasons:
            fired.setdefault(str(r.get("id")), []).append(pattern)
    conditional_ids = {str(r.get("id")) for rs in (g.conditional.values() if g else ()) for r in rs}
    found: dict[str, tuple[list[str], list[str], bool]] = {}  # key → (KO ids, patterns, unsure)
    for ko in model.knockouts:
        if ko.id not in fired:
            continue
        for key in ko.when.fields:
            if key not in c.characteristics:
                continue
            ids, patterns, _ = found.setdefault(key, ([], [], False))
            ids.append(ko.id)
            patterns += [p for p in fired[ko.id] if p not in patterns]
            found[key] = (ids, patterns, key in c.unsure or ko.id in conditional_ids)
    result: dict[str, Effect] = {}
    for key, (ids, patterns, unsure) in found.items():
        ordered = tuple(p for p in model.pattern_keys if p in patterns)
        names = _and([model.pattern(p).label for p in ordered])
        if unsure:
            text = f"marked not sure, yet it would rule out {names} ({', '.join(ids)}): confirm it or change it"
            result[key] = Effect(text, True)
        else:
            result[key] = Effect(f"rules out {names} — {', '.join(ids)}")
    if g is not None:
        _can_change(g, model, result)
    return result


def _can_change(g: Guidance, model: Model, result: dict[str, Effect]) -> None:
    """Add "can change the result: …" for the questions asked next whose answer would."""
    for ask in g.ask_next:
        key = ask.question_key
        if key in result or not ask.changes:
            continue
        q = model.question(key)
        winners = _and(
            [
                f"{_value_label(q, ch.value)} → {model.pattern(ch.recommended).label}"
                for ch in ask.changes[:3]
                if ch.recommended
            ]
        )
        if winners:
            result[key] = Effect(f"can change the result: {winners}")


def _value_label(q: Any, value: Any) -> str:
    if q.scale.type == "boolean" and not q.value_labels:
        return "Yes" if value else "No"
    return str(q.value_label(value))


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
