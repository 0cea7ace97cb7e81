"""Plotly figures of an assessment: fit scores, trade-off profiles, contributions, rank
acceptability and the orchestration-vs-choreography signals. No widgets here.

Each chart function returns a plotly *figure dict* (``{"data": [...], "layout": {...}}``),
ready for ``plotly.io.show``, ``go.Figure(spec)`` or a ``application/vnd.plotly.v1+json``
output. Building dicts takes well under a millisecond, where validating ``go.Figure`` objects
takes 30–100 ms per chart — the dashboard redraws on every answer, so it uses the dicts;
`figure()` / `all_charts()` give validated ``go.Figure`` objects for notebooks.

Colours follow Okabe & Ito (colour-blind safe); every pattern is also named in text (axis
labels, legends, panel titles), knocked-out patterns are hatched grey *and* labelled, and
the radar gives each pattern its own marker and dash, so nothing depends on colour alone.
Type is sized for a workshop projector.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model

Spec = dict[str, Any]

# Okabe–Ito: blue, orange, bluish green, reddish purple; vermillion and blue for signs.
PATTERN_COLOURS: Mapping[str, str] = {
    "api": "#0072B2",
    "events": "#E69F00",
    "batch": "#009E73",
    "workflow": "#CC79A7",
}
UP = "#0072B2"  # pushes a pattern up
DOWN = "#D55E00"  # pushes a pattern down (vermillion)
RULED_OUT = "#BBBBBB"
RANK_COLOURS = ("#0072B2", "#56B4E9", "#A9D5F0", "#E4E4E4")  # 1st … 4th, dark to light
INK = "#1F1F1F"
MUTED = "#666666"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
BASE_FONT = 15
TITLE_FONT = 19
ROW_LABEL = 18  # characters a row label keeps on one line (wrapped after): room for the bars on a phone
CONFIG: Mapping[str, Any] = {"displaylogo": False, "responsive": True, "displayModeBar": False}
CHART_NAMES = ("scores", "acceptability", "coordination", "contributions", "profiles")


def fit_title(model: Model, what: str) -> str:
    """'Fit (−1 … +1) of each pattern': the one fit scale label of data/policy.yaml."""
    policy = getattr(model, "policy", None)
    label = str(getattr(policy, "fit_label", "Fit (−1 … +1)"))
    head, _, scale = label.partition(" (")
    return f"{head} {what} ({scale}" if scale else f"{label} {what}"


def fit_scores(a: Assessment, model: Model) -> Spec:
    """Horizontal bars of each pattern's fit score in [-1, 1]. A knocked-out pattern is a
    hatched grey band across its whole row that names the knock-outs."""
    labels = _labels(model, a)
    keys = [p.key for p in reversed(model.patterns)]  # the first pattern on top
    feasible = [k for k in keys if a.scores.get(k) is not None]
    ruled = [k for k in keys if a.scores.get(k) is None]
    traces: list[Spec] = []
    if ruled:
        traces.append(
            {
                "type": "bar",
                "name": "ruled out",
                "orientation": "h",
                "y": [labels[k] for k in ruled],
                "x": [2.0] * len(ruled),
                "base": [-1.0] * len(ruled),
                "marker": {
                    "color": "#F4F4F4",
                    "line": {"color": RULED_OUT, "width": 1},
                    "pattern": {"shape": "/", "fgcolor": RULED_OUT, "size": 10},
                },
                "text": ["ruled out: " + ", ".join(r["id"] for r in a.knocked_out.get(k, [])) for k in ruled],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"size": BASE_FONT, "color": "#444444"},
                "hovertext": [_first_reason(a, k) for k in ruled],
                "hoverinfo": "text",
            }
        )
    if feasible:
        values = [float(a.scores[k] or 0.0) for k in feasible]
        traces.append(
            {
                "type": "bar",
                "name": "fit score",
                "orientation": "h",
                "y": [labels[k] for k in feasible],
                "x": values,
                "marker": {
                    "color": [PATTERN_COLOURS.get(k, MUTED) for k in feasible],
                    "line": {"color": [INK if k == a.recommended else "rgba(0,0,0,0)" for k in feasible], "width": 3},
                },
                "text": [_signed(v, 2) for v in values],
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": BASE_FONT + 1},
                "hovertemplate": "%{y}: %{x:+.2f}<extra></extra>",
            }
        )
    layout = chart_layout(
        fit_title(model, "of each pattern"),
        70 + 60 * len(keys),
        barmode="overlay",
        bargap=0.3,
        margin={"l": left_margin(labels.values(), BASE_FONT + 1), "r": 30, "t": 56, "b": 36},
        xaxis=axis_style(range=[-1.0, 1.0], tickvals=[-1, -0.5, 0, 0.5, 1], ticktext=["−1", "−0.5", "0", "+0.5", "+1"]),
        yaxis=axis_style(
            categoryorder="array",
            categoryarray=[labels[k] for k in keys],
            tickfont={"size": BASE_FONT + 1},
            ticksuffix="  ",
        ),
    )
    return {"data": traces, "layout": layout}


def tradeoff_profiles(model: Model, leader: str | None) -> Spec:
    """Grouped bars of the four patterns on the model's dimensions (1 = weak … 5 = strong),
    always in the same order, each pattern with its colour and hatching; the leader is drawn
    solid and outlined, the others pale. It depends on the leader only, so the dashboard
    redraws it only when the recommendation changes."""
    dims = [d.label for d in model.dimensions]
    traces = []
    lead_key = leader if leader in model.pattern_keys else None
    symbols = ("circle", "diamond", "square", "triangle-up")
    for i, p in enumerate(model.patterns):
        lead = p.key == lead_key
        colour = PATTERN_COLOURS.get(p.key, MUTED)
        scores = [model.profiles[p.key][d.key] for d in model.dimensions]
        hover = f"{p.label}<br>%{{y}}: %{{x}} of 5<extra></extra>"
        if lead:  # one set of bars: the leader; the others as marks on the same rows
            traces.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": p.label + " ★ recommended",
                    "y": dims,
                    "x": scores,
                    "marker": {"color": _rgba(colour, 0.85), "line": {"color": INK, "width": 1.5}},
                    "hovertemplate": hover,
                }
            )
        else:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": p.label,
                    "y": dims,
                    "x": scores,
                    "marker": {
                        "symbol": symbols[i % len(symbols)],
                        "size": 13,
                        "color": colour,
                        "line": {"color": "white", "width": 1.5},
                    },
                    "hovertemplate": hover,
                }
            )
    note = "1 = weak, 5 = strong" + (f"; {model.pattern(leader).label} highlighted" if leader else "")
    rows = [wrap(d, ROW_LABEL) for d in dims]
    # The legend sits under the plot, one pattern a line, so that it takes the same room on a
    # phone as on a projector and never reaches the title.
    legend_px = 24 * len(model.patterns) + 8
    layout = chart_layout(
        f"Trade-off profiles<br>{subtitle(note)}",
        120 + legend_px + 40 * len(dims),
        bargap=0.35,
        showlegend=True,
        legend={
            "orientation": "v",
            "x": 0.005,
            "xref": "container",
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "traceorder": "normal",
            "font": {"size": BASE_FONT},
        },
        margin={"l": left_margin(rows, 14) + 12, "r": 20, "t": 84, "b": 36 + legend_px},
        xaxis=axis_style(range=[0, 5.2], tickvals=[1, 2, 3, 4, 5]),
        yaxis=axis_style(
            autorange="reversed",
            categoryorder="array",
            categoryarray=dims,
            tickvals=dims,
            ticktext=rows,
            tickfont={"size": 14},
            ticksuffix="  ",
        ),
    )
    return {"data": traces, "layout": layout}


def contributions(a: Assessment, model: Model) -> Spec:
    """Diverging bars, one panel per pattern: how far each answer (weight × fit) pushed the
    pattern up (blue, to the right) or down (vermillion and hatched, to the left). Panels of
    ruled-out patterns are grey and say so. Two panels a row, so that a phone has room for
    each panel's title; the answers are named at the left of each row of panels."""
    labels = _labels(model, a)
    answers = a.connection.characteristics
    rows = [q for q in model.characteristics if any(c.get(q.key) for c in a.contributions.values())]
    if not rows:
        rows = [q for q in model.characteristics if q.key in answers] or list(model.characteristics[:1])
    names = [q.label for q in rows]
    phrases = [q.phrase(answers[q.key]) if q.key in answers else "" for q in rows]
    ticks = [wrap(name, ROW_LABEL) for name in names]
    left = left_margin(ticks, 13)
    span = max([abs(v) for c in a.contributions.values() for v in c.values()] + [1.0]) * 1.45
    n = len(model.patterns)
    per_row = 2
    head = 156  # px: the title (two lines), the key (two lines), the first panels' titles (up to three)
    panel_rows = -(-n // per_row)
    gap = 0.12
    width = (1.0 - gap * (per_row - 1)) / per_row
    row_px = (32 if any("<br>" in t for t in ticks) else 24) * len(rows)  # a row fits its label's lines
    between = 64  # px between two rows of panels: the lower panels' titles (up to three lines)
    plot_px = panel_rows * row_px + (panel_rows - 1) * between
    height = plot_px + head + 20
    traces: list[Spec] = []
    annotations: list[Spec] = []
    layout_axes: dict[str, Any] = {}
    for r in range(panel_rows):
        top = 1.0 - r * (row_px + between) / plot_px
        layout_axes["yaxis" if r == 0 else f"yaxis{r + 1}"] = axis_style(
            domain=[max(0.0, top - row_px / plot_px), top],
            anchor="x" if r == 0 else f"x{r * per_row + 1}",
            autorange="reversed",
            categoryorder="array",
            categoryarray=names,
            tickvals=names,
            ticktext=ticks,
            tickfont={"size": 13},
            gridcolor="#F0F0F0",
            ticksuffix="  ",
        )
    for i, p in enumerate(model.patterns):
        axis = "x" if i == 0 else f"x{i + 1}"
        row, col = divmod(i, per_row)
        yaxis = "y" if row == 0 else f"y{row + 1}"
        top = 1.0 - row * (row_px + between) / plot_px
        ruled = p.key in a.knocked_out
        values = [a.contributions.get(p.key, {}).get(q.key, 0.0) for q in rows]
        up, down = (RULED_OUT, "#D4D4D4") if ruled else (UP, DOWN)
        traces.append(
            {
                "type": "bar",
                "name": p.label,
                "orientation": "h",
                "y": names,
                "x": values,
                "xaxis": axis,
                "yaxis": yaxis,
                "marker": {
                    "color": [up if v > 0 else down for v in values],
                    "pattern": {"shape": ["" if v >= 0 else "/" for v in values], "fgcolor": "white", "size": 6},
                },
                "text": [_signed(v) if v and not ruled else "" for v in values],  # hover tells the rest
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": 13, "color": MUTED if ruled else INK},
                "customdata": phrases,
                "hovertemplate": f"{p.label}<br>%{{y}}: %{{x:+.1f}}<br>%{{customdata}}<extra></extra>",
            }
        )
        start = col * (width + gap)
        layout_axes["xaxis" if i == 0 else f"xaxis{i + 1}"] = axis_style(
            domain=[start, start + width], range=[-span, span], showticklabels=False, showgrid=False, anchor=yaxis
        )
        annotations.append(
            {
                "text": "<br>".join(f"<b>{line}</b>" for line in _panel_title(labels[p.key], ruled)),
                "x": start + width / 2,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "yshift": 4,
                "showarrow": False,
                "font": {"size": 13, "color": MUTED if ruled else _darker(PATTERN_COLOURS.get(p.key, INK))},
            }
        )
    key = (
        f"<span style='color:{UP}'>■</span> pushes up (right), by weight × fit<br>"
        f"<span style='color:{DOWN}'>■</span> pushes down (left, hatched)"
    )
    layout = chart_layout(
        "Which answers pushed<br>each pattern up or down",
        height,
        barmode="relative",
        bargap=0.25,
        annotations=[
            *annotations,
            {  # the key, under the title, from the left edge of the chart
                "text": key,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "xanchor": "left",
                "xshift": 6 - left,
                "y": 1.0,
                "yshift": head - 58,
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 14},
            },
        ],
        margin={"l": left, "r": 20, "t": head, "b": 20},
        **layout_axes,
    )
    return {"data": traces, "layout": layout}


