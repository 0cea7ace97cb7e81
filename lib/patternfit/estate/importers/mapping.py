"""Any spreadsheet (an EA tool's interface export) read through a column mapping.

```yaml
columns: {Interface Name: name, Provider Application: source, Consumer Application: target,
          Technology: technology, Frequency: latency_budget, Owner Team: owner}
values: {latency_budget: {Real-time: seconds, Daily: days}}
```

`columns` maps the spreadsheet's headers (matched ignoring case, spaces and hyphens) onto our
columns: the identity columns, `current_pattern`, any answer column, `technology` or
`description`. `values` maps a column's own wording onto the catalog's values (matched ignoring
case and spaces; a cell not listed is read as it is). A mapping that names an unknown column or
value is refused with one InputError naming the entry. Without an `id` column the rows are
numbered (`row 2`, … as in the spreadsheet).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.estate.columns import CURRENT, DESCRIPTIVE, IDENTITY, answer_fields, field_of, normalise_header
from patternfit.estate.read import ColumnMap, Inventory, read_inventory_bytes
from patternfit.io import yamlio
from patternfit.model.catalog import Model
from patternfit.model.scales import Scale

TOP_KEYS = ("columns", "values")
TARGETS = (*IDENTITY, "technology", "description")


def load_mapping(source: Mapping[str, Any] | str | Path, model: Model) -> ColumnMap:
    """The mapping from a YAML file or a mapping, every column and value checked."""
    where = "column mapping"
    if isinstance(source, (str, Path)):
        where = str(source)
        source = yamlio.load(source, what="column mapping")
    if not isinstance(source, Mapping):
        raise InputError(where, "must be a mapping with `columns:` (and `values:`)", "see data/inventory/README.md")
    for key in source:
        if key not in TOP_KEYS:
            raise InputError(f"{where}: {key}", f"unknown key{did_you_mean(key, TOP_KEYS)}", allowed_text(TOP_KEYS))
    fields = answer_fields(model)
    columns = _columns(source.get("columns"), where, (*TARGETS, *fields))
    values = _values(source.get("values") or {}, where, fields, model)
    unused = [c for c in values if c not in columns.values() and c not in columns]
    if unused:
        raise InputError(
            f"{where}: values.{unused[0]}",
            "names a column that no header is mapped to",
            "map a header to it under columns",
        )
    return ColumnMap(where, columns, values)


def _columns(raw_columns: Any, where: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """`columns:`: spreadsheet header → our column, each column named once."""
    if not isinstance(raw_columns, Mapping) or not raw_columns:
        raise InputError(
            f"{where}: columns", "must map spreadsheet headers to our columns", "e.g. {Interface Name: name}"
        )
    columns: dict[str, str] = {}
    for header, target in raw_columns.items():
        name = normalise_header(target)
        if name not in allowed:
            raise InputError(
                f"{where}: columns.{header}",
                f"{target!r} is not one of our columns{did_you_mean(name, allowed)}",
                allowed_text(allowed),
            )
        if name in columns.values():
            raise InputError(
                f"{where}: columns.{header}", f"a second header mapped to {name!r}", "map one header to it"
            )
        columns[normalise_header(header)] = name
    return columns


def _values(raw_values: Any, where: str, fields: Mapping[str, Scale], model: Model) -> dict[str, dict[str, str]]:
    """`values:`: per answer column, the spreadsheet's text → our value (checked on its scale)."""
    if not isinstance(raw_values, Mapping):
        raise InputError(
            f"{where}: values", "must map a column to {its text: our value}", "e.g. {latency_budget: {Daily: days}}"
        )
    values: dict[str, dict[str, str]] = {}
    for column, table in raw_values.items():
        name = normalise_header(column)
        if name not in fields:
            raise InputError(
                f"{where}: values.{column}",
                f"{column!r} is not an answer column{did_you_mean(name, fields)}",
                allowed_text(fields),
            )
        if not isinstance(table, Mapping):
            raise InputError(
                f"{where}: values.{column}", "must map the spreadsheet's text to our value", "e.g. {Daily: days}"
            )
        scale = model.scales[field_of(name)]
        values[name] = {}
        for text, value in table.items():
            try:
                canonical = scale.coerce(value)
            except ValueError as exc:
                raise InputError(f"{where}: values.{column}.{text}", str(exc), scale.describe()) from None
            values[name][_cell_key(text)] = _text(canonical)
    return values


def apply_mapping(data: bytes, where: str, mapping: ColumnMap, model: Model) -> Inventory:
    """A spreadsheet's bytes read through the mapping."""
    return read_inventory_bytes(data, where, model=model, mapping=mapping)


def _cell_key(text: Any) -> str:
    return " ".join(str(text).split()).lower()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = ["CURRENT", "DESCRIPTIVE", "apply_mapping", "load_mapping"]
