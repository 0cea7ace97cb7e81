"""Comparing two assess_table results: moves, margins and close calls, readable rows only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from patternfit.estate.compare import compare_results

PATTERNS = ["api", "events", "batch", "workflow"]


def results(recommended, margin, low, error):
    return pd.DataFrame(
        {
            "recommended": pd.Categorical(recommended, categories=PATTERNS),
            "margin": np.array(margin, float),
            "low_confidence": np.array(low, bool),
            "error": error,
        }
    )


def test_moves_count_readable_rows_and_name_no_fit_as_none():
    """Changed readable rows are counted per (from, to), most first; 'none' where nothing fits; bad rows ignored."""
    before = results(
        ["events", "events", "api", None, "batch", None],
        [0.01, 0.2, 0.5, np.nan, 0.3, np.nan],
        [True, False, False, False, False, False],
        ["", "", "", "", "", "latency_budget: 'x'"],
    )
    after = results(
        ["workflow", "workflow", "api", "batch", None, None],
        [0.3, 0.1, 0.4, 0.2, np.nan, np.nan],
        [False, False, False, False, False, False],
        ["", "", "", "", "", "latency_budget: 'x'"],
    )
    shift = compare_results(before, after)
    assert shift.assessed == 5 and shift.changed == 4
    assert shift.rows.tolist() == [0, 1, 3, 4]
    assert shift.moves.to_dict("records") == [
        {"from": "events", "to": "workflow", "connections": 2},
        {"from": "batch", "to": "none", "connections": 1},
        {"from": "none", "to": "batch", "connections": 1},
    ]
    assert shift.margin_before == pytest.approx(0.25) and shift.margin_after == pytest.approx(0.25)
    assert (shift.close_before, shift.close_after) == (1, 0)


def test_nothing_changes_and_no_margins():
    """Equal results: no move, an empty moves table; no margin at all gives None, not NaN."""
    same = results([None, None], [np.nan, np.nan], [False, False], ["", ""])
    shift = compare_results(same, same)
    assert shift.changed == 0 and shift.moves.empty and shift.margin_before is None


def test_results_of_different_rows_are_refused():
    """Two results of different length cannot be compared."""
    with pytest.raises(ValueError, match="differ in length"):
        compare_results(results(["api"], [0.1], [False], [""]), results([], [], [], []))
