"""The workshop dashboard: the decision dashboard plus a workshop bar that keeps every connection
of a sitting (add/update, reopen, compare up to six, save, open, autosave and restore a draft).

Composes ``DecisionApp`` through its public face (its state, `undo`, and the bar as its
`Companion`: notes typed for a connection go with it when a load replaces it, and come back with
Undo). The drafts (`apps.common.drafts`, the decide page's mechanism too) are written after every
change of the workshop, and within a second of every recomputed answer and of the last key typed
in the notes, the rationale or the connection's fields, so a closed tab or a restarted kernel
loses at most that second. The draft of the connection on screen
keeps the bar's notes, choice and rationale as typed: a reload gives back what was typed after the
last "Add / update".

Drafts belong to a visitor: the id kept in the visitor's browser names their drafts folder; until
it arrives, and where it never does (nbval, a script), the app keeps one local draft — except in a
kernel started by Voila, where nothing is read or written until the id arrives, so no visitor ever
sees another's draft.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
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
from patternfit.apps.pages import page_header, upload_button
from patternfit.apps.room_panel import RoomPanel
from patternfit.charts.compare import compare_scores
from patternfit.charts.decision import mimebundle
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.errors import InputError, PatternfitError
from patternfit.io.files import publish_new
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import parse_connection
from patternfit.workshop.file import (
    MAX_COMPARE,
    Autosaver,
    Entry,
    Workshop,
    changed_weights,
    compare,
    dump_workshop,
    load_workshop,
    new_id,
    profile_mapping,
    profiled_model,
    save_workshop,
)

LOG = logging.getLogger(__name__)
UNDECIDED = "__undecided__"
LEAD = (
    "One connection at a time: answer together, write down the room's notes and choice, add it to the "
    "workshop; compare up to six; download the workshop file to carry on."
)
CURRENT = "current"


def drafts_folder() -> Path:
    """Where drafts go: $PATTERNFIT_DRAFTS, else ./.patternfit-drafts."""
    return settings.drafts_dir()


def workshops_folder() -> Path:
    """Where "save on the server" writes: $PATTERNFIT_WORKSHOPS, else ./workshops."""
    return settings.workshops_dir()


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


class WorkshopApp:
    """A DecisionApp with a workshop bar; tests drive `add`, `reopen`, `compare`, `restore_draft`…"""

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
        # the reference model: entries keep their own profile (DecisionApp.model is the one in force)
        self.model: Model = getattr(self.decision, "base_model", self.decision.model)
        self.workshop = Workshop()
        self.workshops = Path(workshops) if workshops else workshops_folder()
        self._server_files: dict[str, Path] = {}  # title stem → the file this page saved
        self.drafts = Path(drafts) if drafts else drafts_folder()
        self.name = name
        self.local_draft = not under_voila() if local_draft is None else local_draft
        self._quiet = False
        self.bar_entry: str | None = None  # the entry whose notes, choice and rationale the bar shows
        self.keeper = Drafts(
            self.drafts,
            (self.name, f"{self.name}-{CURRENT}"),
            self.model,
            contents=self._draft_contents,
            offer=self._draft_offer,
            restore=self._draft_restore,
            say=lambda message, ok: self.status(message, ok=ok),
            guard=self._safe,
        )
        self._build()
        self.decision.companion = self  # the bar's typed text goes with its connection, and comes back with Undo
        if self.local_draft:
            self.keeper.use_folder(self.drafts)
        if visitor is not None:
            self.use_visitor(visitor)
        # the decide dashboard's widget-free state: every recomputation, and the connection's name
        self.decision.state.observe(self._safe(self._answer_changed), "assessment")
        self.decision.state.observe(self._safe(self._name_changed), "name")
        self._render()
        self._sync_choice()

    # -- what tests and notebooks use ------------------------------------------------------
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

    def new_connection(self, *_: Any) -> None:
        """Start a new, blank connection with an empty bar (what was on screen can be taken back
        with the decision's Undo while it was not added)."""
        self.decision.load_example(BLANK)
        self.set_bar(None)
        self._quiet = True
        try:
            self.entries.value = None
        finally:
            self._quiet = False
        self.autosave()
        self.status("New, blank connection: nothing answered yet.")

    def add(self, *_: Any) -> Entry | None:
        """Store the connection on screen as an entry (same name: updated in place), with the
        dashboard's weights (where they differ from the defaults) and the profile in force."""
        try:
            connection = parse_connection(self.decision.connection_dict(), self.model, where="dashboard")
            profile, weights = self.dashboard_settings()
        except PatternfitError as exc:
            self.show_error(exc.message)
            return None
        missing = self.rationale_missing()
        if missing:
            self.show_error(missing)
            return None
        same = [e for e in self.workshop.entries if e.connection.name == connection.name]
        entry_id = same[0].id if same else new_id(connection.name, [e.id for e in self.workshop.entries])
        chosen = None if self.chosen.value == UNDECIDED else str(self.chosen.value)
        rationale = self.rationale.value.strip() if self.against_recommendation() else ""
        room = self.decision.record.room  # the phones' room the answers came from, if any
        entry = Entry(entry_id, connection, self.notes.value.strip(), chosen, rationale, weights, profile, room)
        self.workshop = self.workshop.put(entry)
        self.bar_entry = entry_id
        self.decision.mark_kept()  # in the workshop now: loading another connection loses nothing
        self.clear_error()
        self._changed(f"{'Updated' if same else 'Added'} “{connection.name}”.", select=entry_id)
        return entry

    def against_recommendation(self) -> bool:
        """Whether the option chosen in the bar differs from the recommendation on screen."""
        a = self.decision.assessment
        return self.chosen.value != UNDECIDED and a is not None and self.chosen.value != a.recommended

    def rationale_missing(self) -> str:
        """The message to show when the room chose against the recommendation and gave no reason
        ("" when nothing is missing)."""
        a = self.decision.assessment
        if not self.against_recommendation() or self.rationale.value.strip() or a is None or a.recommended is None:
            return ""
        chosen = self.model.pattern(str(self.chosen.value)).label
        recommended = self.model.pattern(a.recommended).label
        return (
            f"The entry needs a rationale: why the room chose {chosen} against the recommendation "
            f"{recommended}. Write it in the Rationale field, then add the connection again."
        )

    def set_bar(self, entry: Entry | None) -> None:
        """Show this entry's notes, choice and rationale in the bar (None: an empty bar for a new
        connection); the bar then belongs to that entry."""
        self._fill_bar(entry.notes if entry else "", entry.chosen if entry else None, entry.rationale if entry else "")
        self.bar_entry = entry.id if entry else None

    def _fill_bar(self, notes: str, chosen: str | None, rationale: str) -> None:
        self._quiet = True
        try:
            self.notes.value = notes
            self.chosen.value = (chosen if chosen in self._choice_keys() else None) or UNDECIDED
            self.rationale.value = rationale
        finally:
            self._quiet = False
        self._sync_choice()

    def typed(self) -> dict[str, Any] | None:
        """The bar's notes, choice and rationale when they differ from what its entry keeps (or,
        for a connection not added yet, when anything is typed); None otherwise."""
        chosen = None if self.chosen.value == UNDECIDED else str(self.chosen.value)
        entry = next((e for e in self.workshop.entries if e.id == self.bar_entry), None)
        kept = (entry.notes, entry.chosen, entry.rationale) if entry is not None else ("", None, "")
        if (self.notes.value.strip(), chosen, self.rationale.value.strip()) == kept:
            return None
        return {"notes": self.notes.value, "chosen": chosen, "rationale": self.rationale.value}

    def put_typed(self, fields: Mapping[str, Any] | None) -> None:
        """Show typed bar fields again; None: an empty bar, unless it shows an entry's own."""
        if fields:
            self._fill_bar(str(fields.get("notes") or ""), fields.get("chosen"), str(fields.get("rationale") or ""))
        elif self.bar_entry is None:
            self._fill_bar("", None, "")

    def dashboard_settings(self) -> tuple[dict[str, Any] | None, dict[str, float]]:
        """The profile in force on the dashboard (None: the reference model) and its weights that
        differ from that profile's defaults."""
        raw = getattr(self.decision, "profile", None)  # DecisionApp.profile: dict | None
        profile = profile_mapping(raw) if isinstance(raw, Mapping) else None
        # DecisionApp.model is the model in force: the reference with the profile applied
        return profile, changed_weights(self.decision.weights, self.decision.model.default_weights())

    def show_entry(self, entry: Entry) -> None:
        """Put an entry's connection, profile and weights on the dashboard."""
        set_profile = getattr(self.decision, "set_profile", None)  # DecisionApp.set_profile(source | None)
        current = getattr(self.decision, "profile", None)
        if set_profile is not None and (profile_mapping(current) if isinstance(current, Mapping) else None) != (
            entry.profile or None
        ):
            set_profile(dict(entry.profile) if entry.profile else None)
        elif set_profile is None and entry.profile:
            self.status("This dashboard cannot switch profiles: the entry's profile is not shown.", ok=False)
        defaults = profiled_model(entry.profile, self.model, where=f"entry {entry.id}: profile").default_weights()
        self.decision.apply_connection(entry.connection, example=None, weights={**defaults, **entry.weights})
        if entry.room:  # the record made from this entry carries its room again
            self.decision.record.room = dict(entry.room)
            self.decision.record.update(self.decision.assessment)
        if entry.id != CURRENT:
            self.decision.mark_kept()

    def reopen(self, entry_id: str) -> None:
        """Show an entry in the dashboard again, with its notes, choice, weights and profile."""
        entry = self.workshop.entry(entry_id)
        self.show_entry(entry)
        self.set_bar(entry)
        self._quiet = True
        try:
            self.entries.value = entry_id
        finally:
            self._quiet = False
        self.status(f"Reopened “{entry.connection.name}”.")

    def remove(self, *_: Any) -> None:
        """Remove the entry selected in the list."""
        if self.entries.value:
            removed = str(self.entries.value)
            self.workshop = self.workshop.remove(removed)
            if self.bar_entry == removed:
                self.bar_entry = None
            self._changed("Removed the entry.")

    def compare_ids(self, ids: Sequence[str]) -> tuple[Any, dict[str, Any]]:
        """The compare table (DataFrame) and chart (figure dict) of up to six entries."""
        if len(ids) > MAX_COMPARE:
            raise InputError("compare", f"{len(ids)} connections chosen", f"compare at most {MAX_COMPARE} at a time")
        assessments = [self.assess_entry(self.workshop.entry(i)) for i in ids]
        return compare(assessments, self.model), compare_scores(assessments, self.model)

    def show_compare(self, *_: Any) -> bool:
        """Draw the compare view for the entries picked; errors go to the banner."""
        ids = list(self.pick.value)
        try:
            table, spec = self.compare_ids(ids)
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        self.clear_error()
        self.compare_table.value = frame_html(table)
        self.compare_chart.outputs = ({"output_type": "display_data", "data": mimebundle(spec), "metadata": {}},)
        self.compare_box.layout.display = None
        return True

    def assess_entry(self, entry: Entry) -> Assessment:
        """The entry assessed with its own weights and profile."""
        return assess_connection(
            entry.connection, weights=dict(entry.weights) or None, profile=entry.profile, samples=0, model=self.model
        )

    def download_text(self) -> str:
        return dump_workshop(self.workshop)

    def save_on_server(self, *_: Any) -> Path | None:
        """Write the workshop file into the workshops folder."""
        try:
            self.workshops.mkdir(parents=True, exist_ok=True)
            path = self._save_to_own_file()
        except PatternfitError as exc:
            self.show_error(exc.message)
            return None
        except OSError as exc:
            self.show_error(f"{self.workshops}: could not save ({exc.strerror or type(exc).__name__})")
            return None
        self.status(f"Saved as {path}")
        return path

    def _save_to_own_file(self) -> Path:
        """This page's file in the workshops folder. The first save under a title takes the first
        free name (`title.yaml`, `title-2.yaml`, …) without replacing anyone's; later saves of
        this page replace only that file, so two rooms that keep the same title keep both."""
        stem = new_id(self.workshop.title)
        own = self._server_files.get(stem)
        if own is not None:
            return save_workshop(self.workshop, own)
        text = dump_workshop(self.workshop)
        for n in range(1, 1000):
            path = self.workshops / (f"{stem}.yaml" if n == 1 else f"{stem}-{n}.yaml")
            if publish_new(path, text):
                self._server_files[stem] = path
                return path
        raise InputError(str(self.workshops), f"holds 999 workshops titled {stem!r}", "give this workshop a new title")

    def open_bytes(self, content: bytes, filename: str) -> bool:
        """Open an uploaded workshop file; a bad file is refused in the banner, nothing changes."""
        try:
            workshop = load_workshop(bytes(content), self.model, where=Path(filename).name)
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        self.workshop = workshop
        self._quiet = True
        try:
            self.title.value = workshop.title
        finally:
            self._quiet = False
        self.clear_error()
        self.bar_entry = None
        self._follow_connection()
        self._changed(f"Opened {Path(filename).name}: {len(workshop.entries)} connections.")
        return True

    def restore_draft(self, *_: Any) -> bool:
        """Take back the draft found when the app opened: the entries, the connection on screen
        and the bar (notes, choice, rationale) as they were typed."""
        return self.keeper.restore()

    def discard_draft(self, *_: Any) -> None:
        self.keeper.discard()

    def autosave(self) -> None:
        """Write the workshop and the connection on screen (with the bar as typed) as drafts now
        (held back while the visitor is not known yet; an unchanged draft is not written again)."""
        self.keeper.save()

    def autosave_soon(self) -> None:
        """Write the drafts within a second (typing: at most one write a second)."""
        self.keeper.save_soon()

    def _draft_contents(self) -> dict[str, Workshop]:
        """The drafts to write: the workshop, and the connection on screen with the bar as typed
        (and the connection the decision's Undo would put back)."""
        current, *replaced = self.decision.draft_entries()
        chosen = None if self.chosen.value == UNDECIDED else str(self.chosen.value)
        current = dataclasses.replace(
            current, id=CURRENT, notes=self.notes.value, chosen=chosen, rationale=self.rationale.value
        )
        on_screen = Workshop(title=self.workshop.title, entries=(current, *replaced))
        return {self.name: self.workshop, f"{self.name}-{CURRENT}": on_screen}

    def _draft_offer(self, found: Found) -> str:
        draft = found.get(self.name)
        count = len(draft.entries) if draft is not None else 0
        if not count and found.get(f"{self.name}-{CURRENT}") is None:
            return ""
        title = draft.title if draft is not None and count else self.workshop.title
        return render("workshop/draft.html", title=title, count=count)

    def _draft_restore(self, found: Found) -> None:
        draft = found.get(self.name)
        if draft is not None and draft.entries:
            self.workshop = draft
            self._quiet = True
            try:
                self.title.value = draft.title
            finally:
                self._quiet = False
        current = found.get(f"{self.name}-{CURRENT}")
        typed = current.entries[0] if current is not None and current.entries else None
        if current is not None:
            self.decision.restore_entries(current.entries)
        self._follow_connection()
        if typed is not None:  # the bar as typed, though it belongs to the entry of that name
            self._fill_bar(typed.notes, typed.chosen, typed.rationale)
        self._changed("Draft restored.")

    def show_error(self, message: str) -> None:
        self.status_html.value = ""
        H.show_banner(self.error, message)

    def clear_error(self, *_: Any) -> None:
        H.hide_banner(self.error)

    def status(self, message: str, *, ok: bool = True) -> None:
        """Say what happened, under the workshop's actions; a success clears an earlier error."""
        if ok and message:
            self.clear_error()
        self.status_html.value = H.status_html(message, ok=ok) if message else ""

    # -- building --------------------------------------------------------------------------
    def _build(self) -> None:
        wide = w.Layout(width="100%")
        self.title = w.Text(value=self.workshop.title, description="Workshop", layout=w.Layout(width="420px"),
                            tooltip="The workshop's title, used for its file name")  # fmt: skip
        self.title.add_class("pf-workshop-title")
        self.title.observe(self._safe(self._title_changed), "value")
        self.notes = w.Textarea(placeholder="notes of the room", description="Notes",
                                layout=w.Layout(width="400px", height="56px"))  # fmt: skip
        self.notes.add_class("pf-workshop-notes")
        self.notes.observe(self._safe(self._typed), "value")  # every key (continuous_update): saved within 1 s
        self.chosen = w.Dropdown(options=self._choice_options(None), value=UNDECIDED, description="Chosen",
                                 layout=w.Layout(width="400px"))  # fmt: skip
        self.chosen.add_class("pf-workshop-chosen")
        self.chosen.observe(self._safe(self._choice_changed), "value")
        self.rationale = w.Textarea(placeholder="Why the room chose against the recommendation (required)",
                                    description="Rationale", layout=w.Layout(width="400px", height="56px",
                                                                             display="none"))  # fmt: skip
        self.rationale.add_class("pf-workshop-rationale")
        self.rationale.observe(self._safe(self._choice_changed), "value")
        self.required = w.HTML("", layout=w.Layout(width="400px"))
        self.required.add_class("pf-workshop-rationale-required")
        self.add_button = w.Button(description="Add / update this connection", button_style="primary",
                                   layout=w.Layout(width="auto"))  # fmt: skip
        self.add_button.add_class("pf-workshop-add")
        self.new_button = w.Button(description="New connection", icon="plus", layout=w.Layout(width="auto"),
                                   tooltip="Start a new, blank connection with an empty bar")  # fmt: skip
        self.new_button.add_class("pf-workshop-new")
        self.new_button.on_click(self._safe(self.new_connection))
        self.add_button.on_click(self._safe(self.add))
        self.entries = w.Select(options=[], rows=4, description="Entries", layout=w.Layout(width="400px"))
        self.entries.add_class("pf-workshop-entries")
        self.entries.observe(self._safe(self._entry_selected), "value")
        self.remove_button = w.Button(description="Remove selected", layout=w.Layout(width="auto"))
        self.remove_button.add_class("pf-workshop-remove")
        self.remove_button.on_click(self._safe(self.remove))
        self.save_button = w.Button(description="Save on the server", layout=w.Layout(width="auto"))
        self.save_button.add_class("pf-workshop-save")
        self.save_button.on_click(self._safe(self.save_on_server))
        self.download = w.HTML("")
        self.download.add_class("pf-workshop-download")
        self.upload = upload_button(".yaml,.yml", "Open a workshop file", "Open a workshop file (.yaml) saved earlier")
        self.upload.add_class("pf-workshop-upload")
        self.upload.observe(self._safe(self._uploaded), "value")
        self.pick = w.SelectMultiple(options=[], rows=4, description="Compare", layout=w.Layout(width="400px"))
        self.pick.add_class("pf-workshop-pick")
        self.compare_button = w.Button(description=f"Compare (up to {MAX_COMPARE})", layout=w.Layout(width="auto"))
        self.compare_button.add_class("pf-workshop-compare-button")
        self.compare_button.on_click(self._safe(self.show_compare))
        self.compare_table = w.HTML("", layout=wide)
        self.compare_chart = w.Output(layout=wide)
        self.compare_chart.add_class("pf-workshop-compare-chart")
        self.compare_box = w.VBox([w.HTML("<h3>Side by side</h3>"), self.compare_table, self.compare_chart],
                                  layout=w.Layout(width="100%", display="none"))  # fmt: skip
        self.compare_box.add_class("pf-workshop-compare")
        self.error = w.HTML("", layout=w.Layout(width="100%", display="none"))
        self.error.add_class("pf-error")
        self.status_html = w.HTML("")
        self.status_html.add_class("pf-workshop-status")
        self.keeper.restore_button.add_class("pf-workshop-restore-button")
        self.banner.add_class("pf-workshop-restore")
        entry_form = w.VBox([self.notes, self.chosen, self.rationale, self.required,
                             w.HBox([self.add_button, self.new_button])])  # fmt: skip
        listing = w.VBox([self.entries, w.HBox([self.remove_button, self.save_button]),
                          w.HBox([self.download, self.upload])])  # fmt: skip
        comparing = w.VBox([self.pick, self.compare_button])
        row = w.HBox([entry_form, listing, comparing], layout=w.Layout(width="100%", flex_flow="row wrap"))
        # the messages sit in the bar, under the actions that cause them, and stay in view while
        # the page scrolls (the bar is sticky on wide screens: see pf-workshop-notice in the CSS)
        notice = w.VBox([self.error, self.status_html], layout=wide)
        notice.add_class("pf-workshop-notice")
        notice.add_class("pf-notice")
        bar = w.VBox([self.title, row, notice, self.compare_box], layout=wide)
        bar.add_class("pf-panel")
        bar.add_class("pf-workshop-bar")
        # the top of the page: the ways to the other dashboards and "A draft was found — Restore";
        # the notebook shows it above its walk-through, `page` puts it above the workshop
        self.header = w.VBox([page_header("workshop", LEAD), self.banner], layout=wide)
        self.header.add_class("pf-workshop-header")
        # the room: phones answer this connection's questions together (apps/room_panel.py)
        self.room = RoomPanel(self.model, self.decision.connection_dict, self._apply_room)
        self.widget = w.VBox([bar, self.room.widget, self.decision.widget, self.keeper.visitor_widget], layout=wide)
        self.widget.add_class("pf-workshop")
        self.widget.app = self
        self.page = w.VBox([self.header, self.widget], layout=wide)
        self.page.app = self

    def _apply_room(self, connection: Any, room: dict[str, Any] | None = None) -> None:
        """The room's combined answers on the dashboard, keeping the weights in force; the record
        then carries the room (`room`: patternfit.room.summary.room_summary)."""
        self.decision.apply_connection(connection, example=None, weights=self.decision.weights)
        self.decision.record.room = room
        self.decision.record.update(self.decision.assessment)

    def _choice_keys(self) -> list[str]:
        return [p.key for p in self.model.patterns]

    def _choice_options(self, a: Assessment | None) -> list[tuple[str, str]]:
        """The bar's options: the patterns by label, the recommendation and the ruled-out ones marked."""
        options = [("not decided yet", UNDECIDED)]
        for p in self.model.patterns:
            mark = ""
            if a is not None and p.key == a.recommended:
                mark = " (recommended)"
            elif a is not None and a.scores.get(p.key, 0.0) is None:
                mark = " (ruled out)"
            options.append((p.label + mark, p.key))
        return options

    def _sync_choice(self) -> None:
        """Mark the recommendation in the Chosen list; show the Rationale field (and say it is
        required) when the choice differs from the recommendation, as the record panel does."""
        a = self.decision.assessment
        options = self._choice_options(a)
        if list(self.chosen.options) != options:
            value = self.chosen.value
            self._quiet = True
            try:
                self.chosen.options = options
                self.chosen.value = value
            finally:
                self._quiet = False
        against = self.against_recommendation()
        self.rationale.layout.display = None if against else "none"
        missing = self.rationale_missing()
        self.required.value = render("workshop/rationale_required.html") if missing else ""

    def _follow_connection(self) -> None:
        """The bar belongs to the connection on screen: the entry of that name when there is one,
        else an empty bar (a new connection never inherits another entry's notes or choice)."""
        name = self.decision.state.name.strip()
        match = next((e for e in self.workshop.entries if e.connection.name == name), None)
        if match is not None:
            if match.id != self.bar_entry:
                self.set_bar(match)
        elif self.bar_entry is not None:
            self.set_bar(None)

    # -- callbacks -------------------------------------------------------------------------
    def _safe(self, callback: Callable[..., Any]) -> Callable[..., None]:
        return H.guarded(callback, self.show_error, "the workshop is kept", LOG)

    def _changed(self, message: str, *, select: str | None = None) -> None:
        self._render(select)
        self.autosave()
        self.status(message)

    def _render(self, select: str | None = None) -> None:
        options = [
            (e.connection.name + (f" → {self.model.pattern(e.chosen).label}" if e.chosen else ""), e.id)
            for e in self.workshop.entries
        ]
        ids = [e.id for e in self.workshop.entries]
        self._quiet = True
        try:
            keep = [i for i in self.pick.value if i in ids]
            self.entries.options = options
            self.entries.value = select if select in ids else None
            self.pick.options = options
            self.pick.value = tuple(keep)
        finally:
            self._quiet = False
        slug = new_id(self.workshop.title)
        self.download.value = H.download_html(self.download_text(), f"{slug}.yaml", "application/x-yaml",
                                              "Download the workshop file")  # fmt: skip

    def _title_changed(self, change: Any) -> None:
        if self._quiet:
            return
        self.workshop = dataclasses.replace(self.workshop, title=str(change["new"]).strip() or "Integration workshop")
        self._changed("")

    def _entry_selected(self, change: Any) -> None:
        if self._quiet or not change["new"]:
            return
        self.reopen(str(change["new"]))

    def _answer_changed(self, _change: Any) -> None:
        self._sync_choice()
        self.autosave_soon()

    def _typed(self, _change: Any) -> None:
        if not self._quiet:
            self.autosave_soon()

    def _name_changed(self, _change: Any) -> None:
        self._follow_connection()

    def _choice_changed(self, _change: Any) -> None:
        if not self._quiet:
            self._sync_choice()
            self.autosave_soon()

    def _uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.upload.value = ()  # the same file can be opened again
            self.open_bytes(*item)


def frame_html(frame: Any) -> str:
    """The compare DataFrame as an escaped HTML table (user text never becomes markup)."""
    rows = [(index, list(row)) for index, row in zip(frame.index, frame.itertuples(index=False), strict=True)]
    return render("workshop/compare_table.html", columns=list(frame.columns), rows=rows)


# -- thin helpers for notebooks/workshop.ipynb ---------------------------------------------------
def example_assessments(model: Model | None = None) -> list[Assessment]:
    """The example connections of data/examples, assessed (no robustness: deterministic, fast)."""
    from patternfit.model.connection import load_connection
    from patternfit.model.examples import examples

    model = model or load_model()
    return [
        assess_connection(load_connection(path, model), samples=0, model=model) for _, path in examples(model).values()
    ]


def recommendations_text(model: Model | None = None) -> str:
    """One line per example: its name and the recommended pattern (and coordination)."""
    model = model or load_model()
    lines = []
    for a in example_assessments(model):
        label = model.pattern(a.recommended).label if a.recommended else "none"
        lines.append(f"{a.connection.name}: {label}" + (f" ({a.coordination})" if a.coordination else ""))
    return "\n".join(lines)


def show_examples(model: Model | None = None) -> None:
    """Display the examples side by side: the compare table, then the scores chart."""
    from IPython.display import HTML, display

    from patternfit.charts.decision import figure

    use_plotly_mimetype()
    model = model or load_model()
    assessments = example_assessments(model)
    display(HTML(H.CSS + frame_html(compare(assessments, model))))  # type: ignore[no-untyped-call]
    figure(compare_scores(assessments, model)).show()


def show_tradeoffs(model: Model | None = None) -> None:
    """Display the four patterns' trade-off profiles chart."""
    from patternfit.charts.decision import figure, tradeoff_profiles

    use_plotly_mimetype()
    figure(tradeoff_profiles(model or load_model(), None)).show()


def show_pattern_page(key: str, model: Model | None = None) -> None:
    """Display one pattern's guide page as Markdown."""
    from IPython.display import Markdown, display

    from patternfit.apps.common.guide import pattern_page

    display(Markdown(pattern_page(model or load_model(), key)))  # type: ignore[no-untyped-call]
