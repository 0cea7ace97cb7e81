"""Do the recorded decisions still hold? The work behind `patternfit check DIR`.

Every patternfit record in a folder (any template: MADR, minimal, Nygard, log4brains, HTML, JSON)
is reopened and re-assessed with what it was decided with (its stored weights and profile, its
robustness samples and seed), or with `profile` when one is given. A finding is a drift — the
decision no longer holds — when:

* `recommendation-changed`: the recommendation now differs from the recorded chosen option and
  from what was recommended then (a team that chose against the recommendation drifts only when
  the recommendation moves somewhere else). The message says why: the model version changed, the
  profile changed, the stored answers were edited (the `inputs_sha256` fingerprint no longer
  matches the inputs: records written before the fingerprint cannot tell), or — none of those —
  the model's rules now judge the same inputs differently.
* `inventory-differs` with a changed recommendation: the inventory answers differently for the
  same connection (matched by the record's `connection_id`, else by source and target) and its
  answers lead to another pattern. Differing answers that keep the recommendation are a note.
* `superseded-still-current`: a record says it supersedes another that is still not marked
  superseded, or two current records decide the same connection.
* `unreadable`: a file carries a patternfit block that cannot be reopened.

A flow record (`kind: flow`, written by `patternfit flow --record`) drifts when its flow,
re-assessed, is coordinated otherwise than chosen and recorded, or a step's recommendation moved
(`recommendation-changed`); the profile and the inventory do not apply to it.

Notes (not drift): `not-a-record` (a foreign file: listed, never rewritten), `answers-edited`
with the recommendation unchanged, `inventory-differs` with the recommendation unchanged,
`not-in-inventory`. The folder is only read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patternfit.engine.assess import Assessment, assess_connection
from patternfit.errors import InputError
from patternfit.io.files import check_path
from patternfit.model.catalog import Model
from patternfit.model.connection import Connection
from patternfit.records.build import inputs_hash
from patternfit.records.load import is_record_file, load_record, reopen_options
from patternfit.records.parse import read_record
from patternfit.records.types import LoadedRecord

CLOSED = ("rejected", "deprecated")
SUFFIXES = (".md", ".json", ".html")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing `check` found about one file."""

    record: str  # the file, as given (folder/name)
    kind: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)
    drift: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "kind": self.kind, "message": self.message, "details": {**self.details}}


@dataclass(frozen=True, slots=True)
class InventoryRow:
    """One inventory connection as `check` compares it: its id, ends and answers (None: unreadable row)."""

    id: str
    source: str
    target: str
    connection: Connection | None
    where: str = ""


@dataclass(frozen=True)
class CheckResult:
    """Every finding, and how many records were checked."""

    findings: tuple[Finding, ...]
    records: int
    files: int

    @property
    def drifted(self) -> bool:
        return any(f.drift for f in self.findings)


def record_files(folder: Path) -> list[Path]:
    """The files of a decisions folder that `check` looks at (sorted; hidden files left out)."""
    folder = check_path(folder, "give the folder that holds the decision records")
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "no such folder"
        raise InputError(str(folder), what, "give the folder that holds the decision records")
    try:
        return sorted(
            p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()
        )
    except OSError as exc:
        raise InputError(str(folder), f"cannot be read ({exc.strerror})", "check its permissions") from None


def check_folder(
    folder: str | Path,
    model: Model,
    *,
    profile: Any = None,
    inventory: Iterable[InventoryRow] | None = None,
) -> CheckResult:
    """Re-assess every record in `folder`; `profile` (a path or mapping) replaces the stored ones."""
    files = record_files(Path(folder))
    rows = list(inventory) if inventory is not None else None
    findings: list[Finding] = []
    loaded: list[tuple[LoadedRecord, str]] = []
    flows = 0
    for path in files:
        name = str(path)
        try:
            parsed = read_record(path)
        except InputError as exc:
            findings.append(Finding(name, "unreadable", f"the record cannot be read: {exc.message}"))
            continue
        block = parsed.block
        if block is None or (path.suffix.lower() == ".json" and not is_record_file(path)):
            findings.append(Finding(name, "not-a-record", "not a patternfit record (listed, not checked)", drift=False))
            continue
        if isinstance(block, Mapping) and block.get("kind") == "flow":
            flows += 1
            findings += _recheck_flow(name, block, model)
            continue
        try:
            record = load_record(path, model, parsed)
        except InputError as exc:
            findings.append(Finding(name, "unreadable", f"the patternfit block cannot be reopened: {exc.message}"))
            continue
        loaded.append((record, name))
        stored = block if isinstance(block, Mapping) else {}
        findings += _recheck(record, name, stored, model, profile)
        if rows is not None:
            findings += _against_inventory(record, name, rows, model, profile, stored)
    findings += _superseded(loaded)
    return CheckResult(tuple(findings), len(loaded) + flows, len(files))


