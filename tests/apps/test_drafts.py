"""Nothing typed is lost (issue 20 item 8): Undo after a load over typed answers, the decide page's
per-visitor draft, the workshop's bar in its draft, "New connection", and the write throttle."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from patternfit.apps.common.drafts import Throttle
from patternfit.apps.decide.app import BLANK, DecisionApp
from patternfit.apps.workshop import WorkshopApp
from patternfit.model.catalog import Model

VISITOR = "0b8a6f1e-4c2d-4e8f-9a1b-2c3d4e5f6a7b"
OTHER = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
ACME = {
    "name": "Acme integration office",
    "version": "1.0",
    "changes": [{"weight": "consumer_count", "to": 0, "reason": "fan-out is not our concern"}],
}


@pytest.fixture
def page(tmp_path: Path, model: Model):
    """page(**kw) builds the decide page as Voila serves it: drafts per visitor in tmp_path/drafts."""

    def build(**kw):
        kw.setdefault("example", "order-created-fanout")
        return DecisionApp(model, samples=0, drafts=tmp_path / "drafts", local_draft=False, **kw)

    return build


def typed(app: DecisionApp) -> None:
    """A half-answered connection, typed by hand."""
    app.load_example(BLANK)
    app.name.value = "Invoice <b>sync</b>"
    app.description.value = "ledger to the data lake"
    app.set_answer("response_expectation", "none")
    app.set_answer("consumer_count", 3, unsure=True)


# -- Undo ------------------------------------------------------------------------------------
def test_choosing_an_example_over_typed_answers_can_be_undone(model: Model) -> None:
    """An example chosen over typed answers replaces them, says so (escaped), and Undo puts back
    every answer, the unsure mark, the names and the weights; the example can be put back in turn."""
    app = DecisionApp(model, samples=0)
    typed(app)
    app.set_weight("ordering", 2.5)
    before = app.state.snapshot()
    app.examples_dropdown.value = "customer-onboarding"
    assert app.name.value == "Customer onboarding"
    assert app.undo_box.layout.display == "flex"
    assert "Invoice &lt;b&gt;sync&lt;/b&gt;" in app.undo_text.value and "<b>sync" not in app.undo_text.value
    assert "2 of " in app.undo_text.value and "Customer onboarding" in app.undo_text.value
    assert app.undo()
    assert app.state.snapshot() == before
    assert (app.name.value, app.description.value) == ("Invoice <b>sync</b>", "ledger to the data lake")
    assert app.weights["ordering"] == 2.5 and app.state.unsure == ["consumer_count"]
    assert app.assessment is not None and app.assessment.recommended == "events"
    assert app.undo_box.layout.display == "none"  # the example was as loaded: nothing to put back
    assert not app.undo()


def test_undo_swaps_when_both_were_typed(model: Model) -> None:
    """An edited example replaced by a file can be undone, and undoing that undo gives the file back."""
    app = DecisionApp(model, samples=0)
    app.set_answer("consumer_count", 9)
    edited = app.state.snapshot()
    app.load_example("checkout-price-lookup")
    app.set_answer("consumer_count", 2)
    lookup = app.state.snapshot()
    assert app.undo()
    assert app.state.snapshot() == edited
    assert app.undo_box.layout.display == "flex" and app.undo()
    assert app.state.snapshot() == lookup


def test_loading_over_nothing_typed_offers_no_undo(model: Model) -> None:
    """An example replaced by another example, unchanged, offers nothing to undo."""
    app = DecisionApp(model, samples=0)
    app.load_example("customer-onboarding")
    assert app.undo_box.layout.display == "none" and app.replaced is None


def test_opening_a_file_over_typed_answers_can_be_undone_with_its_profile(model: Model, tmp_path: Path) -> None:
    """A record opened over typed answers under a profile: Undo puts back the answers and that profile."""
    app = DecisionApp(model, samples=0)
    assert app.set_profile(ACME)
    app.set_answer("consumer_count", 4)
    before = app.state.snapshot()
    text = "name: Opened\ncharacteristics: {response_expectation: result_now}\n"
    assert app.load_file(text.encode(), "opened.yaml")
    assert app.name.value == "Opened" and app.undo_box.layout.display == "flex"
    assert app.undo()
    assert app.profile == ACME and app.state.snapshot() == before


def test_new_blank_connection_can_be_chosen_again(model: Model) -> None:
    """After a blank connection was answered, choosing "New, blank connection" again starts a blank one,
    the card says it is new and blank, and the answers before can be undone."""
    app = DecisionApp(model, samples=0)
    app.examples_dropdown.value = BLANK
    assert app.examples_dropdown.value is None  # "— choose —": the next choice of blank is a change
    assert "New, blank connection" in app.card.value
    app.set_answer("response_expectation", "result_now")
    assert app.assessment is not None and "New, blank" not in app.card.value
    app.examples_dropdown.value = BLANK
    assert app.assessment is None and app.state.answers == {}
    assert "New, blank connection" in app.card.value and "No recommendation yet" in app.card.value
    assert app.undo() and app.state.answers == {"response_expectation": "result_now"}


# -- the decide page's draft ------------------------------------------------------------------
def test_decide_draft_restores_after_a_reload(page, tmp_path: Path) -> None:
    """A visitor's typed connection is back after a reload (a new page for the same visitor):
    offered, not imposed; restored with names, answers, unsure marks, weights and profile."""
    app = page(visitor=VISITOR)
    typed(app)
    assert app.set_profile(ACME)
    app.set_weight("ordering", 2.0)
    before = app.state.snapshot()
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == [VISITOR]

    again = page(visitor=VISITOR)
    assert again.name.value == "Order created fan-out"  # the page opens as always
    banner = again.keeper.banner
    assert banner.layout.display == "flex" and "Invoice &lt;b&gt;sync&lt;/b&gt;" in again.keeper.text.value
    assert again.restore_draft()
    assert banner.layout.display == "none"
    assert again.state.snapshot() == before and again.profile == ACME
    assert again.examples_dropdown.value is None


def test_decide_draft_is_per_visitor_and_held_until_known(page, tmp_path: Path) -> None:
    """Nothing is written before the visitor is known; another visitor is never offered the draft."""
    app = page()
    typed(app)
    assert not (tmp_path / "drafts").exists()
    app.keeper.visitor_widget.visitor = VISITOR
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == [VISITOR]
    other = page(visitor=OTHER)
    assert other.keeper.banner.layout.display == "none" and not other.restore_draft()


def test_an_untouched_page_offers_no_draft(page) -> None:
    """A draft that holds just what the page shows anyway is not offered."""
    app = page(visitor=VISITOR)
    app.load_example("customer-onboarding")
    app.load_example("order-created-fanout")
    again = page(visitor=VISITOR)
    assert again.keeper.banner.layout.display == "none"


def test_the_draft_keeps_what_undo_would_put_back(page) -> None:
    """Typed answers replaced by an example survive a reload: the draft restores the example and
    offers Undo for the typed connection."""
    app = page(visitor=VISITOR)
    typed(app)
    before = app.state.snapshot()
    app.load_example("customer-onboarding")
    again = page(visitor=VISITOR)
    assert "which it replaced" in again.keeper.text.value
    assert again.restore_draft()
    assert again.name.value == "Customer onboarding" and again.undo_box.layout.display == "flex"
    assert again.undo() and again.state.snapshot() == before


def test_a_broken_draft_is_reported_not_raised(page, tmp_path: Path) -> None:
    """A draft file that cannot be read shows one message naming it; the page works on."""
    folder = tmp_path / "drafts" / VISITOR
    folder.mkdir(parents=True)
    (folder / "decide.draft.yaml").write_text("entries: [{connection: {characteristics: {nope: 1}}}]\n")
    app = page(visitor=VISITOR)
    assert "decide.draft.yaml" in app.error.value and "nope" in app.error.value
    assert app.keeper.banner.layout.display == "none"
    app.set_answer("consumer_count", 5)
    assert app.assessment is not None


# -- the workshop ------------------------------------------------------------------------------
@pytest.fixture
def workshop(tmp_path: Path, model: Model):
    def build(**kw):
        return WorkshopApp(model, drafts=tmp_path / "drafts", workshops=tmp_path / "workshops", samples=0, **kw)

    return build


def test_notes_typed_after_the_last_add_come_back(workshop) -> None:
    """Notes, choice and rationale typed after "Add / update" are in the draft, and restoring puts
    them in the bar of that entry (the entry itself keeps what was added)."""
    app = workshop()
    app.notes.value = "first notes"
    app.add()
    app.notes.value = "first notes, and the room's second thoughts"
    app.chosen.value = "api"
    app.rationale.value = "the team knows REST"
    again = workshop(example=None)
    assert again.restore_draft()
    assert again.workshop.entries[0].notes == "first notes"
    assert again.bar_entry == again.workshop.entries[0].id
    assert (again.notes.value, again.chosen.value, again.rationale.value) == (
        "first notes, and the room's second thoughts",
        "api",
        "the team knows REST",
    )


def test_new_connection_starts_blank_after_an_add(workshop) -> None:
    """After "Add / update", "New connection" shows a blank connection with an empty bar and a card
    that says so — never the first entry's answers as a recommendation; again and again."""
    app = workshop()
    app.notes.value = "fan-out"
    app.add()
    for _ in range(2):
        app.new_button.click()
        assert app.decision.assessment is None and app.decision.state.answers == {}
        assert app.decision.name.value == "" and "New, blank connection" in app.decision.card.value
        assert (app.notes.value, app.chosen.value, app.bar_entry) == ("", "__undecided__", None)
        assert app.decision.undo_box.layout.display == "none"  # the entry keeps it: nothing lost
        app.decision.set_answer("response_expectation", "result_now")
        app.decision.name.value = "Price lookup"
        assert app.add() is not None
    assert [e.connection.name for e in app.workshop.entries] == ["Order created fan-out", "Price lookup"]


