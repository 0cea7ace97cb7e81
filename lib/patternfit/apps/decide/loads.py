"""Putting a connection on the decide page, and back: an example, an opened file or record, a
blank one, a workshop entry or a draft replaces what is on screen; answers typed and kept
nowhere else are kept as a `Replaced` that Undo puts back (and the draft keeps). The page's
side is `LoadHost`: its state, its parts and its messages."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from patternfit.apps.common.drafts import Drafts
from patternfit.apps.decide.connection_bar import BLANK, OPENED, ConnectionBar
from patternfit.apps.decide.files import Opened, read_connection_file, read_profile
from patternfit.apps.decide.panels import ExtraPanel, WeightsPanel
from patternfit.apps.decide.profile_panel import ProfilePanel
from patternfit.apps.decide.questions import QuestionsView
from patternfit.apps.decide.record import RecordPanel
from patternfit.apps.decide.state import DecisionState
from patternfit.apps.decide.undo import (
    CURRENT,
    REPLACED,
    Companion,
    Replaced,
    entry_of,
    replaced_entry,
    replaced_from,
    undo_html,
)
from patternfit.errors import PatternfitError
from patternfit.model.catalog import Model
from patternfit.model.connection import UNNAMED, Connection, load_connection
from patternfit.workshop.file import Entry


class LoadHost(Protocol):
    """What loading needs of the page (the decision dashboard's public members)."""

    state: DecisionState
    base_model: Model
    companion: Companion | None
    keeper: Drafts | None
    bar: ConnectionBar
    questions: QuestionsView
    extra_panel: ExtraPanel
    weights_panel: WeightsPanel
    profile_panel: ProfilePanel
    record: RecordPanel

    @property
    def examples(self) -> Mapping[str, tuple[str, Path]]: ...
    def by_code(self) -> contextlib.AbstractContextManager[None]: ...
    def refresh(self, *_: Any) -> None: ...
    def show_error(self, message: str) -> None: ...
    def clear_error(self, *_: Any) -> None: ...
    def status_line(self, message: str) -> None: ...


class Loads:
    """What is on screen replaced, and put back: `replaced` is what Undo puts back (None: nothing)."""

    def __init__(self, page: LoadHost) -> None:
        self.page = page
        self.replaced: Replaced | None = None

    def load_example(self, name: str) -> None:
        """Load an example connection by file stem or name; BLANK starts an empty one (and the
        list goes back to "— choose —", so that choosing "New, blank connection" again works)."""
        p = self.page
        if name == BLANK:
            self.apply(Connection(), example=BLANK)
            p.state.mark_kept()
            return
        for stem, (label, path) in p.examples.items():
            if name in (stem, label):
                self.apply(load_connection(path, p.state.model), example=stem)
                p.state.mark_kept()
                return
        raise KeyError(name)

    def load_file(self, content: bytes, filename: str) -> bool:
        """Open an uploaded connection file (.yaml/.yml/.json) or decision record (.md).
        A record is re-assessed as it was recorded: with its stored profile (or the reference
        model) and weights. On a bad file the error banner names the problem and nothing else
        changes."""
        p = self.page
        try:
            opened = read_connection_file(bytes(content), filename, p.state.model, p.base_model, p.record.read)
        except PatternfitError as exc:
            p.show_error(exc.message)
            return False
        except Exception as exc:  # a bug must not take the page down or show a traceback
            p.show_error(f"{Path(filename).name}: could not be read ({type(exc).__name__}); nothing was changed.")
            return False
        self._open(opened, Path(filename).name)
        return True

    def _open(self, opened: Opened, name: str) -> None:
        p = self.page
        had_profile = p.state.profile_read is not None
        replaced = self._replaceable()  # before the file's profile is put in force
        if opened.record:
            p.profile_panel.use(opened.profile)
        self._apply(opened.connection, OPENED, opened.weights, opened.meta, replaced)
        p.state.mark_kept()
        p.clear_error()
        info = p.state.profile_read.info if p.state.profile_read is not None else None
        if info:
            used = f" with its profile “{info['name']}” version {info['version']}"
        elif had_profile and opened.record:
            used = " with the reference model, as it was recorded"
        else:
            used = ""
        p.status_line(f"Opened {name}{used}.")

    def apply(
        self, c: Connection, *, example: str | None, weights: Mapping[str, float] | None = None, meta: Any = None
    ) -> None:
        """Show a connection (and, from a record, its weights and metadata), then refresh. Answers
        it replaces that were typed and kept nowhere else can be put back with `undo`."""
        self._apply(c, example, weights, meta, self._replaceable())

    def _apply(
        self,
        c: Connection,
        example: str | None,
        weights: Mapping[str, float] | None,
        meta: Any,
        replaced: Replaced | None,
    ) -> None:
        p = self.page
        with p.by_code():
            with p.state.held():
                p.state.apply(c, weights=weights)
                if c.name == UNNAMED and example == BLANK:
                    p.state.name = ""
            # an opened file is not one of the examples: the list says so instead of going blank;
            # a blank connection is no example either: the list says "— choose —", so that
            # choosing "New, blank connection" again starts another one
            self._sync_widgets(None if example == BLANK else example if example in p.examples else OPENED)
            p.record.reset(meta)
        p.state.kept, p.state.started_blank = None, example == BLANK
        p.refresh()
        if p.companion is not None and replaced is not None and replaced.extra:
            p.companion.put_typed(None)  # what was typed went with the connection it was typed for
        self._offer_undo(replaced)

    def _sync_widgets(self, example: str | None) -> None:
        """The connection's fields, the questions, the panels and the examples list from the state."""
        p = self.page
        p.bar.show(example)
        p.questions.last = None
        p.questions.sync()
        p.extra_panel.sync()
        p.weights_panel.sync()

    # -- nothing typed is lost ----------------------------------------------------------------
    def undo(self, *_: Any) -> bool:
        """Put back the connection the last load replaced (answers, names, weights, profile);
        the one it replaces, if typed, can be put back the same way. False when there is none."""
        p = self.page
        back, self.replaced = self.replaced, None
        if back is None:
            return False
        now = self._replaceable()
        with p.by_code():
            if (back.profile.definition if back.profile else None) is not p.state.definition:
                p.profile_panel.use(back.profile)
            p.state.put(back.snapshot)
            self._sync_widgets(back.example)
        p.state.kept, p.state.started_blank = (back.snapshot if back.kept else None), False
        p.refresh()
        if p.companion is not None:
            p.companion.put_typed(back.extra)
        self._offer_undo(now)
        p.status_line(f"Put back “{back.snapshot.name.strip() or UNNAMED}”.")
        return True

    def _replaceable(self) -> Replaced | None:
        """What a load about to happen would replace and Undo should put back (None: nothing typed)."""
        p = self.page
        extra = p.companion.typed() if p.companion is not None else None
        if not p.state.unsaved() and not extra:
            return None
        snap = p.state.snapshot()
        return Replaced(snap, p.state.profile_read, p.bar.examples_dropdown.value, snap == p.state.kept, extra)

    def _offer_undo(self, replaced: Replaced | None) -> None:
        """Say what a load replaced, beside an Undo button; hide the offer when nothing was lost."""
        p = self.page
        self.replaced = replaced
        total = len(p.base_model.keys)
        p.bar.offer_undo(undo_html(replaced, p.state.name, total) if replaced is not None else "")
        if p.keeper is not None:  # the draft keeps what Undo would put back
            p.keeper.save_soon()

    # -- the draft ---------------------------------------------------------------------------
    def draft_entries(self) -> tuple[Entry, ...]:
        """The draft of this page, as workshop entries: the connection on screen (id ``current``)
        and, while Undo would put one back, the connection it replaced (id ``replaced``)."""
        p = self.page
        entries = [entry_of(CURRENT, p.state.snapshot(), p.state.profile_read, p.base_model)]
        if self.replaced is not None and self.replaced.drafted:
            entries.append(replaced_entry(self.replaced, p.base_model))
        return tuple(entries)

    def restore_entries(self, drafted: Sequence[Entry]) -> None:
        """Put `draft_entries` back: the first on screen (its profile and weights too); the one
        it had replaced, if any, to be put back with Undo. A bad profile is an InputError."""
        p = self.page
        if not drafted:
            return
        reads = [read_profile(e.profile, p.base_model, "draft: profile") if e.profile else None for e in drafted]
        current, read = drafted[0], reads[0]
        replaced = self._replaceable()
        if (read.definition if read else None) != p.state.definition:
            p.profile_panel.use(read)
        defaults = (read.model if read else p.base_model).default_weights()
        self._apply(current.connection, None, {**defaults, **current.weights}, None, replaced)
        unnamed = current.connection.name == UNNAMED
        with p.by_code():
            p.bar.examples_dropdown.value = None  # a draft is no example and no opened file
            if unnamed:
                p.bar.name.value = ""
        if unnamed:
            p.state.set_text(name="")
        back = [(e, r) for e, r in zip(drafted[1:], reads[1:], strict=True) if e.id == REPLACED]
        if back and self.replaced is None:
            self._offer_undo(replaced_from(back[0][0], back[0][1], p.base_model))
