"""Workshop files: every connection assessed in a sitting, saved, reopened, autosaved, compared.

```yaml
workshop: 1                       # format version
title: Payments integration workshop
date: 2026-11-26
facilitator: Jane Architect
entries:
  - id: order-fanout
    connection: {name: …, characteristics: {…}}   # the connection-file format
    notes: free text
    chosen: events                # optional: the option the room chose
    rationale: why, when chosen differs from the recommendation
    weights: {consumer_count: 3}  # optional: the dashboard's weights where they differ from the defaults
    profile:                      # optional: the organisation profile in force (profile.py format)
      name: Acme integration office
      version: "1.0"
      changes: [{weight: consumer_count, to: 3, reason: fan-out is our main pain}]
    room: {participants: 9, disputes: [{key: latency_budget, spread: {…}, settled: …, dissent: […]}], …}
                                  # optional: the phones' room the answers came from (room/summary.py)
```

An entry's weights override the defaults of the model *with its profile applied*; both are checked
on load (`weights.resolve_weights`, `profile.apply_profile`). Files without them still load.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from patternfit.engine.assess import Assessment
from patternfit.engine.weights import resolve_weights
from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.io import yamlio
from patternfit.io.files import write_atomic
from patternfit.model.catalog import PATTERN_KEYS, Model
from patternfit.model.connection import Connection, parse_connection
from patternfit.model.profile import HEADER_KEYS, apply_profile

FORMAT = 1
# libyaml's safe emitter when present: the same text, ~10× faster (autosave writes after every change)
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MAX_COMPARE = 6
TOP_KEYS = ("workshop", "title", "date", "facilitator", "profile", "entries")
ENTRY_KEYS = ("id", "connection", "notes", "chosen", "rationale", "weights", "profile", "room")


@dataclass(frozen=True, slots=True)
class Entry:
    """One connection worked on in the workshop, with the room's notes and choice."""

    id: str
    connection: Connection
    notes: str = ""
    chosen: str | None = None
    rationale: str = ""
    weights: Mapping[str, float] = field(default_factory=dict)
    profile: Mapping[str, Any] | None = None
    room: Mapping[str, Any] | None = None  # the room the answers came from (patternfit.room.summary)


@dataclass(frozen=True, slots=True)
class Workshop:
    """A sitting: a title, a date, and the connections worked on."""

    title: str = "Integration workshop"
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    facilitator: str = ""
    profile: str = ""
    entries: tuple[Entry, ...] = ()

    def entry(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def put(self, entry: Entry) -> Workshop:
        """A copy with `entry` added, or replacing the entry with the same id."""
        kept = [e for e in self.entries if e.id != entry.id]
        position = next((i for i, e in enumerate(self.entries) if e.id == entry.id), len(kept))
        kept.insert(position, entry)
        return dataclasses.replace(self, entries=tuple(kept))

    def remove(self, entry_id: str) -> Workshop:
        return dataclasses.replace(self, entries=tuple(e for e in self.entries if e.id != entry_id))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"workshop": FORMAT, "title": self.title, "date": self.date}
        if self.facilitator:
            out["facilitator"] = self.facilitator
        if self.profile:
            out["profile"] = self.profile
        out["entries"] = [_entry_dict(e) for e in self.entries]
        return out


