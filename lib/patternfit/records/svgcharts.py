"""The charts of the HTML record as inline SVG (no plotly, no script): the weighted fit of each
option, and how often each option ranks first over the sampled weightings."""

from __future__ import annotations

import html

from patternfit.records.types import DecisionRecord, Option

WIDTH, LABEL_W, BAR_H, GAP = 560, 190, 22, 8
FONT = "font-family:system-ui,sans-serif;font-size:12px"
RULED_OUT = "ruled out"


def _patterns(r: DecisionRecord) -> list[Option]:
    return [o for o in r.options if o.key in ("api", "events", "batch", "workflow")]


def fit_chart(r: DecisionRecord) -> str:
    """Horizontal bars of the fit on the model's one scale, zero in the middle; ruled-out options say so."""
    lo, hi, fit_label = r.fit_scale
    options = sorted(_patterns(r), key=lambda o: (o.score is None, -(o.score or 0.0)))
    plot = WIDTH - LABEL_W - 60
    zero = LABEL_W + plot * (-lo) / (hi - lo)
    height = 30 + len(options) * (BAR_H + GAP)
    parts = [
        f'<text x="{LABEL_W}" y="16" style="{FONT};font-weight:bold">{html.escape(fit_label)}</text>',
        f'<line x1="{zero:.0f}" y1="22" x2="{zero:.0f}" y2="{height}" stroke="#777"/>',
    ]
    for k, o in enumerate(options):
        y = 26 + k * (BAR_H + GAP)
        name = html.escape(o.label) + (" (chosen)" if o.key == r.chosen else "")
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end" style="{FONT}">{name}</text>')
        if o.score is None:
            parts.append(f'<text x="{zero + 6:.0f}" y="{y + 15}" style="{FONT};fill:#a33">{RULED_OUT}</text>')
            continue
        x = zero + plot * o.score / (hi - lo)
        left, width = min(x, zero), max(abs(x - zero), 1.0)
        colour = "#2d6a4f" if o.score > 0 else "#b5543c"
        parts.append(
            f'<rect class="pf-bar" x="{left:.1f}" y="{y}" width="{width:.1f}" height="{BAR_H}" fill="{colour}"/>'
            f'<text x="{max(x, zero) + 6:.0f}" y="{y + 15}" style="{FONT}">{o.score:+.2f}</text>'
        )
    return _svg("pf-chart-fit", f"{fit_label} of each option", height, "".join(parts))


def acceptability_chart(r: DecisionRecord) -> str:
    """Bars of first-rank acceptability (0–100 %); empty when the robustness analysis was not run."""
    options = [o for o in _patterns(r) if o.acceptability is not None or o.score is None]
    if not any(o.acceptability is not None for o in options):
        return ""
    plot = WIDTH - LABEL_W - 60
    height = 30 + len(options) * (BAR_H + GAP)
    parts = [
        f'<text x="{LABEL_W}" y="16" style="{FONT};font-weight:bold">First in (share of sampled weightings)</text>'
    ]
    ranked = sorted(options, key=lambda o: (o.score is None, -(o.acceptability or 0.0)))
    for k, o in enumerate(ranked):
        y = 26 + k * (BAR_H + GAP)
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end" style="{FONT}">{html.escape(o.label)}</text>'
        )
        if o.score is None:
            parts.append(f'<text x="{LABEL_W + 6}" y="{y + 15}" style="{FONT};fill:#a33">{RULED_OUT}</text>')
            continue
        share = o.acceptability or 0.0
        parts.append(
            f'<rect class="pf-bar" x="{LABEL_W}" y="{y}" width="{max(plot * share, 1.0):.1f}" height="{BAR_H}"'
            f' fill="#36597d"/>'
            f'<text x="{LABEL_W + plot * share + 6:.0f}" y="{y + 15}" style="{FONT}">{share:.0%}</text>'
        )
    return _svg("pf-chart-acceptability", "First-rank acceptability of each option", height, "".join(parts))


def _svg(cls: str, title: str, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pf-chart {cls}" role="img" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}"><title>{html.escape(title)}</title>{body}</svg>'
    )


def charts_svg(r: DecisionRecord) -> str:
    """Both charts, one after the other."""
    return fit_chart(r) + acceptability_chart(r)
