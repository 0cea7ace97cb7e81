"""One chart for the workshop's compare view: the fit scores of up to six connections side by side.

Each connection is a group of four bars (one per pattern, in the dashboard's pattern colours);
a pattern ruled out for a connection is a hatched grey bar across the whole range, marked ✕.
"""

from __future__ import annotations

from collections.abc import Sequence

from patternfit.charts.decision import (
    BASE_FONT,
    INK,
    PATTERN_COLOURS,
    RULED_OUT,
    Spec,
    axis_style,
    chart_layout,
    fit_title,
    left_margin,
    subtitle,
    wrap,
)
from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model
from patternfit.workshop.file import check_compare_count


def compare_scores(assessments: Sequence[Assessment], model: Model) -> Spec:
    """A grouped bar chart: per connection, each pattern's fit score (−1…+1); ruled out marked ✕.
    The bars lie down, a connection a row, so that the names have room on a phone too."""
    check_compare_count(assessments)
    names = _names(assessments)
    traces: list[Spec] = []
    for p in model.patterns:
        scores = [a.scores.get(p.key) for a in assessments]
        chosen = [a.recommended == p.key for a in assessments]
        traces.append(
            {
                "type": "bar",
                "name": p.label,
                "orientation": "h",
                "y": names,
                "x": [None if s is None else round(float(s), 3) for s in scores],
                "offsetgroup": p.key,
                "marker": {
                    "color": PATTERN_COLOURS.get(p.key, "#666666"),
                    "line": {"color": [INK if c else "rgba(0,0,0,0)" for c in chosen], "width": 3},
                },
                "hovertemplate": f"%{{y}}<br>{p.label}: %{{x:+.2f}}<extra></extra>",
            }
        )
        ruled = [s is None for s in scores]
        if any(ruled):
            traces.append(
                {
                    "type": "bar",
                    "name": f"{p.label} ruled out",
                    "orientation": "h",
                    "y": names,
                    "x": [2.0 if r else None for r in ruled],
                    "base": [-1.0 if r else None for r in ruled],
                    "offsetgroup": p.key,
                    "showlegend": False,
                    "marker": {
                        "color": "#F4F4F4",
                        "line": {"color": RULED_OUT, "width": 1},
                        "pattern": {"shape": "/", "fgcolor": RULED_OUT, "size": 8},
                    },
                    "text": ["✕" if r else "" for r in ruled],
                    "textposition": "inside",
                    "insidetextanchor": "end",
                    "textfont": {"size": BASE_FONT + 2, "color": "#444444"},
                    "hovertext": [f"{p.label} ruled out" if r else "" for r in ruled],
                    "hoverinfo": "text",
                }
            )
    legend_px = 24 * len(model.patterns) + 8  # one pattern a line, under the plot
    rows_px = len(assessments) * (14 * len(model.patterns) + 28)
    layout = chart_layout(
        f"{fit_title(model, 'side by side')}<br>{subtitle('✕ ruled out; outlined = recommended')}",
        84 + rows_px + 36 + legend_px,
        barmode="group",
        bargap=0.25,
        showlegend=True,
        legend={
            "orientation": "v",
            "xref": "container",
            "x": 0.005,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "traceorder": "normal",
            "font": {"size": BASE_FONT},
        },
        margin={"l": left_margin(names, BASE_FONT), "r": 20, "t": 84, "b": 36 + legend_px},
        xaxis=axis_style(
            range=[-1.05, 1.05], tickvals=[-1, -0.5, 0, 0.5, 1], ticktext=["−1", "−0.5", "0", "+0.5", "+1"]
        ),
        yaxis=axis_style(autorange="reversed", tickfont={"size": BASE_FONT}, ticksuffix="  "),
        meta={"pf_chart": "compare"},
    )
    return {"data": traces, "layout": layout}


def _names(assessments: Sequence[Assessment]) -> list[str]:
    """Short, distinct axis labels (plotly merges equal category names)."""
    out: list[str] = []
    for a in assessments:
        name = wrap(a.connection.name, 14)
        while name in out:
            name += " ′"
        out.append(name)
    return out
