"""Argument types shared by the command families."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # read lazily: `patternfit --help` imports no model
    from patternfit.engine.weights import Weights
    from patternfit.model.catalog import Model
    from patternfit.model.profile import Profile


def count(text: str) -> int:
    """A whole number ≥ 0 (robustness samples: 0 skips the analysis)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be ≥ 0")
    return value


MAX_SAMPLES = 100_000  # robustness samples: 10,000 already settle the acceptabilities to ±1 %
MAX_SEED = 2**63 - 1


def samples(text: str) -> int:
    """Robustness samples: a whole number from 0 (skips the analysis) to MAX_SAMPLES."""
    value = count(text)
    if value > MAX_SAMPLES:
        raise argparse.ArgumentTypeError(f"{value:,} is more than the {MAX_SAMPLES:,} samples allowed")
    return value


def seed(text: str) -> int:
    """A random seed: a whole number from 0 to 2**63 - 1."""
    value = count(text[:30]) if len(text) <= 30 else MAX_SEED + 1
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text[:30]!r} is larger than the largest seed, {MAX_SEED}")
    return value


def read_profile(path: Path | None) -> Profile | None:
    """`--profile`: the organisation profile, read and checked for shape once, here at the edge
    (None: none given). Everything below takes the `Profile`, never the path."""
    if path is None:
        return None
    from patternfit.model.profile import load_profile

    return load_profile(path)


def read_weights(path: Path | None, model: Model) -> Weights | None:
    """`--weights`: the weights file, read and checked against `model` once, here at the edge."""
    if path is None:
        return None
    from patternfit.engine.weights import load_weights

    return load_weights(path, model)
