"""What every importer hands back, and how it becomes an inventory.

An importer reads its format into `Link`s — one per connection, each answer with its provenance
(the file's element it was read from). `to_inventory` turns them into the estate's `Inventory`:
the identity columns, `current_pattern` and the answer columns as text cells (the same shape a
CSV inventory has), plus `technology`, `description`, `provenance`, `to_ask` and `element`.

Nothing is guessed: a key the source does not state stays blank, and is listed in the row's
`to_ask` (the catalog's question labels, heaviest weight first) and in `Inventory.questions`.
A technology is read through the technology catalogue; one it does not know leaves the current
pattern blank and says so in the provenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from patternfit.errors import InputError
from patternfit.estate.columns import CURRENT, IDENTITY
from patternfit.estate.read import Inventory
from patternfit.model.catalog import Model
from patternfit.model.technologies import Technologies

TEXT_COLUMNS = ("technology", "description", "provenance", "to_ask", "element")
YAML_BYTES = 5_000_000  # a YAML model file (Backstage, AsyncAPI) larger than this is refused:
# guarded YAML parses at 0.3-1 MB a second on the 2-core machine (0.3 under load), so the 10 MB a
# catalog may hold in all stays inside a minute


def check_yaml_size(data: bytes, where: str, limit: int = YAML_BYTES) -> None:
    """Refuse a YAML model too large to parse within the time budget, with its size."""
    if len(data) > limit:
        raise InputError(
            where,
            f"is {len(data):,} bytes of YAML, more than the {limit:,} read from one model file",
            "split it into several files (a Backstage folder with Locations), or export it as JSON",
        )


def expect(value: Any, kind: type, where: str, path: str, fix: str = "fix the document") -> Any:
    """`value` if it is of `kind` (dict: a mapping, list: a list, str: text); InputError naming
    the file and the path inside it otherwise (`servers: expected a mapping, got a list`)."""
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    raise InputError(f"{where}: {path}", f"expected {_KIND_NAMES[kind]}, got {_kind_name(value)}", fix)


_KIND_NAMES: dict[type, str] = {dict: "a mapping", list: "a list", str: "text", int: "a whole number"}


def _kind_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    for kind, name in _KIND_NAMES.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, float) else type(value).__name__


@dataclass
class Link:
    """One connection as a source states it."""

    id: str
    name: str
    source: str
    target: str
    element: str  # where in the file: "relationship 47", "channel lighting/measured", …
    owner: str = ""
    technology: str = ""
    description: str = ""
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)  # field → (value, provenance)
    notes: list[str] = field(default_factory=list)  # what was seen but not read, for the provenance

    def answer(self, key: str, value: str, provenance: str) -> None:
        """Record an answer unless the source already gave one (the first statement wins)."""
        self.answers.setdefault(key, (value, provenance))


@dataclass
class Extract:
    """What one importer read: the connections, and what it could not read (with why)."""

    links: list[Link]
    not_read: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def to_inventory(extract: Extract, where: str, kind: str, model: Model, technologies: Technologies) -> Inventory:
    """The links as an inventory: one row per link, row numbers from 1, every answer's provenance."""
    links = extract.links
    if not links:
        why = f" ({'; '.join(extract.not_read[:3])})" if extract.not_read else ""
        raise InputError(where, f"holds no connection between systems that could be read{why}", _HINT[kind])
    keys = model.keys
    order = sorted(keys, key=lambda k: -float(model.weights[keys.index(k)]))
    labels = {k: model.question(k).label for k in keys}
    fields: list[str] = []
    rows: list[dict[str, str]] = []
    questions: dict[int, tuple[str, ...]] = {}
    seen: set[str] = set()
    asking: dict[frozenset[str], tuple[tuple[str, ...], str]] = {}  # answered keys → (open keys, their labels)
    for number, link in enumerate(links, start=1):
        _read_technology(link, technologies)
        ident = link.id
        while ident in seen:  # ids come from the source; keep each row addressable
            ident += "'"
        seen.add(ident)
        row = {"id": ident, "name": link.name, "source": link.source, "target": link.target, "owner": link.owner}
        notes = []
        for key, (value, why) in link.answers.items():
            if key not in fields and key != CURRENT:
                fields.append(key)
            row[key] = value
            notes.append(f"{key}: {why}")
        notes += link.notes
        answered = frozenset(link.answers)
        if answered not in asking:
            ask = tuple(k for k in order if k not in answered)
            asking[answered] = (ask, "; ".join(labels[k] for k in ask))
        ask, ask_text = asking[answered]
        questions[number] = ask
        row |= {
            "technology": link.technology,
            "description": link.description,
            "provenance": "; ".join(notes),
            "to_ask": ask_text,
            "element": link.element,
        }
        rows.append(row)
    ordered = [k for k in (*model.scales, *fields) if k in fields]
    columns = [*IDENTITY, CURRENT, *dict.fromkeys(ordered), *TEXT_COLUMNS]
    table = pd.DataFrame(rows, columns=columns, index=pd.Index(np.arange(1, len(rows) + 1), name="row"))
    table = table.astype(object).where(table.notna(), "").astype("str")
    for column in ("source", "target", "owner", CURRENT, *ordered):
        table[column] = table[column].astype("category")
    return Inventory(
        table,
        where,
        kind,
        tuple(extract.warnings),
        skipped=0,
        questions=questions,
        not_read=tuple(extract.not_read),
    )


def _read_technology(link: Link, technologies: Technologies) -> None:
    """The current pattern from the technology, when the source names one the catalogue knows."""
    if not link.technology.strip() or CURRENT in link.answers:
        return
    found = technologies.match(link.technology)
    if found is None:
        link.notes.append(f"current_pattern: not read — {technologies.explain(link.technology)}")
        return
    link.answer(
        CURRENT, found.pattern, f"technology {link.technology!r} is {found.name}, {found.kind} ({found.origin})"
    )


def merge_text(values: Iterable[str]) -> str:
    """Distinct non-blank texts joined by ', ' in first-seen order."""
    return ", ".join(dict.fromkeys(v.strip() for v in values if v and v.strip()))


_HINT: Mapping[str, str] = {
    "structurizr": "the workspace needs relationships between software systems (or their containers)",
    "backstage": "a Component needs consumesApis naming an API that another Component provides",
    "archimate": "the model needs Flow, Triggering or Serving between application components or interfaces",
    "asyncapi": "the document needs channels with operations (publish/subscribe in 2.x, send/receive in 3.x)",
    "inventory": "add one row per connection",
}
