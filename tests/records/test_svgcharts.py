"""patternfit.records.svgcharts: the HTML record's charts as inline SVG."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from patternfit.records.svgcharts import acceptability_chart, charts_svg, fit_chart
from patternfit.records.types import Option

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_fit_chart_draws_a_bar_per_feasible_option_and_names_the_chosen(record):
    """Each pattern with a score gets a bar and its signed score; the chosen one is marked; ruled out ones say so."""
    svg = ET.fromstring(fit_chart(record))
    patterns = [o for o in record.options if o.key in ("api", "events", "batch", "workflow")]
    scored = [o for o in patterns if o.score is not None]
    assert len(list(svg.iter(f"{SVG}rect"))) == len(scored)
    shown = texts(fit_chart(record))
    assert f"{dict((o.key, o.label) for o in patterns)[record.chosen]} (chosen)" in shown
    assert shown.count("ruled out") == len(patterns) - len(scored)
    assert all(f"{o.score:+.2f}" in shown for o in scored)


def test_without_robustness_the_acceptability_chart_is_left_out(record):
    """A record assessed with samples=0 has no acceptability chart, and charts_svg is the fit chart alone."""
    assert all(o.acceptability is None for o in record.options)
    assert acceptability_chart(record) == ""
    assert charts_svg(record) == fit_chart(record)


def test_labels_are_escaped_and_shares_shown_in_percent(record):
    """An option label with markup stays text, and an acceptability of 0.5 reads 50%."""
    options = tuple(
        dataclasses.replace(o, label="<b>Events</b>", acceptability=0.5) if o.key == "events" else o
        for o in record.options
        if isinstance(o, Option)
    )
    changed = dataclasses.replace(record, options=options)
    svg = acceptability_chart(changed)
    assert "<b>" not in svg and "&lt;b&gt;Events&lt;/b&gt;" in svg
    assert "50%" in texts(svg)