def test_new_connection_over_typed_answers_can_be_undone(workshop) -> None:
    """ "New connection" over answers not yet added offers Undo in the decision."""
    app = workshop()
    app.decision.set_answer("consumer_count", 7)
    app.new_connection()
    assert app.decision.undo_box.layout.display == "flex"
    assert app.decision.undo() and app.decision.state.answers["consumer_count"] == 7


# -- the throttle ------------------------------------------------------------------------------
def test_throttle_writes_at_once_then_once_a_second_and_the_last_key_always() -> None:
    """In a running event loop: the first key is written as soon as the loop is free (never inside
    the caller), keys within the interval fold into one write at its end, which sees the last key;
    without a loop every call writes at once."""
    seen: list[tuple[float, int]] = []
    state = {"keys": 0}
    throttle = Throttle(lambda: seen.append((time.monotonic(), state["keys"])), interval=0.3)

    async def type_keys() -> float:
        start = time.monotonic()
        for _ in range(10):
            state["keys"] += 1
            throttle()
            assert len(seen) <= 1 and throttle.pending  # the write waits for the loop
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.5)
        return start

    start = asyncio.run(type_keys())
    assert [keys for _, keys in seen] == [1, 10]
    assert seen[0][0] - start < 0.05 and 0.25 < seen[1][0] - start < 0.45
    assert not throttle.pending
    throttle()
    throttle()
    assert len(seen) == 4  # no loop: at once


