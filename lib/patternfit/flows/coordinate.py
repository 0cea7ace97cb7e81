"""The flow's coordination — orchestration, choreography or undecided — from the same rules a
connection's coordination comes from (data/rules.yaml `coordination`, engine/rules.py), and
whether it is decided exactly: no combination of answers to the inputs the flow leaves open can
give another style (nor a tie)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from patternfit.engine import rules
from patternfit.flows.graph import FlowInputs
from patternfit.model.catalog import STYLES, Model
from patternfit.model.conditions import Frame
from patternfit.model.scales import UNANSWERED


@dataclass(frozen=True, slots=True)
class Coordination:
    """The flow's coordination style and why."""

    style: str | None  # orchestration / choreography / None (not applicable or a tie)
    applies: bool  # two or more steps do work
    score: int
    decided: bool  # no answer to an open input can change the style
    signals: tuple[dict[str, Any], ...]  # {id, label, score, sources}
    inputs: dict[str, dict[str, Any]]  # key → {value, why} (value None: unanswered)
    open_keys: tuple[str, ...]  # open inputs whose answer alone can change the style
    note: str = ""
    open_labels: tuple[str, ...] = ()  # the same, as the catalog labels them

    def to_dict(self) -> dict[str, Any]:
        return {
            "style": self.style,
            "applies": self.applies,
            "score": self.score,
            "decided": self.decided,
            "signals": list(self.signals),
            "inputs": self.inputs,
            "ask": list(self.open_keys),
            "note": self.note,
        }


def fields(model: Model) -> list[str]:
    """Every input the coordination rules read, in the catalog's order."""
    used = set(model.coordination.applies_when.fields)
    for signal in model.coordination.signals:
        used |= signal.when.fields
    order = list(model.keys) + [f"sub.{q.key}" for q in model.sub_inputs]
    return [k for k in order if k in used]


def decide(inputs: FlowInputs, model: Model) -> Coordination:
    """The style the answers give, and whether any completion of the open inputs changes it."""
    keys = fields(model)
    given = {k: inputs.value(k) for k in keys}
    open_keys = [k for k in keys if given[k] is None]
    frame = _frame(model, given, open_keys)
    style, score, _tie, signals = rules.coordination(frame, model)
    first = int(style[0])
    applies = bool(model.coordination.applies_when(frame)[0])
    decided = applies and first >= 0 and bool((style[1:] == first).all())
    changers = tuple(k for k in open_keys if _changes(model, given, k, first)) if not decided else ()
    fired = [s for s, hit in zip(model.coordination.signals, signals[0], strict=True) if hit and applies]
    note = ""
    if applies and first < 0:
        note = model.coordination.tie_text
    return Coordination(
        style=STYLES[first] if first >= 0 else None,
        applies=applies,
        score=int(score[0]),
        decided=decided,
        signals=tuple({"id": s.id, "label": s.text, "score": s.score, "sources": list(s.sources)} for s in fired),
        inputs={k: {"value": given[k], "why": inputs.reasons.get(k, "")} for k in keys},
        open_keys=changers,
        note=note,
        open_labels=tuple(model.question(k.removeprefix("sub.")).label for k in changers),
    )


def _frame(model: Model, given: dict[str, Any], open_keys: list[str]) -> Frame:
    """Row 0: the answers as given (open inputs unanswered); then every completion of the open inputs."""
    levels = [range(model.scales[k].levels) for k in open_keys]
    combos = list(itertools.product(*levels)) if open_keys else []
    rows = 1 + len(combos)
    frame = Frame(rows)
    for key, value in given.items():
        scale = model.scales[key]
        if value is None:
            column = np.full(rows, UNANSWERED, np.int16)
            if key in open_keys:
                column[1:] = [c[open_keys.index(key)] for c in combos]
        else:
            column = np.full(rows, scale.level_of(value), np.int16)
            if scale.type == "integer":
                frame.numbers[key] = np.full(rows, float(value))
        frame.codes[key] = column
    return frame


def _changes(model: Model, given: dict[str, Any], key: str, first: int) -> bool:
    """Whether some answer to `key` alone gives another style than the answers as given."""
    frame = _frame(model, given, [key])
    style = rules.coordination(frame, model)[0]
    return bool((style[1:] != first).any())
