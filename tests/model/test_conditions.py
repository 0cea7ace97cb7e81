"""The condition language: every operator over whole columns, unanswered always false."""

from __future__ import annotations

import numpy as np
import pytest
from patternfit.model.conditions import ConditionError, Frame, compile_condition
from patternfit.model.scales import Scale

SCALES = {
    "speed": Scale("ordinal", ("slow", "medium", "fast")),
    "colour": Scale("enum", ("red", "green", "blue")),
    "flag": Scale("boolean", (False, True)),
    "count": Scale("integer", ("1", "2-4", "5+"), 1, (1, 4, None)),
    "other_speed": Scale("ordinal", ("slow", "medium", "fast")),
}


def frame() -> Frame:
    f = Frame(4)
    f.codes["speed"] = np.array([0, 1, 2, -1], np.int16)
    f.codes["colour"] = np.array([0, 2, -1, 1], np.int16)
    f.codes["flag"] = np.array([1, 0, -1, 1], np.int16)
    f.codes["count"] = np.array([0, 1, 2, -1], np.int16)
    f.numbers["count"] = np.array([1.0, 3.0, 9.0, np.nan])
    f.codes["other_speed"] = np.array([1, 1, 1, 1], np.int16)
    return f


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"speed": "fast"}, [0, 0, 1, 0]),
        ({"speed": {"gte": "medium"}}, [0, 1, 1, 0]),
        ({"speed": {"lt": "fast"}}, [1, 1, 0, 0]),
        ({"colour": {"in": ["red", "blue"]}}, [1, 1, 0, 0]),
        ({"colour": {"ne": "red"}}, [0, 1, 0, 1]),
        ({"flag": True}, [1, 0, 0, 1]),
        ({"not": {"flag": True}}, [0, 1, 1, 0]),
        ({"count": {"gte": 3}}, [0, 1, 1, 0]),
        ({"count": 1}, [1, 0, 0, 0]),
        ({"speed": {"answered": False}}, [0, 0, 0, 1]),
        ({"speed": {"lt_field": "other_speed"}}, [1, 0, 0, 0]),
        ({"any": [{"speed": "slow"}, {"colour": "green"}]}, [1, 0, 0, 1]),
        ({"all": [{"flag": True}, {"count": {"lte": 1}}]}, [1, 0, 0, 0]),
        ({"speed": "fast", "flag": True}, [0, 0, 0, 0]),
        ({}, [1, 1, 1, 1]),
    ],
)
def test_operators(spec, expected):
    """Each operator gives the expected column; tests on unanswered rows are false."""
    result = compile_condition(spec, SCALES)(frame())
    assert result.tolist() == [bool(x) for x in expected]


@pytest.mark.parametrize(
    "spec",
    [
        {"nope": 1},
        {"speed": "warp"},
        {"colour": {"gt": "red"}},
        {"speed": {"between": ["slow", "fast"]}},
        {"all": []},
        {"speed": {"lt_field": "colour"}},
        ["speed"],
    ],
)
def test_malformed_conditions_are_refused(spec):
    """Unknown fields, values, operators and shapes raise ConditionError."""
    with pytest.raises(ConditionError):
        compile_condition(spec, SCALES)


def test_fields_used_are_recorded():
    """A compiled condition knows which fields it reads."""
    condition = compile_condition({"any": [{"speed": "slow"}, {"not": {"flag": True}}]}, SCALES)
    assert condition.fields == {"speed", "flag"}
