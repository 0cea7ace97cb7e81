"""patternfit.api: the one public `assess`, for a connection or a decision record."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit.api import assess
from patternfit.errors import InputError
from patternfit.model.connection import load_connection
from patternfit.records import render_record

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
FANOUT = EXAMPLES / "order-created-fanout.yaml"


def test_a_file_a_mapping_and_a_connection_give_the_same_outcome(model):
    """The fan-out example recommends events however it is handed over."""
    import yaml

    by_path = assess(FANOUT, samples=0, model=model)
    by_mapping = assess(yaml.safe_load(FANOUT.read_text()), samples=0, model=model)
    by_object = assess(load_connection(FANOUT, model), samples=0, model=model)
    assert by_path.recommended == "events"
    assert by_mapping.ranking == by_path.ranking == by_object.ranking
    assert by_mapping.scores == by_path.scores


def test_a_record_path_is_reopened_with_its_stored_inputs(model, record, tmp_path: Path):
    """A saved record given by its path is re-assessed to the outcome it recorded."""
    path = tmp_path / "0001-fanout.md"
    path.write_text(render_record(record, "madr"))
    reopened = assess(path, samples=0, model=model)
    fresh = assess(FANOUT, samples=0, model=model)
    assert reopened.connection.name == "Order created fan-out"
    assert (reopened.recommended, reopened.ranking) == (fresh.recommended, fresh.ranking)


def test_a_missing_file_says_where_and_what(tmp_path: Path):
    """A path to nothing is an InputError naming the file, not a traceback."""
    with pytest.raises(InputError) as raised:
        assess(tmp_path / "nowhere.yaml", samples=0)
    assert (raised.value.where, raised.value.what, raised.value.fix) == (
        str(tmp_path / "nowhere.yaml"),
        "no such file",
        "check the path",
    )
