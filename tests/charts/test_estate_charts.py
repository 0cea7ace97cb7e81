"""patternfit.charts.estate: the estate review's plotly figures, built from its summary tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from patternfit.charts.estate import (
    CHARTS,
    estate_charts,
    gaps_chart,
    matrix_chart,
    pitfalls_chart,
    shown_matrix,
    technology_chart,
)
from patternfit.estate.review import review

INVENTORY = Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv"


@pytest.fixture(scope="module")
def example():
    return review(INVENTORY)


def test_every_chart_is_a_figure_plotly_accepts(example):
    """estate_charts gives the four named charts, each a valid plotly figure with a title."""
    charts = estate_charts(example)
    assert tuple(charts) == CHARTS
    for name, spec in charts.items():
        go.Figure(spec)
        assert spec["layout"]["title"]["text"], name


def test_the_matrix_shows_the_reviews_counts(example):
    """The heatmap's cells are the review's matrix, row by row: pattern in use × recommended."""
    heat = matrix_chart(example)["data"][0]
    shown = shown_matrix(example.findings.matrix)
    assert heat["type"] == "heatmap" and heat["z"] == shown.to_numpy().tolist()
    assert heat["y"] == list(shown.index)


def test_the_gap_histogram_counts_every_connection_with_a_gap(example):
    """The pre-binned gap bars add up to the connections that have a gap."""
    bars = gaps_chart(example)["data"][0]
    assert sum(bars["y"]) == int(example.findings.rows["gap"].notna().sum()) > 0


def test_pitfalls_are_sorted_most_frequent_first(example):
    """The pitfall bars are ordered by count, most frequent first, each named by its id."""
    bars = pitfalls_chart(example)["data"][0]
    assert list(bars["x"]) == sorted(bars["x"], reverse=True)
    assert all(str(label).startswith("P-") for label in bars["y"])


def test_empty_rows_and_an_unused_undecided_column_are_left_out():
    """A matrix row of zeros and an all-zero undecided column are dropped; an estate naming no technology says so."""
    matrix = pd.DataFrame(
        [[1, 0], [0, 0]],
        index=pd.Index(["api", "events"], name="current"),
        columns=pd.Index(["api", "(undecided)"], name="recommended"),
    )
    assert shown_matrix(matrix).to_dict() == {"api": {"api": 1}}
    assert technology_chart(review(INVENTORY))["layout"]["title"]["text"].endswith("none named")