def rank_acceptability(a: Assessment, model: Model) -> Spec | None:
    """Stacked bars: in what share of the sampled weightings each pattern ranks 1st … 4th
    (SMAA rank acceptability). None when the robustness analysis was skipped."""
    if a.robustness is None:
        return None
    labels = _labels(model, a)
    live = [k for k in a.ranking if a.scores.get(k) is not None]
    ruled = [p.key for p in model.patterns if a.scores.get(p.key) is None]
    keys = list(reversed(live))  # bottom to top: the leader on top, ruled-out patterns below every live one
    ranks = a.robustness.rank_acceptability
    traces: list[Spec] = []
    if ruled:
        traces.append(
            {
                "type": "bar",
                "name": "ruled out",
                "orientation": "h",
                "y": [labels[k] for k in ruled],
                "x": [100.0] * len(ruled),
                "marker": {
                    "color": "#F4F4F4",
                    "line": {"color": RULED_OUT, "width": 1},
                    "pattern": {"shape": "/", "fgcolor": RULED_OUT, "size": 10},
                },
                "text": ["ruled out: " + ", ".join(r["id"] for r in a.knocked_out.get(k, [])) for k in ruled],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"size": 14, "color": "#444444"},
                "hovertext": [_first_reason(a, k) for k in ruled],
                "hoverinfo": "text",
                "showlegend": False,
            }
        )
    for r in range(len(live)):
        shares = [round(100.0 * ranks[k][r], 1) for k in keys]  # 0.1%: no redraw for invisible changes
        traces.append(
            {
                "type": "bar",
                "name": _ordinal(r + 1),
                "orientation": "h",
                "y": [labels[k] for k in keys],
                "x": shares,
                "marker": {"color": RANK_COLOURS[r % len(RANK_COLOURS)], "line": {"color": "white", "width": 1}},
                "text": [f"{_ordinal(r + 1)}: {s:.0f}%" if s >= 14 else "" for s in shares],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"size": 14, "color": "white" if r == 0 else INK},
                "hovertemplate": f"%{{y}} ranks {_ordinal(r + 1)} in %{{x:.1f}}% of the weightings<extra></extra>",
            }
        )
    keys = [*reversed(ruled), *keys]
    layout = chart_layout(
        f"How sure: each pattern's rank over {a.robustness.samples:,} weightings",
        130 + 60 * len(keys),
        barmode="stack",
        bargap=0.3,
        showlegend=True,
        legend={
            "orientation": "h",
            "traceorder": "normal",
            "x": 0,
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "title": {"text": "rank "},
        },
        margin={"l": left_margin(labels.values(), BASE_FONT + 1), "r": 30, "t": 56, "b": 80},
        xaxis=axis_style(range=[0, 100], tickvals=[0, 25, 50, 75, 100], ticktext=["0%", "25%", "50%", "75%", "100%"]),
        yaxis=axis_style(
            categoryorder="array",
            categoryarray=[labels[k] for k in keys],
            tickfont={"size": BASE_FONT + 1},
            ticksuffix="  ",
        ),
    )
    return {"data": traces, "layout": layout}


