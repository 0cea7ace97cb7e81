"""The condition language of data/ (knock-outs, rules, pitfalls), compiled to column tests.

A condition is compiled once, when the model loads, into a function of a `Frame` — a set of
answer columns — that returns one boolean per row. One connection is a frame of one row; an
estate inventory is a frame of a million rows; the same compiled rules serve both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from patternfit.model.scales import UNANSWERED, Scale

Bools = npt.NDArray[np.bool_]
Test = Callable[["Frame"], Bools]

_ORDER_OPS = {"lt": np.less, "lte": np.less_equal, "gt": np.greater, "gte": np.greater_equal}
_FIELD_OPS = {f"{k}_field": v for k, v in _ORDER_OPS.items()} | {"eq_field": np.equal}


@dataclass
class Frame:
    """Answer columns: integer level codes (-1 = unanswered) and raw numbers for integer scales."""

    rows: int
    codes: dict[str, npt.NDArray[np.int16]] = field(default_factory=dict)
    numbers: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    _equal: dict[tuple[str, int], Bools] = field(default_factory=dict, repr=False)

    def equals(self, name: str, level: int) -> Bools:
        """Rows whose `name` is at `level` — memoised: many rules test the same answer.
        The result is shared; callers combine it into new arrays and never modify it."""
        key = (name, level)
        hit = self._equal.get(key)
        if hit is None:
            column = self.codes.get(name)
            hit = self._equal[key] = self.never() if column is None else column == level
        return hit

    def never(self) -> Bools:
        """An all-false column, shared (never modified by callers)."""
        hit = self._equal.get(("", UNANSWERED))
        if hit is None:
            hit = self._equal[("", UNANSWERED)] = np.zeros(self.rows, bool)
        return hit

    def code(self, name: str) -> npt.NDArray[np.int16]:
        column = self.codes.get(name)
        if column is None:
            column = self.codes[name] = np.full(self.rows, UNANSWERED, np.int16)
        return column

    def number(self, name: str) -> npt.NDArray[np.float64]:
        column = self.numbers.get(name)
        if column is None:
            column = self.numbers[name] = np.full(self.rows, np.nan)
        return column


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled condition, with the spec it came from and the fields it reads."""

    spec: Any
    fields: frozenset[str]
    test: Test

    def __call__(self, frame: Frame) -> Bools:
        return self.test(frame)


class ConditionError(ValueError):
    """A malformed condition; the message names the offending part."""


def compile_condition(spec: Any, scales: Mapping[str, Scale]) -> Condition:
    """Compile a data/ condition; ConditionError names what is wrong."""
    used: set[str] = set()
    test = _compile(spec, scales, used)
    return Condition(spec, frozenset(used), test)


def _compile(spec: Any, scales: Mapping[str, Scale], used: set[str]) -> Test:
    if spec is None or spec == {}:
        return lambda frame: np.ones(frame.rows, bool)
    if not isinstance(spec, dict):
        raise ConditionError(f"a condition must be a mapping, got {spec!r}")
    parts: list[Test] = []
    for key, value in spec.items():
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ConditionError(f"'{key}' needs a non-empty list of conditions")
            subs = [_compile(item, scales, used) for item in value]
            parts.append(_all(subs) if key == "all" else _any(subs))
        elif key == "not":
            parts.append(_not(_compile(value, scales, used)))
        else:
            parts.append(_field_test(str(key), value, scales, used))
    return parts[0] if len(parts) == 1 else _all(parts)


def _all(tests: list[Test]) -> Test:
    def run(frame: Frame) -> Bools:
        result = tests[0](frame)
        for test in tests[1:]:
            if not result.any():  # nothing left to narrow: skip the remaining tests
                return result
            result = result & test(frame)
        return result

    return run


def _any(tests: list[Test]) -> Test:
    def run(frame: Frame) -> Bools:
        result = tests[0](frame)
        for test in tests[1:]:
            result = result | test(frame)
        return result

    return run


def _not(test: Test) -> Test:
    return lambda frame: ~test(frame)


def _field_test(name: str, value: Any, scales: Mapping[str, Scale], used: set[str]) -> Test:
    scale = scales.get(name)
    if scale is None:
        raise ConditionError(f"unknown field {name!r}")
    used.add(name)
    if not isinstance(value, dict):
        return _equals(name, scale, value)
    if len(value) != 1:
        raise ConditionError(f"{name}: one operator per test, got {sorted(value)}")
    ((op, operand),) = value.items()
    if op == "eq":
        return _equals(name, scale, operand)
    if op == "ne":
        equal = _equals(name, scale, operand)
        return lambda frame: (frame.code(name) != UNANSWERED) & ~equal(frame)
    if op == "in":
        if not isinstance(operand, list) or not operand:
            raise ConditionError(f"{name}: 'in' needs a non-empty list")
        tests = [_equals(name, scale, item) for item in operand]
        return _any(tests)
    if op == "answered":
        if not isinstance(operand, bool):
            raise ConditionError(f"{name}: 'answered' takes true or false")
        return lambda frame: (frame.code(name) != UNANSWERED) == operand
    if op in _ORDER_OPS:
        return _compare(name, scale, _ORDER_OPS[op], operand)
    if op in _FIELD_OPS:
        return _compare_fields(name, scale, _FIELD_OPS[op], operand, scales, used)
    raise ConditionError(f"{name}: unknown operator {op!r}")


def _equals(name: str, scale: Scale, value: Any) -> Test:
    if scale.type == "integer":
        number = _number(name, scale, value)
        return lambda frame: frame.number(name) == number
    level = _level(name, scale, value)
    return lambda frame: frame.equals(name, level)


def _compare(name: str, scale: Scale, op: Any, operand: Any) -> Test:
    if scale.type == "integer":
        number = _number(name, scale, operand)
        # NaN (unanswered) compares false under every order operator
        return lambda frame: op(frame.number(name), number)
    if not scale.ordered:
        raise ConditionError(f"{name}: order comparison on an unordered scale")
    level = _level(name, scale, operand)
    return lambda frame: op(frame.code(name), level) & (frame.code(name) != UNANSWERED)


def _compare_fields(name: str, scale: Scale, op: Any, other: Any, scales: Mapping[str, Scale], used: set[str]) -> Test:
    other_scale = scales.get(str(other))
    if other_scale is None:
        raise ConditionError(f"{name}: unknown field {other!r}")
    same = other_scale.values == scale.values and scale.type != "integer"
    if not same and not (scale.ordered and other_scale.ordered and scale.levels == other_scale.levels):
        raise ConditionError(f"{name}: cannot compare with {other!r}, the scales differ")
    used.add(str(other))
    other_name = str(other)

    def run(frame: Frame) -> Bools:
        left, right = frame.code(name), frame.code(other_name)
        result: Bools = op(left, right) & (left != UNANSWERED) & (right != UNANSWERED)
        return result

    return run


def _level(name: str, scale: Scale, value: Any) -> int:
    try:
        return scale.level_of(scale.coerce(value))
    except ValueError as exc:
        raise ConditionError(f"{name}: {exc}") from None


def _number(name: str, scale: Scale, value: Any) -> float:
    try:
        return float(scale.coerce(value))
    except ValueError as exc:
        raise ConditionError(f"{name}: {exc}") from None
