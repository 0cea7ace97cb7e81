"""patternfit — choose an integration pattern for a connection, and record why.

The public surface: assess a connection (`assess`), a whole inventory (`assess_table`), a
workshop room's many answer sets (`assess_room`),
load the model (`load_model`), and the error type every bad input raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from patternfit.api import assess
from patternfit.engine.assess import Assessment
from patternfit.errors import InputError, ModelError, PatternfitError
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import Connection, load_connection, parse_connection
from patternfit.room.analysis import assess_room

if TYPE_CHECKING:
    from patternfit.estate.score import assess_table

__all__ = [
    "Assessment",
    "Connection",
    "InputError",
    "Model",
    "ModelError",
    "PatternfitError",
    "assess",
    "assess_room",
    "assess_table",
    "load_connection",
    "load_model",
    "parse_connection",
]


def __getattr__(name: str) -> Any:
    """`assess_table` is imported on first use: it brings pandas, which `assess` does not need."""
    if name == "assess_table":
        from patternfit.estate.score import assess_table

        return assess_table
    raise AttributeError(f"module 'patternfit' has no attribute {name!r}")
