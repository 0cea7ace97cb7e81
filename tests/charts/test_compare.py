"""patternfit.charts.compare: the workshop's side-by-side chart of up to six connections."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest
from patternfit import assess
from patternfit.charts.compare import compare_scores
from patternfit.errors import InputError

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def assessments(model):
    return [assess(p, samples=0, model=model) for p in EXAMPLES]


def test_one_bar_per_pattern_per_connection_with_its_score(assessments, model):
    """Each pattern's trace has a bar per connection with its rounded score, None where ruled out."""
    spec = compare_scores(assessments, model)
    go.Figure(spec)  # plotly accepts the spec as it is
    scored = {t["name"]: t for t in spec["data"] if not t["name"].endswith("ruled out")}
    assert list(scored) == [p.label for p in model.patterns]
    for p in model.patterns:
        expected = [None if a.scores[p.key] is None else round(a.scores[p.key], 3) for a in assessments]
        assert scored[p.label]["x"] == expected
    assert spec["layout"]["meta"] == {"pf_chart": "compare"}


def test_a_ruled_out_pattern_is_a_marked_grey_bar(assessments, model):
    """Where a pattern is knocked out its hatched trace spans −1…+1 and shows ✕ for that connection only."""
    spec = compare_scores(assessments, model)
    for trace in (t for t in spec["data"] if t["name"].endswith("ruled out")):
        key = next(p.key for p in model.patterns if trace["name"] == f"{p.label} ruled out")
        marks = [a.scores[key] is None for a in assessments]
        assert trace["text"] == ["✕" if m else "" for m in marks] and any(marks)
        assert trace["base"] == [-1.0 if m else None for m in marks]


def test_equal_names_stay_apart(assessments, model):
    """Two connections with one name get distinct axis labels (plotly would merge equal ones)."""
    spec = compare_scores([assessments[0], assessments[0]], model)
    names = spec["data"][0]["y"]
    assert len(set(names)) == 2


@pytest.mark.parametrize(("count", "what"), [(0, "no connections to compare"), (7, "7 connections chosen")])
def test_none_or_too_many_is_refused(assessments, model, count: int, what: str):
    """No connection, or more than six, is an InputError saying how many to pick."""
    with pytest.raises(InputError) as raised:
        compare_scores((assessments * 2)[:count], model)
    assert raised.value.where == "compare" and raised.value.what == what
