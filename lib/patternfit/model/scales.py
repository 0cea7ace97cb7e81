"""Answer scales: the allowed values of a question, and their integer codes.

Every answer is coded as an integer level (its index in the scale, -1 when unanswered), so
the scoring kernel and the rules can work on whole columns of answers at once.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any, Literal

from patternfit.errors import allowed_text, did_you_mean

ScaleType = Literal["enum", "ordinal", "boolean", "integer"]
UNANSWERED = -1

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


@dataclass(frozen=True, slots=True)
class Scale:
    """The values one question allows. Integers map onto buckets (their levels)."""

    type: ScaleType
    values: tuple[Any, ...]  # canonical values; for integer scales the bucket labels
    minimum: int | None = None  # integer scales
    bucket_max: tuple[int | None, ...] = ()

    @property
    def ordered(self) -> bool:
        return self.type in ("ordinal", "integer", "boolean")

    @property
    def levels(self) -> int:
        return len(self.values)

    def level_of(self, value: Any) -> int:
        """The level of a canonical value (for integers: of the number's bucket)."""
        if self.type == "integer":
            for level, top in enumerate(self.bucket_max):
                if top is None or value <= top:
                    return level
            return len(self.bucket_max) - 1
        return self.values.index(value)

    def coerce(self, value: Any, *, lenient: bool = False) -> Any:
        """A canonical value from loose input, or ValueError saying what is allowed.

        `lenient` accepts what spreadsheets write: `TRUE`/`yes`, numbers stored as text,
        stray spaces and mixed case.
        """
        if self.type == "boolean":
            if isinstance(value, bool):
                return value
            if lenient and isinstance(value, (str, int)) and not isinstance(value, bool):
                text = str(value).strip().lower()
                if text in _TRUE:
                    return True
                if text in _FALSE:
                    return False
            raise ValueError(f"{value!r} is not true or false")
        if self.type == "integer":
            number = _to_int(value, lenient)
            if self.minimum is not None and number < self.minimum:
                raise ValueError(f"{value!r} is below the minimum {self.minimum}")
            return number
        candidate = value
        if lenient and isinstance(value, str):
            text = value.strip()
            candidate = text.lower()
            if self.values and isinstance(self.values[0], int):
                with contextlib.suppress(ValueError):
                    candidate = _to_int(text, True)
        if isinstance(candidate, bool) or not _hashable(candidate) or candidate not in self.values:
            raise ValueError(
                f"{value!r} is not one of the allowed values"
                f"{did_you_mean(value, self.values)}; {allowed_text(self.values)}"
            )
        return self.values[self.values.index(candidate)]

    def describe(self) -> str:
        """What a user may write, for error messages and templates."""
        if self.type == "boolean":
            return "true or false"
        if self.type == "integer":
            return f"a whole number ≥ {self.minimum}" if self.minimum is not None else "a whole number"
        return allowed_text(self.values).removeprefix("allowed: ")


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float))


def _to_int(value: Any, lenient: bool) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not a whole number")
    if lenient and isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a whole number") from None
        if math.isfinite(number) and number.is_integer():
            return int(number)
    raise ValueError(f"{value!r} is not a whole number")


def scale_from_data(spec: Any) -> Scale:
    """Build a Scale from its data/ form; ValueError on a malformed spec."""
    if not isinstance(spec, dict) or "type" not in spec:
        raise ValueError("a scale needs a mapping with 'type'")
    kind = spec["type"]
    if kind == "boolean":
        return Scale("boolean", (False, True))
    if kind in ("enum", "ordinal"):
        values = spec.get("values")
        if not isinstance(values, list) or len(values) < 2:
            raise ValueError(f"a {kind} scale needs a list of at least two values")
        if len(set(map(str, values))) != len(values):
            raise ValueError(f"repeated values in {values!r}")
        return Scale(kind, tuple(values))
    if kind == "integer":
        minimum = spec.get("min", 0)
        buckets = spec.get("buckets") or [{"label": f"{minimum}+"}]
        labels, tops = [], []
        for bucket in buckets:
            if not isinstance(bucket, dict) or "label" not in bucket:
                raise ValueError("each bucket needs a 'label'")
            labels.append(str(bucket["label"]))
            tops.append(bucket.get("max"))
        if tops[-1] is not None or any(t is None for t in tops[:-1]):
            raise ValueError("every bucket but the last needs 'max'; the last has none")
        return Scale("integer", tuple(labels), int(minimum), tuple(tops))
    raise ValueError(f"unknown scale type {kind!r}; allowed: enum, ordinal, boolean, integer")