def _recheck_flow(name: str, block: Mapping[str, Any], model: Model) -> list[Finding]:
    """A flow record (`patternfit flow --record`): its flow re-assessed with the model in use."""
    from patternfit.flows.record import recheck

    try:
        found = recheck(block, model, name)
    except InputError as exc:
        return [Finding(name, "unreadable", f"the flow in the patternfit block cannot be reopened: {exc.message}")]
    return [Finding(name, kind, message, details) for kind, message, details in found]


def _assess(
    record: LoadedRecord, connection: Connection, model: Model, profile: Any, block: Mapping[str, Any]
) -> Assessment:
    weights, chosen_profile = reopen_options(record, None, profile)
    samples, seed = _robustness(block)
    return assess_connection(
        connection, weights=weights, profile=chosen_profile, samples=samples, seed=seed, model=model
    )


def _robustness(block: Mapping[str, Any]) -> tuple[int, int]:
    """The robustness samples and seed the record was assessed with (0, 0 when it stored none)."""
    stored = block.get("robustness")
    if isinstance(stored, Mapping):
        samples, seed = stored.get("samples", 0), stored.get("seed", 0)
        if isinstance(samples, int) and isinstance(seed, int) and samples >= 0:
            return samples, seed
    return 0, 0


def _label(model: Model, key: str | None) -> str:
    return "no pattern" if key is None else model.pattern(key).label


def _drifted(record: LoadedRecord, now: str | None) -> bool:
    """The decision no longer holds: the recommendation is neither the choice nor what it was."""
    return now != record.chosen and now != record.recommended


def _recheck(record: LoadedRecord, name: str, block: Mapping[str, Any], model: Model, profile: Any) -> list[Finding]:
    result = _assess(record, record.connection, model, profile, block)
    edited = _edited(block)
    reasons = _why(record, result, edited, profile)
    details = {
        "chosen": record.chosen,
        "recommended_then": record.recommended,
        "recommended_now": result.recommended,
        "model_version_then": record.model_version,
        "model_version_now": result.model_version,
        "answers_edited": edited,
        "reasons": reasons,
        "drift": False,
    }
    if _drifted(record, result.recommended):
        why = "; ".join(reasons) if reasons else "the model now judges the same inputs differently"
        message = (
            f"the recommendation is now {_label(model, result.recommended)}, not the chosen "
            f"{_label(model, record.chosen)} — {why}"
        )
        return [Finding(name, "recommendation-changed", message, {**details, "drift": True})]
    if edited:
        message = "the stored answers were edited since the record was written; the recommendation stays"
        return [Finding(name, "answers-edited", message, details, drift=False)]
    return []


def _edited(block: Mapping[str, Any]) -> bool:
    stored = block.get("inputs_sha256")
    inputs = block.get("inputs")
    return isinstance(stored, str) and isinstance(inputs, Mapping) and inputs_hash(inputs) != stored


def _why(record: LoadedRecord, result: Assessment, edited: bool, profile: Any) -> list[str]:
    reasons = []
    if record.model_version != result.model_version:
        reasons.append(f"the model changed from {record.model_version} to {result.model_version}")
    if profile is not None:
        then = _profile_name(record.profile)
        now = _profile_name(result.profile)
        if then != now:
            reasons.append(f"the profile changed from {then} to {now}")
    if edited:
        reasons.append("the stored answers were edited since the record was written")
    return reasons


def _profile_name(profile: Mapping[str, Any] | None) -> str:
    if not profile:
        return "the reference model"
    return f"“{profile.get('name', '?')}” version {profile.get('version', '?')}"


