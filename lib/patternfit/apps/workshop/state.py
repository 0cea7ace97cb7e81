"""The workshop page's state, apart from its widgets: the workshop (its entries), the entry selected,
the notes, choice and rationale typed for the connection on screen, the compare selection and what
it gives, and the status and error lines.

Widgets set it through its methods and observe its traits (traitlets); the page's HTML is drawn from
it, never read back from a widget. The drafts (`apps.common.drafts`) save this state. Traits are
replaced, never mutated in place, so every change notifies its observers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import traitlets as t

from patternfit.apps.common.limits import SMALL_FILE_BYTES, too_large
from patternfit.charts.compare import compare_scores
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.errors import InputError, PatternfitError
from patternfit.io.files import publish_new
from patternfit.model.catalog import Model
from patternfit.model.connection import Connection
from patternfit.workshop.file import (
    MAX_COMPARE,
    Entry,
    Workshop,
    compare,
    dump_workshop,
    load_workshop,
    new_id,
    save_workshop,
)

UNDECIDED = "__undecided__"  # the Chosen list's "not decided yet"
DEFAULT_TITLE = "Integration workshop"


@dataclass(frozen=True, slots=True)
class Bar:
    """What the bar shows for the connection on screen: the room's notes, choice and rationale."""

    notes: str = ""
    chosen: str | None = None
    rationale: str = ""

    def kept(self) -> tuple[str, str | None, str]:
        """As an entry keeps it (notes and rationale trimmed)."""
        return self.notes.strip(), self.chosen, self.rationale.strip()


@dataclass(frozen=True, slots=True)
class Comparison:
    """The side-by-side view of up to six entries: the table (a DataFrame) and the chart (a figure dict)."""

    ids: tuple[str, ...]
    table: Any
    chart: dict[str, Any]


