"""patternfit.records.build: an assessment and the meeting's metadata become one decision record."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit import assess
from patternfit.errors import InputError
from patternfit.model.connection import load_connection
from patternfit.records.build import build_record, default_title, inputs_hash
from patternfit.records.types import RecordMeta

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


@pytest.fixture(scope="module")
def fanout(model):
    return assess(EXAMPLES / "order-created-fanout.yaml", samples=0, model=model)


def test_the_record_stores_what_reopens_it(fanout, model):
    """The stored block holds the model version, the inputs with their fingerprint, and the weights."""
    r = build_record(fanout, RecordMeta(date="2026-12-01", decision_makers=("Ada",)), model)
    stored = r.stored
    assert stored["model_version"] == model.version and stored["recommended"] == "events"
    assert stored["inputs"] == fanout.connection.to_dict()
    assert stored["inputs_sha256"] == inputs_hash(stored["inputs"])
    assert set(stored["weights"]) == set(fanout.weights) and stored["decision_makers"] == ["Ada"]
    assert r.chosen == "events" and r.title == default_title(fanout, "events", model)


def test_the_default_title_names_the_connection_pattern_and_flavour(fanout, model):
    """'<connection>: use <pattern> (<flavour>)' for the recommendation; no flavour for another choice."""
    assert default_title(fanout, "events", model) == "Order created fan-out: use Events (topic)"
    assert default_title(fanout, "batch", model) == f"Order created fan-out: use {model.pattern('batch').label}"


def test_the_fingerprint_changes_with_any_answer_and_not_with_key_order(model):
    """inputs_hash ignores key order but tells an edited answer."""
    inputs = load_connection(EXAMPLES / "order-created-fanout.yaml", model).to_dict()
    reordered = dict(reversed(list(inputs.items())))
    edited = {**inputs, "characteristics": {**inputs["characteristics"], "consumer_count": 7}}
    assert inputs_hash(inputs) == inputs_hash(reordered) != inputs_hash(edited)


def test_choosing_against_the_recommendation_needs_the_reason(fanout, model):
    """A choice other than the recommendation without a rationale names the field and the fix."""
    with pytest.raises(InputError) as raised:
        build_record(fanout, RecordMeta(date="2026-12-01", chosen="batch"), model)
    assert raised.value.where == "rationale" and raised.value.fix == "give the reason with --rationale TEXT"
    kept = build_record(fanout, RecordMeta(date="2026-12-01", chosen="batch", rationale="nightly is enough"), model)
    assert kept.chosen == "batch" and kept.against.startswith("The team chose against the recommendation.")