# --- the inventory ---


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def match_row(record: LoadedRecord, rows: list[InventoryRow]) -> tuple[InventoryRow | None, str]:
    """The inventory row of a record's connection, and how it was matched ('' when none)."""
    cid = record.meta.connection_id
    if cid:
        found = [r for r in rows if r.id == cid]
        return (found[0], f"id {cid}") if found else (None, "")
    c = record.connection
    if not (c.source and c.target):
        return None, ""
    found = [r for r in rows if _norm(r.source) == _norm(c.source) and _norm(r.target) == _norm(c.target)]
    return (found[0], f"source and target ({c.source} → {c.target})") if len(found) == 1 else (None, "")


def _against_inventory(
    record: LoadedRecord, name: str, rows: list[InventoryRow], model: Model, profile: Any, block: Mapping[str, Any]
) -> list[Finding]:
    row, how = match_row(record, rows)
    if row is None:
        cid = record.meta.connection_id
        what = f"id {cid}" if cid else "its source and target"
        return [Finding(name, "not-in-inventory", f"the inventory has no connection matching {what}", drift=False)]
    if row.connection is None:
        return [Finding(name, "not-in-inventory", f"the inventory row {row.id} ({how}) is unreadable", drift=False)]
    mine, theirs = record.connection, row.connection
    changed = {
        key: (mine.characteristics.get(key), value)
        for key, value in theirs.characteristics.items()
        if mine.characteristics.get(key) != value
    }
    changed.update(
        {f"sub.{key}": (mine.sub.get(key), value) for key, value in theirs.sub.items() if mine.sub.get(key) != value}
    )
    if not changed:
        return []
    merged = dataclasses.replace(
        mine,
        characteristics={**mine.characteristics, **theirs.characteristics},
        sub={**mine.sub, **theirs.sub},
    )
    result = _assess(record, merged, model, profile, block)
    words = "; ".join(_answer_change(model, key, was, now) for key, (was, now) in changed.items())
    drift = _drifted(record, result.recommended)
    details = {
        "matched_by": how,
        "inventory_id": row.id,
        "answers": {key: {"record": was, "inventory": now} for key, (was, now) in changed.items()},
        "recommended_with_inventory": result.recommended,
        "chosen": record.chosen,
        "drift": drift,
    }
    if drift:
        verdict = f"with its answers the recommendation would be {_label(model, result.recommended)}"
    else:
        verdict = f"the recommendation stays {_label(model, result.recommended)}"
    message = f"the inventory ({row.id}, matched by {how}) answers differently: {words} — {verdict}"
    return [Finding(name, "inventory-differs", message, details, drift=drift)]


def _answer_change(model: Model, key: str, was: Any, now: Any) -> str:
    q = model.question(key.removeprefix("sub."))
    before = "unanswered" if was is None else q.value_label(was)
    return f"{q.label}: {before} → {q.value_label(now)}"


# --- supersession ---


def _superseded(loaded: list[tuple[LoadedRecord, str]]) -> list[Finding]:
    findings = []
    by_number = {r.number: (r, name) for r, name in loaded if r.number is not None}
    for record, name in loaded:
        older = record.meta.supersedes
        if older is None or older not in by_number:
            continue
        old, old_name = by_number[older]
        if old.meta.superseded_by is None:
            message = (
                f"{Path(name).name} supersedes record {older:04d}, which is still {old.meta.status or 'unmarked'}:"
                f" mark it `superseded by ADR-{record.number or 0:04d}`"
            )
            findings.append(
                Finding(
                    old_name, "superseded-still-current", message, {"superseded_by": Path(name).name, "drift": True}
                )
            )
    current: dict[str, list[tuple[LoadedRecord, str]]] = {}
    for record, name in loaded:
        if record.meta.superseded_by is None and record.meta.status not in CLOSED:
            current.setdefault(_connection_key(record), []).append((record, name))
    for key, group in current.items():
        if len(group) < 2 or not key:
            continue
        group.sort(key=lambda item: (item[0].number or 0, item[1]))
        newest = Path(group[-1][1]).name
        for _record, name in group[:-1]:
            message = (
                f"{newest} decides the same connection ({key.split('|', 1)[1]}) and both are current:"
                f" mark this one superseded by the newer record"
            )
            findings.append(Finding(name, "superseded-still-current", message, {"newer": newest, "drift": True}))
    return findings


def _connection_key(record: LoadedRecord) -> str:
    if record.meta.connection_id:
        return f"id|{record.meta.connection_id}"
    c = record.connection
    if c.source and c.target:
        return f"ends|{c.name}: {c.source} → {c.target}"
    return ""
