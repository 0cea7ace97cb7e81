"""Inventory cells → the kernel's level codes, column by column, with every bad cell reported.

Validation is vectorised per column: the column is factorised, each *distinct* value goes
through `Scale.coerce(value, lenient=True)` once (so `TRUE`, ` yes `, `"3"` and `Result_Now`
are read as meant), and the per-row codes come out of one `np.take`. A million rows cost a
few distinct values per column, not a million Python calls.

Strict about meaning: a cell that is not blank and cannot be read is never guessed. It is
reported (row, column, value, problem, what is allowed), its row is marked bad, and bad rows
get no results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from patternfit.errors import InputError
from patternfit.estate.columns import Layout, layout
from patternfit.model.catalog import Model
from patternfit.model.conditions import Frame
from patternfit.model.scales import UNANSWERED, Scale

PROBLEM_COLUMNS = ("row", "column", "value", "problem", "allowed")
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Encoded:
    """A table as kernel input: a Frame of codes, which rows are bad, and why."""

    frame: Frame
    layout: Layout
    index: pd.Index
    bad: Bools
    problems: pd.DataFrame  # PROBLEM_COLUMNS, one row per unreadable cell, in table order

    @property
    def rows(self) -> int:
        return self.frame.rows


@dataclass(frozen=True, slots=True)
class Column:
    """One encoded column: level codes, numbers (integer scales), and the bad cells."""

    codes: npt.NDArray[np.int16]
    numbers: npt.NDArray[np.float64] | None
    bad_rows: npt.NDArray[np.intp]
    bad_values: list[Any]
    bad_problems: list[str]


def encode_table(
    table: pd.DataFrame, model: Model, *, where: str = "inventory", extra_problems: pd.DataFrame | None = None
) -> Encoded:
    """Validate and code every answer column of `table` (one row per connection)."""
    plan = layout(list(table.columns), model, where=where)
    n = len(table)
    frame = Frame(n)
    bad = np.zeros(n, bool)
    parts: list[pd.DataFrame] = []
    for column, name in plan.answers.items():
        scale = model.scales[name]
        encoded = encode_column(table[column], scale)
        frame.codes[name] = encoded.codes
        if encoded.numbers is not None:
            frame.numbers[name] = encoded.numbers
        if len(encoded.bad_rows):
            bad[encoded.bad_rows] = True
            parts.append(_problems(table.index, encoded, str(column), scale))
    id_column = plan.identity.get("id")
    if id_column is not None:
        ids = table[id_column]
        blank = _blank(ids)
        if blank.any():
            rows = np.flatnonzero(blank)
            rows = rows[~_all_blank(table.iloc[rows])]
            bad[rows] = True
            parts.append(
                _frame(
                    table.index[rows],
                    "id",
                    [""] * len(rows),
                    "the id is blank",
                    "any text that names the connection once",
                )
            )
    if extra_problems is not None and len(extra_problems):
        positions = table.index.get_indexer(extra_problems["row"])
        bad[positions[positions >= 0]] = True
        parts.append(extra_problems)
    problems = _sorted(parts, table.index)
    return Encoded(frame, plan, table.index, bad, problems)


def encode_column(values: pd.Series, scale: Scale) -> Column:
    """Code one column: distinct values through `Scale.coerce` once, then `np.take`."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        positions = values.cat.codes.to_numpy()
        distinct = values.cat.categories.tolist()
    else:
        if values.dtype == object:
            values = values.astype("str")  # one text form per cell: True and 1 must not merge
        positions, uniques = pd.factorize(values, use_na_sentinel=True)
        distinct = uniques.tolist()
    levels = np.full(len(distinct) + 1, UNANSWERED, np.int16)  # last slot: blank (NaN, code -1)
    numbers = np.full(len(distinct) + 1, np.nan) if scale.type == "integer" else None
    failed: dict[int, str] = {}
    for u, raw in enumerate(distinct):
        if _is_blank(raw):
            continue
        try:
            value = scale.coerce(raw, lenient=True)
        except ValueError as exc:
            failed[u] = _problem_text(str(exc), raw, scale)
            continue
        levels[u] = scale.level_of(value)
        if numbers is not None:
            numbers[u] = float(value)
    codes = np.take(levels, positions)  # -1 (blank) picks the last slot, which stays unanswered
    bad_rows = np.zeros(0, np.intp)
    bad_values: list[Any] = []
    bad_problems: list[str] = []
    if failed:
        which = np.fromiter(failed, np.intp)
        mask = np.zeros(len(distinct) + 1, bool)
        mask[which] = True
        bad_rows = np.flatnonzero(np.take(mask, positions))
        cell = positions[bad_rows]
        bad_values = [distinct[u] for u in cell.tolist()]
        bad_problems = [failed[u] for u in cell.tolist()]
    return Column(codes, None if numbers is None else np.take(numbers, positions), bad_rows, bad_values, bad_problems)


