"""Backstage catalog → one connection per consumer Component → provider Component of each API.

A catalog is a `catalog-info.yaml` (several YAML documents) or a folder. Reading starts at the
given file (or at every `.yaml` / `.yml` directly in the folder) and follows `Location`
entities to files *inside that folder only*: a URL target, or a path leading out of the
folder, is listed as not read — nothing is fetched. A Location that leads back to a file
already read (a cycle) is listed too.

For each Component's `spec.consumesApis`, every Component whose `spec.providesApis` names the
same API gives one row, consumer → provider (an API nobody provides gives a row with the
target left blank). API `spec.type` openapi, grpc, graphql → `current_pattern: api`; asyncapi →
`events`; anything else is left open. Owners are the consumer's `spec.owner`. An API's
definition is read inline or from `$text` pointing at a local file (an AsyncAPI definition with a
Kafka key binding gives `ordering: per_key`); a `$text` URL is listed as not read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patternfit.errors import InputError
from patternfit.estate.importers import asyncapi
from patternfit.estate.importers.base import YAML_BYTES, Extract, Link, check_yaml_size, expect
from patternfit.io import reading, yamlio

KIND = "backstage"
API_TYPES = {"openapi": "api", "grpc": "api", "graphql": "api", "asyncapi": "events"}
SUFFIXES = (".yaml", ".yml")
MAX_FILES = 10_000
MAX_BYTES = 20_000_000
CATALOG_BYTES = 2 * YAML_BYTES  # all the files of one catalog together (see base.YAML_BYTES)


def looks_like(head: str) -> bool:
    """YAML with a Backstage `apiVersion`."""
    return "backstage.io/" in head and "kind:" in head


@dataclass
class _Catalog:
    root: Path
    where: str
    entities: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (file, entity)
    read_files: set[Path] = field(default_factory=set)
    bytes_read: int = 0
    upload: bool = False  # bytes without a folder: no local file is read
    definitions: dict[str, str] = field(default_factory=dict)  # API key → its definition text ('' if not read)
    extract: Extract = field(default_factory=lambda: Extract([]))


def read(data: bytes, where: str, fields: Collection[str] = ()) -> Extract:
    """An uploaded catalog file (its Locations cannot be followed: there is no folder)."""
    catalog = _Catalog(Path("."), where, upload=True)
    check_yaml_size(data, where)
    _entities(catalog, data, where, None)
    return _connections(catalog)


def read_folder(folder: Path, where: str) -> Extract:
    """A catalog file or folder on disk, Locations followed inside the folder."""
    root = folder.resolve()
    catalog = _Catalog(root, where)
    starts = sorted(p for p in root.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    if not starts:
        raise InputError(where, "holds no .yaml or .yml file", "give the folder with catalog-info.yaml")
    for start in starts:
        try:  # a starting file is checked against the folder too: a planted link is not followed
            inside = reading.safe_path_under(root, start)
        except InputError:
            catalog.extract.not_read.append(f"{start.name}: a link that leads out of the folder; not followed")
            continue
        _file(catalog, inside, ())
    return _connections(catalog)


def read_file(path: Path, where: str) -> Extract:
    """One catalog file on disk, its Locations followed inside its folder."""
    catalog = _Catalog(path.absolute().parent.resolve(), where)
    _file(catalog, path.resolve(), ())
    return _connections(catalog)


def _name(catalog: _Catalog, path: Path) -> str:
    try:
        return str(path.relative_to(catalog.root))
    except ValueError:
        return str(path)


def _file(catalog: _Catalog, path: Path, chain: tuple[Path, ...]) -> None:
    shown = _name(catalog, path)
    if path in chain:
        cycle = " → ".join(_name(catalog, p) for p in (*chain[chain.index(path) :], path))
        catalog.extract.not_read.append(f"Location cycle {cycle}: not followed again")
        return
    if path in catalog.read_files:
        return
    if len(catalog.read_files) >= MAX_FILES:
        raise InputError(catalog.where, f"its Locations lead to more than {MAX_FILES} files", "split the catalog")
    catalog.read_files.add(path)
    try:
        place = catalog.where if not chain and catalog.where.endswith(shown) else f"{catalog.where}: {shown}"
        data = reading.read_bytes(path, where=place, what="catalog file", limit=YAML_BYTES)
    except InputError as exc:
        if not chain:  # a file the user named (or one directly in the folder named): not to be skipped
            raise
        catalog.extract.not_read.append(f"{shown}: {exc.message}")
        return
    catalog.bytes_read += len(data)
    if catalog.bytes_read > CATALOG_BYTES:
        raise InputError(
            catalog.where,
            f"its files hold more than the {CATALOG_BYTES:,} bytes of YAML read from one catalog",
            "review the catalog in parts (one folder each)",
        )
    _entities(catalog, data, f"{catalog.where}: {shown}", (*chain, path))


def _entities(catalog: _Catalog, data: bytes, where: str, chain: tuple[Path, ...] | None) -> None:
    docs = yamlio.parse_all(yamlio.decode(data, where, what="Backstage catalog file"), where)
    for i, doc in enumerate(docs):
        if doc is None:
            continue
        place = f"{where}, document {i + 1}"
        if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
            catalog.extract.not_read.append(f"{place}: not a catalog entity (no kind)")
            continue
        meta = doc.get("metadata")
        if not isinstance(meta, dict) or not str(meta.get("name") or "").strip():
            catalog.extract.not_read.append(f"{place}: a {doc['kind']} without metadata.name")
            continue
        if doc["kind"].lower() == "location":
            _location(catalog, doc, place, chain)
        else:
            catalog.entities.append((where, doc))


def _location(catalog: _Catalog, doc: dict[str, Any], place: str, chain: tuple[Path, ...] | None) -> None:
    spec = _spec(doc)
    if spec.get("target"):
        targets = [expect(spec["target"], str, place, "spec.target", "give the target as a path")]
    else:
        targets = expect(spec.get("targets") or [], list, place, "spec.targets", "give the targets as a list of paths")
    for target in targets:
        text = str(target)
        if "://" in text or (spec.get("type") == "url" and not text.startswith(".")):
            catalog.extract.not_read.append(f"{place}: Location target {text!r} is a URL; nothing is fetched")
            continue
        if chain is None:
            catalog.extract.not_read.append(f"{place}: Location target {text!r} not followed (an upload has no folder)")
            continue
        base = chain[-1].parent
        path = (base / text).resolve()
        if not path.is_relative_to(catalog.root):
            catalog.extract.not_read.append(f"{place}: Location target {text!r} leads out of the folder; not followed")
            continue
        if not path.is_file():
            catalog.extract.not_read.append(f"{place}: Location target {text!r} names no file")
            continue
        _file(catalog, path, chain)


def _ref(text: Any, kind: str) -> str:
    """'api:default/petstore' and 'petstore' → 'default/petstore' (lower case)."""
    value = str(text).strip().lower()
    if ":" in value:
        value = value.split(":", 1)[1]
    return value if "/" in value else f"default/{value}"


def _key(doc: dict[str, Any]) -> str:
    meta = doc["metadata"]
    return f"{str(meta.get('namespace') or 'default').lower()}/{str(meta['name']).lower()}"


def _connections(catalog: _Catalog) -> Extract:
    extract = catalog.extract
    apis: dict[str, tuple[str, dict[str, Any]]] = {}
    components: list[tuple[str, dict[str, Any]]] = []
    for where, doc in catalog.entities:
        kind = doc["kind"].lower()
        if kind == "api":
            apis[_key(doc)] = (where, doc)
        elif kind == "component":
            components.append((where, doc))
    for key, (where, api) in apis.items():  # every definition is looked at: a $text URL is listed
        catalog.definitions[key] = _definition(
            catalog, _spec(api).get("definition"), str(api["metadata"]["name"]), where
        )
    providers: dict[str, list[dict[str, Any]]] = {}
    for _, doc in components:
        for ref in _refs(doc, "providesApis", catalog):
            providers.setdefault(_ref(ref, "api"), []).append(doc)
    for where, doc in components:
        for ref in _refs(doc, "consumesApis", catalog):
            key = _ref(ref, "api")
            if key not in apis:
                name = doc["metadata"]["name"]
                extract.not_read.append(
                    f"{where}: Component {name!r} consumes {ref!r}, which names no API of the catalog"
                )
                continue
            api_where, api = apis[key]
            found: list[dict[str, Any] | None] = [*providers.get(key, [])] or [None]
            for provider in found:
                extract.links.append(_link(catalog, doc, api, provider, api_where))
    return extract


def _refs(doc: dict[str, Any], key: str, catalog: _Catalog) -> list[str]:
    """A Component's API references; anything but a list of names is listed as not read."""
    value = _spec(doc).get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        note = f"Component {doc['metadata']['name']!r}: spec.{key} is not a list of API names; not read"
        if note not in catalog.extract.not_read:
            catalog.extract.not_read.append(note)
        return []
    return value


