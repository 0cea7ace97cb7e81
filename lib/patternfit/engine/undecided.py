"""Undecided: a connection whose answers cannot yet name a pattern — defined here, once.

A connection is **undecided** when

* fewer than `policy.min_answers` of its answers *speak* (data/policy.yaml
  `undecided.min_answers`): an answer speaks when its weight is above 0 and it fits at least two
  patterns differently, so it can move one pattern ahead of another; or
* its best live fits tie (within `ties.epsilon`): the answers cannot tell the leaders apart.

A connection on which every pattern is knocked out is not undecided: no pattern fits (a conflict).

`assess` reports it in `Assessment.undecided` (the pattern it shows stays the tie order's pick,
state open); `assess_table` leaves `recommended` blank on such a row and says why in
`undecided_reason`. Both call `undecided` below on the same codes and fits, so they agree.

**What to ask** on an undecided row: the `policy.undecided_ask` unanswered questions that
separate the contenders most — the tied patterns on a tie, every live pattern when too few answers
speak. A question's power is its weight × the mean, over its answers, of the spread between the
contenders' fits: the question whose answer will move them furthest apart comes first (catalog
order among equals). It needs no what-if run, so it is cheap enough for a million rows (it is
computed once per distinct set of open questions and contenders).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from patternfit.engine.kernel import Codes, Floats
from patternfit.engine.results import UndecidedDetail
from patternfit.model.catalog import Model

DECIDED, FEW, TIE = 0, 1, 2  # reason codes
# what to ask when no open question separates the contenders (every answer given, still a tie)
NOTHING_OPEN = "no open question separates them: the weights decide (an organisation profile), or a workshop"
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Undecided:
    """Per row: the reason (DECIDED, FEW or TIE), how many answers speak, and the contenders
    (rows × patterns: the tied patterns on a tie, the live ones when too few answers speak)."""

    reason: npt.NDArray[np.int8]
    speaking: npt.NDArray[np.int16]
    contenders: Bools

    @property
    def mask(self) -> Bools:
        return np.asarray(self.reason != DECIDED, bool)


def speaks(w: Floats, model: Model) -> Bools:
    """characteristics × levels: does this answer fit two patterns differently (and weigh > 0)?"""
    spread = model.fit.max(axis=2) - model.fit.min(axis=2)
    return np.asarray((spread > 0) & (w[:, None] > 0), bool)


def undecided(codes: Codes, values: Floats, w: Floats, model: Model) -> Undecided:
    """Which rows are undecided (`codes`: rows × characteristics levels, -1 unanswered; `values`:
    rows × patterns fits, NaN where knocked out), computed column by column."""
    policy = model.policy
    table = speaks(w, model)
    speaking = np.zeros(codes.shape[0], np.int16)
    for c in range(codes.shape[1]):
        column = codes[:, c]
        speaking += (column >= 0) & table[c, np.maximum(column, 0)]
    live = ~np.isnan(values)
    any_live = live.any(axis=1)
    best = np.max(np.where(live, values, -np.inf), axis=1)
    tied = live & (values >= best[:, None] - policy.tie_epsilon)
    few = any_live & (speaking < policy.min_answers)
    tie = any_live & ~few & (tied.sum(axis=1) > 1)
    reason = np.select([few, tie], [FEW, TIE], DECIDED).astype(np.int8)
    contenders = np.where(few[:, None], live, np.where(tie[:, None], tied, False))
    return Undecided(reason, speaking, contenders)


def powers(contenders: Bools, w: Floats, model: Model) -> Floats:
    """Per characteristic: weight × the mean over its answers of the spread of the contenders' fits."""
    picked = np.flatnonzero(contenders)
    out = np.zeros(len(model.keys))
    for c, question in enumerate(model.characteristics):
        fit = model.fit[c, : question.scale.levels][:, picked]
        out[c] = w[c] * float((fit.max(axis=1) - fit.min(axis=1)).mean()) if len(picked) else 0.0
    return out


def ask_table(open_keys: Bools, contenders: Bools, w: Floats, model: Model) -> npt.NDArray[np.intp]:
    """rows × `policy.undecided_ask`: the characteristic indices to ask first (-1 where fewer are
    worth asking) — open questions by power over the row's contenders, catalog order among equals.
    Vectorised per distinct set of contenders (at most 2^patterns of them)."""
    n, k = open_keys.shape[0], model.policy.undecided_ask
    out = np.full((n, k), -1, np.intp)
    sets = contenders.astype(np.int64) @ (np.int64(1) << np.arange(contenders.shape[1], dtype=np.int64))
    for value in np.unique(sets):
        rows = np.flatnonzero(sets == value)
        power = powers(contenders[rows[0]], w, model)
        order = np.argsort(-power, kind="stable")
        order = order[power[order] > 0]
        if not len(order):
            continue
        asked = open_keys[rows][:, order]
        rank = np.cumsum(asked, axis=1)
        for j in range(k):
            hit = asked & (rank == j + 1)
            has = hit.any(axis=1)
            out[rows[has], j] = order[np.argmax(hit[has], axis=1)]
    return out


def ask_order(open_keys: Bools, contenders: Bools, w: Floats, model: Model) -> tuple[str, ...]:
    """For one connection: the unanswered questions (a characteristics mask) that separate the
    contenders most, at most `policy.undecided_ask`, by key."""
    picked = ask_table(open_keys[None, :], contenders[None, :], w, model)[0]
    return tuple(model.keys[c] for c in picked if c >= 0)


def reason_text(reason: int, speaking: int, contenders: tuple[str, ...], model: Model) -> str:
    """Why a row is undecided, in words ('' when it is decided)."""
    if reason == FEW:
        needed = model.policy.min_answers
        if speaking == 0:
            return "no answer tells the patterns apart yet"
        said = "1 answer tells" if speaking == 1 else f"{speaking} answers tell"
        return f"only {said} the patterns apart ({needed} needed)"
    if reason == TIE:
        labels = [model.pattern(p).short for p in contenders]
        joined = ", ".join(labels[:-1]) + " and " + labels[-1]
        return f"{joined} fit equally well"
    return ""


def undecided_detail(codes: Codes, values: Floats, w: Floats, model: Model) -> UndecidedDetail | None:
    """For one connection (row 0): None when decided, else why (few answers or a tie), the
    contenders and the keys to ask, most useful first."""
    found = undecided(codes[:1], values[:1], w, model)
    code = int(found.reason[0])
    if code == DECIDED:
        return None
    patterns = tuple(p for p, c in zip(model.pattern_keys, found.contenders[0], strict=True) if c)
    speaking = int(found.speaking[0])
    return {
        "reason": "few_answers" if code == FEW else "tie",
        "message": reason_text(code, speaking, patterns, model),
        "speaking": speaking,
        "needed": model.policy.min_answers,
        "patterns": list(patterns),
        "ask": list(ask_order(codes[0] < 0, found.contenders[0], w, model)),
    }


__all__ = [
    "DECIDED",
    "FEW",
    "NOTHING_OPEN",
    "TIE",
    "Undecided",
    "ask_order",
    "ask_table",
    "powers",
    "reason_text",
    "speaks",
    "undecided",
    "undecided_detail",
]
