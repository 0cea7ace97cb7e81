"""The calibration page's state, apart from its widgets: the profile being built (header, weights
and fit changes, each with its reason), the connections and inventory it is tried on, their
results before and after, and what went wrong. Widgets set it and observe it (traitlets); the
page's HTML is drawn from it, never read back.

The limits are the profile format's (``profile.apply_profile``): weights ≥ 0; a fit value a whole
number within ±1 of the reference and within −2…+2. A change outside them, or an uploaded profile
that breaks them, is refused into ``error`` and the profile stays as it was.

An inventory is read and coded once; each change of the draft re-scores it with the vectorised
kernel (``estate.score.score``, as ``assess_table``), never row by row. Traits are replaced, never
mutated in place, so every change notifies observers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import traitlets as t
import yaml

from patternfit.apps.calibrate.labels import describe_change
from patternfit.apps.common.limits import INVENTORY_BYTES, SMALL_FILE_BYTES, too_large
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.errors import InputError, PatternfitError
from patternfit.estate.compare import Shift, compare_results
from patternfit.estate.encode import Encoded, encode_table
from patternfit.estate.read import Inventory, read_inventory_bytes
from patternfit.estate.score import score
from patternfit.io.yamlio import decode, load, parse
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import Connection, parse_connection
from patternfit.model.examples import examples
from patternfit.model.profile import apply_profile
from patternfit.workshop.file import new_id, parse_workshop

SAMPLES = 500
NO_REASON = "(reason still missing)"
ON_THE_COMMAND_LINE = "use `patternfit estate INVENTORY --profile PROFILE` on the command line"


@dataclass(frozen=True, slots=True)
class FitChange:
    """One fit change of the profile: `pattern`'s fit for `answer` to question `fit` becomes `to`."""

    fit: str
    answer: Any
    pattern: str
    to: int
    reason: str

    @classmethod
    def from_dict(cls, change: Mapping[str, Any]) -> FitChange:
        """From a profile file's fit change (already checked by ``apply_profile``)."""
        return cls(
            str(change["fit"]), change["answer"], str(change["pattern"]), int(change["to"]), str(change["reason"])
        )

    def cell(self) -> tuple[str, str, str]:
        """Which fit cell it changes (a second change of the same cell replaces the first)."""
        return self.fit, str(self.answer), self.pattern

    def as_dict(self) -> dict[str, Any]:
        """The change as the profile file writes it."""
        return {"fit": self.fit, "answer": self.answer, "pattern": self.pattern, "to": self.to, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class EffectRow:
    """One connection's recommendation under the reference model and under the draft, and which
    of the draft's changes alone gives the new one."""

    connection: str
    before: str | None
    after: str | None
    which: tuple[str, ...]
    acceptability_before: float | None
    acceptability_after: float | None

    @property
    def changed(self) -> bool:
        return self.after != self.before


@dataclass(frozen=True, eq=False)
class InventorySubject:
    """An uploaded inventory, read and coded once, with its results under the reference model."""

    name: str
    inventory: Inventory
    encoded: Encoded
    before: pd.DataFrame


@dataclass(frozen=True, eq=False)
class InventoryEffect:
    """The draft's effect over the inventory: its results under the draft, the shift, the time taken."""

    subject: InventorySubject
    after: pd.DataFrame
    shift: Shift
    took: float  # seconds to re-score


class CalibrateState(t.HasTraits):
    """The profile being built, the subjects it is tried on and its effect on them."""

    name = t.Unicode("")
    version = t.Unicode("1.0")
    author = t.Unicode("")
    weights: Any = t.Dict()  # question key → weight (every question)
    reasons: Any = t.Dict()  # question key → why its weight differs from the reference
    fit_changes: Any = t.Tuple()  # FitChange, …
    subjects: Any = t.Dict()  # id → Connection: the examples, then uploaded connections
    effect: Any = t.Tuple()  # EffectRow per subject
    inventory: Any = t.Any(None, allow_none=True)  # InventorySubject | None
    inventory_effect: Any = t.Any(None, allow_none=True)  # InventoryEffect | None
    error = t.Unicode("")

    def __init__(self, model: Model | None = None, *, samples: int = SAMPLES) -> None:
        super().__init__()
        self.model = model or load_model()
        self.samples = samples
        self._before: dict[str, Assessment] = {}
        self.weights = dict(self.model.default_weights())
        self.reasons = {key: "" for key in self.model.keys}
        self.subjects = {
            stem: parse_connection(load(path, what="connection file"), self.model, where=str(path))
            for stem, (_, path) in examples(self.model).items()
        }
        self.refresh()

    # -- the profile -----------------------------------------------------------------------
    def set_weight(self, key: str, value: float, reason: str = "") -> None:
        """Set a question's weight (and its reason, when given)."""
        if key not in self.weights:
            raise InputError("weight", f"{key!r} is not a question of the model", "use a question key")
        reasons = {**self.reasons, key: reason} if reason else self.reasons
        if float(value) == self.weights[key] and reasons == self.reasons:
            return
        self.weights, self.reasons = {**self.weights, key: float(value)}, reasons
        self.refresh()

    def set_reason(self, key: str, reason: str) -> None:
        """Say why a weight differs from the reference (the effect does not depend on it)."""
        self.reasons = {**self.reasons, key: reason}

    def add_fit(self, key: str, answer: Any, pattern: str, to: int, reason: str) -> bool:
        """Add (or replace) a fit change; refused into `error` when outside the allowed range."""
        change = FitChange(key, answer, pattern, int(to), reason.strip())
        try:
            apply_profile(
                {"name": "check", "version": "0", "changes": [{**change.as_dict(), "reason": "check"}]}, self.model
            )
        except PatternfitError as exc:
            self.error = exc.message
            return False
        self.fit_changes = (*(c for c in self.fit_changes if c.cell() != change.cell()), change)
        self.error = ""
        self.refresh()
        return True

    def remove_fit(self, index: int) -> None:
        self.fit_changes = tuple(c for i, c in enumerate(self.fit_changes) if i != index)
        self.refresh()

    def changes(self) -> list[dict[str, Any]]:
        """The profile's changes: weights that differ from the reference, then the fit changes."""
        defaults = self.model.default_weights()
        weights = [
            {"weight": key, "to": round(float(value), 3), "reason": self.reasons.get(key, "").strip()}
            for key, value in self.weights.items()
            if abs(value - defaults[key]) > 1e-9
        ]
        return weights + [c.as_dict() for c in self.fit_changes]

    def profile_dict(self) -> dict[str, Any]:
        return {
            "name": self.name.strip(),
            "version": self.version.strip(),
            "author": self.author.strip(),
            "changes": self.changes(),
        }

    def missing_reasons(self) -> list[str]:
        """The changes still without a reason, in the catalog's words."""
        return [describe_change(c, self.model) for c in self.changes() if not c["reason"]]

    def profile_yaml(self) -> str:
        """The profile as YAML; InputError when it is not complete or not allowed."""
        missing = self.missing_reasons()
        if missing:
            raise InputError(
                "profile", f"no reason given for the {'; the '.join(missing)}", "every change needs a reason"
            )
        profile = self.profile_dict()
        apply_profile(profile, self.model)
        return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=100)

    def profile_filename(self) -> str:
        return f"{new_id(self.name or 'profile')}-{new_id(self.version or '0')}.yaml"

    # -- what is uploaded ------------------------------------------------------------------
    def load_profile_bytes(self, content: bytes, filename: str) -> bool:
        """Take an uploaded profile as the draft; a bad one is refused into `error`."""
        where = Path(filename).name
        try:
            data = _parse_small(content, where, "profile")
            if not isinstance(data, Mapping):
                raise InputError(where, "must be a mapping with name, version and changes", "see profile.py")
            apply_profile(data, self.model)
        except PatternfitError as exc:
            message = exc.message  # name the uploaded file, not "profile"
            self.error = where + message[len("profile") :] if message.startswith("profile:") else message
            return False
        weights, reasons = dict(self.model.default_weights()), {key: "" for key in self.model.keys}
        fits = []
        for change in data.get("changes") or []:
            if "weight" in change:
                weights[change["weight"]], reasons[change["weight"]] = float(change["to"]), str(change["reason"])
            else:
                fits.append(FitChange.from_dict(change))
        with self.hold_trait_notifications():
            self.name, self.version = str(data["name"]), str(data["version"])
            self.author = str(data.get("author") or "")
            self.weights, self.reasons, self.fit_changes = weights, reasons, tuple(fits)
            self.error = ""
        self.refresh()
        return True

    def load_subjects_bytes(self, content: bytes, filename: str) -> bool:
        """Add an uploaded connection file or workshop file to the connections tried."""
        where = Path(filename).name
        try:
            data = _parse_small(content, where, "connection or workshop file")
            if isinstance(data, Mapping) and ("entries" in data or "workshop" in data):
                found = [e.connection for e in parse_workshop(data, self.model, where=where).entries]
            else:
                found = [parse_connection(data, self.model, where=where)]
        except PatternfitError as exc:
            self.error = exc.message
            return False
        subjects = dict(self.subjects)
        for connection in found:
            subjects[new_id(connection.name, list(subjects))] = connection
        self.subjects, self.error = subjects, ""
        self.refresh()
        return True

    def load_inventory_bytes(self, content: bytes, filename: str) -> bool:
        """Use an uploaded inventory (CSV/XLSX): read and score it once with the reference model;
        a file that cannot be read at all is refused into `error`, unreadable cells are listed."""
        where = Path(filename).name or "inventory"
        try:
            if len(content) > INVENTORY_BYTES:
                raise InputError(where, too_large(len(content), INVENTORY_BYTES), ON_THE_COMMAND_LINE)
            inventory = read_inventory_bytes(bytes(content), where, model=self.model)
            encoded = encode_table(inventory.table, self.model, where=where, extra_problems=inventory.problems)
            before = score(encoded, self.model.weights.copy(), self.model)
        except PatternfitError as exc:
            self.error = exc.message
            return False
        self.inventory, self.error = InventorySubject(where, inventory, encoded, before), ""
        self.refresh()
        return True

    def load_example_inventory(self) -> bool:
        """Use the example inventory of data/examples/ (51 connections, 3 with unreadable cells)."""
        path = self.model.directory / "examples" / "inventory.csv"
        return self.load_inventory_bytes(path.read_bytes(), path.name)

    # -- the effect ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the draft's effect on the connections and the inventory."""
        draft = {**self.profile_dict(), "name": self.name.strip() or "draft", "version": self.version.strip() or "0"}
        draft["changes"] = [{**c, "reason": c["reason"] or NO_REASON} for c in draft["changes"]]
        try:
            changed, _info = apply_profile(draft, self.model)
        except PatternfitError as exc:
            self.error = exc.message
            return
        self.effect = tuple(self._effect(key, c, changed, draft["changes"]) for key, c in self.subjects.items())
        self.inventory_effect = self._inventory_effect(changed)

    def _effect(self, key: str, c: Connection, changed: Model, changes: list[dict[str, Any]]) -> EffectRow:
        if key not in self._before:
            self._before[key] = assess_connection(c, samples=self.samples, seed=0, model=self.model)
        before = self._before[key]
        after = assess_connection(c, samples=self.samples, seed=0, model=changed) if changes else before
        which: list[str] = []
        if after.recommended != before.recommended:
            for change in changes:
                alone, _ = apply_profile({"name": "one", "version": "0", "changes": [change]}, self.model)
                if assess_connection(c, samples=0, model=alone).recommended == after.recommended:
                    which.append(describe_change(change, self.model))
            which = which or ["the changes together"]
        return EffectRow(
            connection=c.name,
            before=before.recommended,
            after=after.recommended,
            which=tuple(which),
            acceptability_before=before.acceptability.get(before.recommended or ""),
            acceptability_after=after.acceptability.get(after.recommended or ""),
        )

    def _inventory_effect(self, changed: Model) -> InventoryEffect | None:
        subject: InventorySubject | None = self.inventory
        if subject is None:
            return None
        started = time.perf_counter()
        after = score(subject.encoded, changed.weights.copy(), changed)
        shift = compare_results(subject.before, after)
        return InventoryEffect(subject, after, shift, time.perf_counter() - started)


def _parse_small(content: bytes, where: str, what: str) -> Any:
    """A small uploaded YAML/JSON file parsed (at most `SMALL_FILE_BYTES`, as every page takes it)."""
    if len(content) > SMALL_FILE_BYTES:
        raise InputError(where, too_large(len(content), SMALL_FILE_BYTES), f"a {what} is far smaller")
    return parse(decode(bytes(content), where, what=what), where)
