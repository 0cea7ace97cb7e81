"""Estate review: assess a whole integration inventory and find the connections that fight
their own nature.

    review = patternfit.estate.review("inventory.csv")
    review.findings.mismatches      # rows whose current pattern is knocked out or fits poorly
    review.write("report.xlsx")

The parts, bottom up: `estate_columns` (which header is which field), `estate_read` (CSV/XLSX
→ text cells by spreadsheet row), `estate_encode` (cells → level codes, every bad cell
reported), `estate_score` (`assess_table`: the kernel over the table), `estate_findings`
(mismatches, pitfalls, pattern mix, workshop candidates), `estate_report` (CSV/XLSX out) and
`estate_template` (the blank inventory generated from the catalog).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from patternfit.engine.weights import Weights
from patternfit.errors import InputError
from patternfit.estate.encode import PROBLEM_COLUMNS, Encoded, encode_table
from patternfit.estate.findings import Findings, find
from patternfit.estate.importers import read_source
from patternfit.estate.read import Inventory, read_inventory, read_inventory_bytes
from patternfit.estate.report import model_basis, profile_label, report_bytes, report_frame, write_report
from patternfit.estate.score import Progress, assess_table, prepare, score
from patternfit.estate.technology import read_technologies
from patternfit.estate.template import write_template
from patternfit.model.catalog import PROPOSABLE, Model, load_model
from patternfit.model.connection import Connection
from patternfit.model.profile import Profile, apply_profile, load_profile, profile_technologies
from patternfit.model.technologies import Technologies


@dataclass(frozen=True)
class EstateReview:
    """An assessed inventory: what was read, the results, the findings, every bad cell."""

    inventory: Inventory
    encoded: Encoded
    results: pd.DataFrame
    findings: Findings
    model: Model
    weights: npt.NDArray[np.float64]
    profile: Mapping[str, Any] | None = None  # the profile's identity (`apply_profile`'s info)
    custom_weights: bool = False
    technologies: Technologies | None = None  # the catalogue (with the profile's entries and standards)
    technology: pd.DataFrame | None = None  # per row: the matched technology's name, pattern, flavour

    @property
    def basis(self) -> str:
        """What the rows were assessed with: 'reference model V' or 'profile N, version V (…)'."""
        return model_basis(self.model.version, self.profile, custom_weights=self.custom_weights)

    @property
    def problems(self) -> pd.DataFrame:
        """Every unreadable cell: row (as in the spreadsheet), column, value, problem, allowed."""
        return self.encoded.problems

    @property
    def error_rows(self) -> int:
        return int(self.encoded.bad.sum())

    @property
    def assessed(self) -> int:
        """Readable rows, each assessed: recommended a pattern, undecided, or no pattern fits."""
        return int((~self.encoded.bad).sum())

    def write(self, out: str | Path, *, progress: Progress | None = None) -> Path:
        """Write the report (REPORT.csv or REPORT.xlsx), atomically."""
        return write_report(self, out, progress=progress)

    def report(self) -> pd.DataFrame:
        return report_frame(self)

    def position(self, connection_id: str) -> int:
        """The position of the row with this id; InputError when there is none."""
        ids = self.inventory.table["id"].astype(str).str.strip().to_numpy(object)
        hits = np.flatnonzero(ids == connection_id.strip())
        if not len(hits):
            raise InputError(
                f"{self.inventory.source}: id {connection_id!r}",
                "no row has this id",
                "check --rows against the id column",
            )
        return int(hits[0])

    def connection(self, connection_id: str) -> Connection:
        """The connection of one readable row, as `assess` takes it."""
        position = self.position(connection_id)
        row = int(self.inventory.table.index[position])
        if self.encoded.bad[position]:
            raise InputError(
                f"{self.inventory.source}: row {row}",
                f"the row of {connection_id!r} has unreadable cells: {self.results['error'].iloc[position]}",
                "fix the row first",
            )
        return connection_at(self.encoded, position, self.inventory.table, self.model)


def review(
    source: str | Path | Inventory | pd.DataFrame,
    *,
    weights: Weights | Mapping[str, Any] | str | Path | None = None,
    profile: Profile | Mapping[str, Any] | str | Path | None = None,
    samples: int = 0,
    seed: int = 0,
    gap: float | None = None,
    model: Model | None = None,
    progress: Progress | None = None,
    technologies: Technologies | None = None,
    kind: str | None = None,
    columns: Mapping[str, Any] | str | Path | None = None,
) -> EstateReview:
    """Read (a path, through `importers.read_source`), validate, assess and find — the whole review.

    Technologies named in `current_pattern` or `technology` are read through the technology
    catalogue (`technologies`, default: the reference one with the profile's entries and
    standards). `gap` None takes the model's policy (`estate.mismatch_gap`). `profile` and `weights`
    are the `Profile` and `Weights` read at the edge (a path or a mapping is read here, once)."""
    model = model or load_model()
    read = None if profile is None else load_profile(profile)  # a path is read here, once
    info: dict[str, Any] | None = None
    if technologies is None:
        technologies = profile_technologies(read)
    if read is not None:
        model, info = apply_profile(read, model)
    model, w = prepare(model, weights, None)
    if isinstance(source, Inventory):
        inventory = source
    elif isinstance(source, pd.DataFrame):
        inventory = Inventory(source, "table", "frame")
    else:
        if progress is not None:
            progress(0.0, "reading")
        inventory = read_source(source, kind=kind, columns=columns, model=model, technologies=technologies)
    if progress is not None:
        progress(0.0, "checking")
    table, technology = read_technologies(inventory.table, model, technologies)
    if table is not inventory.table:
        inventory = dataclasses.replace(inventory, table=table)
    encoded = encode_table(inventory.table, model, where=inventory.source, extra_problems=inventory.problems)
    results = score(encoded, w, model, samples=samples, seed=seed, progress=progress)
    findings = find(
        inventory.table, encoded, results, w, model, gap=gap, technology=technology, technologies=technologies
    )
    return EstateReview(
        inventory, encoded, results, findings, model, w, info, weights is not None, technologies, technology
    )


def connection_at(encoded: Encoded, position: int, table: pd.DataFrame, model: Model) -> Connection:
    """Rebuild the connection of one row from its codes (canonical values only)."""
    frame = encoded.frame
    sections: dict[str, dict[str, Any]] = {"characteristics": {}, "sub": {}, "stated": {}, "proposed": {}}
    for name, codes in frame.codes.items():
        level = int(codes[position])
        if level < 0 or name in ("recommended", "pattern", "flavour", "coordination"):
            continue
        if name == "proposed.pattern":
            sections["proposed"]["pattern"] = PROPOSABLE[level]
            continue
        scale = model.scales[name]
        value = int(frame.numbers[name][position]) if scale.type == "integer" else scale.values[level]
        section, _, key = name.rpartition(".")
        sections[section or "characteristics"][key] = value
    text = {c: str(table[c].iloc[position]) for c in ("id", "name", "source", "target", "owner") if c in table.columns}
    name = text.get("name") or text.get("id") or "Inventory row"
    where = f"inventory row {table.index[position]}" + (f", owner {text['owner']}" if text.get("owner") else "")
    return Connection(
        name=name,
        description=f"{text.get('id', '')} — {where}".strip(" —"),
        source=text.get("source", ""),
        target=text.get("target", ""),
        characteristics=sections["characteristics"],
        sub=sections["sub"],
        stated=sections["stated"],
        proposed=sections["proposed"],
    )


def __getattr__(name: str) -> Any:
    """`MISMATCH_GAP` and `MANY_UNANSWERED`, kept for old imports: the default model's policy, read
    when asked for (never at import). A review uses its own model's policy."""
    if name in ("MISMATCH_GAP", "MANY_UNANSWERED"):
        from patternfit.model.catalog import load_policy

        policy = load_policy()
        return policy.mismatch_gap if name == "MISMATCH_GAP" else policy.many_unanswered
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "PROBLEM_COLUMNS",
    "EstateReview",
    "Findings",
    "Inventory",
    "assess_table",
    "connection_at",
    "model_basis",
    "profile_label",
    "read_inventory",
    "read_inventory_bytes",
    "report_bytes",
    "review",
    "write_report",
    "write_template",
]