def coordination_signals(a: Assessment, model: Model) -> Spec | None:
    """Diverging bars of the signals that fired: right for orchestration, left (dotted) for
    choreography, with the total in the title. None when the flow has a single step."""
    detail = a.coordination_detail
    if not detail:
        return None
    styles = model.coordination.styles
    orch, chor = styles["orchestration"], styles["choreography"]
    orch_colour = PATTERN_COLOURS.get(orch.get("maps_to", ""), UP)
    chor_colour = PATTERN_COLOURS.get(chor.get("maps_to", ""), DOWN)
    signals = detail.get("signals") or []
    names = [wrap(s["label"], 46) for s in signals] or ["no signal fired"]
    scores = [float(s["score"]) for s in signals] or [0.0]
    span = max([abs(v) for v in scores] + [2.0]) + 1
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "y": names,
            "x": scores,
            "marker": {
                "color": [orch_colour if v > 0 else chor_colour for v in scores],
                "pattern": {"shape": ["" if v > 0 else "." for v in scores], "fgcolor": "white"},
            },
            "text": [_signed(v) for v in scores],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:+d}<extra></extra>",
        }
    ]
    style = detail["style"]
    chosen = styles[style]["label"] if style is not None and style in styles else str(style)
    tie = " (a tie)" if detail.get("tie") else ""
    layout = chart_layout(
        f"Orchestration or choreography? Total {int(detail['score']):+d} → {chosen}{tie}",
        140 + 46 * len(names),
        bargap=0.3,
        margin={"l": left_margin([s["label"] for s in signals] or names, 14, cap=46), "r": 40, "t": 56, "b": 60},
        xaxis=axis_style(
            range=[-span, span],
            dtick=1,
            showticklabels=False,
            title={"text": f"← {chor['label']}   |   {orch['label']} →", "font": {"size": 14, "color": MUTED}},
        ),
        yaxis=axis_style(autorange="reversed", tickfont={"size": 14}, ticksuffix="  "),
    )
    return {"data": traces, "layout": layout}


