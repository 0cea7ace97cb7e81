"""assess_table: the same kernel as assess, over a whole table — equal to assess row by row."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from patternfit import assess, assess_table
from patternfit.engine.undecided import NOTHING_OPEN
from patternfit.errors import InputError
from patternfit.model.catalog import PROPOSABLE

from tests.strategies import MODEL, answers

SUB_COLUMNS = [f"sub.{q.key}" for q in MODEL.sub_inputs]
COLUMNS = [*MODEL.keys, "current_pattern", *SUB_COLUMNS]


@st.composite
def cell(draw: st.DrawFn, value: Any) -> Any:
    """A value as a spreadsheet may hold it: canonical, or text with case and space quirks."""
    if not draw(st.booleans()):
        return value
    if isinstance(value, bool):
        return draw(st.sampled_from(["TRUE", "yes", " Y "] if value else ["FALSE", "no", "0"]))
    if isinstance(value, int):
        return draw(st.sampled_from([f"{value}", f" {value} ", f"{value}.0"]))
    return draw(st.sampled_from([value.upper(), f" {value}", value.title()]))


@st.composite
def inventory_row(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(connection mapping for assess, the same connection as an inventory row of cells)."""
    characteristics = draw(answers(MODEL.characteristics))
    sub = draw(answers(MODEL.sub_inputs)) if draw(st.booleans()) else {}
    current = draw(st.sampled_from([None, *PROPOSABLE]))
    connection: dict[str, Any] = {"name": "row", "characteristics": characteristics, "sub": sub}
    row: dict[str, Any] = {k: draw(cell(v)) for k, v in characteristics.items()}
    row |= {f"sub.{k}": draw(cell(v)) for k, v in sub.items()}
    if current is not None:
        connection["proposed"] = current
        row["current_pattern"] = draw(cell(current))
    return connection, row


def _frame(rows: list[dict[str, Any]], index: Any = None) -> pd.DataFrame:
    return pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in rows], columns=COLUMNS, index=index, dtype=object)


def assert_row_equals_assess(result: pd.Series, connection: dict[str, Any], **options: Any) -> None:
    """One row of assess_table against assess(samples=0) on the same connection: equal where a pattern
    is decided; where not, both say undecided, with the same reason and the same questions to ask."""
    expected = assess(connection, samples=0, **options)
    recommended = result["recommended"]
    assert bool(result["undecided"]) == (expected.undecided is not None)
    if expected.undecided is not None:
        assert pd.isna(recommended) and pd.isna(result["runner_up"]) and math.isnan(result["margin"])
        assert result["undecided_reason"] == expected.undecided["message"]
        labels = "; ".join(MODEL.question(k).label for k in expected.undecided["ask"]) or NOTHING_OPEN
        assert result["what_to_ask"] == labels
        for pattern, score in expected.scores.items():
            assert (score is None) == math.isnan(result[f"score_{pattern}"]), pattern
        assert int(result["unanswered"]) == len(expected.unanswered)
        return
    assert result["undecided_reason"] == "" and result["what_to_ask"] == ""
    assert (None if pd.isna(recommended) else recommended) == expected.recommended
    assert set(filter(None, str(result["checks"]).split(", "))) == {c["id"] for c in expected.checks}
    for pattern, score in expected.scores.items():
        value = result[f"score_{pattern}"]
        assert (score is None) == math.isnan(value), pattern
        if score is not None:
            assert round(float(value), 4) == pytest.approx(score, abs=1e-12), pattern
    assert set(filter(None, str(result["knocked_out"]).split(", "))) == set(expected.knocked_out)
    assert set(filter(None, str(result["pitfalls"]).split(", "))) == {p["id"] for p in expected.pitfalls}
    fired = {r["id"] for reasons in expected.knocked_out.values() for r in reasons}
    assert set(filter(None, str(result["knockouts"]).split(", "))) == fired
    assert (None if pd.isna(result["coordination"]) else result["coordination"]) == expected.coordination
    flavour = result["messaging_flavour"]
    assert (None if pd.isna(flavour) else flavour) == expected.messaging_flavour
    assert int(result["unanswered"]) == len(expected.unanswered)
    if expected.margin is None:
        assert math.isnan(result["margin"])
    else:
        assert result["margin"] == pytest.approx(expected.margin, abs=1.5e-4)
        if abs(expected.margin - MODEL.robustness.low_margin) > 1e-3:
            assert bool(result["low_confidence"]) == expected.low_confidence
    assert result["error"] == ""


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(inventory_row(), min_size=1, max_size=12))
def test_assess_table_equals_assess_row_by_row(rows):
    """Property: on random partial answers (written with spreadsheet quirks), every row equals assess."""
    frame = _frame([r for _, r in rows])
    results = assess_table(frame)
    assert len(results) == len(rows)
    for position, (connection, _) in enumerate(rows):
        assert_row_equals_assess(results.iloc[position], connection)


