"""patternfit.estate.score: the engine's kernel over a whole inventory, one row of results per row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from patternfit import assess
from patternfit.errors import InputError
from patternfit.estate.encode import encode_table
from patternfit.estate.read import read_inventory
from patternfit.estate.score import assess_table, prepare, score

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
INVENTORY = EXAMPLES / "inventory.csv"


@pytest.fixture(scope="module")
def inventory(model):
    return read_inventory(INVENTORY, model=model)


def test_each_row_is_recommended_as_assess_recommends_it(model):
    """Each shipped example, as one row of a table, gets the recommendation and margin `assess` gives it."""
    import yaml

    files = sorted(EXAMPLES.glob("*.yaml"))
    rows = [yaml.safe_load(f.read_text())["characteristics"] for f in files]
    results = assess_table(pd.DataFrame(rows, dtype=object), model=model)
    for (_, result), path in zip(results.iterrows(), files, strict=True):
        expected = assess(path, samples=0, model=model)
        assert (result["recommended"] if isinstance(result["recommended"], str) else None) == expected.recommended
    assert (results["error"] == "").all()


def test_an_inventory_keeps_its_row_numbers(inventory, model):
    """Results are indexed by spreadsheet row; the example's deliberately bad rows carry their error, not a crash."""
    results = assess_table(inventory.table, model=model)
    assert list(results.index) == list(inventory.table.index) and results.index[0] == 2
    assert results.iloc[0]["error"] == "" and results.iloc[0]["recommended"] == "api"
    assert any("consumer_count: 'many' is not a whole number" in e for e in results["error"])


def test_prepare_and_score_are_assess_table_in_two_steps(inventory, model):
    """prepare (model, weights) then score on the encoded table gives the same results as assess_table."""
    prepared, w = prepare(model, None, None)
    split = score(encode_table(inventory.table, prepared), w, prepared)
    pd.testing.assert_frame_equal(split, assess_table(inventory.table, model=model))


def test_an_unreadable_row_gets_its_error_and_no_recommendation(model):
    """A row answering 'soon' is not assessed: its error names the key and the allowed values."""
    results = assess_table(pd.DataFrame([{"latency_budget": "soon"}], dtype=object), model=model)
    assert pd.isna(results.iloc[0]["recommended"])
    assert results.iloc[0]["error"].startswith("latency_budget: 'soon' is not one of the allowed values; allowed:")


def test_bad_weights_stop_the_whole_table(inventory, model):
    """A negative weight is an InputError naming the weight and the fix, before any row is scored."""
    with pytest.raises(InputError) as raised:
        assess_table(inventory.table, model=model, weights={"latency_budget": -1})
    assert raised.value.message == "weights: latency_budget: -1 is not a finite number ≥ 0 — use a number ≥ 0"