def chart_specs(a: Assessment, model: Model) -> dict[str, Spec]:
    """Every chart that applies to this assessment, as figure dicts, by name (CHART_NAMES)."""
    specs: dict[str, Spec | None] = {
        "scores": fit_scores(a, model),
        "acceptability": rank_acceptability(a, model),
        "coordination": coordination_signals(a, model),
        "contributions": contributions(a, model),
        "profiles": tradeoff_profiles(model, a.recommended),
    }
    return {k: v for k, v in specs.items() if v is not None}


def figure(spec: Spec) -> Any:
    """A validated ``plotly.graph_objects.Figure`` from a figure dict (no default template)."""
    import plotly.graph_objects as go

    layout = {**spec.get("layout", {}), "template": "none"}
    return go.Figure({"data": spec.get("data", []), "layout": layout})


def all_charts(a: Assessment, model: Model) -> dict[str, Any]:
    """Every chart that applies, as validated ``go.Figure`` objects, by name."""
    return {k: figure(v) for k, v in chart_specs(a, model).items()}


def mimebundle(spec: Spec) -> dict[str, Any]:
    """The ``application/vnd.plotly.v1+json`` output the plotly_mimetype renderer makes."""
    return {"application/vnd.plotly.v1+json": {"data": spec["data"], "layout": spec["layout"], "config": dict(CONFIG)}}