class WorkshopState(t.HasTraits):
    """Everything the workshop page shows besides the decision itself (which is `DecisionState`)."""

    workshop: Any = t.Instance(Workshop)
    selected: Any = t.Unicode(None, allow_none=True)  # the entry selected in the list
    bar_entry: Any = t.Unicode(None, allow_none=True)  # the entry the bar belongs to (None: not added yet)
    bar: Any = t.Instance(Bar)
    recommended: Any = t.Unicode(None, allow_none=True)  # the recommendation on screen
    ruled_out: Any = t.Tuple()  # the patterns ruled out on screen
    pick: Any = t.Tuple()  # the entries picked to compare
    compared: Any = t.Instance(Comparison, allow_none=True)
    status = t.Unicode("")
    status_ok = t.Bool(True)
    error = t.Unicode("")

    def __init__(self, model: Model, workshops: Path) -> None:
        super().__init__(workshop=Workshop(), bar=Bar())
        self.model = model
        self.workshops = workshops  # where "save on the server" writes
        self.server_files: dict[str, Path] = {}  # title stem → the file this page saved

    # -- the bar -----------------------------------------------------------------------------
    def type(self, **fields: Any) -> None:
        """The visitor typed or chose in the bar (`notes`, `chosen`, `rationale`)."""
        if "chosen" in fields and fields["chosen"] not in self.choice_keys():
            fields["chosen"] = None
        self.bar = dataclasses.replace(self.bar, **fields)

    def show_bar(self, entry: Entry | None) -> None:
        """The bar shows this entry's notes, choice and rationale and belongs to it (None: an empty
        bar for a connection not added yet)."""
        self.fill_bar(Bar(entry.notes, entry.chosen, entry.rationale) if entry else Bar())
        self.bar_entry = entry.id if entry else None

    def fill_bar(self, bar: Bar) -> None:
        self.bar = Bar(bar.notes, bar.chosen if bar.chosen in self.choice_keys() else None, bar.rationale)

    def typed(self) -> dict[str, Any] | None:
        """The bar as typed when it differs from what its entry keeps (or, for a connection not
        added yet, when anything is typed); None otherwise."""
        entry = self.entry(self.bar_entry)
        kept = Bar(entry.notes, entry.chosen, entry.rationale).kept() if entry else Bar().kept()
        if self.bar.kept() == kept:
            return None
        return {"notes": self.bar.notes, "chosen": self.bar.chosen, "rationale": self.bar.rationale}

    def put_typed(self, fields: Mapping[str, Any] | None) -> None:
        """Show typed bar fields again; None: an empty bar, unless it shows an entry's own."""
        if fields:
            chosen = fields.get("chosen")
            self.fill_bar(
                Bar(
                    str(fields.get("notes") or ""),
                    chosen if isinstance(chosen, str) else None,
                    str(fields.get("rationale") or ""),
                )
            )
        elif self.bar_entry is None:
            self.fill_bar(Bar())

    def follow(self, name: str) -> None:
        """The bar belongs to the connection on screen: the entry of that name when there is one,
        else an empty bar (a new connection never inherits another entry's notes or choice)."""
        match = self.entry_named(name.strip())
        if match is not None:
            if match.id != self.bar_entry:
                self.show_bar(match)
        elif self.bar_entry is not None:
            self.show_bar(None)

    def against_recommendation(self) -> bool:
        """Whether the option chosen differs from the recommendation on screen."""
        return self.bar.chosen is not None and self.recommended is not None and self.bar.chosen != self.recommended

    def rationale_missing(self) -> str:
        """The message when the room chose against the recommendation and gave no reason ("": none)."""
        if not self.against_recommendation() or self.bar.rationale.strip():
            return ""
        chosen, recommended = self.model.pattern(self.bar.chosen).label, self.model.pattern(self.recommended).label
        return (
            f"The entry needs a rationale: why the room chose {chosen} against the recommendation "
            f"{recommended}. Write it in the Rationale field, then add the connection again."
        )

    def choice_keys(self) -> list[str]:
        return [p.key for p in self.model.patterns]

    def choice_options(self) -> list[tuple[str, str]]:
        """The Chosen list: the patterns by label, the recommendation and the ruled-out ones marked."""
        options = [("not decided yet", UNDECIDED)]
        for p in self.model.patterns:
            mark = " (recommended)" if p.key == self.recommended else " (ruled out)" if p.key in self.ruled_out else ""
            options.append((p.label + mark, p.key))
        return options

    def answer(self, a: Assessment | None) -> None:
        """The decision on screen was recomputed."""
        self.recommended = a.recommended if a is not None else None
        self.ruled_out = tuple(k for k, v in a.scores.items() if v is None) if a is not None else ()

    # -- entries -----------------------------------------------------------------------------
    def entry(self, entry_id: str | None) -> Entry | None:
        return next((e for e in self.workshop.entries if e.id == entry_id), None)

    def entry_named(self, name: str) -> Entry | None:
        return next((e for e in self.workshop.entries if e.connection.name == name), None)

    def entry_options(self) -> list[tuple[str, str]]:
        """The entries as the lists show them: the name, and the option chosen."""
        return [
            (e.connection.name + (f" → {self.model.pattern(e.chosen).label}" if e.chosen else ""), e.id)
            for e in self.workshop.entries
        ]

    def add(
        self,
        connection: Connection,
        profile: Mapping[str, Any] | None,
        weights: Mapping[str, float],
        room: Mapping[str, Any] | None,
    ) -> Entry | None:
        """Keep the connection with the bar as an entry (same name: updated in place); None, and
        the error said, when the room chose against the recommendation without a reason."""
        missing = self.rationale_missing()
        if missing:
            self.fail(missing)
            return None
        same = self.entry_named(connection.name)
        entry_id = same.id if same else new_id(connection.name, [e.id for e in self.workshop.entries])
        notes, chosen, rationale = self.bar.kept()
        entry = Entry(
            entry_id,
            connection,
            notes,
            chosen,
            rationale if self.against_recommendation() else "",
            dict(weights),
            dict(profile) if profile else None,
            dict(room) if room else None,
        )
        self.workshop = self.workshop.put(entry)
        self.bar_entry = entry_id
        self.changed(f"{'Updated' if same else 'Added'} “{connection.name}”.", select=entry_id)
        return entry

    def remove(self, entry_id: str | None) -> None:
        if entry_id and self.entry(entry_id) is not None:
            self.workshop = self.workshop.remove(entry_id)
            if self.bar_entry == entry_id:
                self.bar_entry = None
            self.changed("Removed the entry.")

    def set_title(self, title: str) -> None:
        title = title.strip() or DEFAULT_TITLE
        if title != self.workshop.title:
            self.workshop = dataclasses.replace(self.workshop, title=title)

    def set_pick(self, ids: Sequence[str]) -> None:
        self.pick = tuple(i for i in ids if self.entry(i) is not None)

    def changed(self, message: str, *, select: str | None = None) -> None:
        """The entries changed: the selection and the compare picks follow; say `message`."""
        self.selected = select if self.entry(select) is not None else None
        self.set_pick(self.pick)
        self.say(message)

    # -- compare -----------------------------------------------------------------------------
    def assess_entry(self, entry: Entry) -> Assessment:
        """The entry assessed with its own weights and profile."""
        return assess_connection(
            entry.connection, weights=dict(entry.weights) or None, profile=entry.profile, samples=0, model=self.model
        )

    def compare_ids(self, ids: Sequence[str]) -> Comparison:
        """The table and chart of up to six entries (InputError: more)."""
        if len(ids) > MAX_COMPARE:
            raise InputError("compare", f"{len(ids)} connections chosen", f"compare at most {MAX_COMPARE} at a time")
        assessments = [self.assess_entry(self.workshop.entry(i)) for i in ids]
        return Comparison(tuple(ids), compare(assessments, self.model), compare_scores(assessments, self.model))

    def compare_picked(self) -> bool:
        """Compare the entries picked; an error goes to the error line."""
        try:
            self.compared = self.compare_ids(self.pick)
        except PatternfitError as exc:
            self.fail(exc.message)
            return False
        self.clear_error()
        return True

    # -- files -------------------------------------------------------------------------------
    def download_text(self) -> str:
        return dump_workshop(self.workshop)

    def open_bytes(self, content: bytes, filename: str) -> bool:
        """Take an uploaded workshop file; a bad one is refused in the error line, nothing changes."""
        name = Path(filename).name or "upload"
        try:
            if len(content) > SMALL_FILE_BYTES:
                raise InputError(name, too_large(len(content), SMALL_FILE_BYTES), "open a smaller workshop file")
            workshop = load_workshop(bytes(content), self.model, where=name)
        except PatternfitError as exc:
            self.fail(exc.message)
            return False
        self.workshop = workshop
        self.bar_entry = None
        self.clear_error()
        return True

    def save_on_server(self) -> Path | None:
        """Write the workshop file into the workshops folder (None, and the error said, on failure)."""
        try:
            self.workshops.mkdir(parents=True, exist_ok=True)
            path = self._own_file()
        except PatternfitError as exc:
            self.fail(exc.message)
            return None
        except OSError as exc:
            self.fail(f"{self.workshops}: could not save ({exc.strerror or type(exc).__name__})")
            return None
        self.say(f"Saved as {path}")
        return path

    def _own_file(self) -> Path:
        """This page's file in the workshops folder. The first save under a title takes the first
        free name (`title.yaml`, `title-2.yaml`, …) without replacing anyone's; later saves of
        this page replace only that file, so two rooms that keep the same title keep both."""
        stem = new_id(self.workshop.title)
        own = self.server_files.get(stem)
        if own is not None:
            return save_workshop(self.workshop, own)
        text = dump_workshop(self.workshop)
        for n in range(1, 1000):
            path = self.workshops / (f"{stem}.yaml" if n == 1 else f"{stem}-{n}.yaml")
            if publish_new(path, text):
                self.server_files[stem] = path
                return path
        raise InputError(str(self.workshops), f"holds 999 workshops titled {stem!r}", "give this workshop a new title")

    # -- what the page says ------------------------------------------------------------------
    def say(self, message: str, *, ok: bool = True) -> None:
        """Say what happened; a success clears an earlier error."""
        if ok and message:
            self.error = ""
        self.status_ok = ok
        self.status = message

    def fail(self, message: str) -> None:
        self.status = ""
        self.error = message

    def clear_error(self) -> None:
        self.error = ""
