"""The calibration page's fragments, drawn from its state with the templates of
``apps/templates/calibrate/`` (autoescape on): the before/after table, the fit changes, the
draft's effect over an inventory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from patternfit.apps.calibrate.labels import describe_change
from patternfit.apps.calibrate.state import EffectRow, FitChange, InventoryEffect
from patternfit.apps.common.templates import render
from patternfit.estate.compare import UNDECIDED
from patternfit.model.catalog import Model

CHANGED_SHOWN = 25  # changed connections listed by name
PROBLEMS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ChangedRow:
    """A changed connection of the inventory, as the table shows it."""

    row: Any
    cells: tuple[Any, ...]  # id, name, owner — those the inventory has
    before: str
    after: str
    margin_before: float | None
    margin_after: float | None


def effect_html(rows: Sequence[EffectRow], model: Model) -> str:
    """The before/after table, escaped; changed recommendations highlighted."""

    def label(key: str | None) -> str:
        return model.pattern(key).label if key else "none"

    return render("calibrate/effect.html", rows=list(rows), label=label)


def fits_html(changes: Sequence[FitChange], model: Model) -> str:
    """The fit changes in the catalog's words, each with its reason."""
    return render("calibrate/fits.html", changes=[(describe_change(c.as_dict(), model), c.reason) for c in changes])


def inventory_hint_html() -> str:
    return render("calibrate/inventory_hint.html")


def inventory_html(effect: InventoryEffect, model: Model) -> str:
    """The draft's effect over an inventory: figures, from → to counts, changed connections, bad cells."""

    def label(key: str) -> str:
        if key == UNDECIDED:
            return "undecided (no pattern yet)"
        return model.pattern(key).label if key in model.pattern_keys else "no pattern fits"

    subject, shift = effect.subject, effect.shift
    table = subject.inventory.table
    columns = [c for c in ("id", "name", "owner") if c in table.columns]
    figures = [
        (f"{shift.changed:,} of {shift.assessed:,}", "recommendations change"),
        (f"{_margin(shift.margin_before)} → {_margin(shift.margin_after)}", "median margin (lead of the first)"),
        (
            f"{shift.close_before:,} → {shift.close_after:,}",
            f"close calls (margin below {model.robustness.low_margin:g})",
        ),
    ]
    moves = [(label(str(r["from"])), label(str(r["to"])), int(r["connections"])) for _, r in shift.moves.iterrows()]
    problems = subject.encoded.problems
    return render(
        "calibrate/inventory.html",
        name=subject.name,
        rows=subject.inventory.rows,
        bad=int(subject.encoded.bad.sum()),
        took=effect.took,
        shift=shift,
        figures=figures,
        moves=moves,
        columns=columns,
        changed=_changed_rows(effect, columns, label),
        problems=list(problems.head(PROBLEMS_SHOWN).itertuples(index=False)),
        more_problems=max(0, len(problems) - PROBLEMS_SHOWN),
    )


def _changed_rows(effect: InventoryEffect, columns: list[str], label: Callable[[str], str]) -> list[ChangedRow]:
    table, before, after = effect.subject.inventory.table, effect.subject.before, effect.after
    return [
        ChangedRow(
            row=table.index[i],
            cells=tuple(table[c].iloc[i] for c in columns),
            before=label(_outcome(before, i)),
            after=label(_outcome(after, i)),
            margin_before=_float(before["margin"].iloc[i]),
            margin_after=_float(after["margin"].iloc[i]),
        )
        for i in effect.shift.rows[:CHANGED_SHOWN]
    ]


def _outcome(results: pd.DataFrame, i: int) -> str:
    """Row `i`'s recommended pattern, "undecided" (a tie) or "" (no pattern fits), as the moves name it."""
    if "undecided" in results.columns and bool(results["undecided"].iloc[i]):
        return UNDECIDED
    value = results["recommended"].iloc[i]
    return str(value) if isinstance(value, str) else ""


def _margin(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _float(value: Any) -> float | None:
    number = float(value)
    return None if number != number else number
