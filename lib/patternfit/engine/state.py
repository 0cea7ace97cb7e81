"""The decision state, computed exactly: settled or open, what would change it (`flips`), and the
order of the next questions (`ask_next`).

Definitions (DESIGN.md, `state` and `flips`):

* A **completion** gives each unanswered question a value or leaves it unanswered (a person may
  stop at any time), and gives each answer marked unsure any of its values, now as given. An
  integer question ranges over every number a rule can tell apart, not only its buckets' tops.
  Completions that fire a contradiction the model flags as a conflict (a `conflict` contradiction
  of rules.yaml, or a knock-out's `flag`) are excepted: the model itself says those answers cannot
  hold together.
* The **headline changes** in a completion when the recommended pattern W is ruled out, when
  another pattern fits at least as well (a tie within `ties.epsilon` counts: a tie is never
  settled), when W is events and the messaging flavour differs, or when a coordination style is
  named and the completion names another one or none.
* **settled**: no completion changes the headline (and there is no tie and no conflict now);
  **open** otherwise.

How, exactly and without sampling. For a rival R, the sign of fit(R) − fit(W) + ε is the sign of
Σ_c w_c·(fit[c,x_c,R] − fit[c,x_c,W] + 2ε) over the answered c: the common denominator 2Σw
cancels and the tie's ε folds into each answered term; an unanswered question adds 0. So the
rival's best case is a sum of one term per question plus rule terms (a knock-out of R, a conflict)
worth 0 or −∞ that each read a few fields. Open questions that share a rule form a component; a
component's values are enumerated jointly (at most a few thousand rows), every other question takes
its own best value, and the best case is the sum of the components' maxima — exact. A knock-out of
W, another messaging flavour and another coordination style (the coordination score is a sum of
signals) are threats of the same form. Each threat's best completion is then cut down to the
smallest set of answers that still changes the headline, checked by scoring those answers the way
`assess` does: those sets are the **flips**.

**ask_next** orders the open questions by their *shrink*: averaged over a question's values
(uniformly, `unanswered` aside), summed over the live threats: 1 if that answer removes the
threat, plus how far it lowers the threat's best case (a rival's in fit units, 2Σw; clipped to 1),
plus `NARROW` × the share of the threat's ways (rows of its component that reach it) the answer
closes — so a threat that only two answers together can remove (a stream needs neither replay nor
per-key order) still points at both. Questions with no shrink make no difference now and are not
asked; coordination inputs count only when a named style rests on them (while the coordination
is a tie they come after everything else, to name a style). Over the reading corpus and the
examples, following ask_next settles in a median of 9 answers (bench/bench_ask.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

from patternfit.engine import kernel, rules, whatif
from patternfit.engine.results import NextQuestion
from patternfit.model.catalog import FLAVOURS, STYLES, Model
from patternfit.model.conditions import Frame
from patternfit.model.connection import Connection
from patternfit.model.scales import UNANSWERED, Scale

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
NEVER = -np.inf
MAX_FLIPS = 5
NARROW = 0.25  # the shrink's weight of an answer that narrows a threat without removing it
_ROW_LIMIT = 200_000  # a component larger than this is not enumerated (see `_Solver.best`)


@dataclass(frozen=True)
class Term:
    """A part of a threat's objective: reads `fields`, gives one number per row (−∞: not allowed)."""

    fields: frozenset[str]
    value: Callable[[Frame], Floats]


@dataclass(frozen=True)
class Threat:
    """One way the headline could change, with its best case over all completions."""

    kind: str  # rival | knockout | flavour | style
    target: str  # the rival pattern, knock-out id, flavour or style ("none" for no style)
    best: float  # ≥ 0: some completion does it
    scale: float  # the best case's unit, for the shrink
    by_option: dict[str, Floats]  # per open field: the best case with that field at each option
    choice: dict[str, int]  # the best completion: an option per open field
    gain: dict[str, float]  # per open field: what its chosen option adds over its current one
    # per field enumerated with others: the share of its rows that still reach the threat, at
    # each option, over the share among all rows (below 1: that answer narrows the threat)
    support: dict[str, Floats]