def check_unique_ids(ids: pd.Series, blank: Bools, where: str) -> None:
    """InputError naming the first repeated id and both of its rows."""
    stripped = ids.astype("str").str.strip()
    repeated = stripped.duplicated(keep=False) & ~blank
    if not repeated.any():
        return
    first = stripped[repeated].iloc[0]
    rows = [str(r) for r in ids.index[(stripped == first).to_numpy(bool)][:2].tolist()]
    raise InputError(
        f"{where}: rows {rows[0]} and {rows[1]}",
        f"the id {first!r} appears more than once",
        "give each connection its own id",
    )


def _problem_text(message: str, raw: Any, scale: Scale) -> str:
    if isinstance(raw, float) and not math.isfinite(raw):
        return f"{raw!r} is not a value"
    return message


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _blank(values: pd.Series) -> Bools:
    if values.dtype.kind in "biuf":
        return np.asarray(values.isna(), dtype=bool)
    text = values.astype("str")
    return np.asarray(text.isna() | (text.str.strip() == ""), dtype=bool)


def _all_blank(table: pd.DataFrame) -> Bools:
    """Rows with nothing in any cell (they are skipped, not reported)."""
    result = np.ones(len(table), bool)
    for column in table.columns:
        result &= _blank(table[column])
        if not result.any():
            break
    return result


def _problems(index: pd.Index, column: Column, name: str, scale: Scale) -> pd.DataFrame:
    values = ["" if v is None else str(v) for v in column.bad_values]
    return _frame(index[column.bad_rows], name, values, column.bad_problems, scale.describe())


def _frame(rows: pd.Index, column: str, values: list[str], problem: str | list[str], allowed: str) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame(
        {
            "row": rows.to_numpy(),
            "column": [column] * n,
            "value": values,
            "problem": problem if isinstance(problem, list) else [problem] * n,
            "allowed": [allowed] * n,
        }
    )


def _sorted(parts: list[pd.DataFrame], index: pd.Index) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})
    problems = pd.concat(parts, ignore_index=True)
    order = index.get_indexer(problems["row"])
    problems["_order"] = order
    problems = problems.sort_values("_order", kind="stable").drop(columns="_order")
    return problems.reset_index(drop=True)


def row_errors(encoded: Encoded) -> pd.Categorical:
    """One text per row: '' for good rows, else every problem of the row joined by '; '."""
    codes = np.zeros(encoded.rows, np.int64)
    categories = [""]
    problems = encoded.problems
    if len(problems):
        problem = problems["problem"].astype(str)
        allowed = problems["allowed"].astype(str)
        hint = np.where(problem.str.contains("allowed", regex=False) | (allowed == ""), "", "; allowed: " + allowed)
        text = problems["column"].astype(str) + ": " + problem + hint
        positions = encoded.index.get_indexer(problems["row"])
        joined = text.groupby(positions, sort=False).agg("; ".join)
        which, distinct = pd.factorize(joined.to_numpy(object))
        codes[joined.index.to_numpy()] = which + 1
        categories += [str(t) for t in distinct if t != ""]
    return pd.Categorical.from_codes(codes, categories=categories)


def skipped_rows(table: pd.DataFrame) -> Bools:
    """Rows with every cell blank: not connections, left out of the results."""
    return _all_blank(table)


__all__ = ["PROBLEM_COLUMNS", "Column", "Encoded", "encode_column", "encode_table", "row_errors", "skipped_rows"]
