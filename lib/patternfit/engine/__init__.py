"""Scoring a connection: the vectorised kernel, rules, robustness, weights, and `assess`.

The typed parts of an `Assessment` (engine/results.py) are its face: each is the mapping its JSON
carries. They are re-exported here, under the names `results.__all__` lists."""

from patternfit.engine import results as _results
from patternfit.engine.results import *  # noqa: F403 (the typed parts, listed once in results.__all__)

__all__ = list(_results.__all__)