# -- helpers ---------------------------------------------------------------------------------
def chart_layout(title: str, height: int, **extra: Any) -> Spec:
    """The shared look: white, large type, room for long labels, no plotly template."""
    layout: Spec = {
        "title": {
            "text": title,
            "x": 0.005,
            "xanchor": "left",
            "xref": "container",
            "y": 1.0,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 20},  # plotly sets a title's first line this high over its anchor
            "font": {"size": TITLE_FONT, "color": INK},
        },
        "font": {"family": FONT, "size": BASE_FONT, "color": INK},
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 56, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"size": BASE_FONT}},
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def axis_style(**extra: Any) -> Spec:
    # No automargin: it makes plotly lay every chart out twice (2–3× slower per redraw), so
    # margins are sized from the label lengths instead (`left_margin`).
    axis: Spec = {
        "gridcolor": "#E6E6E6",
        "zerolinecolor": "#888888",
        "zerolinewidth": 2,
        "automargin": False,
        "fixedrange": True,
    }
    axis.update(extra)
    return axis


def subtitle(text: str) -> str:
    """A title's second line, smaller and muted (what the scale means, what is highlighted)."""
    return f"<span style='font-size:14px;color:{MUTED}'>{text}</span>"


def left_margin(labels: Iterable[str], size: int, cap: int = 80) -> int:
    """Room for the longest y label line (about 0.55 em per character), capped; + the tick gap."""
    longest = max((min(len(line), cap) for t in labels for line in t.split("<br>")), default=10)
    return int(longest * size * 0.56) + 24


def _labels(model: Model, a: Assessment) -> dict[str, str]:
    """Pattern labels as charts show them: '★ Events' for the leader, '(ruled out)' marked."""
    out = {}
    for p in model.patterns:
        if p.key == a.recommended:
            out[p.key] = f"★ {p.label}"
        elif p.key in a.knocked_out:
            out[p.key] = f"{p.label} (ruled out)"
        else:
            out[p.key] = p.label
    return out


def _panel_title(label: str, ruled: bool) -> list[str]:
    """A contributions panel's title in short lines (two panels share a phone's width)."""
    lines = wrap(label.removesuffix(" (ruled out)"), 16).split("<br>")
    return [*lines, "(ruled out)"] if ruled else lines


def _first_reason(a: Assessment, pattern: str) -> str:
    reasons = a.knocked_out.get(pattern) or []
    return wrap(str(reasons[0]["reason"]), 60) if reasons else ""


def _signed(value: float, digits: int = 1) -> str:
    """'+4', '−2', '+1.5' (typographic minus; trailing zeros dropped when digits == 1)."""
    text = f"{value:+.{digits}f}"
    if digits == 1 and text.endswith(".0"):
        text = text[:-2]
    return text.replace("-", "−")


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def wrap(text: str, width: int) -> str:
    """Break a long label into lines of about `width` characters (plotly's <br>)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _darker(hex_colour: str, factor: float = 0.8) -> str:
    """A darker shade for text in a pattern's colour (orange text is hard to read on white)."""
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        return hex_colour
    r, g, b = (int(int(h[i : i + 2], 16) * factor) for i in (0, 2, 4))
    return f"#{r:02X}{g:02X}{b:02X}"
