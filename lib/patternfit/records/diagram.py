"""The diagram in every decision record: the chosen pattern between the record's source and target.

A sequence diagram for an API call and for events (with the broker and its flavour), a flowchart
for batch and for workflow (the coordinator and the steps, or the chain of events). `diagram()`
builds it as data; `to_mermaid()` writes it for a ```mermaid block (labels escaped for mermaid)
and `to_svg()` draws the same diagram as a self-contained SVG for the HTML record. The words come
from `templates/diagrams.yaml`.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

SEQUENCE = "sequence"
FLOWCHART = "flowchart"
_SAFE = re.compile(r"[^\W_]|[ .,()/'+?-]")  # letters, digits and what mermaid never reads as syntax
MAX_LABEL = 80


@dataclass(frozen=True, slots=True)
class Edge:
    """One arrow: from node `a` to node `b`; `kind` is call, reply, async or flow."""

    a: str
    b: str
    text: str
    kind: str = "flow"


@dataclass(frozen=True, slots=True)
class Diagram:
    """Nodes (id, label), arrows and, for flowcharts, the nodes grouped inside the target."""

    kind: str
    nodes: tuple[tuple[str, str], ...]
    edges: tuple[Edge, ...]
    group: tuple[str, ...] = ()  # node ids drawn inside the target's box (flowchart)
    group_label: str = ""


@functools.cache
def words() -> dict[str, Any]:
    """The diagram wording (templates/diagrams.yaml), read once."""
    text = resources.files("patternfit.records").joinpath("templates/diagrams.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def _short(text: str) -> str:
    value = " ".join(str(text).split())
    return value if len(value) <= MAX_LABEL else value[: MAX_LABEL - 1] + "…"


def diagram(inputs: dict[str, Any], chosen: str, flavour: str | None, coordination: str | None) -> Diagram:
    """The diagram of `chosen` between `inputs`' source and target (a connection's `to_dict()`)."""
    w = words()
    source = _short(inputs.get("source") or w["source_default"])
    target = _short(inputs.get("target") or w["target_default"])
    if chosen == "api":
        api = w["api"]
        edges = (Edge("S", "T", api["request"], "call"), Edge("T", "S", api["response"], "reply"))
        return Diagram(SEQUENCE, (("S", source), ("T", target)), edges)
    if chosen == "events":
        ev = w["events"]
        words_ = ev["flavours"].get(flavour or "", {"send": ev["send"], "deliver": ev["deliver"]})
        broker = ev["broker_flavour"].format(flavour=flavour) if flavour else ev["broker"]
        edges = (Edge("S", "B", str(words_["send"]), "async"), Edge("B", "T", str(words_["deliver"]), "async"))
        return Diagram(SEQUENCE, (("S", source), ("B", str(broker)), ("T", target)), edges)
    steps = _steps(inputs)
    if chosen == "batch":
        b = w["batch"]
        nodes = (("S", source), ("C", str(b["scheduler"])), ("F", str(b["file"])), ("T", target))
        flow = (Edge("C", "S", b["starts"]), Edge("S", "F", b["extract"]), Edge("F", "T", b["load"]))
        return Diagram(FLOWCHART, nodes, flow)
    return _workflow(source, target, steps, coordination)


def _steps(inputs: dict[str, Any]) -> int:
    value = (inputs.get("characteristics") or {}).get("coordinated_steps")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else 2


def _workflow(source: str, target: str, steps: int, coordination: str | None) -> Diagram:
    w = words()
    shown = min(steps, int(w["max_steps"]))
    if coordination == "choreography":
        c = w["choreography"]
        ids = tuple(f"P{k}" for k in range(1, shown + 1))
        nodes = (("S", source), *((i, c["step"].format(k=k)) for k, i in enumerate(ids, 1)))
        edges = [Edge("S", ids[0], c["first"])]
        edges += [Edge(a, b, c["event"]) for a, b in itertools.pairwise(ids)]
        group = ids
        if steps > shown:
            nodes += (("M", c["more"].format(n=steps)),)
            edges.append(Edge(ids[-1], "M", c["event"]))
            group += ("M",)
        return Diagram(FLOWCHART, nodes, tuple(edges), group, target)
    o = w["orchestration"]
    ids = tuple(f"P{k}" for k in range(1, shown + 1))
    nodes = (("S", source), ("C", o["coordinator"]), *((i, o["step"].format(k=k)) for k, i in enumerate(ids, 1)))
    edges = [Edge("S", "C", o["start"])] + [Edge("C", i, o["call"].format(k=k)) for k, i in enumerate(ids, 1)]
    group = ids
    if steps > shown:
        nodes += (("M", o["more"].format(n=steps)),)
        edges.append(Edge("C", "M", o["call"].format(k=f"{shown + 1}-{steps}")))
        group += ("M",)
    edges.append(Edge("C", "S", o["done"]))
    return Diagram(FLOWCHART, nodes, tuple(edges), group, target)


def mermaid_text(text: str) -> str:
    """Text safe inside a mermaid label: every character mermaid could read as syntax (quotes,
    `;`, `#`, `:`, brackets, `<`, `>`, `&`, `|`, `%`, backticks, `_`, symbols and emoji)
    becomes an entity code `#NNN;`, which mermaid draws as the character itself; letters and
    digits of any script stay readable."""
    return "".join(ch if _SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in " ".join(str(text).split()))


_ARROWS = {"call": "->>+", "reply": "-->>-", "async": "-)"}


def to_mermaid(d: Diagram) -> str:
    """The diagram as mermaid source (no fence)."""
    labels = dict(d.nodes)
    if d.kind == SEQUENCE:
        lines = ["sequenceDiagram"]
        lines += [f"    participant {i} as {mermaid_text(label)}" for i, label in d.nodes]
        lines += [f"    {e.a}{_ARROWS[e.kind]}{e.b}: {mermaid_text(e.text)}" for e in d.edges]
        return "\n".join(lines)
    lines = ["flowchart LR"]
    outside = [i for i, _ in d.nodes if i not in d.group]
    lines += [f'    {i}["{mermaid_text(labels[i])}"]' for i in outside]
    if d.group:
        lines.append(f'    subgraph G["{mermaid_text(d.group_label)}"]')
        lines += [f'        {i}["{mermaid_text(labels[i])}"]' for i in d.group]
        lines.append("    end")
    lines += [f'    {e.a} -->|"{mermaid_text(e.text)}"| {e.b}' for e in d.edges]
    return "\n".join(lines)


# --- the same diagram as SVG (for the HTML record, which must open with no network) ---

BOX_W, BOX_H, GAP, ROW = 190, 46, 70, 56
FONT = "font-family:system-ui,sans-serif;font-size:12px"


def _wrap(text: str, width: int = 26) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3] or [""]


def _box(x: float, y: float, label: str, *, fill: str = "#eef3fb") -> str:
    lines = _wrap(label)
    top = y + BOX_H / 2 - (len(lines) - 1) * 7
    text = "".join(
        f'<tspan x="{x + BOX_W / 2:.0f}" y="{top + i * 14:.0f}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="#36597d"/>'
        f'<text text-anchor="middle" dominant-baseline="middle" style="{FONT}">{text}</text>'
    )


def _arrow(x1: float, y1: float, x2: float, y2: float, label: str, *, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2 - 6
    return (
        f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#333"{dash}'
        f' marker-end="url(#pf-arrow)"/>'
        f'<text x="{mx:.0f}" y="{my:.0f}" text-anchor="middle" style="{FONT}">{html.escape(label)}</text>'
    )


_DEFS = (
    '<defs><marker id="pf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
    ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
)


def to_svg(d: Diagram, title: str) -> str:
    """The diagram drawn as inline SVG (boxes, arrows, labels; all text escaped)."""
    body = _sequence_svg(d) if d.kind == SEQUENCE else _flow_svg(d)
    width, height, parts = body
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pf-diagram" role="img" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}"><title>{html.escape(title)}</title>{_DEFS}{parts}</svg>'
    )


def _sequence_svg(d: Diagram) -> tuple[int, int, str]:
    xs = {i: 10 + k * (BOX_W + GAP) for k, (i, _) in enumerate(d.nodes)}
    height = BOX_H + 30 + ROW * len(d.edges) + 20
    parts = [_box(xs[i], 10, label) for i, label in d.nodes]
    parts += [
        f'<line x1="{xs[i] + BOX_W / 2:.0f}" y1="{10 + BOX_H}" x2="{xs[i] + BOX_W / 2:.0f}" y2="{height - 10}"'
        ' stroke="#999" stroke-dasharray="3 3"/>'
        for i, _ in d.nodes
    ]
    for k, e in enumerate(d.edges):
        y = 10 + BOX_H + 30 + k * ROW + 10
        x1, x2 = xs[e.a] + BOX_W / 2, xs[e.b] + BOX_W / 2
        x2 += -4 if x2 > x1 else 4
        parts.append(_arrow(x1, y, x2, y, e.text, dashed=e.kind == "reply"))
    return int(10 + len(d.nodes) * (BOX_W + GAP) - GAP + 10), int(height), "".join(parts)


def _flow_svg(d: Diagram) -> tuple[int, int, str]:
    outside = [i for i, _ in d.nodes if i not in d.group]
    labels = dict(d.nodes)
    pos: dict[str, tuple[float, float]] = {}
    for k, i in enumerate(outside):
        pos[i] = (10 + k * (BOX_W + GAP), 40)
    gx = 10 + len(outside) * (BOX_W + GAP)
    for k, i in enumerate(d.group):
        pos[i] = (gx + 20, 40 + k * (BOX_H + 24))
    rows = max(1, len(d.group))
    height = 40 + rows * (BOX_H + 24) + 20
    width = (gx + BOX_W + 50) if d.group else (gx - GAP + 10)
    parts = []
    if d.group:
        parts.append(
            f'<rect x="{gx:.0f}" y="14" width="{BOX_W + 40}" height="{height - 24}" rx="8" fill="none"'
            ' stroke="#36597d" stroke-dasharray="6 4"/>'
            f'<text x="{gx + 8:.0f}" y="30" style="{FONT};font-weight:bold">{html.escape(d.group_label)}</text>'
        )
    parts += [_box(x, y, labels[i], fill="#fdf6e3" if i in d.group else "#eef3fb") for i, (x, y) in pos.items()]
    for e in d.edges:
        (ax, ay), (bx, by) = pos[e.a], pos[e.b]
        if ax == bx:  # one above the other (steps in the target)
            parts.append(_arrow(ax + BOX_W / 2, ay + BOX_H, bx + BOX_W / 2, by - 2, e.text))
        elif bx > ax:
            parts.append(_arrow(ax + BOX_W, ay + BOX_H / 2, bx - 2, by + BOX_H / 2, e.text))
        else:  # backwards: below the boxes
            parts.append(_arrow(ax, ay + BOX_H - 6, bx + BOX_W + 2, by + BOX_H - 6, e.text, dashed=True))
    return int(width), int(height), "".join(parts)
