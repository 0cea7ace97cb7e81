"""The value objects of decision records: metadata, the record itself, a reopened record, a log line."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.model.catalog import PATTERN_KEYS
from patternfit.model.connection import Connection

STATUSES = ("proposed", "accepted", "rejected", "deprecated", "draft")
SUPERSEDED = re.compile(r"^superseded by adr-0*(\d{1,9})$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_NAME = 200


def adr_id(number: int) -> str:
    """'ADR-0007' — how MADR names a record in a status."""
    return f"ADR-{number:04d}"


def check_status(value: Any, where: str = "status") -> str:
    """A status for a new record: one of STATUSES or `superseded by ADR-NNNN`, lower-cased."""
    text = str(value).strip() if isinstance(value, str) else ""
    match = SUPERSEDED.match(text)
    if match:
        return f"superseded by {adr_id(int(match.group(1)))}"
    if text.lower() in STATUSES:
        return text.lower()
    raise InputError(
        where,
        f"unknown status {value!r}{did_you_mean(text.lower(), STATUSES)}",
        allowed_text((*STATUSES, "superseded by ADR-NNNN")),
    )


def check_date(value: Any, where: str = "date") -> str:
    """An ISO calendar date YYYY-MM-DD (a `datetime.date` is accepted too)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, str) else ""
    try:
        if ISO_DATE.match(text):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise InputError(where, f"{value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-26")


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise InputError(where, f"must be a list of names, got {type(value).__name__}", "give one name per entry")
    result: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_NAME:
            raise InputError(
                where, f"{item!r} is not a name", f"give a non-empty name of at most {MAX_NAME} characters"
            )
        name = " ".join(item.split())
        if name not in result:
            result.append(name)
    return tuple(result)


def _one_line(value: Any, where: str, *, limit: int) -> str:
    if not isinstance(value, str):
        raise InputError(where, f"must be text, got {type(value).__name__}", "write plain text")
    text = " ".join(value.split())
    if len(text) > limit:
        raise InputError(where, f"is {len(text)} characters long", f"keep it to at most {limit}")
    return text


@dataclass(frozen=True, slots=True)
class RecordMeta:
    """What the meeting adds to an assessment: title, status, date, people, the choice and why."""

    title: str = ""
    status: str = "proposed"
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    decision_makers: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    chosen: str | None = None
    rationale: str = ""
    supersedes: int | None = None
    connection_id: str = ""  # the inventory id of the connection (`--id`), matched by `patternfit check`
    # the workshop room the decision was made in (patternfit.room.summary.room_summary), or None
    room: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "title", _one_line(self.title, "title", limit=300))
        set_(self, "status", _one_line(self.status, "status", limit=100) or "proposed")
        set_(self, "date", check_date(self.date))
        for key in ("decision_makers", "consulted", "informed"):
            set_(self, key, _names(getattr(self, key), key.replace("_", "-")))
        if self.chosen is not None and self.chosen not in PATTERN_KEYS:
            raise InputError(
                "chosen",
                f"unknown pattern {self.chosen!r}{did_you_mean(self.chosen, PATTERN_KEYS)}",
                allowed_text(PATTERN_KEYS),
            )
        set_(self, "rationale", _one_line(self.rationale or "", "rationale", limit=4000))
        set_(self, "connection_id", _one_line(self.connection_id or "", "id", limit=MAX_NAME))
        room = self.room
        if room is not None and not (isinstance(room, Mapping) and isinstance(room.get("disputes", []), list)):
            raise InputError("room", "must be a mapping with participants and disputes", "record the room again")
        if self.supersedes is not None and (
            isinstance(self.supersedes, bool) or not isinstance(self.supersedes, int) or self.supersedes < 1
        ):
            raise InputError(
                "supersedes", f"{self.supersedes!r} is not a record number", "give the NNNN of the older record, e.g. 3"
            )

    @property
    def superseded_by(self) -> int | None:
        """The number in a `superseded by ADR-NNNN` status, else None."""
        match = SUPERSEDED.match(self.status)
        return int(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class Link:
    """A relation to another record: 'Supersedes' or 'Superseded by', with its file name."""

    relation: str
    number: int
    file: str

    @property
    def slug(self) -> str:
        return Path(self.file).stem


@dataclass(frozen=True, slots=True)
class Option:
    """One considered option with the arguments for and against it."""

    key: str
    label: str
    summary: str
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    score: float | None = None
    acceptability: float | None = None
    knocked_out: bool = False


@dataclass(frozen=True)
class DecisionRecord:
    """A whole decision record as data; `render_record` writes it (Markdown templates, HTML or JSON)."""

    meta: RecordMeta
    title: str
    question: str
    description: str
    answers: tuple[tuple[str, str], ...]
    unanswered: tuple[str, ...]
    drivers: tuple[str, ...]
    options: tuple[Option, ...]
    chosen: str
    justification: str
    against: str
    outcome: tuple[str, ...]
    good: tuple[str, ...]
    bad: tuple[str, ...]
    confirmation: tuple[str, ...]
    robustness_note: str
    robustness: tuple[tuple[str, ...], ...]
    hinges: tuple[str, ...]
    model_note: str
    sources: tuple[str, ...]
    stored: Mapping[str, Any]
    links: tuple[Link, ...] = ()
    diagram: Any = None  # records.diagram.Diagram: the chosen pattern between source and target
    state: str = ""  # the decision state: settled, open or conflict ("" when the engine gives none)
    state_text: str = ""  # the state in words, as the record says it
    checks: tuple[str, ...] = ()  # questions to check (facts nobody stated), for the Confirmation
    fit_scale: tuple[float, float, str] = (-1.0, 1.0, "Fit (−1 … +1)")  # the model's one fit scale
    implement_with: str = ""  # the organisation's standard technology for the chosen pattern, in words
    room: tuple[str, ...] = ()  # the workshop room in sentences: who took part, each dispute, the dissent

    @property
    def chosen_label(self) -> str:
        return next(o.label for o in self.options if o.key == self.chosen)


@dataclass(frozen=True)
class LoadedRecord:
    """A record read back from disk: its inputs, metadata and what it recorded."""

    path: Path
    connection: Connection
    meta: RecordMeta
    number: int | None
    model_version: str
    recommended: str | None
    chosen: str
    weights: Mapping[str, float] | None
    profile: Mapping[str, Any] | None
    fmt: str = "madr"


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of the decision log; `note` says why a file is not (fully) a patternfit record."""

    number: int | None
    title: str
    status: str
    pattern: str | None
    date: str
    file: str
    note: str = ""
