"""The workshop bar (apps/workshop/bar.py) over a real `WorkshopState` and the model in data/:
each widget sets the state through one method, what the bar shows is drawn from the state, and
drawing never counts as typing. The bar is built on its own (the page's actions are the page's)
and inside the real `WorkshopApp`; no browser."""

from __future__ import annotations

import base64
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from patternfit.apps.common import html as H
from patternfit.apps.workshop import WorkshopApp
from patternfit.apps.workshop.bar import LEAD, WorkshopBar
from patternfit.apps.workshop.state import UNDECIDED, Bar, WorkshopState
from patternfit.model.catalog import Model
from patternfit.model.connection import load_connection
from patternfit.workshop.file import MAX_COMPARE, Entry, load_workshop

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
HOOKS = (
    "title", "notes", "chosen", "rationale", "rationale-required", "add", "new", "entries", "remove", "save",
    "download", "upload", "pick", "compare-button", "compare-chart", "compare",
)  # fmt: skip


LOG = logging.getLogger(__name__)


def classes(widget: Any) -> list[str]:
    """A widget's CSS classes, as the browser gets them (its synced state)."""
    return list(widget.get_state()["_dom_classes"])


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def bar_over(state: WorkshopState, failures: list[str] | None = None) -> WorkshopBar:
    """The bar on its own, bound to `state` (no decision page around it), its callbacks guarded
    as the page guards them; a failure is said in the state's error line (and kept in `failures`)."""

    def report(message: str) -> None:
        if failures is not None:
            failures.append(message)
        state.fail(message)

    bar = WorkshopBar()
    bar.state = state
    bar.build_bar(state, lambda callback: H.guarded(callback, report, "the workshop is kept", LOG))
    return bar


def upload(name: str, content: bytes) -> tuple[dict[str, Any], ...]:
    """A FileUpload's value holding one file, as the browser sends it."""
    when = datetime.now(UTC)
    return ({"name": name, "content": content, "size": len(content), "type": "", "last_modified": when},)


@pytest.fixture
def state(tmp_path: Path, model: Model) -> WorkshopState:
    return WorkshopState(model, tmp_path / "workshops")


def added(state: WorkshopState, model: Model, *stems: str) -> list[Entry]:
    entries = []
    for stem in stems:
        entry = state.add(load_connection(EXAMPLES / f"{stem}.yaml", model), None, {}, None)
        assert entry is not None
        entries.append(entry)
    return entries


def test_the_bar_carries_its_hooks_and_the_page_header(state: WorkshopState) -> None:
    bar = bar_over(state)
    found = {c for widget in vars(bar).values() if hasattr(widget, "get_state") for c in classes(widget)}
    assert {f"pf-workshop-{h}" for h in HOOKS} <= found
    assert {"pf-panel", "pf-workshop-bar"} <= set(classes(bar.bar)) and "pf-error" in classes(bar.error)
    assert "pf-page-header" in classes(bar.header_html)
    assert LEAD[:30] in text(bar.header_html.children[0].value)
    assert bar.chosen.options == tuple(state.choice_options()) and bar.chosen.value == UNDECIDED
    assert f"Compare (up to {MAX_COMPARE})" == bar.compare_button.description


def test_typing_sets_the_state_and_drawing_is_not_typing(state: WorkshopState, model: Model) -> None:
    """Notes, choice and rationale typed in the widgets go to the state's bar; a bar put in the
    state by code is drawn into the widgets without being taken back as typed."""
    bar = bar_over(state)
    state.answer(None)
    state.recommended = "events"
    bar.notes.value = "billing <b>now</b>"
    bar.chosen.value = "api"
    assert state.bar == Bar("billing <b>now</b>", "api", "")
    assert bar.rationale.layout.display is None and "rationale is required" in bar.required.value
    bar.rationale.value = "the team knows REST"
    assert state.bar.rationale == "the team knows REST" and bar.required.value == ""
    bar.chosen.value = UNDECIDED
    assert state.bar.chosen is None and bar.rationale.layout.display == "none"
    seen: list[Any] = []
    state.observe(lambda change: seen.append(change["new"]), "bar")
    state.fill_bar(Bar("from code", "batch", "why"))
    assert (bar.notes.value, bar.chosen.value, bar.rationale.value) == ("from code", "batch", "why")
    assert seen == [Bar("from code", "batch", "why")]  # drawn once, not echoed back by the widgets


