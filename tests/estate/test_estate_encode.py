"""Cells → answers: spreadsheet quirks are read as meant; every unreadable cell is reported, never guessed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from patternfit import assess_table
from patternfit.estate.encode import encode_column, encode_table
from patternfit.estate.review import read_inventory_bytes, review
from patternfit.model.scales import UNANSWERED


@pytest.mark.parametrize(
    ("key", "quirky", "canonical"),
    [
        ("human_step", ["TRUE", "yes", " Yes ", "1", "on", "Y"], True),
        ("human_step", ["FALSE", "no", " NO", "0", "off", "n"], False),
        ("temporal_decoupling", [True, "true "], True),
        ("consumer_count", ["3", " 3 ", "3.0", 3, 3.0], 3),
        ("freshness_value", ["4", " 4", "4.0", 4, 4.0], 4),
        ("response_expectation", ["Result_Now", " result_now ", "RESULT_NOW"], "result_now"),
        ("latency_budget", [" Seconds ", "SECONDS", "seconds"], "seconds"),
        ("current_pattern", ["Events", " EVENTS ", "events"], "events"),
        ("current_pattern", ["Shared_Database"], "shared_database"),
    ],
)
def test_spreadsheet_quirks_read_as_the_canonical_answer(model, key, quirky, canonical):
    """TRUE/yes booleans, numbers stored as text, stray spaces and mixed case code like the canonical value."""
    frame = pd.DataFrame({key: [*quirky, canonical]})
    encoded = encode_table(frame, model)
    field = "proposed.pattern" if key == "current_pattern" else key
    codes = encoded.frame.codes[field]
    assert not encoded.bad.any(), encoded.problems
    assert (codes == codes[-1]).all() and codes[-1] >= 0


@pytest.mark.parametrize("blank", ["", "   ", None, np.nan])
def test_blank_cells_are_unanswered(model, blank):
    """An empty, whitespace-only or missing cell is 'unanswered' (-1), not an error."""
    encoded = encode_table(pd.DataFrame({"latency_budget": [blank, "hours"]}, dtype=object), model)
    assert encoded.frame.codes["latency_budget"][0] == UNANSWERED and not encoded.bad.any()


@pytest.mark.parametrize(
    ("key", "value", "problem", "allowed"),
    [
        ("latency_budget", "soon", "is not one of the allowed values", "subsecond, seconds, minutes, hours, days"),
        ("latency_budget", "secnds", "did you mean 'seconds'", "subsecond"),
        ("response_expectation", "result now", "did you mean 'result_now'", "result_now"),
        ("human_step", "maybe", "is not true or false", "true or false"),
        ("consumer_count", "many", "is not a whole number", "a whole number ≥ 1"),
        ("consumer_count", "2.5", "is not a whole number", "a whole number ≥ 1"),
        ("consumer_count", "0", "below the minimum 1", "a whole number ≥ 1"),
        ("consumer_count", "6+", "is not a whole number", "a whole number ≥ 1"),
        ("consumer_count", "inf", "is not a whole number", "a whole number ≥ 1"),
        ("freshness_value", "6", "is not one of the allowed values", "1, 2, 3, 4, 5"),
        ("freshness_value", "TRUE", "is not one of the allowed values", "1, 2, 3, 4, 5"),
        ("current_pattern", "carrier pigeon", "is not one of the allowed values", "shared_database"),
        ("ordering", "n/a", "is not one of the allowed values", "none, per_key, global"),
    ],
)
def test_every_bad_cell_kind_is_reported_with_row_column_value_and_allowed(key, value, problem, allowed):
    """An unreadable cell is listed with its spreadsheet row, column, value, the problem and what is allowed."""
    text = f"id,name,{key}\nA,good,\nB,bad,{value}\n"
    result = review(read_inventory_bytes(text.encode(), "inv.csv"))
    problems = result.problems
    assert len(problems) == 1
    record = problems.iloc[0]
    assert (record["row"], record["column"], record["value"]) == (3, key, value)
    assert problem in record["problem"]
    assert allowed in record["allowed"]
    results = result.results
    assert results.loc[2, "error"] == "" and results.loc[2, "undecided"]  # readable; nothing answered: undecided
    assert results.loc[3, "error"].startswith(f"{key}: ")
    assert pd.isna(results.loc[3, "recommended"]) and results.loc[3, ["score_api", "score_events"]].isna().all()


def test_blank_id_with_answers_is_a_row_error_and_fully_blank_rows_are_skipped():
    """A row with answers but no id is reported; a row with nothing in it is skipped and counted."""
    text = "id,name,latency_budget\nA,One,hours\n,No id,seconds\n,,\n"
    result = review(read_inventory_bytes(text.encode(), "inv.csv"))
    assert result.inventory.skipped == 1
    assert result.problems[["row", "column"]].values.tolist() == [[3, "id"]]
    assert result.results.loc[3, "error"].startswith("id: the id is blank")


def test_several_bad_cells_of_one_row_are_all_named():
    """Two bad cells in one row both appear in its error text, in column order."""
    text = "id,latency_budget,human_step\nA,soon,maybe\n"
    error = review(read_inventory_bytes(text.encode(), "inv.csv")).results.loc[2, "error"]
    assert error.index("latency_budget") < error.index("human_step")
    assert "; human_step: 'maybe' is not true or false; allowed: true or false" in error


def test_validation_maps_each_distinct_value_once(model, monkeypatch):
    """A million-row column costs one Scale.coerce call per distinct value, not per row."""
    calls = []
    scale = model.scales["latency_budget"]
    original = type(scale).coerce

    def counting(self, value, *, lenient=False):
        calls.append(value)
        return original(self, value, lenient=lenient)

    monkeypatch.setattr(type(scale), "coerce", counting)
    column = pd.Series(np.tile(np.array(["hours", "seconds", " Days", "", "soon"], dtype=object), 200_000))
    encoded = encode_column(column, scale)
    assert len(calls) == 4  # the blank is recognised without a call
    assert len(encoded.bad_rows) == 200_000
    assert encoded.codes[:5].tolist() == [3, 1, 4, UNANSWERED, UNANSWERED]


def test_typed_dataframe_columns_work(model):
    """assess_table takes bool, int and float (NaN = blank) columns as well as text."""
    frame = pd.DataFrame(
        {
            "human_step": [True, False],
            "consumer_count": [6, 1],
            "freshness_value": [4.0, np.nan],
            "response_expectation": ["none", "result_now"],
        }
    )
    results = assess_table(frame)
    assert (results["error"] == "").all()
    assert results["unanswered"].tolist() == [14, 15]


def test_true_and_one_are_not_merged(model):
    """In an object column True and 1 are not merged into one value: 1 is a count, True is not."""
    frame = pd.DataFrame({"consumer_count": pd.Series([1, True, 2], dtype=object)})
    encoded = encode_table(frame, model)
    assert encoded.bad.tolist() == [False, True, False]
