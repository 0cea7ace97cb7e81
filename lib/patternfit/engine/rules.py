"""Rules that run beside the score — coordination, messaging flavour, contradictions, pitfalls.

Like the kernel, every function works on a whole frame of rows at once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from patternfit.model.catalog import FLAVOURS, PATTERN_KEYS, STYLES, Model
from patternfit.model.conditions import Frame
from patternfit.model.scales import UNANSWERED

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.intp]


def fired(frame: Frame, rules: tuple[object, ...]) -> Bools:
    """rows × rules: which rules' conditions hold (rules have a compiled `when`)."""
    out = np.zeros((frame.rows, len(rules)), bool)
    for k, rule in enumerate(rules):
        when = getattr(rule, "when", None)
        if when is not None:
            out[:, k] = when(frame)
    return out


def coordination(frame: Frame, model: Model) -> tuple[Ints, Ints, Bools, Bools]:
    """(style code per row: 0 orchestration / 1 choreography / -1 not applicable or a tie, signed
    score, tie flag, rows × signals mask). A tie names no style: either fits, and the tie text
    says how to choose (orchestration only where someone owns the end-to-end outcome, B1)."""
    rules = model.coordination
    signals = fired(frame, rules.signals)
    weights = np.array([s.score for s in rules.signals], dtype=np.intp)
    score = signals.astype(np.intp) @ weights if len(weights) else np.zeros(frame.rows, np.intp)
    applies = rules.applies_when(frame)
    tie = applies & (score == 0)
    style = np.where(score > 0, 0, np.where(score < 0, 1, UNANSWERED))
    return np.where(applies, style, UNANSWERED), score, tie, signals


def flavour(frame: Frame, model: Model) -> Ints:
    """Messaging flavour per row (index into FLAVOURS): the first rule that holds."""
    result = np.full(frame.rows, UNANSWERED, np.intp)
    for rule in model.flavours:
        hit = rule.when(frame) & (result == UNANSWERED)
        result[hit] = FLAVOURS.index(rule.id)
    return result


def add_results(frame: Frame, model: Model, winner: Ints, style: Ints) -> Ints:
    """Put the outcome into the frame (`recommended`, `pattern`, `coordination`, `flavour`) so
    pitfalls can test it. Returns the messaging flavour the answers call for, on every row; the
    frame's `flavour` field holds it only where the pattern in play is events."""
    frame.codes["recommended"] = winner.astype(np.int16)
    proposed = frame.code("proposed.pattern")
    real = (proposed >= 0) & (proposed < len(PATTERN_KEYS))
    pattern = np.where(real, proposed, winner).astype(np.int16)
    frame.codes["pattern"] = pattern
    frame.codes["coordination"] = style.astype(np.int16)
    kind = flavour(frame, model)
    in_play = np.where(pattern == PATTERN_KEYS.index("events"), kind, UNANSWERED)
    frame.codes["flavour"] = in_play.astype(np.int16)
    return kind


def pitfalls(frame: Frame, model: Model) -> Bools:
    """rows × pitfalls: the detectors that fire (needs `add_results` first)."""
    return fired(frame, model.pitfalls)


def _level(model: Model, key: str, value: object) -> int:
    return model.question(key).scale.level_of(value)


__all__ = ["STYLES", "add_results", "coordination", "fired", "flavour", "pitfalls"]
