"""Argument types shared by the command families."""

from __future__ import annotations

import argparse


def count(text: str) -> int:
    """A whole number ≥ 0 (robustness samples: 0 skips the analysis)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be ≥ 0")
    return value
