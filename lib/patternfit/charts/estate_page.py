"""The estate as a picture: a map of systems and connections, charts as inline SVG, one HTML page.

    svg = estate_map_svg(review)          # systems (nodes), connections (edges by current pattern)
    write_html_report(review, "report.html")

The map: one node per system named as a source or target, one edge per pair of systems (the
connections between them counted), coloured by the pattern in use; a pair with a mismatch is
drawn dashed and thicker and named in its tooltip. Layout by networkx (spring layout, fixed
seed). A large estate shows its `MAP_NODES` busiest systems; the page says how many are left
out, and every connection stays in the CSV/XLSX report.

The page is one file: no script, no font, no image from anywhere — its Content-Security-Policy
forbids any fetch — so it opens offline and can be mailed. Every text from the estate is
escaped by the template (Jinja2 autoescape). Labels come from the catalog (pattern names),
never internal keys.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import numpy as np

from patternfit.charts.estate import COLOURS, shown_matrix
from patternfit.errors import InputError
from patternfit.estate.findings import NOT_GIVEN, UNDECIDED
from patternfit.io.bidi import isolate_bidi
from patternfit.io.files import check_path, write_atomic
from patternfit.model.catalog import PATTERN_KEYS, PROPOSABLE

if TYPE_CHECKING:
    from patternfit.estate.review import EstateReview

MAP_NODES = 150  # systems drawn on the map at most (the busiest)
TABLE_ROWS = 500  # rows listed per table on the page at most
WIDTH, HEIGHT, MARGIN = 960, 640, 60
UNNAMED = "(not named)"
_ENV = jinja2.Environment(
    finalize=isolate_bidi,  # bidirectional text cannot leak into what follows
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _label(review: EstateReview, key: str) -> str:
    """A pattern's name for people ('Synchronous API'), '(not given)', or the key itself."""
    if key in PATTERN_KEYS:
        return review.model.pattern(key).short
    names = {"shared_database": "Shared database", "other": "Other", "": NOT_GIVEN, UNDECIDED: "Undecided"}
    return names.get(key, key)


def map_data(review: EstateReview, limit: int = MAP_NODES) -> dict[str, Any]:
    """Nodes with positions and edges with colours, for the map template."""
    table = review.inventory.table
    n = len(table)
    sources = _names(table, "source", n)
    targets = _names(table, "target", n)
    current = np.asarray(review.findings.rows["current_pattern"].astype(str))
    mismatch = review.findings.rows["mismatch"].to_numpy(bool)
    import networkx as nx  # type: ignore[import-untyped]

    graph = nx.DiGraph()
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for a, b, pattern, bad in zip(sources, targets, current, mismatch, strict=True):
        pair = pairs.setdefault((a, b), {"count": 0, "patterns": {}, "mismatches": 0})
        pair["count"] += 1
        pair["patterns"][pattern] = pair["patterns"].get(pattern, 0) + 1
        pair["mismatches"] += int(bad)
    degree: dict[str, int] = {}
    for (a, b), pair in pairs.items():
        degree[a] = degree.get(a, 0) + pair["count"]
        degree[b] = degree.get(b, 0) + pair["count"]
    shown = set(sorted(degree, key=lambda s: (-degree[s], s))[:limit])
    for (a, b), pair in pairs.items():
        if a in shown and b in shown:
            graph.add_edge(a, b, **pair)
    for node in shown:
        graph.add_node(node)
    positions = _layout(graph)
    nodes: list[dict[str, Any]] = [
        {"name": name, "x": x, "y": y, "r": 5 + min(9.0, math.sqrt(degree[name])), "degree": degree[name]}
        for name, (x, y) in sorted(positions.items())
    ]
    radius = {node["name"]: float(node["r"]) for node in nodes}
    edges = []
    for a, b, pair in graph.edges(data=True):
        pattern = max(pair["patterns"], key=lambda p: pair["patterns"][p])
        (x1, y1), (x2, y2) = positions[a], positions[b]
        x1, y1, x2, y2 = _trim(x1, y1, x2, y2, radius[a], radius[b])
        mixed = ", ".join(f"{_label(review, p)} {k}" for p, k in sorted(pair["patterns"].items()))
        edges.append({
            "source": a, "target": b, "x1": x1, "y1": y1, "x2": x2, "y2": y2, "count": pair["count"],
            "colour": COLOURS.get(pattern or NOT_GIVEN, COLOURS["other"]), "pattern": _label(review, pattern),
            "mix": mixed, "mismatches": pair["mismatches"], "width": 1.2 + min(4.0, math.log2(pair["count"] + 1)),
        })  # fmt: skip
    edges.sort(key=lambda e: e["mismatches"] > 0)  # mismatches drawn last, on top
    used = [p for p in (*PROPOSABLE, "") if (current == p).any()]
    legend = [{"label": _label(review, p), "colour": COLOURS.get(p or NOT_GIVEN, COLOURS["other"])} for p in used]
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "width": WIDTH,
        "height": HEIGHT,
        "systems": len(degree),
        "shown": len(shown),
        "connections": n,
    }


