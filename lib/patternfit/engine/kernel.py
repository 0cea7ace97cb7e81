"""The vectorised scoring kernel: answers coded as level columns in, knock-outs and scores out.

One implementation serves one connection (`assess`), the robustness samples and a
million-row estate: every function here works on whole columns and has no per-row Python.
Nothing here validates; callers hand it codes made by `encode` (or the estate's reader).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from patternfit.model.catalog import PROPOSABLE, Model
from patternfit.model.conditions import Frame
from patternfit.model.connection import Connection
from patternfit.model.scales import UNANSWERED

Codes = npt.NDArray[np.int16]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_SMALL = 256  # rows up to which one rows × characteristics × patterns array beats streaming


def encode(connections: Sequence[Connection], model: Model) -> tuple[Codes, Frame]:
    """Code a few connections: (rows × characteristics level codes, frame of every field)."""
    n = len(connections)
    codes: dict[str, list[int]] = {}
    numbers: dict[str, list[float]] = {}
    for row, connection in enumerate(connections):
        for prefix, answers in (
            ("", connection.characteristics),
            ("stated.", connection.stated),
            ("sub.", connection.sub),
            ("proposed.", connection.proposed),
        ):
            for key, value in answers.items():
                name = prefix + key
                if name == "proposed.pattern":
                    codes.setdefault(name, [UNANSWERED] * n)[row] = PROPOSABLE.index(value)
                    continue
                scale = model.scales[name]
                codes.setdefault(name, [UNANSWERED] * n)[row] = scale.level_of(value)
                if scale.type == "integer":
                    numbers.setdefault(name, [np.nan] * n)[row] = value
    frame = Frame(n)
    frame.codes.update((name, np.array(column, np.int16)) for name, column in codes.items())
    frame.numbers.update((name, np.array(column, float)) for name, column in numbers.items())
    return code_matrix(frame, model), frame


def code_matrix(frame: Frame, model: Model) -> Codes:
    """The characteristic columns of a frame as one rows × characteristics matrix."""
    if frame.rows == 0:
        return np.empty((0, len(model.keys)), np.int16)
    return np.stack([frame.code(key) for key in model.keys], axis=1)


def frame_from_codes(codes: Codes, base: Frame, model: Model) -> Frame:
    """A frame whose characteristic columns are `codes` and whose other fields repeat row 0 of
    `base` (used for answer variants: robustness samples and what-if changes)."""
    n = codes.shape[0]
    frame = Frame(n)
    for name, column in base.codes.items():
        frame.codes[name] = np.repeat(column[:1], n)
    for name, number in base.numbers.items():
        frame.numbers[name] = np.repeat(number[:1], n)
    for j, key in enumerate(model.keys):
        frame.codes[key] = codes[:, j].astype(np.int16, copy=False)
        scale = model.characteristics[j].scale
        if scale.type == "integer":
            frame.numbers[key] = bucket_numbers(codes[:, j], scale.bucket_max, frame.number(key))
    return frame


def bucket_numbers(levels: Codes, tops: tuple[int | None, ...], current: Floats) -> Floats:
    """Representative numbers for integer buckets: the current number where its bucket is
    unchanged, else the bucket's top (or the previous top + 1 for the open last bucket)."""
    reps = np.array([top if top is not None else (tops[i - 1] or 0) + 1 for i, top in enumerate(tops)], float)
    numbers = np.where(levels >= 0, reps[np.maximum(levels, 0)], np.nan)
    same = (levels >= 0) & ~np.isnan(current)
    if same.any():
        current_level = np.searchsorted(np.array([t if t is not None else np.inf for t in tops]), current)
        keep = same & (current_level == levels)
        numbers = np.where(keep, current, numbers)
    return numbers


