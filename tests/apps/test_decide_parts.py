"""The decide page's parts on their own: files and profiles read into typed values, what Undo
keeps and its draft form, what the state says is kept elsewhere, and the views (the connection
bar, the error notice, the profile panel, the answer) driven through their public members."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from patternfit.apps.common.limits import SMALL_FILE_BYTES
from patternfit.apps.common.questions import Shared
from patternfit.apps.decide.answer import AnswerView, CardInputs
from patternfit.apps.decide.app import DecisionApp
from patternfit.apps.decide.connection_bar import BLANK, OPENED, ConnectionBar
from patternfit.apps.decide.files import read_connection_file, read_profile, read_profile_file
from patternfit.apps.decide.guidance import guidance
from patternfit.apps.decide.notice import Notice
from patternfit.apps.decide.profile_panel import applied_message, profile_title
from patternfit.apps.decide.state import DecisionState, Snapshot
from patternfit.apps.decide.undo import (
    CURRENT,
    REPLACED,
    Replaced,
    draft_offer_html,
    entry_of,
    replaced_entry,
    replaced_from,
    undo_html,
)
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.model.connection import Connection
from patternfit.records import LoadedRecord
from patternfit.workshop.file import Entry

from tests.apps.test_app_profile import ACME, ACME_YAML

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


def no_record(content: bytes, name: str) -> LoadedRecord:
    raise AssertionError(f"{name} is no record")


def run(callback: Any) -> Any:
    """A guard that runs the callback as it is (failures surface in the test)."""
    return callback


# -- files ---------------------------------------------------------------------------------
def test_a_connection_file_is_read_against_the_model(model: Model) -> None:
    """A .yaml connection is checked against the model; a file that is neither is refused by name."""
    content = (EXAMPLES / "order-created-fanout.yaml").read_bytes()
    opened = read_connection_file(content, "dir/fanout.yaml", model, model, no_record)
    assert opened.connection.name == "Order created fan-out" and not opened.record and opened.profile is None
    with pytest.raises(InputError) as err:
        read_connection_file(b"x", "notes.txt", model, model, no_record)
    assert err.value.where == "notes.txt" and ".md" in err.value.fix


def test_an_upload_over_the_limit_is_refused_before_it_is_read(model: Model) -> None:
    """The shared page limit applies: the message names the file, its size and the limit."""
    big = b"#" * (SMALL_FILE_BYTES + 1)
    with pytest.raises(InputError) as err:
        read_connection_file(big, "big.yaml", model, model, no_record)
    assert err.value.where == "big.yaml" and f"{SMALL_FILE_BYTES:,}" in err.value.what
    with pytest.raises(InputError) as err:
        read_profile_file(big, "big.yaml", model)
    assert err.value.where == "big.yaml" and f"{SMALL_FILE_BYTES + 1:,} bytes" in err.value.what


def test_a_profile_is_read_once_into_its_model_and_identity(model: Model) -> None:
    """A profile mapping and the same profile as a file give the same definition, identity and key."""
    read = read_profile(ACME, model)
    from_file = read_profile_file(ACME_YAML.encode(), "acme.yaml", model)
    assert read.definition == from_file.definition and read.key == from_file.key
    assert read.info["name"] == "Acme <integration office>" and read.model is not model
    assert read.model.default_weights()["coordinated_steps"] == 10
    with pytest.raises(InputError) as err:
        read_profile_file(b"name: x\n", "acme.txt", model)
    assert "acme.txt" in err.value.where and ".json" in err.value.fix


# -- what Undo keeps, and the draft ------------------------------------------------------------
def test_a_snapshot_goes_into_the_draft_and_back(model: Model) -> None:
    """A typed snapshot becomes a draft entry (only the weights that differ) and comes back equal."""
    weights = {**model.default_weights(), "latency_budget": 9.0}
    snap = Snapshot("  Orders ", "", "Shop", "ERP", {"latency_budget": "seconds"}, ("latency_budget",), weights=weights)
    entry = entry_of(REPLACED, snap, None, model)
    assert entry.connection.name == "Orders" and entry.weights == {"latency_budget": 9.0}
    back = replaced_from(entry, None, model)
    assert back.snapshot.answers == snap.answers and back.snapshot.weights == weights
    assert not back.kept and back.extra is None and back.drafted


def test_what_the_workshop_typed_goes_with_the_replaced_entry(model: Model) -> None:
    """Notes and a chosen pattern typed in the workshop's bar are kept in the draft's replaced entry."""
    snap = Snapshot("Orders", answers={"latency_budget": "seconds"}, weights=model.default_weights())
    back = Replaced(snap, None, None, kept=True, extra={"notes": "ask Ann", "chosen": "events"})
    assert back.drafted  # kept as loaded, but the bar typed for it
    entry = replaced_entry(back, model)
    assert entry.notes == "ask Ann" and entry.chosen == "events" and entry.rationale == ""
    assert "with the notes typed for it" in undo_html(back, "", len(model.keys))
    assert "a new, blank connection" in undo_html(back, " ", len(model.keys))


def test_the_draft_is_offered_only_when_it_holds_something_else(model: Model) -> None:
    """A draft equal to the screen is not offered; another one names its connection."""
    snap = Snapshot("Orders", answers={"latency_budget": "seconds"}, weights=model.default_weights())
    on_screen = entry_of(CURRENT, snap, None, model)
    assert draft_offer_html((on_screen,), on_screen, len(model.keys)) == ""
    assert draft_offer_html((), on_screen, len(model.keys)) == ""
    other = Entry(CURRENT, Connection(name="Billing <b>"))
    offer = draft_offer_html((other,), on_screen, len(model.keys))
    assert "Billing &lt;b&gt;" in offer


# -- the state: what is kept elsewhere, the profile in force -----------------------------------
def test_the_state_knows_what_is_typed_and_kept_nowhere_else(model: Model) -> None:
    """Blank is not unsaved; a typed answer is; marking it kept makes it saved until it changes."""
    state = DecisionState(model, samples=0)
    assert not state.unsaved()
    state.set_answer("latency_budget", "seconds")
    assert state.unsaved()
    state.mark_kept()
    assert not state.unsaved() and state.kept == state.snapshot()
    state.set_text(name="Orders")
    assert state.unsaved()


def test_the_state_puts_a_profile_in_force_and_back(model: Model) -> None:
    """A checked profile brings its model and weights; None goes back to the reference model."""
    state = DecisionState(model, samples=0)
    read = read_profile(ACME, model)
    state.use_profile(read, model)
    assert state.model is read.model and state.definition == read.definition and state.profile_key == read.key
    assert state.weights["coordinated_steps"] == 10 and state.profile == read.info
    state.use_profile(None, model)
    assert state.model is model and state.definition is None and state.profile is None and state.profile_key == ""


# -- the views ---------------------------------------------------------------------------------
def test_the_connection_bar_writes_typed_fields_and_not_its_own(model: Model) -> None:
    """Typing a name sets the state; `show` writes the fields without taking them for typing."""
    state = DecisionState(model, samples=0)
    chosen: list[str] = []
    bar = ConnectionBar(
        state, {"fanout": ("Fan-out", EXAMPLES / "order-created-fanout.yaml")}, Shared(), run,
        choose=chosen.append, reload=chosen.append, open_file=lambda *_: None, undo=lambda *_: None,
    )  # fmt: skip
    bar.name.value = "Orders"
    assert state.name == "Orders"
    state.name, state.source = "From state", "Shop"  # set directly: only `show` puts it in the fields
    bar.show(OPENED)
    assert bar.name.value == "From state" and bar.source.value == "Shop" and chosen == []
    bar.reload.click()
    assert chosen == [] and "Choose an example first" in bar.status.value
    bar.examples_dropdown.value = BLANK
    bar.reload.click()
    assert chosen == [BLANK, BLANK]
    bar.offer_undo("<div>x</div>")
    assert bar.undo_box.layout.display == "flex"
    bar.offer_undo("")
    assert bar.undo_box.layout.display == "none" and bar.undo_text.value == ""


def test_the_notice_counts_what_it_showed_and_dismiss_hides_it() -> None:
    notice = Notice(Shared())
    assert not notice.visible and notice.shown == 0
    notice.show("broken <b>file</b>")
    assert notice.visible and notice.shown == 1 and "&lt;b&gt;" in notice.error.value
    notice.clear()
    assert not notice.visible and notice.error.value == "" and notice.shown == 1


def test_the_profile_panel_says_which_profile_is_in_force(model: Model) -> None:
    """The title and the status name the profile in force, or the reference model."""
    read = read_profile(ACME, model)
    assert profile_title(None) == "Organisation profile: none, the reference model"
    assert "“Acme <integration office>” version 2.1" in profile_title(read)
    assert applied_message(None) == "Back to the reference model."
    app = DecisionApp(model, samples=0)
    panel = app.profile_panel
    assert panel.apply(ACME) and app.profile == ACME and app.model is not model
    assert panel.accordion.titles == (profile_title(panel.read),)
    assert not panel.apply({"name": "bad"}) and "(the profile was not applied)" in app.error.value
    assert app.profile == ACME  # a bad profile changes nothing


def test_the_answer_draws_the_card_and_text_of_an_assessment(model: Model) -> None:
    """The card names the chart revisions it expects; nothing answered shows the note."""
    view = AnswerView(Shared(), lazy=False, part=lambda name: f"part-{name}")
    state = DecisionState(model, samples=0)
    view.show(CardInputs(None, model, guidance(None, model), 1, note="Answer the questions."))
    assert "Answer the questions." in view.card.value
    for key, value in {"response_expectation": "result_now", "latency_budget": "seconds"}.items():
        state.set_answer(key, value)
    a = state.assessment
    view.show(CardInputs(a, model, guidance(a, model), 2))
    assert "data-pf-charts" in view.card.value and view.findings.value
    assert set(view.charts_view.drawn.values()) == {2}


def test_the_page_keeps_its_public_face(model: Model) -> None:
    """Names other pages import from the page stay importable, and the members they use stay."""
    from patternfit.apps.decide import app as page

    assert set(page.__all__) >= {"BLANK", "DEFAULT_EXAMPLE", "SAMPLES", "DecisionApp", "build_app", "Companion"}
    assert all(hasattr(page, name) for name in page.__all__)
    decide = DecisionApp(model, samples=0)
    used = (  # by apps/workshop/app.py and the workshop's tests
        "apply_connection", "assessment", "companion", "connection_dict", "draft_entries", "load_example",
        "mark_kept", "model", "record", "restore_entries", "state", "weights", "widget", "profile", "set_profile",
        "name", "undo", "undo_box", "undo_text", "card", "set_answer", "set_weight", "connection",
    )  # fmt: skip
    assert [name for name in used if not hasattr(decide, name)] == []
    assert decide.parts_shown and decide.part_name("record").endswith("record")
