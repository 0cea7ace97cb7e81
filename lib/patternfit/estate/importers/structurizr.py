"""Structurizr workspace JSON → one connection per pair of software systems that talk.

Read: every relationship in every element's `relationships` list whose two ends lie in
*different* software systems — system → system, container → container of another system, and
container ↔ system. All relationships between the same two systems (explicit ones and the
implied ones Structurizr derives, marked by `linkedRelationshipId`) are folded into one row, so
a workspace gives as many rows as it has system → system pairs; their technologies and
descriptions are merged. A relationship inside one system, or with a person, is not an
integration between systems and is not read.

Answers, each with the relationship it came from:
* `technology` → `current_pattern` through the technology catalogue;
* `interactionStyle: Synchronous` → `response_expectation: result_now` (the caller waits for a
  result); `Asynchronous` → `temporal_decoupling: true` (the sender carries on without the
  receiver). A pair whose relationships disagree leaves the key open.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from patternfit.errors import InputError
from patternfit.estate.importers.base import Extract, Link, expect, merge_text
from patternfit.io import yamlio

KIND = "structurizr"
STYLE = {
    "synchronous": ("response_expectation", "result_now", "the caller waits for a result"),
    "asynchronous": ("temporal_decoupling", "true", "the sender does not wait for the receiver"),
}


def looks_like(head: str) -> bool:
    """A JSON object with a `model` and Structurizr's keys near the top."""
    text = head.lstrip()
    return (
        text.startswith("{")
        and '"model"' in head
        and any(
            k in head
            for k in ('"softwareSystems"', '"views"', '"configuration"', '"lastModifiedDate"', '"documentation"')
        )
    )


def parse(data: bytes, where: str) -> Any:
    """The workspace as JSON; InputError naming the line of a syntax error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"is not UTF-8 text (byte {exc.start})", "export the workspace as JSON again") from None
    return yamlio.load_json(text, where=where)


def read(data: bytes, where: str, fields: Collection[str] = ()) -> Extract:
    """The cross-system connections of a workspace."""
    doc = parse(data, where)
    model = doc.get("model") if isinstance(doc, dict) else None
    if not isinstance(model, dict):
        raise InputError(where, "has no `model` object", "give a Structurizr workspace JSON (File → Export → JSON)")
    system_of: dict[str, str] = {}  # element id → its software system's id
    names: dict[str, str] = {}
    relationships: list[tuple[str, dict[str, Any]]] = []
    for element, system, kind in _elements(model, where):
        ident = str(element.get("id", ""))
        if not ident:
            continue
        names[ident] = str(element.get("name") or ident)
        if system:
            system_of[ident] = system
        listed = expect(element.get("relationships") or [], list, where, f"{kind} {names[ident]!r}: relationships")
        for i, rel in enumerate(listed):
            if isinstance(rel, dict):
                relationships.append((f"{kind} {names[ident]!r}, relationships[{i}]", rel))
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    extract = Extract([])
    for place, rel in relationships:
        source, target = str(rel.get("sourceId", "")), str(rel.get("destinationId", ""))
        ends = ((source, "sourceId"), (target, "destinationId"))
        missing = [f"{label} {end!r}" for end, label in ends if end not in names]
        if missing:
            extract.not_read.append(f"{place}: {' and '.join(missing)} names no element of the model; not read")
            continue
        a, b = system_of.get(source), system_of.get(target)
        if a and b and a != b:
            pairs.setdefault((a, b), []).append(rel)
    ids = {str(r.get("id")) for _, r in relationships}
    for (a, b), rels in pairs.items():
        extract.links.append(_link(a, b, rels, names, ids))
    return extract


def _elements(model: dict[str, Any], where: str) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(element, its software system id or '', kind) for people, systems, containers, components."""
    for person in _list(model, "people", where):
        yield person, "", "person"
    for system in _list(model, "softwareSystems", where):
        sid = str(system.get("id", ""))
        yield system, sid, "software system"
        for container in _list(system, "containers", f"{where}: software system {system.get('name')!r}"):
            yield container, sid, "container"
            for component in _list(container, "components", f"{where}: container {container.get('name')!r}"):
                yield component, sid, "component"


def _list(parent: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    items = parent.get(key) or []
    if not isinstance(items, list):
        raise InputError(f"{where}: {key}", "must be a list", "export the workspace again")
    return [i for i in items if isinstance(i, dict)]


def _link(a: str, b: str, rels: list[dict[str, Any]], names: dict[str, str], ids: set[str]) -> Link:
    if len(rels) == 1:
        return _single(a, b, rels[0], names)
    explicit = [r for r in rels if str(r.get("linkedRelationshipId") or "") not in ids] or rels
    first = explicit[0]
    link = Link(
        id=f"{KIND}:{first.get('id', '')}",
        name=f"{names[a]} → {names[b]}",
        source=names[a],
        target=names[b],
        element="relationships " + ", ".join(str(r.get("id", "?")) for r in rels),
        technology=merge_text(str(r.get("technology") or "") for r in rels),
        description=merge_text(str(r.get("description") or "") for r in rels),
    )
    styles = {str(r.get("interactionStyle") or "").lower() for r in rels} - {""}
    if len(styles) == 1:
        style = styles.pop()
        if style in STYLE:
            key, value, meaning = STYLE[style]
            which = next(str(r.get("id", "?")) for r in rels if str(r.get("interactionStyle", "")).lower() == style)
            link.answer(key, value, f"interactionStyle {style.title()} on relationship {which} ({meaning})")
    elif len(styles) > 1:
        link.notes.append("interactionStyle: the relationships disagree (Synchronous and Asynchronous); left open")
    return link


def _single(a: str, b: str, rel: dict[str, Any], names: dict[str, str]) -> Link:
    """The common case, one relationship for the pair, without the merging."""
    ident = str(rel.get("id", "?"))
    link = Link(
        id=f"{KIND}:{ident}",
        name=f"{names[a]} → {names[b]}",
        source=names[a],
        target=names[b],
        element=f"relationships {ident}",
        technology=str(rel.get("technology") or "").strip(),
        description=str(rel.get("description") or "").strip(),
    )
    style = str(rel.get("interactionStyle") or "").lower()
    if style in STYLE:
        key, value, meaning = STYLE[style]
        link.answer(key, value, f"interactionStyle {style.title()} on relationship {ident} ({meaning})")
    return link
