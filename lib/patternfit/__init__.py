"""patternfit — choose an integration pattern for a connection, and record why.

The public surface: assess a connection (`assess`), a whole inventory (`assess_table`),
load the model (`load_model`), and the error type every bad input raises.
"""

from __future__ import annotations

from .assess import Assessment, assess
from .connection import Connection, load_connection, parse_connection
from .errors import InputError, ModelError, PatternfitError
from .model import Model, load_model

__all__ = [
    "Assessment",
    "Connection",
    "InputError",
    "Model",
    "ModelError",
    "PatternfitError",
    "assess",
    "load_connection",
    "load_model",
    "parse_connection",
]