def _entry_dict(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {"id": entry.id, "connection": entry.connection.to_dict()}
    for key in ("notes", "chosen", "rationale"):
        value = getattr(entry, key)
        if value:
            out[key] = value
    if entry.weights:
        out["weights"] = {k: float(v) for k, v in entry.weights.items()}
    if entry.profile:
        out["profile"] = plain(entry.profile)
    if entry.room:
        out["room"] = plain(entry.room)
    return out


def plain(value: Any) -> Any:
    """A copy made of dicts, lists and scalars only (what YAML writes and reads back equal)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def profile_mapping(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The profile's own keys (name, version, author, description, changes), as plain data."""
    return {k: plain(v) for k, v in raw.items() if k in HEADER_KEYS}


def profiled_model(profile: Mapping[str, Any] | None, model: Model, *, where: str = "profile") -> Model:
    """`model` with the profile applied (itself when there is none); InputError names `where`."""
    if profile is None:
        return model
    return apply_profile(profile, model, where=where)[0]


def changed_weights(weights: Mapping[str, float], defaults: Mapping[str, float]) -> dict[str, float]:
    """The weights that differ from `defaults` (an empty dict when none does)."""
    return {
        k: float(v)
        for k, v in weights.items()
        if k in defaults and not math.isclose(float(v), defaults[k], rel_tol=1e-9, abs_tol=1e-12)
    }


def new_id(name: str, taken: Sequence[str] = ()) -> str:
    """A short, unique, readable id for an entry, from its connection's name."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "connection"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def dump_workshop(workshop: Workshop) -> str:
    """The workshop as YAML text."""
    return yaml.dump(workshop.to_dict(), Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=100)


def save_workshop(workshop: Workshop, path: str | Path) -> Path:
    """Write the workshop file atomically (the previous version stays intact until the new one is
    complete)."""
    return write_atomic(path, dump_workshop(workshop))


def load_workshop(source: str | Path | bytes, model: Model, *, where: str = "workshop") -> Workshop:
    """Read a workshop file (a path, or the bytes of an upload)."""
    if isinstance(source, bytes):
        data = yamlio.parse(yamlio.decode(source, where, what="workshop file"), where)
    else:
        where = str(source)
        data = yamlio.load(source, what="workshop file")
    return parse_workshop(data, model, where=where)


def parse_workshop(data: Any, model: Model, *, where: str = "workshop") -> Workshop:
    """Validate a workshop mapping; InputError names the entry and key."""
    if data is None:
        raise InputError(where, "is empty", "save a workshop from the notebook, or start a new one")
    if not isinstance(data, Mapping):
        raise InputError(where, "must be a mapping with title and entries", "write title: … and entries: [ … ]")
    for key in data:
        if key not in TOP_KEYS:
            raise InputError(f"{where}: {key}", f"unknown key{did_you_mean(key, TOP_KEYS)}", allowed_text(TOP_KEYS))
    if data.get("workshop", FORMAT) != FORMAT:
        raise InputError(
            f"{where}: workshop", f"format {data.get('workshop')!r} is not supported", f"expected {FORMAT}"
        )
    raw_entries = data.get("entries") or []
    if not isinstance(raw_entries, list):
        raise InputError(f"{where}: entries", "must be a list", "one item per connection")
    entries: list[Entry] = []
    for i, raw in enumerate(raw_entries):
        entries.append(_parse_entry(raw, model, f"{where}: entries[{i}]", [e.id for e in entries]))
    return Workshop(
        title=_text(data, "title", where) or "Integration workshop",
        date=_text(data, "date", where) or dt.date.today().isoformat(),
        facilitator=_text(data, "facilitator", where),
        profile=_text(data, "profile", where),
        entries=tuple(entries),
    )


def _parse_entry(raw: Any, model: Model, where: str, taken: list[str]) -> Entry:
    if not isinstance(raw, Mapping):
        raise InputError(
            where, "must be a mapping with id and connection", "write each entry as id: … and connection: { … }"
        )
    for key in raw:
        if key not in ENTRY_KEYS:
            raise InputError(f"{where}.{key}", f"unknown key{did_you_mean(key, ENTRY_KEYS)}", allowed_text(ENTRY_KEYS))
    connection = parse_connection(raw.get("connection") or {}, model, where=f"{where}.connection")
    entry_id = _text(raw, "id", where) or new_id(connection.name, taken)
    if entry_id in taken:
        raise InputError(f"{where}.id", f"{entry_id!r} is used twice", "give each entry its own id")
    chosen = raw.get("chosen")
    if chosen is not None and chosen not in PATTERN_KEYS:
        raise InputError(
            f"{where}.chosen",
            f"unknown pattern {chosen!r}{did_you_mean(chosen, PATTERN_KEYS)}",
            allowed_text(PATTERN_KEYS),
        )
    raw_profile = raw.get("profile")
    if raw_profile is not None and not isinstance(raw_profile, Mapping):
        raise InputError(f"{where}.profile", "must be a mapping with name, version and changes", "see profile.py")
    weighted = profiled_model(raw_profile, model, where=f"{where}.profile")
    profile = profile_mapping(raw_profile) if raw_profile is not None else None
    weights: dict[str, float] = {}
    if raw.get("weights") is not None:
        resolve_weights(raw["weights"], weighted, where=f"{where}.weights")
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
    room = raw.get("room")
    if room is not None and not (isinstance(room, Mapping) and isinstance(room.get("disputes", []), list)):
        raise InputError(f"{where}.room", "must be a mapping with participants and disputes", "open the room again")
    return Entry(
        entry_id, connection, _text(raw, "notes", where), chosen, _text(raw, "rationale", where), weights, profile,
        dict(room) if room else None,
    )  # fmt: skip


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"{where}.{key}", f"must be text, got {type(value).__name__}", "write plain text")
    return str(value).strip()


class Autosaver:
    """Keeps a draft of the workshop on disk after every change, so that a closed tab or a
    restarted kernel loses at most the change being made. One draft file per workshop; saving
    the workshop saved last (the same object, or the same text) writes nothing."""

    def __init__(self, folder: str | Path, name: str = "workshop") -> None:
        self.folder = Path(folder)
        self.path = self.folder / f"{new_id(name)}.draft.yaml"
        self._written: str | None = None
        self._saved: Workshop | None = None

    def save(self, workshop: Workshop) -> Path:
        if workshop is self._saved and self.path.exists():  # frozen: nothing to dump again
            return self.path
        text = dump_workshop(workshop)
        if text != self._written or not self.path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, text)
            self._written = text
        self._saved = workshop
        return self.path

    def restore(self, model: Model) -> Workshop | None:
        """The last draft, or None when there is none (a broken draft is an InputError)."""
        if not self.path.exists():
            return None
        return load_workshop(self.path, model)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self._written = self._saved = None


def check_compare_count(assessments: Sequence[Assessment]) -> None:
    """One to MAX_COMPARE connections, or an InputError saying how many to pick."""
    if not assessments:
        raise InputError("compare", "no connections to compare", "pick at least one")
    if len(assessments) > MAX_COMPARE:
        raise InputError(
            "compare", f"{len(assessments)} connections chosen", f"compare at most {MAX_COMPARE} at a time"
        )


def compare(assessments: Sequence[Assessment], model: Model) -> Any:
    """A table of up to six connections side by side: answers, scores, recommendation."""
    import pandas as pd

    check_compare_count(assessments)
    columns: dict[str, dict[str, Any]] = {}
    for a in assessments:
        name = a.connection.name
        while name in columns:
            name += " ′"
        column: dict[str, Any] = {}
        for q in model.characteristics:
            value = a.connection.characteristics.get(q.key)
            column[q.label] = "—" if value is None else q.value_label(value)
        for p in model.patterns:
            score = a.scores[p.key]
            column[f"score: {p.short}"] = "ruled out" if score is None else round(score, 2)
        column["recommended"] = model.pattern(a.recommended).label if a.recommended else "none"
        column["coordination"] = a.coordination or "—"
        column["flavour"] = a.messaging_flavour or "—"
        column.update(_settings(a, model))
        columns[name] = column
    frame = pd.DataFrame(columns)
    own = [row for row in ("profile", "weights changed") if (frame.loc[row] != "—").any()]
    return frame.drop(index=[row for row in ("profile", "weights changed") if row not in own])


def _settings(a: Assessment, model: Model) -> dict[str, str]:
    """The profile an assessment used and the weights it changed from that profile's defaults."""
    definition = a.profile_definition
    profile = "—"
    if a.profile:
        profile = f"{a.profile.get('name', '')} {a.profile.get('version', '')}".strip()
    defaults = (apply_profile(definition, model)[0] if definition else model).default_weights()
    changed = changed_weights(a.weights, defaults)
    labels = {q.key: q.label for q in model.characteristics}
    weights = ", ".join(f"{labels.get(k, k)} {v:g}" for k, v in changed.items()) or "—"
    return {"profile": profile, "weights changed": weights}
