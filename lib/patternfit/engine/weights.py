"""Weights: the defaults from data/, overridden by a mapping or a weights file, checked."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.io import yamlio
from patternfit.model.catalog import Model

MAX_WEIGHT = 1_000_000  # weights are relative; a larger one would make the others vanish
_EXPONENT = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+")


def resolve_weights(
    weights: Mapping[str, Any] | str | Path | None, model: Model, *, where: str = "weights"
) -> npt.NDArray[np.float64]:
    """The weight vector: defaults, with the given keys replaced. Refuses unknown keys,
    negative, non-finite and non-numeric weights, and an all-zero result."""
    result = model.weights.copy()
    if weights is None:
        return result
    if isinstance(weights, (str, Path)):
        where = str(weights)
        weights = yamlio.load(weights, what="weights file")
        if isinstance(weights, Mapping) and set(weights) == {"weights"}:
            weights = weights["weights"]
    if not isinstance(weights, Mapping):
        raise InputError(where, "must be a mapping of characteristic: weight", "e.g. `consumer_count: 3`")
    keys = model.keys
    for key, value in weights.items():
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
        result[keys.index(key)] = float(value)
    if not result.any():
        raise InputError(where, "all weights are zero", "give at least one characteristic a weight above 0")
    return result


def _exponent_form(value: Any) -> Any:
    """A number written in exponent form without a decimal point (`1e3`), which YAML 1.1 leaves as
    text, as the number meant; any other value unchanged."""
    if isinstance(value, str) and _EXPONENT.fullmatch(value.strip()):
        return float(value)
    return value
