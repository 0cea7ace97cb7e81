"""The example inventory's findings, asserted: which rows mismatch and why, errors, pitfalls, mix, workshop."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from patternfit.engine.undecided import NOTHING_OPEN
from patternfit.estate.review import review
from patternfit.model.catalog import Knockout
from patternfit.model.conditions import compile_condition

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv"

# Knocked out: nightly batch for a real-time need (002, 024, 039, 043, 044), events for a query (005, 034),
# a synchronous call where the sender must survive the receiver (004) or for long work (026, 032).
KNOCKED_OUT = {f"INT-{n:03d}" for n in (2, 4, 5, 24, 26, 32, 34, 39, 43, 44)}
SHARED_DATABASE = {"INT-008", "INT-015", "INT-028", "INT-040"}
# workflow for a one-step job, events for a human saga, batch for feeds that need minutes
POOR_FIT = {"INT-016", "INT-022", "INT-031", "INT-046"}


@pytest.fixture(scope="module")
def example():
    return review(EXAMPLE)


def _ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["id"].astype(str))


def test_mismatching_rows_are_exactly_the_deliberate_ones(example):
    """The 18 deliberate mismatches of the example inventory — no more, no fewer."""
    assert _ids(example.findings.mismatches) == KNOCKED_OUT | SHARED_DATABASE | POOR_FIT


def test_mismatches_are_sorted_by_gap_with_reasons_in_words(example):
    """Largest gap first; knocked-out rows name the knock-out, poor fits name the deciding answers."""
    mismatches = example.findings.mismatches
    gaps = mismatches["gap"]
    assert gaps.dropna().is_monotonic_decreasing and gaps.iloc[-1:].isna().all()  # undecided (no gap) last
    by_id = mismatches.set_index("id")
    assert by_id.loc["INT-002", "reason"].startswith("Batch is ruled out (KO-1, KO-2): The caller is waiting")
    assert by_id.loc["INT-002", "recommended"] == "api"
    assert by_id.loc["INT-005", "reason"].startswith("Events is ruled out (KO-1)")
    assert "(P-07)" in by_id.loc["INT-028", "reason"]
    assert by_id.loc["INT-022", "reason"] == (
        "Workflow fits clearly better than Events: 4+ steps in different systems must together reach one outcome "
        "and the work runs for days or weeks."
    )
    assert by_id.loc["INT-022", "gap"] == pytest.approx(0.484375)
    assert by_id.loc[list(POOR_FIT), "gap"].between(example.model.policy.mismatch_gap, 1).all()
    assert by_id.loc[list(KNOCKED_OUT | SHARED_DATABASE), "gap"].min() > max(by_id.loc[list(POOR_FIT), "gap"])
    assert by_id.loc["INT-044", "reason"] == (
        "Batch is ruled out (KO-2): Batch runs in time windows measured in minutes to days, so it cannot deliver "
        "within seconds. No pattern is recommended yet: Events and Workflow fit equally well."
    )


def test_a_tie_is_undecided_not_a_close_call(example):
    """INT-044 answers all 18 questions and Events and Workflow tie: no pattern recommended, listed as
    undecided with why (no open question is left to separate them), counted apart, never a workshop close call."""
    findings = example.findings
    undecided = findings.undecided_rows
    assert undecided["id"].tolist() == ["INT-044"]
    assert undecided["reason"].iloc[0] == "Events and Workflow fit equally well"
    assert undecided["what_to_ask"].iloc[0] == NOTHING_OPEN
    assert pd.isna(example.results.loc[45, "recommended"]) and example.results.loc[45, "undecided"]
    assert findings.summary["undecided"] == 1 and findings.summary["with a recommended pattern"] == 47
    assert findings.mix.loc["(undecided)", "recommended"] == 1
    assert findings.matrix.loc["batch", "(undecided)"] == 1


def test_the_shared_database_pitfall_is_the_models(model):
    """A shared database cites the pitfall the model's policy names (estate.shared_database_pitfall), no id in code."""
    pitfall = next(p for p in model.pitfalls if p.id == "P-06")
    other = dataclasses.replace(model, policy=dataclasses.replace(model.policy, shared_database_pitfall="P-06"))
    reason = review(EXAMPLE, model=other).findings.mismatches.set_index("id").loc["INT-028", "reason"]
    assert f"(P-06): {pitfall.message}" in reason and "P-07" not in reason