def _names(table: Any, column: str, n: int) -> list[str]:
    if column not in table.columns:
        return [UNNAMED] * n
    values = table[column].astype(str).tolist()
    return [v.strip() or UNNAMED for v in values]


def _layout(graph: Any) -> dict[str, tuple[float, float]]:
    import networkx as nx  # imported when a map is drawn: it takes a while to import

    if not len(graph):
        return {}
    if len(graph) == 1:
        return {next(iter(graph)): (WIDTH / 2, HEIGHT / 2)}
    raw = nx.spring_layout(graph.to_undirected(), seed=7, k=2.8 / math.sqrt(len(graph)), iterations=50)
    xs = np.array([p[0] for p in raw.values()])
    ys = np.array([p[1] for p in raw.values()])
    span_x = float(xs.max() - xs.min()) or 1.0
    span_y = float(ys.max() - ys.min()) or 1.0
    return {
        str(name): (
            round(MARGIN + (float(p[0]) - xs.min()) / span_x * (WIDTH - 2 * MARGIN), 1),
            round(MARGIN / 2 + (float(p[1]) - ys.min()) / span_y * (HEIGHT - 1.5 * MARGIN), 1),
        )
        for name, p in raw.items()
    }


def _trim(x1: float, y1: float, x2: float, y2: float, r1: float, r2: float) -> tuple[float, ...]:
    """The edge from circle edge to circle edge, so its arrowhead shows."""
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    return (round(x1 + ux * r1, 1), round(y1 + uy * r1, 1), round(x2 - ux * (r2 + 3), 1), round(y2 - uy * (r2 + 3), 1))


def estate_map_svg(review: EstateReview, limit: int = MAP_NODES, *, data: dict[str, Any] | None = None) -> str:
    """The map as one SVG element (for the report page and the estate dashboard)."""
    return _ENV.get_template("estate_map.svg.j2").render(map=data or map_data(review, limit))


def bar_data(review: EstateReview) -> list[dict[str, Any]]:
    """Pattern mix: connections per pattern in use and recommended."""
    mix = review.findings.mix
    top = max(1, int(mix.to_numpy().max()))
    out = []
    for pattern, row in mix.iterrows():
        current, rec = int(row["current"]), int(row["recommended"])
        if current or rec:
            key = "" if pattern == NOT_GIVEN else str(pattern)
            out.append({
                "label": _label(review, key), "current": current, "recommended": rec,
                "current_w": 300 * current / top, "recommended_w": 300 * rec / top,
                "colour": COLOURS.get(key or NOT_GIVEN, COLOURS["other"]), "undecided": key == UNDECIDED,
            })  # fmt: skip
    return out