def test_the_title_names_the_file_and_a_blank_title_is_not_forced_back(state: WorkshopState) -> None:
    bar = bar_over(state)
    bar.title.value = "Room <4>"
    assert state.workshop.title == "Room <4>" and 'download="room-4.yaml"' in bar.download.value
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", bar.download.value)
    assert payload is not None and base64.b64decode(payload.group(1)).decode() == state.download_text()
    assert "Download the workshop file" in text(bar.download.value)
    bar.title.value = "   "  # being cleared to type another: left as typed
    assert bar.title.value == "   " and state.workshop.title != "Room <4>"


def test_the_entries_and_picks_follow_the_state(state: WorkshopState, model: Model) -> None:
    """Added entries appear in both lists by name and choice; picks typed go to the state; the
    compare button draws the side-by-side table with the names escaped; Remove removes."""
    bar = bar_over(state)
    state.type(chosen="events")
    fanout, nightly = added(state, model, "order-created-fanout", "nightly-reconciliation")
    assert bar.entries.options == bar.pick.options == tuple(state.entry_options())
    assert f"Order created fan-out → {model.pattern('events').label}" in dict(bar.entries.options)
    assert bar.entries.value == nightly.id == state.selected
    bar.pick.value = (fanout.id, nightly.id)
    assert state.pick == (fanout.id, nightly.id) and bar.compare_box.layout.display == "none"
    bar.compare_button.click()
    assert bar.compare_box.layout.display is None and state.compared is not None
    assert "Order created fan-out" in text(bar.compare_table.value) and bar.compare_chart.outputs


def test_removing_the_selected_entry_draws_the_lists_without_a_failure(state: WorkshopState, model: Model) -> None:
    failures: list[str] = []
    bar = bar_over(state, failures)
    fanout, nightly = added(state, model, "order-created-fanout", "nightly-reconciliation")
    bar.pick.value = (fanout.id, nightly.id)
    assert bar.entries.value == nightly.id
    bar.remove_button.click()  # the selected entry: the nightly one
    assert failures == []
    assert [e.id for e in state.workshop.entries] == [fanout.id] and bar.pick.value == (fanout.id,)
    assert bar.entries.value is None and "Removed the entry." in text(bar.status_html.value)


def test_an_error_is_shown_escaped_and_a_status_replaces_it(state: WorkshopState) -> None:
    bar = bar_over(state)
    assert bar.error.layout.display == "none"
    state.fail("a <b>bad</b> file")
    assert "a &lt;b&gt;bad&lt;/b&gt; file" in bar.error.value and bar.error.layout.display is None
    state.say("Saved.")
    assert bar.error.layout.display == "none" and "Saved." in text(bar.status_html.value)


def test_a_bar_without_its_page_has_no_actions(state: WorkshopState) -> None:
    """The actions that reach the decision are the page's: the bar alone refuses them, and the
    guard says so in the error line instead of a traceback."""
    failures: list[str] = []
    bar = bar_over(state, failures)
    bar.add_button.click()
    bar.upload.value = upload("w.yaml", b"title: x\n")
    assert failures == ["Something went wrong (NotImplementedError); the workshop is kept."] * 2
    assert "Something went wrong" in bar.error.value and bar.error.layout.display is None
    assert bar.upload.value == ()  # cleared before the action: the same file can be chosen again


def test_inside_the_page_the_lists_and_the_upload_reach_the_decision(tmp_path: Path, model: Model) -> None:
    """In the workshop page, choosing an entry reopens its connection on screen, and an uploaded
    workshop file is opened (the upload is cleared so the same file can be opened again)."""
    app = WorkshopApp(model, drafts=tmp_path / "d", workshops=tmp_path / "w", samples=0, local_draft=False)
    assert isinstance(app, WorkshopBar)
    app.notes.value = "fan-out notes"
    first = app.add()
    app.decision.load_example("nightly-reconciliation")
    assert app.add() is not None and app.notes.value == ""
    assert first is not None
    app.entries.value = first.id
    assert app.decision.state.name == first.connection.name and app.notes.value == "fan-out notes"
    content = app.download_text().encode()
    fresh = WorkshopApp(model, drafts=tmp_path / "d2", workshops=tmp_path / "w2", samples=0, local_draft=False)
    fresh.upload.value = upload("room.yaml", content)
    assert fresh.upload.value == ()
    assert fresh.workshop == load_workshop(content, model) and fresh.entries.options == app.entries.options
