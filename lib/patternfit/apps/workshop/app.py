"""The workshop dashboard: the decision dashboard plus a workshop bar that keeps every connection
of a sitting (add/update, reopen, compare up to six, save, open, autosave and restore a draft).

ipywidgets over `WorkshopState` (apps/workshop/state.py): the widgets set the state through its
methods and observe its traits; everything the bar shows is drawn from it. The decision is
``DecisionApp``, used through its public face (its state, `undo`, and the workshop state as its
`Companion`: notes typed for a connection go with it when a load replaces it, and come back with
Undo). The drafts (`apps.common.drafts`) save the state after every change of the workshop, and
within a second of every recomputed answer and of the last key typed in the bar, so a closed tab
or a restarted kernel loses at most that second. Drafts belong to a visitor (the id kept in the
visitor's browser); until it arrives, and where it never does (nbval, a script), the app keeps one
local draft — except in a kernel started by Voila, where nothing is read or written until it does.

CSS hooks: ``pf-workshop`` (``-header``, ``-bar``, ``-title``, ``-notes``, ``-chosen``,
``-rationale``, ``-rationale-required``, ``-add``, ``-new``, ``-entries``, ``-remove``, ``-save``,
``-download``, ``-upload``, ``-pick``, ``-compare-button``, ``-compare``, ``-compare-chart``,
``-notice``, ``-status``, ``-restore``, ``-restore-button``), ``pf-error``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w

from patternfit import settings
from patternfit.apps.common import html as H
from patternfit.apps.common.drafts import Drafts, Found
from patternfit.apps.common.plotly_output import use_plotly_mimetype
from patternfit.apps.common.templates import render
from patternfit.apps.common.visitor import VisitorId, under_voila
from patternfit.apps.decide.app import BLANK, DEFAULT_EXAMPLE, SAMPLES, DecisionApp
from patternfit.apps.workshop.bar import WorkshopBar
from patternfit.apps.workshop.intro import frame_html
from patternfit.apps.workshop.room_panel import RoomPanel
from patternfit.apps.workshop.state import UNDECIDED, Bar, WorkshopState
from patternfit.errors import PatternfitError
from patternfit.model.catalog import Model
from patternfit.model.connection import parse_connection
from patternfit.workshop.file import Autosaver, Entry, Workshop, changed_weights, profile_mapping, profiled_model

LOG = logging.getLogger(__name__)
CURRENT = "current"
__all__ = ["UNDECIDED", "WorkshopApp", "build_workshop_app", "frame_html", "start_workshop"]


def build_workshop_app(
    model: Model | None = None, *, example: str | None = DEFAULT_EXAMPLE, lazy: bool = True
) -> w.Widget:
    """The workshop page: its header (links, the draft prompt) above the workshop (``widget.app``
    is the ``WorkshopApp``). In a page (``lazy``) the decision's plotly charts and record are
    drawn when they come into view, as on the decide page."""
    use_plotly_mimetype()
    return WorkshopApp(model, example=example, lazy=lazy).page


def start_workshop(model: Model | None = None, *, lazy: bool = True) -> WorkshopApp:
    """The workshop app for notebooks/workshop.ipynb (charts drawn as in the other dashboards)."""
    use_plotly_mimetype()
    return WorkshopApp(model, lazy=lazy)


class WorkshopApp(WorkshopBar):
    """A DecisionApp with a workshop bar; tests drive `state`, `add`, `reopen`, `show_compare`…"""

    def __init__(
        self,
        model: Model | None = None,
        *,
        example: str | None = DEFAULT_EXAMPLE,
        drafts: str | Path | None = None,
        workshops: str | Path | None = None,
        name: str = "workshop",
        samples: int = SAMPLES,
        visitor: str | None = None,
        local_draft: bool | None = None,
        lazy: bool = False,
    ) -> None:
        """`visitor`: a visitor id known up front (else it comes from the browser); `local_draft`:
        keep one local draft until an id arrives (default: yes, except in a kernel started by Voila);
        `lazy`: the decision draws its plotly charts and record only in view (the page's builders
        pass True; code driving the app without a browser keeps the default)."""
        self.decision = DecisionApp(model, example=example, samples=samples, lazy=lazy)
        self.model: Model = self.decision.base_model  # entries keep their own profile
        self.state = WorkshopState(self.model, Path(workshops) if workshops else settings.workshops_dir())
        self.drafts = Path(drafts) if drafts else settings.drafts_dir()
        self.name = name
        self.local_draft = not under_voila() if local_draft is None else local_draft
        self.keeper = Drafts(
            self.drafts,
            (name, f"{name}-{CURRENT}"),
            self.model,
            contents=self._draft_contents,
            offer=self._draft_offer,
            restore=self._draft_restore,
            say=lambda message, ok: self.state.say(message, ok=ok),
            guard=self._safe,
        )
        self.room = RoomPanel(self.model, self.decision.connection_dict, self._apply_room)
        self.build_bar(self.state, self._safe)
        self.header = w.VBox([self.header_html, self.keeper.banner], layout=w.Layout(width="100%"))
        self.header.add_class("pf-workshop-header")
        self.keeper.restore_button.add_class("pf-workshop-restore-button")
        self.keeper.banner.add_class("pf-workshop-restore")
        self.widget = w.VBox(
            [self.bar, self.room.widget, self.decision.widget, self.keeper.visitor_widget],
            layout=w.Layout(width="100%"),
        )
        self.widget.add_class("pf-workshop")
        self.page = w.VBox([self.header, self.widget], layout=w.Layout(width="100%"))
        self.widget.app = self.page.app = self
        self.decision.companion = self.state  # the bar's typed text goes with its connection, and back with Undo
        self.state.observe(lambda _: self.autosave(), "workshop")
        self.state.observe(lambda _: self.autosave_soon(), "bar")
        self.decision.state.observe(self._safe(self._answered), "assessment")
        self.decision.state.observe(self._safe(lambda change: self.state.follow(change["new"])), "name")
        self.state.answer(self.decision.assessment)
        if self.local_draft:
            self.keeper.use_folder(self.drafts)
        if visitor is not None:
            self.use_visitor(visitor)

    # -- the drafts and the visitor --------------------------------------------------------
    @property
    def workshop(self) -> Workshop:
        return self.state.workshop  # type: ignore[no-any-return]

    @workshop.setter
    def workshop(self, workshop: Workshop) -> None:
        self.state.workshop = workshop

    @property
    def bar_entry(self) -> str | None:
        """The entry whose notes, choice and rationale the bar shows (None: not added yet)."""
        return self.state.bar_entry  # type: ignore[no-any-return]

    def use_visitor(self, visitor: str) -> bool:
        """Keep drafts in this visitor's own folder from now on, and offer their draft. The first
        valid id wins; a bad id is refused (logged, said in the status line) and changes nothing."""
        return self.keeper.use_visitor(visitor)

    @property
    def visitor(self) -> str | None:
        return self.keeper.visitor

    @property
    def visitor_widget(self) -> VisitorId:
        return self.keeper.visitor_widget

    @property
    def banner(self) -> w.HBox:
        """The prompt that offers the draft found ("A draft was found … Restore draft / Discard")."""
        return self.keeper.banner

    @property
    def banner_text(self) -> w.HTML:
        return self.keeper.text

    @property
    def autosaver(self) -> Autosaver | None:
        """The workshop's draft file (None until the drafts folder is known)."""
        return self.keeper.savers[self.name] if self.keeper.savers else None

    @property
    def draft(self) -> Workshop | None:
        """The workshop draft on offer (None when none with entries is)."""
        found = self.keeper.found.get(self.name)
        return found if found is not None and found.entries else None

    @property
    def draft_current(self) -> Workshop | None:
        """The draft of the connection last on screen, with the bar as typed (None when none is on offer)."""
        return self.keeper.found.get(f"{self.name}-{CURRENT}")

    def restore_draft(self, *_: Any) -> bool:
        """Take back the draft found when the app opened: the entries, the connection on screen
        and the bar (notes, choice, rationale) as they were typed."""
        return self.keeper.restore()

    def discard_draft(self, *_: Any) -> None:
        self.keeper.discard()

    def autosave(self) -> None:
        """Write the drafts now (held back while the visitor is not known; unchanged: not rewritten)."""
        self.keeper.save()

    def autosave_soon(self) -> None:
        """Write the drafts within a second (typing: at most one write a second)."""
        self.keeper.save_soon()

    # -- actions ---------------------------------------------------------------------------
    def new_connection(self, *_: Any) -> None:
        """Start a new, blank connection with an empty bar (what was on screen can be taken back
        with the decision's Undo while it was not added)."""
        self.decision.load_example(BLANK)
        self.state.show_bar(None)
        self.state.selected = None
        self.autosave()
        self.state.say("New, blank connection: nothing answered yet.")

    def add(self, *_: Any) -> Entry | None:
        """Keep the connection on screen as an entry (same name: updated in place), with the
        dashboard's weights (where they differ from the defaults) and the profile in force."""
        try:
            connection = parse_connection(self.decision.connection_dict(), self.model, where="dashboard")
            profile, weights = self.dashboard_settings()
        except PatternfitError as exc:
            self.state.fail(exc.message)
            return None
        entry = self.state.add(connection, profile, weights, self.decision.record.room)
        if entry is not None:
            self.decision.mark_kept()  # in the workshop now: loading another connection loses nothing
        return entry

    def dashboard_settings(self) -> tuple[dict[str, Any] | None, dict[str, float]]:
        """The profile in force on the dashboard (None: the reference model) and its weights that
        differ from that profile's defaults (`DecisionApp.model` is the model in force)."""
        raw = self.decision.profile
        profile = profile_mapping(raw) if isinstance(raw, Mapping) else None
        return profile, changed_weights(self.decision.weights, self.decision.model.default_weights())

    def show_entry(self, entry: Entry) -> None:
        """Put an entry's connection, profile and weights on the dashboard."""
        current = self.decision.profile
        if (profile_mapping(current) if isinstance(current, Mapping) else None) != (entry.profile or None):
            self.decision.set_profile(dict(entry.profile) if entry.profile else None)
        defaults = profiled_model(entry.profile, self.model, where=f"entry {entry.id}: profile").default_weights()
        self.decision.apply_connection(entry.connection, example=None, weights={**defaults, **entry.weights})
        if entry.room:  # the record made from this entry carries its room again
            self._set_room(dict(entry.room))
        if entry.id != CURRENT:
            self.decision.mark_kept()

    def reopen(self, entry_id: str) -> None:
        """Show an entry in the dashboard again, with its notes, choice, weights and profile."""
        entry = self.state.workshop.entry(entry_id)
        self.show_entry(entry)
        self.state.show_bar(entry)
        self.state.selected = entry_id
        self.state.say(f"Reopened “{entry.connection.name}”.")

    def remove(self, *_: Any) -> None:
        """Remove the entry selected in the list."""
        self.state.remove(self.state.selected)

    def show_compare(self, *_: Any) -> bool:
        """Draw the compare view for the entries picked; errors go to the banner."""
        return self.state.compare_picked()

    def save_on_server(self, *_: Any) -> Path | None:
        """Write the workshop file into the workshops folder."""
        return self.state.save_on_server()

    def open_bytes(self, content: bytes, filename: str) -> bool:
        """Open an uploaded workshop file; a bad file is refused in the banner, nothing changes."""
        if not self.state.open_bytes(content, filename):
            return False
        self.state.follow(self.decision.state.name)
        self.state.changed(f"Opened {Path(filename).name}: {len(self.state.workshop.entries)} connections.")
        return True

    # -- the decision and the room -----------------------------------------------------------
    def _answered(self, _change: Any) -> None:
        self.state.answer(self.decision.assessment)
        self.autosave_soon()

    def _apply_room(self, connection: Any, room: dict[str, Any] | None = None) -> None:
        """The room's combined answers on the dashboard, keeping the weights in force; the record
        then carries the room (`room`: patternfit.room.summary.room_summary)."""
        self.decision.apply_connection(connection, example=None, weights=self.decision.weights)
        self._set_room(room)

    def _set_room(self, room: dict[str, Any] | None) -> None:
        self.decision.record.room = room
        self.decision.record.update(self.decision.assessment)

    def _safe(self, callback: Callable[..., Any]) -> Callable[..., None]:
        return H.guarded(callback, self.state.fail, "the workshop is kept", LOG)

    # -- drafts: what is written, offered and put back -----------------------------------------
    def _draft_contents(self) -> dict[str, Workshop]:
        """The workshop, and the connection on screen with the bar as typed (and the connection
        the decision's Undo would put back)."""
        current, *replaced = self.decision.draft_entries()
        bar = self.state.bar
        current = dataclasses.replace(current, id=CURRENT, notes=bar.notes, chosen=bar.chosen, rationale=bar.rationale)
        on_screen = Workshop(title=self.state.workshop.title, entries=(current, *replaced))
        return {self.name: self.state.workshop, f"{self.name}-{CURRENT}": on_screen}

    def _draft_offer(self, found: Found) -> str:
        draft = found.get(self.name)
        count = len(draft.entries) if draft is not None else 0
        if not count and found.get(f"{self.name}-{CURRENT}") is None:
            return ""
        title = draft.title if draft is not None and count else self.state.workshop.title
        return render("workshop/draft.html", title=title, count=count)

    def _draft_restore(self, found: Found) -> None:
        draft = found.get(self.name)
        if draft is not None and draft.entries:
            self.state.workshop = draft
        current = found.get(f"{self.name}-{CURRENT}")
        typed = current.entries[0] if current is not None and current.entries else None
        if current is not None:
            self.decision.restore_entries(current.entries)
        self.state.follow(self.decision.state.name)
        if typed is not None:  # the bar as typed, though it belongs to the entry of that name
            self.state.fill_bar(Bar(typed.notes, typed.chosen, typed.rationale))
        self.autosave()
        self.state.changed("Draft restored.")
