"""Charts: plotly figure dicts built from assessments — valid, faithful to the numbers, readable
without colour, and cheap to redraw."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from patternfit import assess
from patternfit.charts.decision import (
    CHART_NAMES,
    PATTERN_COLOURS,
    all_charts,
    chart_specs,
    contributions,
    coordination_signals,
    figure,
    fit_scores,
    mimebundle,
    rank_acceptability,
    tradeoff_profiles,
)
from patternfit.model.catalog import Model

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


@pytest.fixture(scope="module")
def assessed(model: Model, examples: dict[str, Path]) -> dict[str, Any]:
    return {name: assess(path, model=model) for name, path in examples.items()}


def _axes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for k, v in spec["layout"].items() if k.startswith(("xaxis", "yaxis"))]


def test_every_example_gives_valid_plotly_figures(assessed: dict[str, Any], model: Model) -> None:
    """Each chart of each example passes plotly's own validation (go.Figure)."""
    for a in assessed.values():
        figures = all_charts(a, model)
        assert set(figures) <= set(CHART_NAMES)
        for fig in figures.values():
            assert fig.to_plotly_json()["data"]


def test_coordination_chart_only_for_several_steps(assessed: dict[str, Any], model: Model) -> None:
    """The orchestration-vs-choreography chart appears exactly when the flow has several steps."""
    for name, a in assessed.items():
        has = "coordination" in chart_specs(a, model)
        assert has == (a.connection.characteristics.get("coordinated_steps", 1) >= 2), name


def test_fit_scores_show_scores_and_name_knockouts(assessed: dict[str, Any], model: Model) -> None:
    """Feasible patterns are bars of their score; knocked-out ones a labelled hatched band."""
    a = assessed["order-created-fanout"]
    spec = fit_scores(a, model)
    ruled, scored = spec["data"]
    assert ruled["marker"]["pattern"]["shape"] == "/"
    assert {t for t in ruled["text"]} == {"ruled out: KO-5", "ruled out: KO-2"}
    assert any("Synchronous API" in y for y in ruled["y"]) and any("Batch" in y for y in ruled["y"])
    values = dict(zip(scored["y"], scored["x"], strict=True))
    assert values["★ Events"] == pytest.approx(a.scores["events"])
    assert values["Workflow orchestration"] == pytest.approx(a.scores["workflow"])


def test_patterns_are_named_not_only_coloured(assessed: dict[str, Any], model: Model) -> None:
    """Every pattern's label is written on the fit, acceptability and contribution charts."""
    a = assessed["customer-onboarding"]
    for spec in (fit_scores(a, model), rank_acceptability(a, model)):
        assert spec is not None
        shown = {y for trace in spec["data"] for y in trace["y"]}
        for p in model.patterns:
            assert any(p.label in y for y in shown), p.label
    titles = " ".join(n["text"] for n in contributions(a, model)["layout"]["annotations"])
    titles = " ".join(re.sub(r"<[^>]+>", " ", titles).split())  # a long label is written on two lines
    assert all(p.label in titles for p in model.patterns)


def test_leader_is_starred_and_outlined(assessed: dict[str, Any], model: Model) -> None:
    """The recommended pattern carries a star in its label and a dark outline."""
    a = assessed["customer-onboarding"]
    scored = fit_scores(a, model)["data"][-1]
    i = scored["y"].index("★ Workflow orchestration")
    assert scored["marker"]["line"]["color"][i] != "rgba(0,0,0,0)"


def test_contributions_equal_the_assessment(assessed: dict[str, Any], model: Model) -> None:
    """Each panel's bars are the assessment's weight × fit values, vermillion when negative."""
    a = assessed["nightly-reconciliation"]
    spec = contributions(a, model)
    labels = {q.label: q.key for q in model.characteristics}
    for p, trace in zip(model.patterns, spec["data"], strict=True):
        for name, value, colour in zip(trace["y"], trace["x"], trace["marker"]["color"], strict=True):
            assert value == pytest.approx(a.contributions[p.key].get(labels[name], 0.0))
            if value < 0 and p.key not in a.knocked_out:
                assert colour == "#D55E00"


def test_rank_acceptability_stacks_to_one_hundred(assessed: dict[str, Any], model: Model) -> None:
    """Each pattern's rank shares add up to 100 %; no chart when robustness is skipped."""
    a = assessed["shipment-reaction-chain"]
    spec = rank_acceptability(a, model)
    assert spec is not None
    totals: dict[str, float] = {}
    for t in spec["data"]:
        for label, x in zip(t["y"], t["x"], strict=True):
            totals[label] = totals.get(label, 0.0) + x
    assert len(totals) == len(model.patterns)
    assert list(totals.values()) == pytest.approx([100.0] * len(model.patterns), abs=0.3)
    quick = assess(a.connection, samples=0, model=model)
    assert rank_acceptability(quick, model) is None


