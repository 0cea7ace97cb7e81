"""Plotly figures of an estate review — no widgets here.

Each function returns a figure dict (``{"data": [...], "layout": {...}}``) built from the
review's small summary tables, never from per-row data: a million-row estate sends the browser
a few hundred numbers (gaps are binned here). Colours follow Okabe & Ito (colour-blind safe),
and every pattern is also named in text (axes, legend).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from patternfit.charts.decision import wrap
from patternfit.estate.findings import CURRENT_LABELS, NOT_GIVEN, UNDECIDED
from patternfit.model.catalog import PATTERN_KEYS

if TYPE_CHECKING:
    from patternfit.estate.review import EstateReview

Spec = dict[str, Any]
COLOURS = {
    "api": "#0072B2",
    "events": "#E69F00",
    "batch": "#009E73",
    "workflow": "#CC79A7",
    "shared_database": "#D55E00",
    "other": "#999999",
    NOT_GIVEN: "#DDDDDD",
    UNDECIDED: "#555555",  # no pattern recommended yet
}
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"
CHARTS = ("matrix", "owners", "gaps", "pitfalls")
GAP_BIN = 0.05


def _layout(title: str, height: int, **extra: Any) -> Spec:
    """The shared look. What a title says in brackets goes on smaller lines under it, so that
    it fits a phone; plotly's toolbar stands upright at the right, clear of the title."""
    head, _, note = title.partition(" (")
    lines = wrap(f"({note}", 44).split("<br>") if note else []
    text = "<br>".join([head, *(f"<span style='font-size:13px;color:#555'>{line}</span>" for line in lines)])
    top = 56 + 18 * len(lines)
    return {
        "title": {
            "text": text,
            "x": 0.01,
            "xanchor": "left",
            "y": 1.0,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 18},
            "font": {"size": 17},
        },
        "font": {"family": FONT, "size": 13, "color": "#222"},
        "height": height + top - 56,
        "margin": {"l": 10, "r": 20, "t": top, "b": 48},
        "modebar": {"orientation": "v"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        **extra,
    }


def matrix_chart(review: EstateReview) -> Spec:
    """Heatmap: pattern in use (rows) × recommended pattern (columns), connection counts."""
    matrix = shown_matrix(review.findings.matrix)
    z = matrix.to_numpy().tolist()
    return {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": ["undecided" if c == UNDECIDED else c for c in matrix.columns],
                "y": list(matrix.index),
                "text": [[str(v) for v in row] for row in z],
                "texttemplate": "%{text}",
                "colorscale": [[0, "#f7fbff"], [1, "#08306b"]],
                "showscale": False,
                "hovertemplate": "in use: %{y}<br>recommended: %{x}<br>%{z} connections<extra></extra>",
            }
        ],
        "layout": _layout(
            "Pattern in use × recommended (off the diagonal: worth a look)",
            360,
            xaxis={"title": {"text": "recommended"}, "side": "bottom", "tickangle": -90, "automargin": True},
            yaxis={"title": {"text": "in use"}, "autorange": "reversed", "automargin": True},
        ),
    }


def shown_matrix(matrix: Any) -> Any:
    """The matrix without empty rows, and without the undecided column when nothing is undecided."""
    matrix = matrix[matrix.sum(axis=1) > 0]
    if UNDECIDED in matrix.columns and not matrix[UNDECIDED].sum():
        matrix = matrix.drop(columns=UNDECIDED)
    return matrix


