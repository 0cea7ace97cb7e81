"""The one error type patternfit raises for bad input and broken model data."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class PatternfitError(ValueError):
    """Bad input or model data: says where, what, and how to fix it, in one line."""

    def __init__(self, where: str, what: str, fix: str = "") -> None:
        self.where = where
        self.what = what
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line, whatever the parts contain."""
        text = f"{self.where}: {self.what}" if self.where else self.what
        text = f"{text} — {self.fix}" if self.fix else text
        return " ".join(text.split())


class InputError(PatternfitError):
    """A connection file, record, inventory, weights file or upload is wrong."""


class ModelError(PatternfitError):
    """A file in data/ is wrong: the model cannot be loaded."""


def did_you_mean(value: object, allowed: Iterable[object]) -> str:
    """' (did you mean X?)' for a near-miss, else ''; a number written as text ("4" for 4) is
    told to drop the quotes rather than offered itself."""
    allowed = list(allowed)
    same = next((a for a in allowed if str(a) == str(value) and type(a) is not type(value)), None)
    if same is not None:
        return f" (write it without quotes: {same})"
    names = [str(a) for a in allowed]
    close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def allowed_text(allowed: Iterable[object]) -> str:
    """'allowed: a, b, c' — the values a user may write."""
    return "allowed: " + ", ".join(_show(a) for a in allowed)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
