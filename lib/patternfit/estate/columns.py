"""The columns of an inventory: which header means which catalog field, decided once per table.

An inventory has identity columns (`id`, `name`, `source`, `target`, `owner`), an optional
`current_pattern`, and answer columns named by catalog keys (`latency_budget`, …). Optional
extra answer columns use the connection file's prefixes: `sub.branching`, `stated.latency_budget`,
`proposed.dlq` (design facts of the current design).

Headers are matched after trimming, lower-casing and turning spaces and hyphens into
underscores (`" Latency Budget"` → `latency_budget`).

Unknown columns — the policy: a header that is a near miss of an answer column
(`latency_budjet`, similarity ≥ 0.8) is refused with one InputError naming the column and the
likely key, because its answers would otherwise be silently lost. Any other unknown column
(`notes`, `last_reviewed`) is kept: it is copied unchanged into the report and named in a warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.model.scales import Scale

IDENTITY = ("id", "name", "source", "target", "owner")
TECHNOLOGY = "technology"
# Known columns that are not answers: copied to the report without a warning. `technology` is
# read through the technology catalogue (estate.technology); the others come from importers.
DESCRIPTIVE = (TECHNOLOGY, "description", "provenance", "to_ask", "element")
CURRENT = "current_pattern"
CURRENT_FIELD = "proposed.pattern"  # the kernel's name for the pattern in use
NEAR_MISS = 0.8  # header similarity at which an unknown column is taken for a misspelt key


@dataclass(frozen=True, slots=True)
class Layout:
    """How the columns of one table map onto the catalog."""

    answers: Mapping[Hashable, str]  # table column → kernel field (catalog key, proposed.pattern, sub.…)
    identity: Mapping[str, Hashable]  # identity name → table column
    extra: tuple[Hashable, ...]  # unknown columns, passed through to the report
    warnings: tuple[str, ...]

    def column(self, field: str) -> Hashable | None:
        """The table column holding a kernel field, if the table has one."""
        for column, name in self.answers.items():
            if name == field:
                return column
        return None


def normalise_header(header: object) -> str:
    """`" Latency-Budget "` → `latency_budget`; a BOM or non-breaking space is dropped."""
    text = str(header).replace("\ufeff", "").replace("\xa0", " ").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def answer_fields(model: Model) -> dict[str, Scale]:
    """Every answer column an inventory may have (header → scale), catalog order first."""
    fields: dict[str, Scale] = {key: model.scales[key] for key in model.keys}
    fields[CURRENT] = model.scales[CURRENT_FIELD]
    for question in model.sub_inputs:
        fields[f"sub.{question.key}"] = question.scale
    for key in model.keys:
        fields[f"stated.{key}"] = model.scales[key]
    for question in model.design_facts:
        fields[f"proposed.{question.key}"] = question.scale
    return fields


def field_of(header: str) -> str:
    """The kernel field an answer header fills (`current_pattern` → `proposed.pattern`)."""
    return CURRENT_FIELD if header == CURRENT else header


def layout(columns: Sequence[Hashable], model: Model, *, where: str = "inventory", require_id: bool = False) -> Layout:
    """Map a table's columns onto the catalog; InputError for a duplicate or misspelt column."""
    fields = answer_fields(model)
    known = {**dict.fromkeys(IDENTITY), **dict.fromkeys(DESCRIPTIVE), **dict.fromkeys(fields)}
    seen: dict[str, Hashable] = {}
    answers: dict[Hashable, str] = {}
    identity: dict[str, Hashable] = {}
    extra: list[Hashable] = []
    loose: list[str] = []
    for position, column in enumerate(columns, start=1):
        name = normalise_header(column)
        if not name:
            continue
        if name in seen:
            raise InputError(
                f"{where}: column {position}",
                f"{column!r} repeats the column {seen[name]!r}",
                "keep one column per question and delete or rename the other",
            )
        seen[name] = column
        if name in IDENTITY:
            identity[name] = column
        elif name in DESCRIPTIVE:
            extra.append(column)
        elif name in fields:
            answers[column] = field_of(name)
        else:
            close = difflib.get_close_matches(name, list(fields), n=1, cutoff=NEAR_MISS)
            if close:
                raise InputError(
                    f"{where}: column {position}",
                    f"unknown column {str(column)!r} (did you mean {close[0]!r}?)",
                    f"rename it to {close[0]!r}; its answers would otherwise be ignored",
                )
            extra.append(column)
            hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            loose.append(f"{column!r}" + (f" (did you mean {hint[0]!r}?)" if hint else ""))
    if require_id and "id" not in identity:
        found = ", ".join(repr(str(c)) for c in list(columns)[:8]) + (" …" if len(columns) > 8 else "")
        raise InputError(
            f"{where}: row 1",
            f"no 'id' column (found {found or 'no columns'})",
            "the first row must be the header: id, name, source, target, owner, current_pattern and the "
            "characteristic columns — see data/inventory/template.csv",
        )
    warnings: tuple[str, ...] = ()
    if loose:
        warnings = (f"columns not in the catalog, copied to the report unchanged: {', '.join(loose)}",)
    return Layout(answers, identity, tuple(extra), warnings)
