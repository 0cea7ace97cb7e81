"""What the calibration page may offer and how it names a change: fit values within the profile
format's limits, and a change in the catalog's words (never its internal keys)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from patternfit.model.catalog import Model


def answer_level(model: Model, key: str, answer: Any) -> int:
    """The level (row of the fit table) of `answer` to question `key`."""
    scale = model.characteristics[model.keys.index(key)].scale
    if scale.type == "integer":
        return scale.values.index(str(answer))
    return scale.level_of(scale.coerce(answer))


def reference_fit(model: Model, key: str, answer: Any, pattern: str) -> int:
    """The reference model's fit value of `pattern` for `answer` to question `key`."""
    c = model.keys.index(key)
    return int(model.fit[c, answer_level(model, key, answer), model.pattern_keys.index(pattern)])


def fit_choices(model: Model, key: str, answer: Any, pattern: str) -> list[int]:
    """The values a fit cell may take: whole numbers within ±1 of the reference and in −2…+2."""
    ref = reference_fit(model, key, answer, pattern)
    return [v for v in range(ref - 1, ref + 2) if -2 <= v <= 2]


def describe_change(change: Mapping[str, Any], model: Model) -> str:
    """A profile change in the catalog's words ("weight of Coordinated steps → 6", "fit of
    Coordinated steps: 2–3 for Events → +1"), never its internal keys."""
    if "weight" in change:
        return f"weight of {question_label(model, str(change['weight']))} → {change['to']:g}"
    key = str(change["fit"])
    return (
        f"fit of {question_label(model, key)}: {answer_label(model, key, change['answer'])} "
        f"for {pattern_label(model, str(change['pattern']))} → {int(change['to']):+d}"
    )


def answer_label(model: Model, key: str, answer: Any) -> str:
    """How an answer of question `key` reads to people (its catalog label)."""
    try:
        return model.question(key).value_label(answer)
    except KeyError:
        return str(answer)


def question_label(model: Model, key: str) -> str:
    """A question's catalog label (its key when the catalog does not know it)."""
    try:
        return model.question(key).label
    except KeyError:
        return key


def pattern_label(model: Model, key: str) -> str:
    """A pattern's catalog label (its key when the catalog does not know it)."""
    try:
        return model.pattern(key).label
    except KeyError:
        return key