def test_the_workshop_draft_keeps_what_undo_would_put_back(workshop) -> None:
    """In the workshop too, answers replaced by "New connection" survive a reload: Undo after
    restoring puts them back."""
    app = workshop()
    app.decision.set_answer("consumer_count", 7)
    app.decision.name.value = "Not added yet"
    before = app.decision.state.snapshot()
    app.new_connection()
    again = workshop(example=None)
    assert again.restore_draft()
    assert again.decision.name.value == "" and again.decision.undo_box.layout.display == "flex"
    assert again.decision.undo() and again.decision.state.snapshot() == before


def test_notes_go_with_their_connection_and_come_back_with_undo(workshop) -> None:
    """Notes typed after "Add / update" are not dropped by "New connection": the empty bar starts
    the new one, the Undo offer names the notes, and Undo gives back the connection with its notes."""
    app = workshop()
    app.notes.value = "first"
    first = app.add()
    app.notes.value = "first, then second thoughts"
    app.new_connection()
    assert (app.notes.value, app.bar_entry) == ("", None)
    assert "with the notes typed for it" in app.decision.undo_text.value
    assert app.decision.undo()
    assert (app.notes.value, app.bar_entry) == ("first, then second thoughts", first.id)
    assert app.workshop.entry(first.id).notes == "first"  # the entry changes only with Add / update


def test_notes_for_a_connection_not_added_never_move_to_the_next(workshop) -> None:
    """Notes typed for a connection not added yet stay with it: choosing an example empties the bar,
    and a reload then Undo gives both back."""
    app = workshop()
    app.new_connection()
    app.decision.set_answer("response_expectation", "result_now")
    app.notes.value = "price lookups, 200 a second"
    app.decision.load_example("customer-onboarding")
    assert app.notes.value == ""
    assert app.add().notes == ""
    again = workshop(example=None)
    assert again.restore_draft()
    assert again.decision.undo()
    assert again.notes.value == "price lookups, 200 a second"
    assert again.decision.state.answers == {"response_expectation": "result_now"}


def test_a_draft_always_reads_back(page) -> None:
    """An unsure mark left on a question since unanswered, and coordination answers kept for fewer
    than two steps, still give a draft that reads back (no "could not be read" after a reload)."""
    app = page(visitor=VISITOR)
    app.set_answer("coordinated_steps", 3)
    app.set_answer("branching", "linear", unsure=True)
    app.set_answer("coordinated_steps", 1)
    app.state.unsure = [*app.state.unsure, "consumer_count"]
    app.set_answer("consumer_count", None)
    app.state.unsure = [*app.state.unsure, "consumer_count"]
    app.keeper.save()
    again = page(visitor=VISITOR)
    assert again.error_box.layout.display == "none" and again.restore_draft()
    assert again.state.answers == app.state.answers