def test_coordination_signals_match_the_detail(assessed: dict[str, Any], model: Model) -> None:
    """The bars are the fired signals with their scores, and the title names the style."""
    a = assessed["customer-onboarding"]
    spec = coordination_signals(a, model)
    assert spec is not None
    assert spec["data"][0]["x"] == [float(s["score"]) for s in a.coordination_detail["signals"]]
    assert "Orchestration" in spec["layout"]["title"]["text"]
    assert coordination_signals(assessed["order-created-fanout"], model) is None


def test_profiles_depend_on_the_leader_only(assessed: dict[str, Any], model: Model) -> None:
    """Two assessments with the same leader give the same profile chart (so it is not redrawn)."""
    fanout, chain = assessed["order-created-fanout"], assessed["shipment-reaction-chain"]
    assert fanout.recommended == chain.recommended == "events"
    assert chart_specs(fanout, model)["profiles"] == chart_specs(chain, model)["profiles"]
    spec = tradeoff_profiles(model, "events")
    leader = next(t for t in spec["data"] if "recommended" in t["name"])
    assert leader["type"] == "bar" and leader["marker"]["color"].startswith("rgba(230,159,0")  # events' colour
    assert PATTERN_COLOURS["events"] == "#E69F00"
    assert len(spec["data"][0]["y"]) == len(model.dimensions)
    # one set of bars (the leader), the other patterns as marks: no 40 hatched bars
    assert [t["type"] for t in spec["data"]].count("bar") == 1


def test_rank_chart_puts_ruled_out_patterns_below_and_says_so(assessed: dict[str, Any], model: Model) -> None:
    """A ruled-out pattern is not ranked: it shows as "ruled out" below every live pattern."""
    a = assessed["order-created-fanout"]
    assert a.knocked_out
    spec = rank_acceptability(a, model)
    assert spec is not None
    ruled = {f"{model.pattern(k).label} (ruled out)" for k in a.knocked_out}
    order = spec["layout"]["yaxis"]["categoryarray"]  # bottom to top
    assert set(order[: len(ruled)]) == ruled
    ruled_trace = next(t for t in spec["data"] if t["name"] == "ruled out")
    assert all(text.startswith("ruled out") for text in ruled_trace["text"])
    for t in spec["data"]:
        if t["name"] != "ruled out":
            assert not ruled & set(t["y"])


def test_palette_is_okabe_ito(model: Model) -> None:
    """Pattern colours come from the colour-blind-safe Okabe–Ito palette."""
    assert set(PATTERN_COLOURS) == set(model.pattern_keys)
    assert set(PATTERN_COLOURS.values()) <= OKABE_ITO


def test_projector_sized_type_and_no_automargin(assessed: dict[str, Any], model: Model) -> None:
    """Base font ≥ 14 px; no axis uses automargin (it makes plotly lay a chart out twice)."""
    for spec in chart_specs(assessed["customer-onboarding"], model).values():
        assert spec["layout"]["font"]["size"] >= 14
        assert spec["layout"]["height"] > 0
        assert not any(axis.get("automargin") for axis in _axes(spec))


def test_mimebundle_is_what_plotly_mimetype_emits(assessed: dict[str, Any], model: Model) -> None:
    """The bundle has plotly's mime type with data, layout and config, and is plain JSON."""
    import json

    spec = fit_scores(assessed["checkout-price-lookup"], model)
    bundle = mimebundle(spec)
    body = bundle["application/vnd.plotly.v1+json"]
    assert set(body) == {"data", "layout", "config"}
    assert json.loads(json.dumps(bundle)) == bundle


def test_chart_dicts_are_cheap(assessed: dict[str, Any], model: Model) -> None:
    """Building every chart of an assessment stays well under a redraw budget (< 20 ms)."""
    import time

    a = assessed["customer-onboarding"]
    chart_specs(a, model)
    start = time.perf_counter()
    for _ in range(20):
        chart_specs(a, model)
    assert (time.perf_counter() - start) / 20 < 0.02


def test_figure_adds_no_default_template(assessed: dict[str, Any], model: Model) -> None:
    """`figure()` validates without pulling in plotly's default template (kilobytes per chart)."""
    import json

    fig = figure(fit_scores(assessed["order-created-fanout"], model))
    assert len(json.dumps(fig.to_plotly_json()["layout"].get("template", {}))) < 200
