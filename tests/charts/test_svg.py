"""The bar charts drawn as inline SVG: well-formed, faithful to the figure dict's numbers and
labels, escaped, and refusing figures they cannot draw."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ET
import pytest
from patternfit import assess
from patternfit.charts.decision import chart_specs
from patternfit.charts.svg import WIDTH, bars_svg, chart_height, supported
from patternfit.model.catalog import Model

SVG = "{http://www.w3.org/2000/svg}"
DRAWN = ("scores", "acceptability", "coordination")


@pytest.fixture(scope="module")
def specs(model: Model, examples: dict[str, Path]) -> dict[tuple[str, str], Any]:
    out = {}
    for stem, path in examples.items():
        a = assess(path, samples=2000, model=model)
        for name, spec in chart_specs(a, model).items():
            out[(stem, name)] = spec
    return out


def _texts(root: Any) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_dashboard_bar_charts_are_drawable_and_the_others_are_refused(specs: dict) -> None:
    for (stem, name), spec in specs.items():
        assert supported(spec) == (name in DRAWN), (stem, name)
    contributions = next(spec for (_, name), spec in specs.items() if name == "contributions")
    with pytest.raises(ValueError, match="only horizontal bar"):
        bars_svg(contributions, chart="contributions")


def test_every_bar_text_and_category_is_drawn(specs: dict) -> None:
    """Each bar of the figure is one rect with a tooltip; every bar text and category label is
    in the drawing; the revision and chart name are on the element; the viewBox fits."""
    for (stem, name), spec in specs.items():
        if name not in DRAWN:
            continue
        root = ET.fromstring(bars_svg(spec, chart=name, rev=7))
        assert root.get("data-pf-chart") == name and root.get("data-pf-rev") == "7"
        assert root.get("viewBox") == f"0 0 {WIDTH} {chart_height(spec)}"
        texts = " ".join(_texts(root))
        bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "pf-bar"]
        assert len(bars) == sum(len(t["y"]) for t in spec["data"]), (stem, name)
        assert all(r.find(f"{SVG}title") is not None for r in bars)
        for trace in spec["data"]:
            for text in trace.get("text") or []:
                assert re.sub(r"</?b>", "", text).strip() in texts, (stem, name, text)
            for category in trace["y"]:
                for line in category.split("<br>"):
                    assert line in texts, (stem, name, line)
        for bar in bars:
            assert float(bar.get("x")) >= 0 and float(bar.get("x")) + float(bar.get("width")) <= WIDTH + 0.1


def test_bar_lengths_follow_the_values(specs: dict) -> None:
    """Fit bars: the longer bar has the larger |fit|, on the figure's own x range."""
    spec = specs[("order-created-fanout", "scores")]
    live = next(t for t in spec["data"] if t["name"] == "fit score")
    root = ET.fromstring(bars_svg(spec, chart="scores"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "pf-bar"][-len(live["x"]) :]
    widths = [float(r.get("width")) for r in bars]
    values = [abs(v) for v in live["x"]]
    assert sorted(range(len(values)), key=values.__getitem__) == sorted(range(len(widths)), key=widths.__getitem__)
    plot = WIDTH - spec["layout"]["margin"]["l"] - spec["layout"]["margin"]["r"]
    for width, value in zip(widths, values, strict=True):
        assert width == pytest.approx(plot * value / 2.0, abs=0.2)  # the x range is −1 … +1


def test_labels_are_escaped() -> None:
    hostile = "<script>alert(1)</script> & co"
    spec = {
        "data": [{"type": "bar", "orientation": "h", "y": [hostile], "x": [0.5], "text": [hostile]}],
        "layout": {"title": {"text": hostile}, "xaxis": {"range": [0, 1]}, "height": 120},
    }
    drawn = bars_svg(spec, chart="scores")
    assert "<script>" not in drawn
    assert drawn.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") == 4  # title, label, bar text, tooltip
    ET.fromstring(drawn)