def matrix_data(review: EstateReview) -> dict[str, Any]:
    matrix = shown_matrix(review.findings.matrix)
    top = max(1, int(matrix.to_numpy().max())) if matrix.size else 1
    rows = []
    for current, values in matrix.iterrows():
        key = "" if current == NOT_GIVEN else str(current)
        cells = [
            {"count": int(v), "shade": round(0.08 + 0.85 * int(v) / top, 3) if v else 0, "diagonal": key == rec}
            for rec, v in values.items()
        ]
        rows.append({"label": _label(review, key), "cells": cells})
    return {"columns": [_label(review, str(c)) for c in matrix.columns], "rows": rows}


def _records(frame: Any, columns: Iterable[str], limit: int = TABLE_ROWS) -> list[dict[str, str]]:
    present = [c for c in columns if c in frame.columns]
    out = []
    for record in frame.head(limit)[present].itertuples(index=False):
        out.append({c: _cell(v) for c, v in zip(present, record, strict=True)})
    return out


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def report_html(review: EstateReview) -> str:
    """The whole report as one self-contained HTML page."""
    findings = review.findings
    mismatches = findings.mismatches.copy()
    for column in ("current_pattern", "recommended"):
        mismatches[column] = [_label(review, str(v)) if v == v else "" for v in mismatches[column].astype(object)]
    bridges = findings.bridges.copy()
    bridges["recommended"] = [_label(review, str(v)) for v in bridges["recommended"].astype(str)]
    table = review.inventory.table
    ask = []
    if "to_ask" in table.columns:
        frame = table[["id", "name", "to_ask"]].copy()
        frame["to_ask"] = frame["to_ask"].astype(str)
        ask = _records(frame[frame["to_ask"] != ""], ("id", "name", "to_ask"))
    problems = review.problems
    picture = map_data(review)
    return _ENV.get_template("estate_report.html.j2").render(
        title=f"Estate review — {review.inventory.source}",
        source=review.inventory.source,
        kind=review.inventory.kind,
        basis=review.basis,
        summary=list(findings.summary.items()),
        warnings=list(review.inventory.warnings),
        not_read=list(getattr(review.inventory, "not_read", ()))[:TABLE_ROWS],
        map_svg=estate_map_svg(review, data=picture),
        map=picture,
        bars=bar_data(review),
        matrix=matrix_data(review),
        pitfalls=_records(findings.pitfalls, ("id", "title", "connections")),
        mismatches=_records(mismatches, ("id", "name", "owner", "current_pattern", "recommended", "gap", "reason")),
        mismatch_total=len(mismatches),
        off_standard=_records(findings.off_standard, ("id", "name", "owner", "technology", "reason")),
        technology_mix=_records(findings.technology_mix, ("owner", "pattern", "technologies", "connections", "note")),
        workshop=_records(findings.workshop, ("id", "name", "owner", "reason")),
        undecided=_records(findings.undecided_rows, ("id", "name", "owner", "reason", "what_to_ask")),
        undecided_total=len(findings.undecided_rows),
        bridges=_records(bridges, ("id", "name", "owner", "recommended", "check", "bridges")),
        bridge_total=len(bridges),
        ask=ask,
        problems=_records(problems, ("row", "column", "value", "problem")),
        problem_total=len(problems),
        limit=TABLE_ROWS,
    )


def write_html_report(review: EstateReview, out: str | Path) -> Path:
    """Write the report page atomically; InputError for a bad target."""
    target = Path(out)
    check_path(target, "choose a shorter report path")
    if target.suffix.lower() not in (".html", ".htm"):
        raise InputError(str(target), "is not an .html file", "name the page REPORT.html")
    if not target.parent.is_dir():
        raise InputError(str(target), f"the folder {str(target.parent)!r} does not exist", "create it first")
    if target.is_dir():
        raise InputError(str(target), "is a folder", "give a file name ending in .html")
    return write_atomic(target, report_html(review))


__all__ = ["MAP_NODES", "estate_map_svg", "map_data", "report_html", "write_html_report"]