def _spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec = doc.get("spec")
    return spec if isinstance(spec, dict) else {}


def _title(doc: dict[str, Any]) -> str:
    meta = doc["metadata"]
    return str(meta.get("title") or meta["name"])


def _link(
    catalog: _Catalog, consumer: dict[str, Any], api: dict[str, Any], provider: dict[str, Any] | None, where: str
) -> Link:
    spec = _spec(api)
    api_name = str(api["metadata"]["name"])
    link = Link(
        id=f"{KIND}:{consumer['metadata']['name']}->{api_name}"
        + (f"@{provider['metadata']['name']}" if provider else ""),
        name=f"{_title(consumer)} uses {api['metadata'].get('title') or api_name!s}",
        source=_title(consumer),
        target=_title(provider) if provider else "",
        element=f"Component {consumer['metadata']['name']} consumesApis {api_name}",
        owner=str(_spec(consumer).get("owner") or ""),
        description=str(api["metadata"].get("description") or ""),
    )
    if provider is None:
        link.notes.append(f"target: no Component of the catalog provides the API {api_name!r}")
    kind = str(spec.get("type") or "").lower()
    if kind in API_TYPES:
        link.answer("current_pattern", API_TYPES[kind], f"API {api_name!r} has spec.type {kind}")
    elif kind:
        link.notes.append(f"current_pattern: API {api_name!r} has spec.type {kind!r}, which names no pattern")
    definition = catalog.definitions.get(_key(api), "")
    if kind == "asyncapi" and definition:
        try:
            found = asyncapi.read(definition.encode(), f"{where}: API {api_name} definition")
        except InputError as exc:
            catalog.extract.not_read.append(f"definition of API {api_name!r}: {exc.message}")
        else:
            if any("ordering" in one.answers for one in found.links):
                link.answer("ordering", "per_key", f"Kafka key binding in the AsyncAPI definition of API {api_name!r}")
    return link


def _definition(catalog: _Catalog, value: Any, api: str, where: str) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or "$text" not in value:
        return ""
    target = str(value["$text"])
    if "://" in target:
        note = f"definition of API {api!r}: $text {target!r} is a URL; not read"
        if note not in catalog.extract.not_read:
            catalog.extract.not_read.append(note)
        return ""
    if catalog.upload:
        catalog.extract.not_read.append(
            f"definition of API {api!r}: $text {target!r} not read (an upload has no folder)"
        )
        return ""
    base = Path(where.rpartition(": ")[2]) if ": " in where else Path(".")
    path = (catalog.root / base).parent / target
    path = path.resolve()
    if not path.is_relative_to(catalog.root) or not path.is_file():
        catalog.extract.not_read.append(f"definition of API {api!r}: $text {target!r} is not a file inside the folder")
        return ""
    try:
        return reading.read_text(path, what="API definition", limit=MAX_BYTES)
    except InputError as exc:
        catalog.extract.not_read.append(f"definition of API {api!r}: $text {target!r}: {exc.message}")
        return ""
