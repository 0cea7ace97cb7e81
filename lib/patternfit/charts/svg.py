"""Horizontal bar figures (the figure dicts of `charts.decision`) drawn as inline SVG.

The decide page draws its first charts, the fit of each pattern and how sure the ranking is, as
SVG made here from the same figure dicts plotly would draw: no plotly.js has to be loaded and run
before the page is usable (issue 16), and the chart is plain, crisp markup that prints, scales and
needs no script. What it draws is the subset of plotly's figure those charts use: horizontal
``bar`` traces (overlay, stack or relative), category order, x range and ticks, bar text inside
or outside, marker colours and outlines, the "/" and "." fill patterns, a legend row, and a
tooltip per bar (``<title>``) from the hover text. Anything else in the dict is ignored, so a
figure outside that subset is not silently misdrawn: `supported` says whether it can be drawn.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from patternfit.charts.decision import BASE_FONT, FONT, INK, MUTED, TITLE_FONT

WIDTH = 680  # the viewBox width; the SVG scales to its box (about this wide on the page)
LEGEND_H = 34

Spec = Mapping[str, Any]


def supported(spec: Spec) -> bool:
    """True when every trace is a horizontal bar (what `bars_svg` draws)."""
    data = spec.get("data") or []
    return bool(data) and all(
        t.get("type") == "bar" and t.get("orientation") == "h" and t.get("xaxis", "x") == "x" for t in data
    )


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


PLOTLY_TAGS = re.compile(r"</?(?:b|i|em|sup|sub|span|a)(?:\s[^>]*)?>", re.IGNORECASE)


def _plain(text: Any) -> str:
    """The markup plotly reads in a label (<br>, <b>, <span style=…>) dropped; anything else,
    '<' of a comparison or a tag typed by someone, stays text (and is escaped when drawn)."""
    return PLOTLY_TAGS.sub("", re.sub(r"<br\s*/?>", " ", str(text), flags=re.IGNORECASE))


def _each(value: Any, n: int, default: Any = None) -> list[Any]:
    """A per-bar list from a scalar or a list (plotly's "array or single value")."""
    if isinstance(value, (list, tuple)):
        return [value[i] if i < len(value) else default for i in range(n)]
    return [default if value is None else value] * n


def _hover(trace: Mapping[str, Any], i: int, y: str, x: float) -> str:
    texts = trace.get("hovertext")
    if isinstance(texts, (list, tuple)) and i < len(texts) and texts[i]:
        return _plain(texts[i])
    template = trace.get("hovertemplate")
    if template:
        out = template.split("<extra>")[0]
        out = out.replace("%{y}", y)
        out = re.sub(r"%\{x(:[^}]*)?\}", lambda m: _number(x, (m.group(1) or ":g")[1:]), out)
        return _plain(out)
    return f"{y}: {x:g}"


def _number(x: float, fmt: str) -> str:
    """A value in a d3 number format as the hover templates use them (+.2f, .1f, +d)."""
    text = format(round(x), fmt) if fmt.endswith("d") else format(x, fmt or "g")
    return text.replace("-", "−")  # one minus sign, as the bar labels print it


@dataclass(frozen=True, slots=True)
class _Axes:
    """The plot area and how values (x) and categories (y) map onto it."""

    x0: float
    x1: float
    y0: float
    y1: float
    lo: float
    hi: float
    categories: list[str]
    top_first: bool
    band: float
    thick: float

    def sx(self, v: float) -> float:
        return self.x0 + (self.x1 - self.x0) * (min(max(v, self.lo), self.hi) - self.lo) / (self.hi - self.lo)

    def sy(self, category: str) -> float:
        """The top of the category's bar."""
        k = self.categories.index(category)
        row = k if self.top_first else len(self.categories) - 1 - k
        return self.y0 + row * self.band + (self.band - self.thick) / 2


def _axes(layout: Spec, traces: list[Spec]) -> _Axes:
    height = int(layout.get("height", 360))
    margin = {"l": 80, "r": 20, "t": 56, "b": 40, **(layout.get("margin") or {})}
    y0, y1 = float(margin["t"]), float(height - margin["b"])
    xaxis, yaxis = layout.get("xaxis") or {}, layout.get("yaxis") or {}
    categories = list(yaxis.get("categoryarray") or [])
    for t in traces:
        categories += [c for c in t.get("y", []) if c not in categories]
    band = (y1 - y0) / max(len(categories), 1)
    lo, hi = (float(v) for v in xaxis.get("range", (0.0, 1.0)))
    return _Axes(
        x0=float(margin["l"]),
        x1=float(WIDTH - margin["r"]),
        y0=y0,
        y1=y1,
        lo=lo,
        hi=hi,
        categories=categories,
        top_first=yaxis.get("autorange") == "reversed",
        band=band,
        thick=band * (1 - float(layout.get("bargap", 0.2))),
    )


@dataclass(slots=True)
class _Drawing:
    """The SVG parts as they are drawn: pattern fills, grid and titles, bars, text on top."""

    defs: list[str] = field(default_factory=list)
    back: list[str] = field(default_factory=list)
    bars: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    ends: dict[tuple[str, int], float] = field(default_factory=dict)  # (category, sign) → next stacked start


def bars_svg(spec: Spec, *, chart: str, rev: int | None = None) -> str:
    """One figure dict of horizontal bars as an ``<svg>`` element (``data-pf-chart``, and
    ``data-pf-rev`` when given). Raises ValueError for a figure `supported` refuses."""
    if not supported(spec):
        raise ValueError(f"{chart}: only horizontal bar figures are drawn as SVG")
    layout = spec.get("layout") or {}
    traces = list(spec["data"])
    axes = _axes(layout, traces)
    out = _Drawing()
    _background(out, layout, axes)
    show_legend = bool(layout.get("showlegend")) and any(t.get("showlegend", True) for t in traces)
    mode = layout.get("barmode", "group")
    legend: list[tuple[str, str]] = []
    for n_trace, t in enumerate(traces):
        first = _trace(out, t, n_trace, chart, axes, mode)
        if show_legend and t.get("showlegend", True) and t.get("name"):
            legend.append((str(t["name"]), str(first)))
    total = chart_height(spec)
    _legend(out, layout, legend, total)
    data = f' data-pf-chart="{_esc(chart)}"' + (f' data-pf-rev="{int(rev)}"' if rev is not None else "")
    return (
        f'<svg class="pf-svg-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="{_esc(FONT)}" aria-hidden="true"{data}>'
        f"<defs>{''.join(out.defs)}</defs>{''.join(out.back)}{''.join(out.bars)}{''.join(out.labels)}</svg>"
    )


def _background(out: _Drawing, layout: Spec, axes: _Axes) -> None:
    """The title, the x grid with its tick labels, the zero line, the axis title, the category labels."""
    xaxis, yaxis = layout.get("xaxis") or {}, layout.get("yaxis") or {}
    y0, y1 = axes.y0, axes.y1
    title = _plain((layout.get("title") or {}).get("text", ""))
    if title:
        out.back.append(f'<text x="6" y="{TITLE_FONT + 8}" font-size="{TITLE_FONT}" fill="{INK}">{_esc(title)}</text>')
    for value, text in zip(xaxis.get("tickvals") or [], xaxis.get("ticktext") or [], strict=False):
        x = axes.sx(float(value))
        out.back.append(f'<line x1="{x:.1f}" y1="{y0:.0f}" x2="{x:.1f}" y2="{y1:.0f}" stroke="#E6E6E6"/>')
        if xaxis.get("showticklabels", True):
            out.back.append(
                f'<text x="{x:.1f}" y="{y1 + 20:.0f}" text-anchor="middle" font-size="{BASE_FONT - 1}" '
                f'fill="{MUTED}">{_esc(text)}</text>'
            )
    if axes.lo < 0 < axes.hi:
        x = axes.sx(0.0)
        out.back.append(
            f'<line x1="{x:.1f}" y1="{y0:.0f}" x2="{x:.1f}" y2="{y1:.0f}" stroke="#888888" stroke-width="2"/>'
        )
    axis_title = _plain((xaxis.get("title") or {}).get("text", ""))
    if axis_title:
        out.back.append(
            f'<text x="{(axes.x0 + axes.x1) / 2:.0f}" y="{y1 + 40:.0f}" text-anchor="middle" font-size="14" '
            f'fill="{MUTED}">{_esc(axis_title)}</text>'
        )
    tick_size = int((yaxis.get("tickfont") or {}).get("size", BASE_FONT))
    for category in axes.categories:
        lines = [_plain(part) for part in re.split(r"<br\s*/?>", str(category))]
        y = axes.sy(category) + axes.thick / 2 - (len(lines) - 1) * tick_size * 0.6
        spans = "".join(
            f'<tspan x="{axes.x0 - 10:.0f}" dy="{0.35 if k == 0 else 1.2:g}em">{_esc(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.labels.append(f'<text y="{y:.1f}" text-anchor="end" font-size="{tick_size}" fill="{INK}">{spans}</text>')


def _trace(out: _Drawing, t: Spec, n_trace: int, chart: str, axes: _Axes, mode: str) -> Any:
    """One trace's bars and bar texts; gives its first colour (for the legend)."""
    ys, xs = list(t.get("y", [])), [float(v or 0.0) for v in t.get("x", [])]
    count = len(ys)
    marker = t.get("marker") or {}
    colours = _each(marker.get("color"), count, "#888888")
    line = marker.get("line") or {}
    line_colours = _each(line.get("color"), count, "rgba(0,0,0,0)")
    line_width = float(line.get("width", 0) or 0)
    pattern = marker.get("pattern") or {}
    shapes = _each(pattern.get("shape"), count, "")
    texts = _each(t.get("text"), count, "")
    font = t.get("textfont") or {}
    text_colours = _each(font.get("color"), count, INK)
    text_size = int(font.get("size", BASE_FONT))
    inside = t.get("textposition", "auto") == "inside"
    bases = _each(t.get("base"), count, None)
    for i, (category, value) in enumerate(zip(ys, xs, strict=False)):
        if category not in axes.categories:
            continue
        sign = 1 if value >= 0 else -1
        if mode in ("stack", "relative") and bases[i] is None:
            key = (category, sign if mode == "relative" else 1)
            start = out.ends.get(key, 0.0)
            out.ends[key] = start + value
        else:
            start = float(bases[i] or 0.0)
        a, b = axes.sx(start), axes.sx(start + value)
        left, width = min(a, b), max(abs(b - a), 0.0)
        top = axes.sy(category)
        fill = _fill(out, str(colours[i]), shapes[i] or "", pattern, f"pf-{chart}-fill-{n_trace}-{i}")
        outline = str(line_colours[i])
        stroke = (
            f' stroke="{_esc(outline)}" stroke-width="{line_width:g}"'
            if line_width and outline != "rgba(0,0,0,0)"
            else ""
        )
        tip = _esc(_hover(t, i, _plain(category), value))
        out.bars.append(
            f'<rect class="pf-bar" x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{axes.thick:.1f}" '
            f'fill="{_esc(fill)}"{stroke}><title>{tip}</title></rect>'
        )
        text = _plain(texts[i])
        if not text:
            continue
        if inside:
            where = f'x="{left + width / 2:.1f}" text-anchor="middle"'
        elif sign > 0:
            where = f'x="{max(a, b) + 6:.1f}" text-anchor="start"'
        else:
            where = f'x="{min(a, b) - 6:.1f}" text-anchor="end"'
        out.labels.append(
            f'<text {where} y="{top + axes.thick / 2:.1f}" dy="0.35em" font-size="{text_size}" '
            f'fill="{_esc(text_colours[i])}">{_esc(text)}</text>'
        )
    return colours[0] if colours else None


def _fill(out: _Drawing, colour: str, shape: str, pattern: Spec, pid: str) -> str:
    """The bar's fill: its colour, or a "/" or "." pattern over it (defined once in `defs`)."""
    if shape not in ("/", "."):
        return colour
    fg = _esc(pattern.get("fgcolor", "white"))
    size = int(pattern.get("size", 8))
    mark = (
        f'<path d="M0,{size} L{size},0" stroke="{fg}" stroke-width="1.5"/>'
        if shape == "/"
        else f'<circle cx="{size / 2}" cy="{size / 2}" r="1.4" fill="{fg}"/>'
    )
    out.defs.append(
        f'<pattern id="{pid}" width="{size}" height="{size}" patternUnits="userSpaceOnUse">'
        f'<rect width="{size}" height="{size}" fill="{_esc(colour)}"/>{mark}</pattern>'
    )
    return f"url(#{pid})"


def _legend(out: _Drawing, layout: Spec, legend: list[tuple[str, str]], total: int) -> None:
    """The legend row under the plot: its title, then a swatch and a name per trace."""
    if not legend:
        return
    head = _plain(((layout.get("legend") or {}).get("title") or {}).get("text", "")).strip()
    x, y = 6.0, total - 14.0
    if head:
        out.labels.append(f'<text x="{x}" y="{y}" font-size="{BASE_FONT - 1}" fill="{INK}">{_esc(head)}</text>')
        x += 12 + 8 * len(head)
    for name, colour in legend:
        out.labels.append(
            f'<rect x="{x:.0f}" y="{y - 11}" width="14" height="14" fill="{_esc(colour)}" stroke="#999"/>'
            f'<text x="{x + 20:.0f}" y="{y}" font-size="{BASE_FONT - 1}" fill="{INK}">{_esc(name)}</text>'
        )
        x += 34 + 8 * len(name)


def chart_height(spec: Spec) -> int:
    """The height the SVG of `spec` takes at its viewBox width (the legend row included)."""
    layout = spec.get("layout") or {}
    height = int(layout.get("height", 360))
    margin = {"b": 40, **(layout.get("margin") or {})}
    legend = bool(layout.get("showlegend")) and any(
        t.get("showlegend", True) and t.get("name") for t in spec.get("data") or []
    )
    return height + (LEGEND_H if legend and margin["b"] < 60 else 0)