def _random_rows(n: int, seed: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """n random connections, as (mapping, cells) — enough rows for the kernel's streamed path."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        characteristics: dict[str, Any] = {}
        for question in MODEL.characteristics:
            if rng.random() < 0.25:
                continue
            scale = question.scale
            if scale.type == "integer":
                characteristics[question.key] = int(rng.integers(scale.minimum or 0, 12))
            elif scale.type == "boolean":
                characteristics[question.key] = bool(rng.integers(0, 2))
            else:
                characteristics[question.key] = scale.values[int(rng.integers(0, scale.levels))]
        connection: dict[str, Any] = {"name": "row", "characteristics": characteristics}
        row = dict(characteristics)
        if rng.random() < 0.8:
            current = PROPOSABLE[int(rng.integers(0, len(PROPOSABLE)))]
            connection["proposed"] = current
            row["current_pattern"] = current
        out.append((connection, row))
    return out


def test_streamed_kernel_path_equals_assess():
    """Above 256 rows the kernel streams per characteristic; 700 rows still equal assess one by one."""
    rows = _random_rows(700, seed=7)
    results = assess_table(_frame([r for _, r in rows]))
    for position, (connection, _) in enumerate(rows):
        assert_row_equals_assess(results.iloc[position], connection)


def test_weights_and_profile_are_applied_as_assess_applies_them():
    """weights= and profile= change assess_table exactly as they change assess."""
    rows = _random_rows(300, seed=3)
    weights = {"consumer_count": 5, "latency_budget": 0.5, "human_step": 4}
    profile = {
        "name": "Test office",
        "version": "1",
        "changes": [
            {"weight": "replay_needed", "to": 3, "reason": "we replay a lot"},
            {"fit": "ordering", "answer": "per_key", "pattern": "batch", "to": 0, "reason": "ordered files"},
        ],
    }
    frame = _frame([r for _, r in rows])
    for options in ({"weights": weights}, {"profile": profile}, {"weights": weights, "profile": profile}):
        results = assess_table(frame, **options)
        for position, (connection, _) in enumerate(rows[:150]):
            assert_row_equals_assess(results.iloc[position], connection, **options)


def test_row_order_and_index_are_kept():
    """Results come back in the input's order under the input's own index labels."""
    rows = _random_rows(20, seed=11)
    index = pd.Index([f"r{i}" for i in np.random.default_rng(0).permutation(20)])
    frame = _frame([r for _, r in rows], index=index)
    results = assess_table(frame)
    assert results.index.equals(index)
    alone = assess_table(frame.iloc[[5]])
    assert alone.loc[index[5], "recommended"] == results.loc[index[5], "recommended"]


def test_result_columns_and_empty_table():
    """The contract columns are there, one score per pattern; an empty table gives an empty result."""
    results = assess_table(pd.DataFrame({"latency_budget": pd.Series([], dtype=object)}))
    assert len(results) == 0
    for column in (
        "recommended",
        "knocked_out",
        "pitfalls",
        "error",
        "margin",
        "coordination",
        "messaging_flavour",
        "unanswered",
    ):
        assert column in results.columns
    assert [c for c in results.columns if c.startswith("score_")] == [f"score_{p}" for p in MODEL.pattern_keys]


def test_a_knocked_out_pattern_is_never_recommended_and_has_no_score():
    """Property on 2,000 random rows: the recommendation is never a knocked-out pattern."""
    results = assess_table(_frame([r for _, r in _random_rows(2000, seed=5)]))
    for pattern in MODEL.pattern_keys:
        knocked = results["knocked_out"].astype(str).str.contains(pattern)
        assert results.loc[knocked, f"score_{pattern}"].isna().all()
        assert not (results.loc[knocked, "recommended"] == pattern).any()


def test_robustness_samples_give_the_acceptability_of_assess():
    """samples > 0 adds the SMAA acceptability of the recommendation, equal to assess's (same seed)."""
    rows = _random_rows(5, seed=2)
    results = assess_table(_frame([r for _, r in rows]), samples=300, seed=4)
    for position, (connection, _) in enumerate(rows):
        expected = assess(connection, samples=300, seed=4)
        if expected.recommended is None:
            assert math.isnan(results["acceptability"].iloc[position])
        else:
            assert results["acceptability"].iloc[position] == pytest.approx(
                expected.acceptability[expected.recommended]
            )
            assert bool(results["low_confidence"].iloc[position]) == expected.low_confidence


def test_bad_options_are_input_errors():
    """Negative samples, unknown weights and a misspelt column are InputErrors, not tracebacks."""
    frame = _frame([r for _, r in _random_rows(3, seed=1)])
    with pytest.raises(InputError):
        assess_table(frame, samples=-1)
    with pytest.raises(InputError, match="unknown characteristic"):
        assess_table(frame, weights={"latency": 2})
    with pytest.raises(InputError, match="did you mean 'consumer_count'"):
        assess_table(frame.rename(columns={"consumer_count": "consumer_cuont"}))


def test_optional_stated_and_design_fact_columns_equal_assess():
    """`stated.<key>` and `proposed.<fact>` columns act as in a connection file (pitfalls P-03, P-14, P-15, P-19)."""
    connections = [
        {
            "name": "a",
            "characteristics": {
                "latency_budget": "hours",
                "interaction_intent": "fact_notification",
                "consumer_count": 4,
            },
            "stated": {"latency_budget": "seconds"},
            "proposed": {"pattern": "events", "outbox_or_cdc": False, "dlq": False, "retry_layers": 3},
        },
        {
            "name": "b",
            "characteristics": {"response_expectation": "result_now", "process_duration": "hours"},
            "stated": {"response_expectation": "result_now"},
            "proposed": {"pattern": "api", "timeouts_set": False, "payload_kb": 2048},
        },
    ]
    rows = []
    for c in connections:
        row = dict(c["characteristics"])
        row |= {f"stated.{k}": v for k, v in c["stated"].items()}
        row |= {f"proposed.{k}": v for k, v in c["proposed"].items() if k != "pattern"}
        row["current_pattern"] = c["proposed"]["pattern"]
        rows.append(row)
    results = assess_table(pd.DataFrame(rows, dtype=object))
    for position, connection in enumerate(connections):
        assert_row_equals_assess(results.iloc[position], connection)
    assert {"P-03", "P-14", "P-15", "P-19"} <= set(str(results["pitfalls"].iloc[0]).split(", "))
