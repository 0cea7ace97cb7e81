"""ArchiMate Open Exchange Format XML (as Archi exports it) → one connection per relationship.

Read: Flow, Triggering and Serving relationships between application components and
application interfaces (an interface assigned to, or composed into, a component stands for
that component). The direction is the one the relationship means, with `source` the side that
starts the exchange:

* Flow A → B: information flows from A to B — A sends, so source A, target B;
* Triggering A → B: A triggers B — source A, target B;
* Serving A → B: A serves B — B uses A, so B calls: source B, target A.

Properties named like our keys (`latency_budget`, `Consumer Count`, `technology`, `owner`,
`current_pattern`) on the relationship are read as answers; the rest are not.

Parsed with defusedxml: a DOCTYPE, entities or external references are refused, nothing is
fetched from the network.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from defusedxml import (  # type: ignore[import-untyped]
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml import ElementTree as SafeTree

from patternfit.errors import InputError
from patternfit.estate.columns import CURRENT, DESCRIPTIVE, IDENTITY, normalise_header
from patternfit.estate.importers.base import Extract, Link

KIND = "archimate"
NS = "{http://www.opengroup.org/xsd/archimate/3.0/}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}type"
ENDS = ("ApplicationComponent", "ApplicationInterface")
READ = ("Flow", "Triggering", "Serving")
OWNING = ("Assignment", "Composition")
MAX_BYTES = 200_000_000


def looks_like(head: str) -> bool:
    """XML whose root is an Open Exchange `model`."""
    text = head.lstrip()
    return text.startswith("<") and "opengroup.org/xsd/archimate" in head


def parse(data: bytes, where: str) -> Any:
    """The document root; InputError for malformed XML, a DOCTYPE, entities or external references."""
    fix = "export the model again from Archi (File → Export → Model to Open Exchange File)"
    try:
        return SafeTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise InputError(where, "has a DOCTYPE declaration, which is refused (it can define entities)", fix) from None
    except EntitiesForbidden as exc:
        raise InputError(where, f"declares the entity {exc.name!r}; entities are refused", fix) from None
    except ExternalReferenceForbidden:
        raise InputError(where, "refers to an external resource; nothing is fetched", fix) from None
    except SafeTree.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise InputError(f"{where}, line {line}, column {column}", f"is not well-formed XML ({exc.msg})", fix) from None


def _name(node: Any) -> str:
    found = node.find(f"{NS}name")
    return (found.text or "").strip() if found is not None else ""


def read(data: bytes, where: str, fields: Collection[str] = ()) -> Extract:
    """The connections between application components and interfaces of an exchange file."""
    root = parse(data, where)
    if root.tag != f"{NS}model":
        raise InputError(
            where, f"the root element is {root.tag!r}, not an ArchiMate model", "give an Open Exchange file"
        )
    definitions = {
        d.get("identifier"): normalise_header(_name(d))
        for d in root.iterfind(f"{NS}propertyDefinitions/{NS}propertyDefinition")
    }
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    for element in root.iterfind(f"{NS}elements/{NS}element"):
        ident = element.get("identifier") or ""
        kinds[ident] = element.get(XSI) or ""
        names[ident] = _name(element) or ident
    relationships = list(root.iterfind(f"{NS}relationships/{NS}relationship"))
    owner: dict[str, str] = {}  # interface → the component it belongs to
    for rel in relationships:
        source, target, kind = rel.get("source") or "", rel.get("target") or "", rel.get(XSI) or ""
        if kind in OWNING and kinds.get(source) == ENDS[0] and kinds.get(target) == ENDS[1]:
            owner.setdefault(target, source)
    extract = Extract([])
    for rel in relationships:
        kind = rel.get(XSI) or ""
        if kind not in READ:
            continue
        ident = rel.get("identifier") or "?"
        place = f"{where}: relationship {ident}"
        source, target = rel.get("source") or "", rel.get("target") or ""
        ends = ((source, "source"), (target, "target"))
        missing = [f"its {label} {end!r}" for end, label in ends if end not in kinds]
        if missing:
            extract.not_read.append(f"{place}: {' and '.join(missing)} names no element of the model; not read")
            continue
        if kinds[source] not in ENDS or kinds[target] not in ENDS:
            continue
        if kind == "Serving":
            source, target = target, source
        a, b = owner.get(source, source), owner.get(target, target)
        link = Link(
            id=f"{KIND}:{ident}",
            name=_name(rel) or f"{names[a]} → {names[b]}",
            source=names[a],
            target=names[b],
            element=f"{kind} relationship {ident}",
            description=_documentation(rel),
        )
        link.notes.append(
            f"direction: {_direction(kind, names[rel.get('source') or ''], names[rel.get('target') or ''])}"
        )
        _properties(rel, definitions, link, f"{kind} relationship {ident}", fields)
        extract.links.append(link)
    return extract


def _direction(kind: str, a: str, b: str) -> str:
    if kind == "Serving":
        return f"Serving: {a} serves {b}, so {b} calls {a}"
    if kind == "Flow":
        return f"Flow: information flows from {a} to {b}"
    return f"Triggering: {a} triggers {b}"


def _documentation(node: Any) -> str:
    found = node.find(f"{NS}documentation")
    return " ".join((found.text or "").split()) if found is not None else ""


def _properties(
    rel: Any, definitions: Mapping[str | None, str], link: Link, element: str, fields: Collection[str]
) -> None:
    for prop in rel.iterfind(f"{NS}properties/{NS}property"):
        key = definitions.get(prop.get("propertyDefinitionRef"), "")
        value_node = prop.find(f"{NS}value")
        value = (value_node.text or "").strip() if value_node is not None else ""
        if not key or not value:
            continue
        why = f"property {key!r} of the {element}"
        if key == "technology":
            link.technology = value
        elif key == "owner":
            link.owner = value
        elif key in IDENTITY or key in DESCRIPTIVE:
            continue
        elif key == CURRENT or key in fields:
            link.answer(key, value, why)
