"""How a change of model (a draft profile) moves an inventory's results: two `assess_table`
results of the same rows compared, column-wise, without a loop over rows.

    shift = compare_results(before, after)
    shift.changed, shift.moves          # 3 recommendations change: events → workflow 2, …
    shift.margin_before, shift.margin_after, shift.close_before, shift.close_after

Only readable rows count (their `error` is ''); a readable row on which every pattern is
knocked out has the recommendation "none", an undecided one (engine/undecided.py) "undecided".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

NONE = "none"
UNDECIDED = "undecided"


@dataclass(frozen=True)
class Shift:
    """The effect of a model change over an inventory: recommendations moved, robustness moved."""

    assessed: int  # readable rows
    changed: int  # readable rows whose recommendation differs
    moves: pd.DataFrame  # from, to, connections — one row per (from, to) pair that occurs, most first
    rows: npt.NDArray[np.intp]  # positions of the changed rows, in input order
    margin_before: float | None  # median margin of the readable rows that have one
    margin_after: float | None
    close_before: int  # close calls: margin below the model's low_margin (`low_confidence`)
    close_after: int


def compare_results(before: pd.DataFrame, after: pd.DataFrame) -> Shift:
    """Compare two `assess_table` results of the same rows (before and after a model change)."""
    if len(before) != len(after):
        raise ValueError(f"the results differ in length ({len(before)} and {len(after)} rows)")
    good = (before["error"].astype(str) == "").to_numpy(bool)
    names = [*map(str, before["recommended"].cat.categories), NONE, UNDECIDED]
    if list(map(str, after["recommended"].cat.categories)) != names[:-2]:
        raise ValueError("the results name different patterns")
    start = _codes(before, len(names) - 2)
    end = _codes(after, len(names) - 2)
    moved = good & (start != end)
    pairs = np.bincount(start[moved] * len(names) + end[moved], minlength=len(names) ** 2)
    found = np.flatnonzero(pairs)
    order = found[np.argsort(-pairs[found], kind="stable")]
    moves = pd.DataFrame(
        {
            "from": [names[k // len(names)] for k in order],
            "to": [names[k % len(names)] for k in order],
            "connections": pairs[order].astype(int),
        }
    )
    return Shift(
        assessed=int(good.sum()),
        changed=int(moved.sum()),
        moves=moves,
        rows=np.flatnonzero(moved),
        margin_before=_median(before["margin"].to_numpy(float)[good]),
        margin_after=_median(after["margin"].to_numpy(float)[good]),
        close_before=int((before["low_confidence"].to_numpy(bool) & good).sum()),
        close_after=int((after["low_confidence"].to_numpy(bool) & good).sum()),
    )


def _codes(results: pd.DataFrame, none: int) -> npt.NDArray[np.int64]:
    """Pattern codes, with `none` where no pattern fits and `none + 1` where undecided."""
    codes = np.asarray(results["recommended"].cat.codes, np.int64)
    undecided = results["undecided"].to_numpy(bool) if "undecided" in results.columns else np.zeros(len(codes), bool)
    return np.where(undecided, none + 1, np.where(codes < 0, none, codes))


def _median(values: npt.NDArray[np.float64]) -> float | None:
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else None
