"""The estate from where it lives: architecture models and spreadsheets → one `Inventory`.

    from patternfit.estate.importers import read_source
    inventory = read_source("workspace.json", name="workspace.json", model=model)
    inventory.questions[1]     # keys the source left open for row 1, heaviest first
    inventory.not_read         # elements seen but not read, each with why (a $text URL, …)

One small module per format, each with `looks_like(head)` and `read(...) -> Extract`:
`structurizr` (workspace JSON), `backstage` (catalog-info.yaml or a folder), `archimate` (Open
Exchange XML), `asyncapi` (2.x / 3.x) — and `inventory`, the CSV/XLSX template (optionally with
a column mapping, `mapping`). The format is detected from the content; `kind` overrides it.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.estate.columns import answer_fields
from patternfit.estate.importers import archimate, asyncapi, backstage, structurizr
from patternfit.estate.importers.base import Extract, Link, to_inventory
from patternfit.estate.importers.mapping import apply_mapping, load_mapping
from patternfit.estate.read import MAX_BYTES, Inventory, read_inventory_bytes
from patternfit.io.reading import read_bytes
from patternfit.model.catalog import Model, load_model
from patternfit.model.technologies import Technologies, load_technologies

KINDS = ("structurizr", "backstage", "archimate", "asyncapi", "inventory")
MODEL_BYTES = 200_000_000  # an architecture model larger than this is refused
_READERS = {"structurizr": structurizr, "archimate": archimate, "asyncapi": asyncapi, "backstage": backstage}


def detect(data: bytes, name: str) -> str:
    """The format of a file from its first bytes: one of KINDS ('inventory' when none other fits)."""
    head = data[:65536].decode("utf-8-sig", errors="replace")
    wide = _utf16_head(data)
    for kind in ("structurizr", "archimate", "asyncapi", "backstage"):
        if _READERS[kind].looks_like(head):
            return kind
        if wide and _READERS[kind].looks_like(wide):
            raise InputError(name, f"is a {kind} file in UTF-16; it must be UTF-8", "save it again as UTF-8")
    if wide and wide.lstrip()[:1] in ("{", "<"):
        raise InputError(name, "is JSON or XML in UTF-16; it must be UTF-8", "save it again as UTF-8")
    start = head.lstrip()[:1]
    if start == "{":  # JSON whose Structurizr keys are further in: the workspace reader says what is missing
        return "structurizr"
    if start == "<":
        return "archimate"
    return "inventory"


def _utf16_head(data: bytes) -> str:
    """The first characters of UTF-16 text (with or without its byte order mark), else ''."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data[:65536].decode("utf-16", errors="replace")
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > 0.9 * (len(head) // 2):
        return head.decode("utf-16-le", errors="replace")
    if len(head) >= 4 and head[0::2].count(0) > 0.9 * (len(head) // 2):
        return head.decode("utf-16-be", errors="replace")
    return ""


def read_source(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    kind: str | None = None,
    columns: Mapping[str, Any] | str | Path | None = None,
    model: Model | None = None,
    technologies: Technologies | None = None,
) -> Inventory:
    """Read any estate source into an `Inventory` (what `estate.review.review` takes).

    Args:
        source: a path (a file, or a folder of Backstage YAML), or the bytes of an upload.
        name: how messages name the source (default: the path); an upload's file name.
        kind: one of KINDS to skip detection (`--from`); None detects from the content.
        columns: a column mapping (a path to MAPPING.yaml or its mapping, `{columns: {...},
            values: {...}}`) for a spreadsheet whose headers are not ours.
        model: the model (with a profile applied) answers are checked against.
        technologies: the technology catalogue (a profile's, see `model.profile`); default the
            reference one.

    Returns:
        An `Inventory`: `table` (one row per connection: id, name, source, target, owner,
        current_pattern, answers, technology, description, provenance, to_ask, element),
        `questions` (row → catalog keys the source left open, heaviest weight first),
        `not_read` (what was seen but not read, each with why), `warnings`, `problems`.

    Raises:
        InputError: nothing readable — a malformed file, a DOCTYPE or entities, a reference to a
            missing element, a Location cycle, a mapping naming unknown keys or values.
    """
    model = model or load_model()
    technologies = technologies or load_technologies()
    if kind is not None and kind not in KINDS:
        raise InputError("--from", f"unknown format {kind!r}{did_you_mean(kind, KINDS)}", allowed_text(KINDS))
    folder: Path | None = None
    if isinstance(source, bytes):
        data, where = source, name or "upload"
    else:
        path = Path(source)
        where = name or str(path)
        if path.is_dir():
            if kind not in (None, "backstage"):
                raise InputError(where, f"is a folder; a {kind} source is one file", "give the file's path")
            folder, data = path, b""
        else:
            data = _read_file(path, where)
    mapping = None
    if columns is not None:
        mapping = load_mapping(columns, model)
        if kind not in (None, "inventory"):
            raise InputError("--columns", f"a column mapping is for spreadsheets, not {kind}", "leave out --columns")
        kind = "inventory"
    if folder is not None:
        return to_inventory(backstage.read_folder(folder, where), where, "backstage", model, technologies)
    if not data.strip():
        raise InputError(where, "is empty", "give an inventory, a workspace, a catalog, an exchange file or AsyncAPI")
    kind = kind or detect(data, where)
    if kind == "inventory":
        if mapping is not None:
            return apply_mapping(data, where, mapping, model)
        return read_inventory_bytes(data, where, model=model)
    if kind == "backstage" and not isinstance(source, bytes):
        return to_inventory(backstage.read_file(Path(source), where), where, kind, model, technologies)
    reader: Any = _READERS[kind]
    extract: Extract = reader.read(data, where, set(answer_fields(model)))
    return to_inventory(extract, where, kind, model, technologies)


def _read_file(path: Path, where: str) -> bytes:
    """The file's bytes: a regular file only, its size read, not trusted."""
    return read_bytes(path, where=where, what="estate source", limit=max(MAX_BYTES, MODEL_BYTES))


__all__ = ["KINDS", "Extract", "Inventory", "Link", "detect", "read_source"]