def knockouts(frame: Frame, model: Model) -> tuple[Bools, Bools]:
    """(rows × patterns mask of knocked-out patterns, rows × knock-outs mask of fired rules)."""
    patterns = model.pattern_keys
    out = np.zeros((frame.rows, len(patterns)), bool)
    fired = np.zeros((frame.rows, len(model.knockouts)), bool)
    for k, rule in enumerate(model.knockouts):
        hit = rule.when(frame)
        fired[:, k] = hit
        for pattern in rule.excludes:
            out[:, patterns.index(pattern)] |= hit
    return out, fired


def fits(codes: Codes, model: Model) -> Floats:
    """rows × characteristics × patterns fit values (0 where unanswered). For small row counts."""
    rows = np.arange(codes.shape[1])[None, :]
    values = model.fit[rows, np.maximum(codes, 0), :]
    return np.where((codes >= 0)[:, :, None], values, 0.0)


def numerators(codes: Codes, weights: Floats, model: Model) -> Floats:
    """rows × patterns Σ_c w_c·fit — streamed per characteristic, so a million rows stay small.

    `weights` is one vector for all rows, or one per row (rows × characteristics)."""
    if codes.shape[0] <= _SMALL:
        weighted = fits(codes, model) * (weights[:, :, None] if weights.ndim == 2 else weights[None, :, None])
        small: Floats = weighted.sum(axis=1)
        return small
    total = np.zeros((codes.shape[0], model.fit.shape[2]))
    if weights.ndim == 1:
        # one weight vector (the estate): weight each characteristic's fit rows once, and add a
        # zero row after the last level for unanswered cells (code -1 picks it), so each step is
        # one gather and one add — the same products and sums as below, in the same order
        levels = np.concatenate([model.fit * weights[:, None, None], np.zeros_like(model.fit[:, :1])], axis=1)
        for c in range(codes.shape[1]):
            total += np.take(levels[c], codes[:, c], axis=0)
        return total
    for c in range(codes.shape[1]):
        column = codes[:, c]
        weight = weights[:, c : c + 1]
        values = model.fit[c][np.maximum(column, 0)]
        total += np.where((column >= 0)[:, None], values, 0.0) * weight
    return total


def answered_weight(codes: Codes, weights: Floats) -> Floats:
    """Σ of the weights of the answered characteristics, per row."""
    answered = (codes >= 0).astype(float)
    return (answered * weights).sum(axis=1) if weights.ndim == 2 else answered @ weights


def scores(codes: Codes, weights: Floats, knocked: Bools, model: Model) -> Floats:
    """S(p) = Σ w·fit / (2 Σ w) over answered characteristics, in [-1, 1]; NaN when knocked out."""
    denominator = 2.0 * answered_weight(codes, weights)
    safe = np.where(denominator > 0, denominator, 1.0)
    result = numerators(codes, weights, model) / safe[:, None]
    return np.where(knocked, np.nan, result)


def winners(values: Floats, model: Model) -> npt.NDArray[np.intp]:
    """Index of the best pattern per row (ties to the simpler pattern), -1 when all are NaN."""
    # one pass per pattern in tie-break order: a later pattern wins only when strictly better,
    # and NaN (knocked out) never compares better — the argmax over the tie-break order, without
    # copying and NaN-filling the whole matrix (argmax along a 4-wide axis is slow on many rows)
    best = np.full(values.shape[0], -1, np.intp)
    top = np.full(values.shape[0], -np.inf)
    for p in (model.pattern_keys.index(k) for k in model.robustness.tie_break):
        column = values[:, p]
        better = column > top
        top = np.where(better, column, top)
        best[better] = p
    return best


def ranks(values: Floats, model: Model) -> npt.NDArray[np.intp]:
    """rows × patterns rank (0 = first); knocked-out patterns rank last, ties to the simpler."""
    order = np.array([model.pattern_keys.index(p) for p in model.robustness.tie_break])
    ordered = np.nan_to_num(values[:, order], nan=-np.inf)
    # stable sort on -score keeps the tie-break order among equal scores
    positions = np.argsort(-ordered, axis=1, kind="stable")
    result = np.empty_like(positions)
    rows = np.arange(values.shape[0])[:, None]
    result[rows, order[positions]] = np.arange(values.shape[1])[None, :]
    return result
