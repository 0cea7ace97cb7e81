"""patternfit.records.sections: the record's sections in words, from an assessment."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit import assess
from patternfit.records import sections
from patternfit.records.types import RecordMeta

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


@pytest.fixture(scope="module")
def fanout(model):
    return assess(EXAMPLES / "order-created-fanout.yaml", samples=200, seed=1, model=model)


def test_numbers_read_as_a_person_reads_them(model):
    """Scores carry their sign, shares are whole percentages, an unknown share is a dash, keys become labels."""
    assert sections.signed(0.5) == "+0.50" and sections.signed(-0.125) == "-0.12"
    assert sections.percent(0.256) == "26%" and sections.percent(None) == "—"
    assert sections.label(model, "events") == model.pattern("events").label
    assert sections.label(model, None) == "none" and sections.label(model, "shared_database") == "shared database"


def test_options_list_every_pattern_with_its_score_and_ruled_out_ones_say_why(fanout, model):
    """Each pattern is an option with the assessment's score; a knocked-out one gives its rule as an argument."""
    options = {o.key: o for o in sections.options(fanout, model)}
    assert [p.key for p in model.patterns] == list(options)[: len(model.patterns)]
    for key, reasons in fanout.knocked_out.items():
        assert options[key].knocked_out and options[key].score is None
        assert any(f"it is ruled out ({reasons[0]['id']})" in b for b in options[key].bad)
    assert options["events"].score == fanout.scores["events"]


def test_justification_gives_the_margin_or_the_teams_reason(fanout, model):
    """Choosing the recommendation cites its fit and margin; choosing against it quotes the team and says so."""
    because, against = sections.justification(fanout, RecordMeta(date="2026-12-01", chosen="events"), model)
    assert because.startswith("it comes out best (see below): fit +") and against == ""
    meta = RecordMeta(date="2026-12-01", chosen="workflow", rationale="we run Temporal already")
    because, against = sections.justification(fanout, meta, model)
    assert because == "we run Temporal already."
    assert against.startswith("The team chose against the recommendation.")


def test_robustness_rows_have_a_header_and_a_row_per_pattern(fanout, model):
    """The SMAA table has 'Pattern, Rank 1…' then one row per ranked pattern; without samples it is empty."""
    rows = sections.robustness_rows(fanout, model)
    assert rows[0][:2] == ("Pattern", "Rank 1") and len(rows) == 1 + len(fanout.ranking)
    assert "200 sampled weightings" in sections.robustness_note(fanout, model)
    bare = assess(EXAMPLES / "order-created-fanout.yaml", samples=0, model=model)
    assert sections.robustness_rows(bare, model) == ()
    assert sections.robustness_note(bare, model) == "The robustness analysis was not run (samples = 0)."
    assert sections.model_note(bare) == f"Assessed with the patternfit model {model.version}."
