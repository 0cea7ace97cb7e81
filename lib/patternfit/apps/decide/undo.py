"""What a load replaced and Undo puts back, and its form in the page's draft, without widgets.

A load (an example, a file, a new blank connection, a workshop entry) over answers that were
typed and kept nowhere else keeps them as a `Replaced`; the draft file holds the connection on
screen and that one as workshop entries (``current`` and ``replaced``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from patternfit.apps.common.templates import render
from patternfit.apps.decide.files import ProfileRead
from patternfit.apps.decide.state import Snapshot
from patternfit.model.catalog import Model
from patternfit.model.connection import UNNAMED, Connection
from patternfit.workshop.file import Entry, changed_weights, profile_mapping

CURRENT = "current"  # the draft entry holding the connection on screen
REPLACED = "replaced"  # the draft entry holding what Undo would put back


@dataclass(frozen=True, slots=True)
class Replaced:
    """A connection that a load replaced while it held answers not kept elsewhere: what Undo puts back."""

    snapshot: Snapshot
    profile: ProfileRead | None
    example: str | None  # what the examples list showed
    kept: bool  # whether it was as loaded (an example, a file, an entry) rather than typed
    extra: Mapping[str, Any] | None = None  # what the page around the app typed for it (the workshop's bar)

    @property
    def drafted(self) -> bool:
        """Whether the draft keeps it: it was typed, or the page around the app typed for it."""
        return not self.kept or bool(self.extra)


class Companion(Protocol):
    """A page around the app whose typed fields belong to the connection on screen (the workshop's
    bar): they go with it when a load replaces it, and come back with Undo."""

    def typed(self) -> Mapping[str, Any] | None:
        """The fields typed for the connection on screen and kept nowhere else (None: none)."""

    def put_typed(self, fields: Mapping[str, Any] | None) -> None:
        """Show `fields` again (None: nothing typed, an empty form unless the connection has its own)."""


def entry_of(entry_id: str, snap: Snapshot, read: ProfileRead | None, base: Model) -> Entry:
    """A snapshot as a workshop entry (the draft's file format): the weights that differ from the
    profile's defaults, the profile as loaded."""
    model = read.model if read is not None else base
    answered = {*snap.answers, *(f"sub.{k}" for k in snap.sub)}  # a draft reads back as a connection file
    c = Connection(
        name=snap.name.strip() or UNNAMED, description=snap.description.strip(), source=snap.source.strip(),
        target=snap.target.strip(), characteristics=dict(snap.answers), sub=dict(snap.sub),
        stated=dict(snap.stated), proposed=dict(snap.proposed),
        unsure=tuple(k for k in snap.unsure if k in answered),
    )  # fmt: skip
    profile = profile_mapping(read.definition) if read is not None else None
    return Entry(entry_id, c, weights=changed_weights(snap.weights, model.default_weights()), profile=profile)


def replaced_entry(back: Replaced, base: Model) -> Entry:
    """What Undo would put back as the draft's ``replaced`` entry (with what the workshop's bar typed)."""
    entry = entry_of(REPLACED, back.snapshot, back.profile, base)
    if not back.extra:
        return entry
    extra = back.extra
    notes, chosen, rationale = extra.get("notes") or "", extra.get("chosen") or None, extra.get("rationale")
    return replace(entry, notes=str(notes), chosen=chosen, rationale=str(rationale or ""))


def replaced_from(entry: Entry, read: ProfileRead | None, base: Model) -> Replaced:
    """The draft's ``replaced`` entry as what Undo puts back (typed, not as loaded)."""
    model = read.model if read is not None else base
    c = entry.connection
    snap = Snapshot(
        "" if c.name == UNNAMED else c.name, c.description, c.source, c.target, dict(c.characteristics),
        tuple(c.unsure), dict(c.sub), dict(c.stated), dict(c.proposed),
        {**model.default_weights(), **entry.weights},
    )  # fmt: skip
    typed = {"notes": entry.notes, "chosen": entry.chosen, "rationale": entry.rationale}
    return Replaced(snap, read, None, kept=False, extra=typed if any(typed.values()) else None)


def undo_html(back: Replaced, new_name: str, total: int) -> str:
    """ "“…” (n of total answered) was replaced by …": the text beside the Undo button."""
    snap = back.snapshot
    return render(
        "decide/undo.html",
        notes=bool(back.extra),
        old=snap.name.strip() or UNNAMED,
        answered=len(snap.answers),
        total=total,
        new=new_name.strip() or "a new, blank connection",
    )


def draft_offer_html(entries: tuple[Entry, ...], on_screen: Entry, total: int) -> str:
    """The draft prompt's text; "" when the draft holds nothing but what is on screen already."""
    if not entries:
        return ""
    current = entries[0]
    replaced_one = entries[1] if len(entries) > 1 else None
    if replaced_one is None and current == on_screen:
        return ""
    return render(
        "decide/draft.html",
        name=current.connection.name,
        answered=len(current.connection.characteristics),
        total=total,
        replaced=replaced_one.connection.name if replaced_one is not None else "",
    )
