"""Weights: the defaults from data/, overridden by a mapping or a weights file, checked.

A weights file or mapping is read and checked once where it enters (`load_weights`, the CLI's
`--weights`), into a `Weights` value passed down as is; `resolve_weights` lays it over a model's
defaults (a profiled model's too: a profile changes the defaults, never the keys)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.io import yamlio
from patternfit.model.catalog import Model

MAX_WEIGHT = 1_000_000  # weights are relative; a larger one would make the others vanish
_EXPONENT = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights given for some characteristics (the others keep the model's defaults), checked."""

    values: Mapping[str, float]  # characteristic key → weight: finite, ≥ 0, ≤ MAX_WEIGHT
    where: str  # the file they were read from, or what a mapping was named


def load_weights(source: Weights | Mapping[str, Any] | str | Path, model: Model, *, where: str = "weights") -> Weights:
    """Weights from a file (read once; `{weights: {…}}` or the mapping itself) or a mapping, each key
    and value checked against `model`; a `Weights` as is. Refuses unknown keys and negative,
    non-finite, too large and non-numeric weights."""
    if isinstance(source, Weights):
        return source
    if isinstance(source, (str, Path)):
        where = str(source)
        source = yamlio.load(source, what="weights file")
        if isinstance(source, Mapping) and set(source) == {"weights"}:
            source = source["weights"]
    if not isinstance(source, Mapping):
        raise InputError(where, "must be a mapping of characteristic: weight", "e.g. `consumer_count: 3`")
    keys = model.keys
    values: dict[str, float] = {}
    for key, value in source.items():
        if key not in keys:
            raise InputError(f"{where}: {key}", f"unknown characteristic{did_you_mean(key, keys)}", allowed_text(keys))
        value = _exponent_form(value)  # YAML 1.1 reads `1e3` (no decimal point) as text
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"{where}: {key}", f"{value!r} is not a number", "use a number ≥ 0")
        if not math.isfinite(value) or value < 0:
            raise InputError(f"{where}: {key}", f"{value!r} is not a finite number ≥ 0", "use a number ≥ 0")
        if value > MAX_WEIGHT:
            raise InputError(
                f"{where}: {key}",
                f"{value:g} is larger than the {MAX_WEIGHT:,} allowed",
                "weights are relative: use smaller numbers",
            )
        values[key] = float(value)
    return Weights(values, where)


def resolve_weights(
    weights: Weights | Mapping[str, Any] | str | Path | None, model: Model, *, where: str = "weights"
) -> npt.NDArray[np.float64]:
    """The weight vector: `model`'s defaults, with the given keys replaced (a mapping or a path is
    read and checked here, `load_weights`). Refuses an all-zero result."""
    result = model.weights.copy()
    if weights is None:
        return result
    given = load_weights(weights, model, where=where)
    for key, value in given.values.items():
        result[model.keys.index(key)] = value
    if not result.any():
        raise InputError(given.where, "all weights are zero", "give at least one characteristic a weight above 0")
    return result


def _exponent_form(value: Any) -> Any:
    """A number written in exponent form without a decimal point (`1e3`), which YAML 1.1 leaves as
    text, as the number meant; any other value unchanged."""
    if isinstance(value, str) and _EXPONENT.fullmatch(value.strip()):
        return float(value)
    return value


__all__ = ["MAX_WEIGHT", "Weights", "load_weights", "resolve_weights"]
