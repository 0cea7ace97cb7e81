"""What one more answer could do: firm and conditional knock-outs, the decision state, ask_next.

Every single change is one row of one batch: each unanswered question set to each allowed
value, each answer marked unsure set to each other value, and — when the flow has several
steps — each open or unsure coordination input (`sub.<key>`). The kernel scores all rows at once.

A changed answer counts as *given* (no longer unsure); the other unsure answers stay unsure, so a
knock-out fired only by them stays conditional in the variant too.

Definitions:

* a knock-out is **conditional** when it fires with the answers as given but not once the answers
  marked unsure are taken away (it rests on them alone): its patterns stay live.
* a variant **changes the winner** when the current winner is ruled out in it, is no longer
  strictly best (a tie counts: a tie is never settled), or no pattern is left — unless its
  answers fire a contradiction the model flags as a conflict (those are set aside).
* besides single changes the batch holds **pairs** of open answers that one knock-out of the
  current winner reads together (KO-8: three or more steps *and* compensable): a single change
  cannot show those. ask_next lists such a pair under its first key with `with`.
* the decision state itself (settled: no *combination* of answers changes the headline) is
  computed exactly in patternfit.engine.state; this batch gives ask_next's `changes`: what one
  answer (or one pair completing a knock-out) does alone.
* **value of information** of a question: Σ over its values that change the winner of
  the new winner's lead over the current one (clipped to [`ask.floor`, 1]), divided by the number
  of values (a uniform prior over the answers), times the question's share of the total weight
  (a heavier question moves the fit more). A coordination input that only changes the
  coordination style counts `ask.coordination` per such value. Questions that can change the
  winner come first, coordination-only inputs after them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from patternfit.engine import kernel, rules
from patternfit.engine.results import AnswerChange, ConflictItem, NextQuestion, Resolution
from patternfit.model.catalog import STYLES, Model
from patternfit.model.conditions import Frame
from patternfit.model.connection import Connection

Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Variant:
    key: str  # a characteristic key, or "sub.<key>"
    level: int
    # a second answer given with the first: pairs that together complete a knock-out of the
    # current winner (a single change cannot show those)
    with_key: str | None = None
    with_level: int = -1


@dataclass(frozen=True)
class WhatIf:
    """The batch outcome: per variant the winner (-1 none), whether it changes the result, the
    lead, and the coordination style."""

    variants: tuple[Variant, ...]
    winner: npt.NDArray[np.intp]
    changed: Bools
    lead: Floats
    style: npt.NDArray[np.intp]


def unsure_split(connection: Connection, model: Model) -> tuple[list[int], list[str]]:
    """(columns of unsure characteristics, unsure coordination inputs as `sub.<key>` names)."""
    chars = [model.keys.index(k) for k in connection.unsure if k in model.keys]
    subs = [k for k in connection.unsure if k.startswith("sub.")]
    return chars, subs


def firm_fired(
    codes: kernel.Codes, frame: Frame, model: Model, unsure_chars: list[int], unsure_subs: list[str],
    keep: npt.NDArray[np.intp] | None = None, keep_sub: list[str | None] | None = None,
) -> tuple[Bools, Bools]:  # fmt: skip
    """(rows × knock-outs fired, rows × knock-outs fired without the unsure answers). `keep[r]`
    is a column that row r treats as given even if it is marked unsure (-1: none); `keep_sub[r]`
    likewise for a coordination input."""
    _, fired = kernel.knockouts(frame, model)
    if not unsure_chars and not unsure_subs:
        return fired, fired
    blank = codes.copy()
    for c in unsure_chars:
        rows = slice(None) if keep is None else (keep != c if keep.ndim == 1 else (keep != c).all(axis=1))
        blank[rows, c] = -1
    blank_frame = kernel.frame_from_codes(blank, frame, model)
    for name in unsure_subs:
        column = blank_frame.codes.get(name)
        if column is not None:
            column = column.copy()
            mask = np.ones(frame.rows, bool) if keep_sub is None else np.array([k != name for k in keep_sub])
            column[mask] = -1
            blank_frame.codes[name] = column
    _, without = kernel.knockouts(blank_frame, model)
    return fired, fired & without


def excluded(fired: Bools, model: Model) -> Bools:
    """rows × patterns mask of the patterns the given fired knock-outs rule out."""
    out = np.zeros((fired.shape[0], len(model.pattern_keys)), bool)
    for k, rule in enumerate(model.knockouts):
        if fired[:, k].any():
            for p in rule.excludes:
                out[:, model.pattern_keys.index(p)] |= fired[:, k]
    return out


def variants(connection: Connection, codes: kernel.Codes, model: Model, *, subs: bool) -> tuple[Variant, ...]:
    """Every single change: unanswered and unsure characteristics, then (if `subs`) the open or
    unsure coordination inputs."""
    out = []
    for c, question in enumerate(model.characteristics):
        current = int(codes[0, c])
        if current >= 0 and question.key not in connection.unsure:
            continue
        out += [Variant(question.key, level) for level in range(question.scale.levels) if level != current]
    if subs:
        for question in model.sub_inputs:
            name = f"sub.{question.key}"
            value = connection.sub.get(question.key)
            if value is not None and name not in connection.unsure:
                continue
            current = -1 if value is None else question.scale.level_of(value)
            out += [Variant(name, level) for level in range(question.scale.levels) if level != current]
    return tuple(out)


def pair_variants(connection: Connection, codes: kernel.Codes, model: Model, recommended: int) -> tuple[Variant, ...]:
    """Pairs of open answers (unanswered or unsure) that a knock-out of the current winner reads
    together, in every combination of their values."""
    if recommended < 0:
        return ()
    winner = model.pattern_keys[recommended]
    out: list[Variant] = []
    seen: set[tuple[str, str]] = set()
    for rule in model.knockouts:
        if winner not in rule.excludes:
            continue
        fields = [
            k for k in model.keys
            if k in rule.when.fields and (codes[0, model.keys.index(k)] < 0 or k in connection.unsure)
        ]  # fmt: skip
        for i, first in enumerate(fields):
            for second in fields[i + 1 :]:
                if (first, second) in seen:
                    continue
                seen.add((first, second))
                a, b = model.keys.index(first), model.keys.index(second)
                levels_a = [x for x in range(model.characteristics[a].scale.levels) if x != codes[0, a]]
                levels_b = [x for x in range(model.characteristics[b].scale.levels) if x != codes[0, b]]
                out += [Variant(first, la, second, lb) for la in levels_a for lb in levels_b]
    return tuple(out)


def what_if(
    connection: Connection,
    codes: kernel.Codes,
    frame: Frame,
    weights: Floats,
    model: Model,
    recommended: int,
    style: int,
    epsilon: float,
) -> WhatIf:
    """Score every single change in one batch."""
    applies = bool(model.coordination.applies_when(frame)[0])
    found = variants(connection, codes, model, subs=applies) + pair_variants(connection, codes, model, recommended)
    n = len(found)
    if n == 0:
        empty = np.zeros(0)
        return WhatIf((), empty.astype(np.intp), empty.astype(bool), empty, empty.astype(np.intp))
    rows = np.repeat(codes, n, axis=0)
    keep = np.full((n, 2), -1, np.intp)
    keep_sub: list[str | None] = [None] * n
    sub_rows: dict[str, list[tuple[int, int]]] = {}
    for r, v in enumerate(found):
        if v.key.startswith("sub."):
            sub_rows.setdefault(v.key, []).append((r, v.level))
            keep_sub[r] = v.key
        else:
            c = model.keys.index(v.key)
            rows[r, c] = v.level
            keep[r, 0] = c
            if v.with_key is not None:
                d = model.keys.index(v.with_key)
                rows[r, d] = v.with_level
                keep[r, 1] = d
    vframe = kernel.frame_from_codes(rows, frame, model)
    for name, changes in sub_rows.items():
        column = vframe.code(name).copy()
        for r, level in changes:
            column[r] = level
        vframe.codes[name] = column
    unsure_chars, unsure_subs = unsure_split(connection, model)
    fired, firm = firm_fired(rows, vframe, model, unsure_chars, unsure_subs, keep, keep_sub)
    knocked = excluded(firm, model)
    # answers the model flags as contradictory change nothing: the state sets them aside
    contradictory = rules.fired(vframe, tuple(r for r in model.contradictions if r.conflict)).any(axis=1)
    for k, rule in enumerate(model.knockouts):
        if rule.flag:
            contradictory |= fired[:, k]
    values = kernel.scores(rows, weights, knocked, model)
    winner = kernel.winners(values, model)
    if recommended < 0:
        changed = (winner >= 0) & ~contradictory
        lead = np.ones(n)
    else:
        current = values[:, recommended]
        others = np.delete(values, recommended, axis=1)
        best_other = np.where(np.isnan(others), -np.inf, others).max(axis=1)
        gone = np.isnan(current)
        changed = (gone | (best_other >= current - epsilon) | (winner < 0)) & ~contradictory
        lead = np.where(gone, 1.0, best_other - np.where(gone, 0.0, current))
        # the pattern that takes over: the winner, or on a tie the best other pattern
        challenger = np.where(np.isnan(others), -np.inf, others).argmax(axis=1)
        challenger = challenger + (challenger >= recommended)
        winner = np.where(changed & (winner == recommended), challenger, winner)
        winner = np.where(np.isfinite(best_other) | gone, winner, -1)
    lead = np.clip(np.nan_to_num(lead, nan=1.0), 0.0, 1.0)
    styles = np.full(n, style, np.intp)
    if sub_rows:  # the coordination style only where a coordination input changes
        picked = np.array(sorted(r for changes in sub_rows.values() for r, _ in changes), np.intp)
        small = kernel.frame_from_codes(rows[picked], frame, model)
        for name in sub_rows:
            small.codes[name] = vframe.codes[name][picked]
        styles[picked] = rules.coordination(small, model)[0]
    return WhatIf(found, winner.astype(np.intp), changed, lead, np.asarray(styles, np.intp))


def ask_next(
    result: WhatIf, connection: Connection, model: Model, style: int, weights: Floats | None = None
) -> list[NextQuestion]:
    """The questions worth answering next, by value of information (see the module text):
    questions that can change the winner first, then coordination inputs that can only change
    the coordination style."""
    policy = model.policy
    w = model.weights if weights is None else weights
    total = float(w.sum()) or 1.0
    groups: dict[str, list[int]] = {}
    for r, v in enumerate(result.variants):
        groups.setdefault(v.key, []).append(r)
    scored = []
    order = {q: i for i, q in enumerate(model.keys)} | {f"sub.{q.key}": 100 + i for i, q in enumerate(model.sub_inputs)}
    for key, rows_ in groups.items():
        question = model.question(key.removeprefix("sub."))
        levels = question.scale.levels - (0 if _current(connection, key) is None else 1)
        levels *= max(1, len({result.variants[r].with_key for r in rows_}))
        changes: list[AnswerChange] = []
        value = 0.0
        single_changes = {
            result.variants[r].level for r in rows_ if result.variants[r].with_key is None and result.changed[r]
        }
        for r in rows_:
            variant = result.variants[r]
            level = variant.level
            entry: AnswerChange = {"value": _canonical(question, level)}
            if variant.with_key is not None:
                if not result.changed[r] or level in single_changes:
                    continue  # the pair adds nothing the single answer does not show
                other = model.question(variant.with_key)
                entry["with"] = {variant.with_key: _canonical(other, variant.with_level)}
            if result.changed[r]:
                winner = int(result.winner[r])
                entry["recommended"] = None if winner < 0 else model.pattern_keys[winner]
                value += max(policy.ask_floor, float(result.lead[r]))
            elif key.startswith("sub.") and int(result.style[r]) != style and int(result.style[r]) >= 0:
                entry["coordination"] = STYLES[int(result.style[r])]
                value += policy.ask_coordination
            else:
                continue
            changes.append(entry)
        if changes:
            share = 1.0 if key.startswith("sub.") else float(w[model.keys.index(key)]) / total
            voi = value / max(levels, 1) * share
            tier = 0 if any("recommended" in c and "with" not in c for c in changes) else 1
            tier = tier if any("recommended" in c for c in changes) else 2
            scored.append((tier, -voi, order[key], key, changes, voi))
    scored.sort(key=lambda item: item[:3])
    asked: list[NextQuestion] = [
        {"key": key, "value_of_information": round(voi, 4), "unsure": key in connection.unsure, "changes": changes}
        for _, _, _, key, changes, voi in scored
    ]
    return asked


def _current(connection: Connection, key: str) -> Any:
    if key.startswith("sub."):
        return connection.sub.get(key[4:])
    return connection.characteristics.get(key)


def _canonical(question: Any, level: int) -> Any:
    """An allowed value for a level: the level's value (integer buckets: the bucket's top, or
    the number after the last top for the open bucket)."""
    scale = question.scale
    if scale.type == "integer":
        tops = scale.bucket_max
        top = tops[level]
        return int(top if top is not None else (tops[level - 1] or 0) + 1)
    return scale.values[level]


def resolutions(
    connection: Connection,
    codes: kernel.Codes,
    frame: Frame,
    weights: Floats,
    model: Model,
    conflict: Sequence[ConflictItem],
    limit: int = 4,
) -> list[Resolution]:
    """For a conflict: single changes of the answers it rests on (the contradiction's fields;
    every answer when no pattern is left or none fits) and what each would give — those that end
    the whole conflict with a positive fit first, best fit first."""
    ids = {c["id"] for c in conflict}
    by_id: dict[str, Any] = {r.id: r for r in model.contradictions} | {k.flag: k for k in model.knockouts if k.flag}
    fields: set[str] = set()
    for i in ids:
        fields |= set(by_id[i].when.fields) if i in by_id else set(model.keys)
    found: list[tuple[int, int]] = []
    for c, question in enumerate(model.characteristics):
        if question.key in fields:
            current = int(codes[0, c])
            found += [(c, level) for level in range(question.scale.levels) if level != current]
    if not found:
        return []
    rows = np.repeat(codes, len(found), axis=0)
    keep = np.empty(len(found), np.intp)
    for r, (c, level) in enumerate(found):
        rows[r, c] = level
        keep[r] = c
    vframe = kernel.frame_from_codes(rows, frame, model)
    unsure_chars, unsure_subs = unsure_split(connection, model)
    fired, firm = firm_fired(rows, vframe, model, unsure_chars, unsure_subs, keep)
    values = kernel.scores(rows, weights, excluded(firm, model), model)
    winner = kernel.winners(values, model)
    blocking = [r for r in model.contradictions if r.conflict]
    still = rules.fired(vframe, tuple(blocking))
    flags = [(k, rule) for k, rule in enumerate(model.knockouts) if rule.flag]
    options: list[tuple[int, float, Resolution]] = []
    for r, (c, level) in enumerate(found):
        left = {rule.id for j, rule in enumerate(blocking) if still[r, j]}
        left |= {str(rule.flag) for k, rule in flags if fired[r, k]}
        w = int(winner[r])
        if w < 0:
            left.add(model.policy.conflict_ids.no_pattern)
            fit = None
        else:
            fit = float(values[r, w])
            if fit <= 0:
                left.add(model.policy.conflict_ids.unfit)
        if left >= ids:
            continue  # resolves nothing of this conflict
        question = model.characteristics[c]
        options.append(
            (
                len(left),
                -(fit if fit is not None else -2.0),
                {
                    "key": question.key,
                    "from": connection.characteristics.get(question.key),
                    "to": _canonical(question, level),
                    "winner": None if w < 0 else model.pattern_keys[w],
                    "fit": None if fit is None else round(fit, 4),
                    "resolves": sorted(ids - left),
                    "remaining": sorted(left),
                },
            )
        )
    options.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in options[:limit]]