class Outcome(TypedDict):
    """The headline a set of answers gives, scored as `assess` would."""

    recommended: str | None
    tie: bool
    messaging_flavour: str | None
    coordination: str | None
    conflict: bool


class Found(Outcome):
    """A flip as found: the answers and the headline they give (`assess` phrases it)."""

    answers: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    """The state's parts: whether a completion changes the headline, the flips, the shrink."""

    open: bool
    flips: list[Found]
    shrink: dict[str, float]
    excepted: bool  # some completions were set aside as contradictory


@dataclass(frozen=True)
class _Tables:
    """Per model: every field's options and the conflict terms."""

    options: dict[str, tuple[npt.NDArray[np.int16], Floats]]  # field → (levels, numbers)
    conflicts: tuple[Term, ...]


_TABLES: weakref.WeakKeyDictionary[Model, _Tables] = weakref.WeakKeyDictionary()


def _numbers_in(spec: Any, name: str, out: set[float]) -> None:
    """Collect the numbers a condition compares `name` with."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == name:
                items = value.values() if isinstance(value, dict) else [value]
                for item in items:
                    for number in item if isinstance(item, list) else [item]:
                        if isinstance(number, (int, float)) and not isinstance(number, bool):
                            out.add(float(number))
            else:
                _numbers_in(value, name, out)
    elif isinstance(spec, list):
        for item in spec:
            _numbers_in(item, name, out)


def _integer_options(name: str, scale: Scale, specs: Sequence[Any]) -> list[float]:
    """Numbers that every rule reading `name` can tell apart: each bucket's representative, and
    each compared number with its neighbours (within the scale's minimum)."""
    tops = scale.bucket_max
    found = {float(top if top is not None else (tops[i - 1] or 0) + 1) for i, top in enumerate(tops)}
    compared: set[float] = set()
    for spec in specs:
        _numbers_in(spec, name, compared)
    for number in compared:
        found |= {number - 1, number, number + 1}
    low = scale.minimum if scale.minimum is not None else -np.inf
    return sorted(n for n in found if n >= low and float(n).is_integer())


def tables(model: Model) -> _Tables:
    cached = _TABLES.get(model)
    if cached is not None:
        return cached
    read: list[Any] = [*model.knockouts, *model.contradictions, *model.flavours, *model.coordination.signals]
    specs = [r.when.spec for r in read] + [model.coordination.applies_when.spec]
    options: dict[str, tuple[npt.NDArray[np.int16], Floats]] = {}
    for question in model.characteristics:
        scale = question.scale
        if scale.type == "integer":
            numbers = _integer_options(question.key, scale, specs)
            levels = [scale.level_of(n) for n in numbers]
            options[question.key] = (np.array(levels, np.int16), np.array(numbers, float))
        else:
            options[question.key] = (np.arange(scale.levels, dtype=np.int16), np.full(scale.levels, np.nan))
    for question in model.sub_inputs:
        count = question.scale.levels
        options[f"sub.{question.key}"] = (np.arange(count, dtype=np.int16), np.full(count, np.nan))
    conflicts = tuple(_forbid(r.when) for r in model.contradictions if r.conflict) + tuple(
        _forbid(k.when) for k in model.knockouts if k.flag
    )
    made = _Tables(options, conflicts)
    _TABLES[model] = made
    return made


def _forbid(when: Any) -> Term:
    return Term(when.fields, lambda frame: np.where(when(frame), NEVER, 0.0))


def _flavour_is(model: Model, code: int) -> Callable[[Frame], Floats]:
    return lambda frame: np.where(rules.flavour(frame, model) == code, 0.0, NEVER)


def _signal(when: Callable[[Frame], Bools], score: float) -> Callable[[Frame], Floats]:
    return lambda frame: np.where(when(frame), score, 0.0)


def _fires(term: Term) -> Callable[[Frame], Floats]:
    """0 where the conflict term forbids the row, −∞ elsewhere."""
    return lambda frame: np.where(term.value(frame) < 0, 0.0, NEVER)


def _require(when: Callable[[Frame], Bools], fields: frozenset[str]) -> Term:
    return Term(fields, lambda frame: np.where(when(frame), 0.0, NEVER))


@dataclass
class _Open:
    """The open fields of one connection: their options (the last one `unanswered` for an
    unanswered field) and the option each has now."""

    levels: dict[str, npt.NDArray[np.int16]]
    numbers: dict[str, Floats]
    current: dict[str, int]


def _open_fields(connection: Connection, model: Model, frame: Frame, *, subs: bool) -> _Open:
    made = tables(model)
    levels: dict[str, npt.NDArray[np.int16]] = {}
    numbers: dict[str, Floats] = {}
    current: dict[str, int] = {}
    names = list(model.keys) + ([f"sub.{q.key}" for q in model.sub_inputs] if subs else [])
    for name in names:
        answered = frame.code(name)[0] >= 0
        if answered and name not in connection.unsure:
            continue
        lv, nb = made.options[name]
        if answered:
            level = int(frame.code(name)[0])
            number = float(frame.number(name)[0]) if name in frame.numbers else np.nan
            if not np.isnan(number) and number not in nb:  # an unsure number no rule tells apart
                lv, nb = np.append(lv, np.int16(level)), np.append(nb, number)
            at = [i for i in range(len(lv)) if lv[i] == level and (np.isnan(number) or nb[i] == number)]
            current[name] = at[0]
        else:
            lv, nb = np.append(lv, np.int16(UNANSWERED)), np.append(nb, np.nan)
            current[name] = len(lv) - 1
        levels[name], numbers[name] = lv, nb
    return _Open(levels, numbers, current)


def _rows(base: Frame, n: int, fields: set[str], overrides: dict[str, tuple[Any, Any]]) -> Frame:
    """A frame of n rows reading `fields`: the overridden ones per row, the others as in `base`."""
    frame = Frame(n)
    for name in fields:
        if name in overrides:
            codes, numbers = overrides[name]
            frame.codes[name] = np.asarray(codes, np.int16)
            frame.numbers[name] = np.asarray(numbers, float)
        else:
            frame.codes[name] = np.repeat(base.code(name)[:1], n)
            if name in base.numbers:
                frame.numbers[name] = np.repeat(base.numbers[name][:1], n)
    return frame


_Rows = tuple[Floats, npt.NDArray[np.intp], list[str]]  # a component's values, option index, fields


def _best(
    fields: _Open, base: Frame, terms: Sequence[Term], additive: dict[str, Floats], constant: float = 0.0
) -> tuple[float, dict[str, Floats], dict[str, int], dict[str, Floats]]:
    """The largest Σ terms + Σ additive over all completions of the open fields: (best, per open
    field the best with that field at each option, one best completion, the support of each
    enumerated field — see `Threat`). Fields that share a term are enumerated together; the
    others take their own best option."""
    members, grouped, constants = _components(fields, terms, additive)
    if constants:
        one = _rows(base, 1, set().union(*(t.fields for t in constants)), {})
        constant += float(sum(t.value(one)[0] for t in constants))
    if constant == NEVER:
        return NEVER, {}, {}, {}
    parts: dict[str, float] = {}
    by_option: dict[str, Floats] = {}
    choice: dict[str, int] = {}
    rows_of: dict[str, _Rows] = {}
    for r, keys in members.items():
        comp_terms = grouped.get(r, [])
        if not comp_terms:  # one field read by no rule: its own best
            (k,) = keys
            values = additive.get(k, np.zeros(len(fields.levels[k])))
            parts[r] = float(values.max())
            by_option[k] = values.copy()
            choice[k] = _pick(values, fields.current[k])
            continue
        parts[r], rows = _component_best(fields, base, keys, comp_terms, additive, by_option, choice)
        if rows is not None:
            rows_of[r] = rows
    best_total = constant + sum(parts.values())
    support = _support(fields, rows_of, parts, best_total)
    result = {k: best_total - parts[r] + by_option[k] for r, keys in members.items() for k in keys}
    return best_total, result, choice, support


def _components(
    fields: _Open, terms: Sequence[Term], additive: dict[str, Floats]
) -> tuple[dict[str, list[str]], dict[str, list[Term]], list[Term]]:
    """The open fields in groups that share a term (by each group's root), the terms of each
    group, and the terms that read no open field (constants)."""
    names = [n for n in fields.levels if n in additive or any(n in t.fields for t in terms)]
    parent = {n: n for n in names}

    def root(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    constants: list[Term] = []
    for term in terms:
        reads = [f for f in term.fields if f in parent]
        if not reads:
            constants.append(term)
        for other in reads[1:]:
            parent[root(other)] = root(reads[0])
    grouped: dict[str, list[Term]] = {}
    for term in terms:
        reads = [f for f in term.fields if f in parent]
        if reads:
            grouped.setdefault(root(reads[0]), []).append(term)
    members: dict[str, list[str]] = {}
    for n in names:
        members.setdefault(root(n), []).append(n)
    return members, grouped, constants


def _component_best(
    fields: _Open,
    base: Frame,
    keys: list[str],
    comp_terms: list[Term],
    additive: dict[str, Floats],
    by_option: dict[str, Floats],
    choice: dict[str, int],
) -> tuple[float, _Rows | None]:
    """Enumerate one group of fields: its best, and (filling `by_option` and `choice` for its
    fields) its rows for the support; too many rows: +∞ ("possible") and no rows."""
    sizes = [len(fields.levels[k]) for k in keys]
    total = int(np.prod(sizes))
    if total > _ROW_LIMIT:  # never met by the shipped model: give up exactness, say "possible"
        for j, k in enumerate(keys):
            by_option[k] = np.full(sizes[j], np.inf)
            choice[k] = fields.current[k]
        return np.inf, None
    index = np.indices(sizes).reshape(len(keys), -1)
    overrides = {k: (fields.levels[k][index[j]], fields.numbers[k][index[j]]) for j, k in enumerate(keys)}
    frame = _rows(base, total, set().union(*(t.fields for t in comp_terms)), overrides)
    values = np.zeros(total)
    for term in comp_terms:
        values = values + term.value(frame)
    for j, k in enumerate(keys):
        if k in additive:
            values = values + additive[k][index[j]]
    top = float(values.max())
    if top > NEVER:
        near = values >= top - 1e-12
        changed = sum((index[j] != fields.current[k]).astype(int) for j, k in enumerate(keys))
        row = int(np.argmin(np.where(near, changed, 1 << 20)))
        for j, k in enumerate(keys):
            choice[k] = int(index[j][row])
    for j, k in enumerate(keys):
        best = np.full(sizes[j], NEVER)
        np.maximum.at(best, index[j], values)
        by_option[k] = best
    return top, (values, index, keys)


def _support(fields: _Open, rows_of: dict[str, _Rows], parts: dict[str, float], best_total: float) -> dict[str, Floats]:
    """Per enumerated field and option: the share of its rows that still reach the threat, over
    the share among all rows."""
    support: dict[str, Floats] = {}
    for r, (values, index, keys) in rows_of.items():
        reach = values + (best_total - parts[r]) >= 0
        share = reach.mean()
        for j, k in enumerate(keys):
            size = len(fields.levels[k])
            per = np.bincount(index[j][reach], minlength=size) / (len(values) / size)
            support[k] = per / share if share > 0 else np.zeros(size)
    return support


def _pick(values: Floats, current: int) -> int:
    top = values.max()
    return current if values[current] >= top - 1e-12 else int(np.argmax(values))


def decide(
    connection: Connection,
    frame: Frame,
    w: Floats,
    model: Model,
    winner: int,
    style: int,
    flavour: int,
    tied: bool,
) -> Decision:
    """Whether some completion changes the headline, its flips and each open question's shrink."""
    if winner < 0:
        return Decision(True, [], {}, False)
    patterns = model.pattern_keys
    made = tables(model)
    fields = _open_fields(connection, model, frame, subs=True)
    if not fields.levels:
        return Decision(tied, [], {}, False)
    eps = model.policy.tie_epsilon
    threats: list[Threat] = []
    conflicts = list(made.conflicts)
    char_open = [k for k in model.keys if k in fields.levels]
    fixed = [c for c, k in enumerate(model.keys) if k not in fields.levels and frame.code(k)[0] >= 0]
    opened = set(fields.levels)
    # rivals: the weighted fit difference, question by question (no open characteristic: each
    # rival's difference is what it is now, behind W unless tied)
    for r, rival in enumerate(patterns):
        if r == winner or not char_open:
            continue
        diff = model.fit[:, :, r] - model.fit[:, :, winner] + 2 * eps
        additive = {}
        for k in char_open:
            c = model.keys.index(k)
            lv = fields.levels[k]
            additive[k] = np.where(lv >= 0, w[c] * diff[c, np.maximum(lv, 0)], 0.0)
        constant = float(sum(w[c] * diff[c, int(frame.code(model.keys[c])[0])] for c in fixed))
        terms = [_forbid(k.when) for k in model.knockouts if rival in k.excludes] + conflicts
        threats.append(_threat("rival", rival, fields, frame, terms, additive, constant, 2.0 * float(w.sum()) or 1.0))
    winner_key = patterns[winner]
    for rule in model.knockouts:
        if winner_key in rule.excludes and rule.when.fields & opened:
            terms = [_require(rule.when, rule.when.fields), *conflicts]
            threats.append(_threat("knockout", rule.id, fields, frame, terms, {}, 0.0, 1.0))
    reads = frozenset().union(*(r.when.fields for r in model.flavours))
    if winner_key == "events" and flavour >= 0 and reads & opened:
        for other in dict.fromkeys(FLAVOURS):
            if other == FLAVOURS[flavour]:
                continue
            code = FLAVOURS.index(other)
            term = Term(reads, _flavour_is(model, code))
            threats.append(_threat("flavour", other, fields, frame, [term, *conflicts], {}, 0.0, 1.0))
    coordination = model.coordination
    coordination_reads = coordination.applies_when.fields.union(*(s.when.fields for s in coordination.signals))
    if style >= 0 and coordination_reads & opened:
        # none: the coordination stops applying
        stop = Term(coordination.applies_when.fields, lambda f: np.where(coordination.applies_when(f), NEVER, 0.0))
        threats.append(_threat("style", "none", fields, frame, [stop, *conflicts], {}, 0.0, 1.0))
        sign = 1 if style == 0 else -1
        keep = _require(coordination.applies_when, coordination.applies_when.fields)
        signals = [Term(s.when.fields, _signal(s.when, -sign * float(s.score))) for s in coordination.signals]
        scale = float(sum(abs(s.score) for s in coordination.signals)) or 1.0
        threats.append(_threat("style", STYLES[1 - style], fields, frame, [keep, *signals, *conflicts], {}, 0.0, scale))
    # a coordination tie names no style, so naming one changes no headline: its inputs are asked
    # after everything else (see `order`), not counted as threats
    live = [t for t in threats if t.best >= 0]
    shrink = _shrink(live, fields)
    flips = _flips(live, connection, frame, w, model, fields, winner, style, flavour) if live else []
    is_open = tied or bool(live)
    return Decision(is_open, flips, shrink, not is_open and _excepting(fields, frame, conflicts))


def _threat(
    kind: str,
    target: str,
    fields: _Open,
    frame: Frame,
    terms: list[Term],
    additive: dict[str, Floats],
    constant: float,
    scale: float,
) -> Threat:
    best, by_option, choice, support = _best(fields, frame, terms, additive, constant)
    gain = {k: float(v[choice[k]] - v[fields.current[k]]) for k, v in additive.items() if k in choice}
    return Threat(kind, target, best, scale, by_option, choice, gain, support)


def _excepting(fields: _Open, frame: Frame, conflicts: list[Term]) -> bool:
    """Whether some completion fires a conflict (and so is set aside)."""
    for term in conflicts:
        if not term.fields & set(fields.levels):
            continue
        fires = Term(term.fields, _fires(term))
        if _best(fields, frame, [fires], {})[0] > NEVER:
            return True
    return False


def _shrink(live: list[Threat], fields: _Open) -> dict[str, float]:
    """Per open field: over its values (not `unanswered`), the mean of Σ over live threats of
    (1 if that value removes the threat) + the fall of its best case in its unit, clipped to 1,
    + NARROW × the share of the threat's ways that value closes (see the module text)."""
    out: dict[str, float] = {}
    for name, levels in fields.levels.items():
        answers = levels >= 0
        total = 0.0
        for threat in live:
            after = threat.by_option.get(name)
            if after is None:
                continue
            after = after[answers]
            removed = (after < 0).astype(float)
            fall = np.clip((threat.best - np.maximum(after, -1e300)) / threat.scale, 0.0, 1.0)
            total += float((removed + fall).mean())
            share = threat.support.get(name)
            if share is not None:  # an answer that narrows the ways to the threat
                total += NARROW * float(np.clip(1.0 - share[answers], 0.0, 1.0).mean())
        if total > 0:
            out[name] = total
    return out


def _flips(
    live: list[Threat],
    connection: Connection,
    frame: Frame,
    w: Floats,
    model: Model,
    fields: _Open,
    winner: int,
    style: int,
    flavour: int,
) -> list[Found]:
    """For each live threat the smallest set of answers found that changes the headline, checked
    by scoring; smallest first, one per outcome, at most MAX_FLIPS."""
    found: dict[tuple[Any, ...], tuple[int, int, Found]] = {}
    # round 0: per threat, the prefixes of its best completion's answers, largest gain first
    candidates: list[tuple[int, list[str]]] = []
    for rank, threat in enumerate(live):
        keys = [k for k, i in threat.choice.items() if i != fields.current[k] or k in connection.unsure]
        gain = threat.gain
        keys.sort(key=lambda k: (-gain.get(k, 0.0), k not in connection.unsure))
        candidates += [(rank, keys[: i + 1]) for i in range(len(keys))]
    outcomes = _headline(candidates, live, connection, frame, w, model, fields)
    chosen: dict[int, tuple[list[str], Outcome]] = {}
    for (rank, keys), outcome in zip(candidates, outcomes, strict=True):
        if rank not in chosen and _changes(outcome, winner, style, flavour, model):
            chosen[rank] = (keys, outcome)
    shrinking = {rank for rank, (keys, _) in chosen.items() if len(keys) > 1}
    while shrinking:  # drop answers the change does not need, all threats in one batch per round
        trials = [
            (rank, [k for k in chosen[rank][0] if k != drop]) for rank in sorted(shrinking) for drop in chosen[rank][0]
        ]
        outcomes = _headline(trials, live, connection, frame, w, model, fields)
        done = set(shrinking)
        for (rank, keys), outcome in zip(trials, outcomes, strict=True):
            if rank in done and _changes(outcome, winner, style, flavour, model):
                chosen[rank] = (keys, outcome)
                done.discard(rank)
        shrinking = {rank for rank in shrinking - done if len(chosen[rank][0]) > 1}
    for rank, (keys, outcome) in chosen.items():
        answers = {k: _value(model, fields, k, live[rank].choice[k]) for k in keys}
        key = (outcome["recommended"], outcome["messaging_flavour"], outcome["coordination"], bool(outcome["tie"]))
        if key not in found or (len(keys), rank) < found[key][:2]:
            found[key] = (len(keys), rank, _found(answers, outcome))
    ordered = sorted(found.values(), key=lambda item: (item[0], item[1]))
    return [item[2] for item in ordered[:MAX_FLIPS]]


def _found(answers: dict[str, Any], outcome: Outcome) -> Found:
    """The answers, then the outcome's keys in its order (the JSON of a flip keeps this order)."""
    return {
        "answers": answers,
        "recommended": outcome["recommended"],
        "tie": outcome["tie"],
        "messaging_flavour": outcome["messaging_flavour"],
        "coordination": outcome["coordination"],
        "conflict": outcome["conflict"],
    }


def _value(model: Model, fields: _Open, name: str, option: int) -> Any:
    question = model.question(name.removeprefix("sub."))
    level = int(fields.levels[name][option])
    if level < 0:
        return None
    number = fields.numbers[name][option]
    if question.scale.type == "integer" and not np.isnan(number):
        return int(number)
    return question.scale.values[level]


def _changes(outcome: Outcome, winner: int, style: int, flavour: int, model: Model) -> bool:
    if outcome["conflict"]:
        return False
    if outcome["tie"] or outcome["recommended"] != model.pattern_keys[winner]:
        return True
    if outcome["recommended"] == "events" and flavour >= 0 and outcome["messaging_flavour"] != FLAVOURS[flavour]:
        return True
    return style >= 0 and outcome["coordination"] != STYLES[style]


def _headline(
    sets: list[tuple[int, list[str]]],
    live: list[Threat],
    connection: Connection,
    frame: Frame,
    w: Floats,
    model: Model,
    fields: _Open,
) -> list[Outcome]:
    """Score each set of answers (taken from its threat's best completion, given, not unsure)
    on top of the connection, as `assess` would: winner, tie, flavour, style, conflict."""
    n = len(sets)
    vframe = Frame(n)
    for name, column in frame.codes.items():
        vframe.codes[name] = np.repeat(column[:1], n)
    for name, number in frame.numbers.items():
        vframe.numbers[name] = np.repeat(number[:1], n)
    given = {name: np.zeros(n, bool) for name in fields.levels}
    for r, (rank, chosen) in enumerate(sets):
        for name in chosen:
            option = live[rank].choice[name]
            vframe.code(name)[r] = fields.levels[name][option]
            vframe.number(name)[r] = fields.numbers[name][option]
            given[name][r] = True
    _, fired = kernel.knockouts(vframe, model)
    firm = fired
    unsure = [name for name in connection.unsure if name in given]
    if unsure:
        blank = Frame(n)
        blank.codes.update((k, v.copy()) for k, v in vframe.codes.items())
        blank.numbers.update((k, v.copy()) for k, v in vframe.numbers.items())
        for name in unsure:
            blank.code(name)[~given[name]] = UNANSWERED
            blank.number(name)[~given[name]] = np.nan
        _, without = kernel.knockouts(blank, model)
        firm = fired & without
    codes = kernel.code_matrix(vframe, model)
    values = kernel.scores(codes, w, whatif.excluded(firm, model), model)
    winners = kernel.winners(values, model)
    conflict = np.zeros(n, bool)
    for rule in model.contradictions:
        if rule.conflict:
            conflict |= rule.when(vframe)
    for k, knockout in enumerate(model.knockouts):
        if knockout.flag:
            conflict |= fired[:, k]
    styles = rules.coordination(vframe, model)[0]
    flavours = rules.flavour(vframe, model)
    eps = model.policy.tie_epsilon
    out: list[Outcome] = []
    for r in range(n):
        best = int(winners[r])
        if best < 0:
            out.append({"recommended": None, "tie": False, "messaging_flavour": None, "coordination": None,
                        "conflict": bool(conflict[r])})  # fmt: skip
            continue
        live = ~np.isnan(values[r])
        tie = int((live & (np.nan_to_num(values[r], nan=-np.inf) >= values[r, best] - eps)).sum()) > 1
        pattern = model.pattern_keys[best]
        out.append(
            {
                "recommended": pattern,
                "tie": tie,
                "messaging_flavour": FLAVOURS[int(flavours[r])] if pattern == "events" and flavours[r] >= 0 else None,
                "coordination": None if styles[r] < 0 else STYLES[int(styles[r])],
                "conflict": bool(conflict[r]),
            }
        )
    return out


def order(entries: list[NextQuestion], decision: Decision, connection: Connection, model: Model) -> list[NextQuestion]:
    """ask_next in shrink order: every open question that can shrink a threat, largest shrink
    first (model order on equal shrink), each with its single `changes` (possibly none: it
    matters together with other answers); coordination inputs that only name a style after them."""
    by_key = {e["key"]: e for e in entries}
    position = {k: i for i, k in enumerate(model.keys)} | {
        f"sub.{q.key}": len(model.keys) + i for i, q in enumerate(model.sub_inputs)
    }
    ranked = sorted((k for k, v in decision.shrink.items() if v > 0), key=lambda k: (-decision.shrink[k], position[k]))
    out: list[NextQuestion] = [
        {
            "key": k,
            "value_of_information": round(decision.shrink[k], 4),
            "unsure": k in connection.unsure,
            "changes": by_key[k]["changes"] if k in by_key else [],
        }
        for k in ranked
    ]
    seen = set(ranked)
    out += [e for e in entries if e["key"] not in seen and e["key"].startswith("sub.")]
    return out


__all__ = ["Decision", "Found", "Outcome", "decide", "order", "tables"]