def test_close_but_fitting_rows_are_not_mismatches_until_the_threshold_drops():
    """Events for daily exchange rates (gap 0.11) is tolerated at 0.25 and flagged at a gap of 0.1."""
    strict = review(EXAMPLE, gap=0.1)
    assert {"INT-014", "INT-038"} <= _ids(strict.findings.mismatches)
    assert "INT-014" not in _ids(review(EXAMPLE).findings.mismatches)


def test_rows_with_bad_cells_are_reported_and_left_out(example):
    """Rows 50–52 (INT-049…051) have unreadable cells: listed by cell, no results, the rest assessed.

    Row 50's `kafka` is read through the technology catalogue (events); its `real-time` is not."""
    problems = example.problems
    assert problems[["row", "column", "value"]].values.tolist() == [
        [50, "latency_budget", "real-time"],
        [51, "consumer_count", "many"],
        [52, "human_step", "maybe"],
    ]
    results = example.results
    assert results.loc[[50, 51, 52], "recommended"].isna().all()
    assert (results.loc[[50, 51, 52], "error"] != "").all()
    assert example.findings.summary["assessed"] == 48 and example.error_rows == 3


def test_pitfalls_are_counted_across_the_estate(example):
    """P-07 on the four shared databases; P-06 on the five lookups answered by copies (by events or a
    nightly batch, issue 12). P-12 (exactly-once) is raised only when a design declares no idempotency
    key — the inventory declares none either way, so it is a question to check, not a pitfall."""
    counts = example.findings.pitfalls.set_index("id")["connections"].to_dict()
    assert "P-12" not in counts and counts["P-07"] == 4
    assert counts["P-02"] == 1 and counts["P-06"] == 5
    assert list(example.findings.pitfalls["connections"]) == sorted(counts.values(), reverse=True)


def test_pattern_mix_overall_and_per_owner(example):
    """The mix counts readable rows; the matrix sums to the assessed rows; owners get a verdict."""
    findings = example.findings
    assert findings.mix["current"].sum() == 48
    assert findings.mix.loc["shared_database", "current"] == 4
    assert findings.matrix.to_numpy().sum() == 48
    assert findings.matrix.loc["batch", "api"] == 3  # nightly batch where a caller waits
    assert set(findings.mix_by_owner.index) == {
        "Commerce",
        "Finance",
        "Logistics",
        "Customer",
        "Data & Analytics",
        "People",
    }
    owners = findings.owners.set_index("owner")
    assert owners.loc["(estate)", "connections"] == 48
    assert owners.loc["Commerce", "verdict"].startswith("bespoke")
    assert owners.loc["Customer", "mismatch_rate"] == pytest.approx(4 / 8)
    assert owners.loc["People", "verdict"].startswith("batch for 83% of connections, 50% of them poor fits — tooling")
    assert owners.loc["(estate)", "verdict"] == "39% of the connections fight their characteristics"
    assert 1 <= owners.loc["Logistics", "effective_patterns"] <= 3


def test_workshop_candidates_are_the_close_calls_and_sparse_rows(example):
    """The rows with 9 and 11 blanks (the tie, INT-044, is undecided, not a workshop candidate)."""
    workshop = example.findings.workshop
    assert workshop["id"].tolist() == ["INT-047", "INT-048"]
    assert workshop["reason"].iloc[1] == "11 of 18 questions unanswered."


def test_every_pattern_knocked_out_is_a_workshop_candidate(model):
    """A row whose answers knock out all four patterns has no recommendation and goes to the workshop.

    The shipped model never excludes workflow, so the test adds a knock-out that does."""
    extra = Knockout("KO-T", compile_condition({"human_step": True}, model.scales), ("workflow",), "test only", ())
    strict = dataclasses.replace(model, knockouts=(*model.knockouts, extra))
    frame = pd.DataFrame(
        {
            "id": ["X", "Y"],
            "response_expectation": ["result_now", "none"],
            "counterpart_capability": ["file_only", ""],
            "human_step": ["true", ""],
            "interaction_intent": ["", "fact_notification"],
        }
    )
    result = review(frame, model=strict)
    assert pd.isna(result.results.loc[0, "recommended"]) and result.results.loc[1, "recommended"] == "events"
    assert result.findings.workshop["reason"].iloc[0].startswith("Every pattern is knocked out")
    assert result.findings.summary["no pattern fits"] == 1
    assert not result.findings.rows.loc[0, "mismatch"]