def owners_chart(review: EstateReview) -> Spec:
    """Stacked bars, an owner a row: each owner's connections by the pattern in use (the legend at
    the right, where plotly makes room for it at any width)."""
    mix = review.findings.mix_by_owner
    owners = [str(o) for o in mix.index]
    traces = [
        {
            "type": "bar",
            "name": pattern,
            "orientation": "h",
            "y": owners,
            "x": mix[pattern].tolist(),
            "marker": {"color": COLOURS[pattern]},
            "hovertemplate": f"%{{y}}: %{{x}} on {pattern}<extra></extra>",
        }
        for pattern in CURRENT_LABELS
        if pattern in mix.columns and mix[pattern].sum() > 0
    ]
    return {
        "data": traces,
        "layout": _layout(
            "Pattern mix per owner (in use)",
            max(360, 100 + 26 * len(owners)),
            barmode="stack",
            xaxis={"title": {"text": "connections"}},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def gaps_chart(review: EstateReview) -> Spec:
    """Histogram (pre-binned) of the gap between the recommended pattern and the one in use."""
    gaps = review.findings.rows["gap"].to_numpy(float)
    gaps = gaps[~np.isnan(gaps)]
    threshold = review.findings.gap_threshold
    top = max(2.0, float(gaps.max()) if len(gaps) else 0.0)
    edges = np.arange(0.0, top + GAP_BIN, GAP_BIN)
    counts, _ = np.histogram(gaps, bins=edges)
    centres = (edges[:-1] + GAP_BIN / 2).round(3).tolist()
    colours = ["#D55E00" if left >= threshold - 1e-12 else "#0072B2" for left in edges[:-1]]
    return {
        "data": [
            {
                "type": "bar",
                "x": centres,
                "y": counts.tolist(),
                "width": GAP_BIN * 0.95,
                "marker": {"color": colours},
                "hovertemplate": "gap %{x:.2f}: %{y} connections<extra></extra>",
                "name": "connections",
            }
        ],
        "layout": _layout(
            f"Gap to the recommendation (dashed: mismatch from {threshold:g}; knocked out: 1 or more)",
            340,
            xaxis={"title": {"text": "gap"}, "range": [0, top]},
            yaxis={"title": {"text": "connections"}, "ticklabelstandoff": 8},  # its 0 clear of the gap's 0
            shapes=[
                {
                    "type": "line",
                    "x0": threshold,
                    "x1": threshold,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": "#222", "dash": "dash"},
                }
            ],
            showlegend=False,
        ),
    }


def pitfalls_chart(review: EstateReview) -> Spec:
    """Horizontal bars: connections per pitfall, most frequent on top."""
    pitfalls = review.findings.pitfalls
    labels = [wrap(f"{i} {t}", 30) for i, t in zip(pitfalls["id"], pitfalls["title"], strict=True)]  # fits a phone
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": pitfalls["connections"].tolist(),
                "y": labels,
                "marker": {"color": "#D55E00"},
                "hovertemplate": "%{y}: %{x} connections<extra></extra>",
            }
        ],
        "layout": _layout(
            "Pitfalls across the estate" if len(pitfalls) else "Pitfalls across the estate: none detected",
            max(220, 110 + 40 * len(pitfalls)),  # a row for a label of two lines
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "connections"}},
        ),
    }


def technology_chart(review: EstateReview) -> Spec:
    """Stacked bars: each owner's connections by technology (the 'every team its own way' view)."""
    mix = review.findings.technology_mix
    owners = sorted({str(o) for o in mix["owner"]}) if len(mix) else []
    counts: dict[str, dict[str, int]] = {}
    table = review.technology
    if table is not None and len(mix):
        names = table["technology_name"].astype(str).to_numpy()
        owner_of = np.asarray(review.findings.owner.astype(str))
        good = review.findings.good & (names != "")
        for owner, name in zip(owner_of[good], names[good], strict=True):
            counts.setdefault(name, {}).setdefault(owner, 0)
            counts[name][owner] += 1
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": owners,
            "y": [per_owner.get(o, 0) for o in owners],
            "hovertemplate": f"%{{x}}: %{{y}} on {name}<extra></extra>",
        }
        for name, per_owner in sorted(counts.items())
    ]
    return {
        "data": traces,
        "layout": _layout(
            "Technologies per owner" if traces else "Technologies per owner: none named",
            360,
            barmode="stack",
            legend={"orientation": "h", "y": -0.2},
            yaxis={"title": {"text": "connections"}},
            xaxis={"automargin": True},
        ),
    }


def estate_charts(review: EstateReview) -> dict[str, Spec]:
    """Every chart of the estate dashboard, by name."""
    return {
        "matrix": matrix_chart(review),
        "owners": owners_chart(review),
        "gaps": gaps_chart(review),
        "pitfalls": pitfalls_chart(review),
    }


__all__ = ["CHARTS", "COLOURS", "PATTERN_KEYS", "estate_charts", "shown_matrix", "technology_chart"]
