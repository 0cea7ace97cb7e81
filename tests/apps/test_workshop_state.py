"""The workshop page's widget-free state (apps/workshop/state.py), its walk-through charts drawn in
view (apps/workshop/intro.py), and the page's bar drawn from the state (apps/workshop/bar.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from patternfit.apps.common.limits import SMALL_FILE_BYTES
from patternfit.apps.workshop import WorkshopApp
from patternfit.apps.workshop.intro import Intro, example_assessments
from patternfit.apps.workshop.state import UNDECIDED, Bar, WorkshopState
from patternfit.model.catalog import Model
from patternfit.model.connection import load_connection
from patternfit.workshop.file import MAX_COMPARE, dump_workshop


@pytest.fixture
def state(tmp_path: Path, model: Model) -> WorkshopState:
    return WorkshopState(model, tmp_path / "workshops")


@pytest.fixture
def fanout(examples: dict[str, Path], model: Model):
    return load_connection(examples["order-created-fanout"], model)


def test_adding_keeps_the_bar_with_the_entry_and_follows_the_name(state, fanout) -> None:
    """An entry keeps the bar as typed (trimmed); the bar then follows the connection on screen:
    another name gives an empty bar, the entry's name gives its own back."""
    state.answer(None)
    state.type(notes="  billing <b>now</b> ", chosen="events")
    entry = state.add(fanout, None, {}, None)
    assert entry is not None and (entry.notes, entry.chosen, entry.rationale) == ("billing <b>now</b>", "events", "")
    assert state.selected == entry.id == state.bar_entry and state.status.startswith("Added")
    assert state.typed() is None  # nothing typed beyond what the entry keeps
    state.follow("Something else")
    assert state.bar == Bar() and state.bar_entry is None
    state.follow(fanout.name)
    assert state.bar.notes == "billing <b>now</b>" and state.bar_entry == entry.id
    state.type(notes="second thoughts")
    assert state.typed() == {"notes": "second thoughts", "chosen": "events", "rationale": ""}
    again = state.add(fanout, None, {"ordering": 2.0}, None)
    assert again is not None and again.id == entry.id and len(state.workshop.entries) == 1
    assert state.status.startswith("Updated")


def test_a_choice_against_the_recommendation_needs_a_reason(state, fanout, model) -> None:
    """Against the recommendation the entry is refused until a rationale is typed; an unknown
    pattern key is no choice at all."""
    state.recommended = "events"
    state.type(chosen="not-a-pattern")
    assert state.bar.chosen is None and not state.against_recommendation()
    state.type(chosen="api")
    assert state.against_recommendation()
    assert state.add(fanout, None, {}, None) is None
    assert "Synchronous API against the recommendation Events" in state.error and state.workshop.entries == ()
    state.type(rationale="the team knows REST")
    assert state.rationale_missing() == ""
    entry = state.add(fanout, None, {}, None)
    assert entry is not None and entry.rationale == "the team knows REST" and state.error == ""
    labels = dict((key, label) for label, key in state.choice_options())
    assert labels["events"].endswith("(recommended)") and labels[UNDECIDED] == "not decided yet"


def test_compare_picks_follow_the_entries_and_stop_at_six(state, fanout) -> None:
    """Picks of removed entries drop out; more than six is refused in the error line."""
    import dataclasses

    ids = []
    for n in range(MAX_COMPARE + 1):
        entry = state.add(dataclasses.replace(fanout, name=f"Fan-out {n}"), None, {}, None)
        ids.append(entry.id)
    state.set_pick([*ids, "gone"])
    assert state.pick == tuple(ids)
    assert not state.compare_picked() and "at most 6" in state.error and state.compared is None
    state.remove(ids[-1])
    assert state.pick == tuple(ids[:-1])
    assert state.compare_picked() and state.compared.ids == tuple(ids[:-1])
    assert list(state.compared.table.columns) == [f"Fan-out {n}" for n in range(MAX_COMPARE)]


def test_opening_a_file_too_large_or_broken_changes_nothing(state, fanout) -> None:
    """A workshop file over the page's limit, or a broken one, is refused naming the file."""
    state.add(fanout, None, {}, None)
    before = state.workshop
    assert not state.open_bytes(b"#" * (SMALL_FILE_BYTES + 1), "big.yaml")
    assert "big.yaml" in state.error and "larger than" in state.error and state.workshop == before
    assert not state.open_bytes(b"entries: [", "broken.yaml")
    assert "broken.yaml" in state.error and state.workshop == before
    assert state.open_bytes(dump_workshop(before).encode(), "same.yaml") and state.error == ""


def test_a_blank_title_is_the_default_title(state) -> None:
    state.set_title("  ")
    assert state.workshop.title == "Integration workshop"
    state.set_title("Payments")
    assert state.workshop.title == "Payments"


def test_the_bar_is_drawn_from_the_state(tmp_path, model) -> None:
    """What the page's widgets show comes from the state: set it, and the bar follows."""
    app = WorkshopApp(model, drafts=tmp_path / "d", workshops=tmp_path / "w", samples=0)
    app.state.fill_bar(Bar("from the state", "api", "why"))
    assert (app.notes.value, app.chosen.value, app.rationale.value) == ("from the state", "api", "why")
    assert app.rationale.layout.display is None  # against the recommendation: the field shows
    app.state.fail("a <b>bad</b> thing")
    assert "a &lt;b&gt;bad&lt;/b&gt; thing" in app.error.value and app.error.layout.display is None
    app.state.say("all fine")
    assert app.error.layout.display == "none" and "all fine" in app.status_html.value
    app.state.set_title("Room 4")
    assert app.title.value == "Room 4" and "room-4.yaml" in app.download.value


def test_intro_draws_its_charts_only_in_view(model) -> None:
    """In a page the walk-through's charts wait, marked stale with their height kept, until the
    browser says they are in view; the examples are assessed once."""
    assert example_assessments(model) is example_assessments(model)
    intro = Intro(model, lazy=True)
    assert intro.drawn == set()
    assert all("pf-stale" in box._dom_classes for box in intro.boxes.values())
    assert all(out.layout.height.endswith("px") for out in intro.charts.values())
    inview = intro.tradeoffs.children[-1]  # the InView widget
    inview.seen = [n for n in inview.names if n.endswith("tradeoffs")]
    assert intro.drawn == {"tradeoffs"} and "pf-stale" not in intro.boxes["tradeoffs"]._dom_classes
    bundle = intro.charts["tradeoffs"].outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert len(bundle["data"]) == len(model.patterns)
    assert Intro(model, lazy=False).drawn == {"tradeoffs", "examples"}
    assert "Order created fan-out" in intro.table.value


def test_starting_the_page_does_not_import_plotly_io() -> None:
    """plotly.io imports nbformat and jsonschema (seconds): the workshop page starts without it,
    and plotly's renderer is still the mime bundle once something imports it."""
    script = (
        "import sys\n"
        "from patternfit.apps.workshop import start_workshop\n"
        "from patternfit.apps.workshop.intro import Intro\n"
        "app = start_workshop(); Intro(app.model)\n"
        "assert 'plotly.io' not in sys.modules and 'nbformat' not in sys.modules, 'imported'\n"
        "import plotly.io as pio\n"
        "assert pio.renderers.default == 'plotly_mimetype', pio.renderers.default\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
