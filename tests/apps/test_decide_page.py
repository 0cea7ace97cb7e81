"""The decide page's frame and what moves connections on and off it: where each part sits
(apps/decide/layout.py), putting a connection on screen and back with Undo (loads.py), and the
per-visitor draft (draft.py). Driven through the real `DecisionApp` with the model in data/, its
state and its public parts; no browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest
from patternfit.apps.common.questions import Shared
from patternfit.apps.decide.app import DecisionApp
from patternfit.apps.decide.connection_bar import BLANK, OPENED
from patternfit.apps.decide.draft import DRAFT, keep_drafts
from patternfit.apps.decide.layout import LEAD, TITLE, page, script_output, text_box
from patternfit.apps.decide.loads import Loads
from patternfit.model.catalog import Model

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
FANOUT = "order-created-fanout"
VISITOR = "0b8a6f1e-4c2d-4e8f-9a1b-2c3d4e5f6a7b"


def classes(widget: Any) -> list[str]:
    """A widget's CSS classes, as the browser gets them (its synced state)."""
    return list(widget.get_state()["_dom_classes"])


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def app(model: Model) -> DecisionApp:
    """The decide page with the fan-out example on screen, no drafts."""
    return DecisionApp(model, example=FANOUT, samples=0)


def type_by_hand(app: DecisionApp) -> None:
    """A blank connection with a typed name and answer, kept nowhere else."""
    app.loads.load_example(BLANK)
    app.name.value = "Invoice <b>sync</b>"
    app.state.set_answer("response_expectation", "result_now")


# -- where each part sits (layout.py) -------------------------------------------------------------
def test_the_page_puts_its_parts_in_reading_order_and_the_notice_last() -> None:
    """Style, scripts and header first; the connection; the card beside the guided questions;
    the charts; the panels; the notice last (sticky at the bottom of the screen)."""
    s = Shared()
    parts = {name: w.HTML(name) for name in ("connection", "guided", "card", "findings", "checklist", "notice")}
    views = {name: w.HTML(name) for name in ("scores", "acceptability", "coordination", "profiles", "contributions")}
    panels = [w.HTML("panel-a"), w.HTML("panel-b")]
    built = page(s, questions=[w.HTML("questions")], views=views, panels=panels, **parts)
    kids = list(built.children)
    assert "pf-header" in classes(kids[2]) and TITLE.split(" — ")[1] in text(
        kids[1].outputs[0]["data"]["application/javascript"]
    )
    assert "Which integration pattern?" in text(kids[2].value) and LEAD[:40] in text(kids[2].value)
    assert kids[3] is parts["connection"] and kids[-1] is parts["notice"] and kids[-3:-1] == panels
    top = kids[4]
    assert {"pf-cols", "pf-top"} <= set(classes(top))
    left, right = top.children
    assert left.children == (parts["guided"],) and right.children == (parts["card"],)
    assert "pf-left" in classes(left) and "pf-right" in classes(right)
    answer = kids[5].children[1].children
    assert answer == (views["scores"], views["acceptability"], parts["findings"], views["coordination"])
    assert views["contributions"] in kids and kids[kids.index(views["contributions"]) + 1].children == (
        views["profiles"],
        parts["checklist"],
    )


def test_a_script_output_runs_its_script_unseen_and_a_text_box_carries_its_hook() -> None:
    out = script_output("console.log(1)")
    assert out.layout.display == "none" and out.outputs[0]["data"]["application/javascript"] == "console.log(1)"
    box = text_box("pf-card-box", Shared())
    assert "pf-card-box" in classes(box) and box.value == ""


def test_the_real_page_is_laid_out_by_layout(app: DecisionApp) -> None:
    """The page the app builds is the layout's: its header, the card beside the questions, the
    notice last."""
    kids = list(app.widget.children)
    assert "pf-header" in classes(kids[2]) and kids[-1] is app.notice.box
    assert app.card in kids[4].children[1].children


# -- a connection on screen and back (loads.py) ---------------------------------------------------
def test_an_example_replaces_what_was_typed_and_undo_puts_it_back(app: DecisionApp) -> None:
    """Typed answers replaced by an example are offered back, the name escaped; Undo restores the
    typed connection and offers the example back in turn."""
    loads = app.loads
    assert isinstance(loads, Loads) and loads.replaced is None
    type_by_hand(app)
    typed = app.state.snapshot()
    loads.load_example(FANOUT)
    assert app.state.name == "Order created fan-out" and app.name.value == "Order created fan-out"
    assert loads.replaced is not None and loads.replaced.snapshot == typed
    assert app.undo_box.layout.display == "flex" and "Invoice &lt;b&gt;sync&lt;/b&gt;" in app.undo_text.value
    assert "<b>sync" not in app.undo_text.value
    assert loads.undo()
    assert app.state.snapshot() == typed and app.name.value == "Invoice <b>sync</b>"
    assert "Put back “Invoice &lt;b&gt;sync&lt;/b&gt;”." in text(app.status.value)
    assert loads.replaced is None and app.undo_box.layout.display == "none"  # the example was kept as loaded
    assert not loads.undo()


def test_an_unknown_example_is_a_key_error_and_blank_starts_empty(app: DecisionApp) -> None:
    with pytest.raises(KeyError):
        app.loads.load_example("no-such-example")
    assert app.state.name == "Order created fan-out"
    app.loads.load_example(BLANK)
    assert app.state.answers == {} and app.state.name == "" and app.state.started_blank
    assert app.examples_dropdown.value is None and not app.state.unsaved()


def test_an_opened_file_is_named_and_a_bad_one_changes_nothing(app: DecisionApp) -> None:
    """A connection file goes on screen as "opened"; a broken one names itself in the notice."""
    loads = app.loads
    before = app.state.snapshot()
    assert not loads.load_file(b"characteristics: {nope: 1}\n", "dir/broken.yaml")
    assert "broken.yaml" in app.error.value and app.state.snapshot() == before
    content = (EXAMPLES / "nightly-reconciliation.yaml").read_bytes()
    assert loads.load_file(content, "dir/nightly.yaml")
    assert app.examples_dropdown.value == OPENED and "Opened nightly.yaml." in text(app.status.value)
    assert app.error.value == "" and app.state.name != before.name and not app.state.unsaved()


def test_the_draft_entries_go_to_another_page_and_back(model: Model, app: DecisionApp) -> None:
    """The connection on screen and the one Undo would put back travel as entries; restored on
    another page, the screen matches and Undo is offered there too."""
    type_by_hand(app)
    typed = app.state.snapshot()
    app.loads.load_example(FANOUT)
    entries = app.loads.draft_entries()
    assert [e.id for e in entries] == ["current", "replaced"]
    other = DecisionApp(model, example=BLANK, samples=0)
    other.loads.restore_entries(entries)
    assert other.state.snapshot() == app.state.snapshot() and other.examples_dropdown.value is None
    assert other.loads.replaced is not None and other.loads.undo()
    assert other.state.answers == typed.answers and other.state.name == typed.name


# -- the per-visitor draft (draft.py) -------------------------------------------------------------
def test_keeping_drafts_places_the_prompt_and_writes_the_visitors_file(model: Model, tmp_path: Path) -> None:
    """The prompt goes under the header (pf-decide-draft), the visitor widget last; a change is
    written to <drafts>/<visitor>/decide.draft.yaml; another page for the visitor offers it and
    restores it with a status line."""
    first = DecisionApp(model, example=FANOUT, samples=0)
    header = first.widget.children[2]
    keeper = keep_drafts(first, tmp_path, VISITOR, local=False)
    assert first.keeper is keeper and first.widget.children[3] is keeper.banner
    assert first.widget.children[2] is header and first.widget.children[-1] is keeper.visitor_widget
    assert {"pf-decide-draft", "pf-panel"} <= set(classes(keeper.banner))
    type_by_hand(first)
    keeper.save()
    assert (tmp_path / VISITOR / f"{DRAFT}.draft.yaml").is_file()

    again = DecisionApp(model, example=FANOUT, samples=0)
    offered = keep_drafts(again, tmp_path, VISITOR, local=False)
    assert offered.banner.layout.display == "flex" and "Invoice &lt;b&gt;sync&lt;/b&gt;" in offered.text.value
    assert offered.restore()
    assert again.state.snapshot() == first.state.snapshot() and "Draft restored." in text(again.status.value)


def test_a_draft_of_what_is_on_screen_is_not_offered(model: Model, tmp_path: Path) -> None:
    first = DecisionApp(model, example=FANOUT, samples=0)
    keep_drafts(first, tmp_path, VISITOR, local=False).save()
    again = DecisionApp(model, example=FANOUT, samples=0)
    offered = keep_drafts(again, tmp_path, VISITOR, local=False)
    assert offered.banner.layout.display == "none" and not offered.restore()
    nobody = keep_drafts(DecisionApp(model, example=FANOUT, samples=0), tmp_path / "none", None, local=False)
    nobody.save()  # no visitor yet: nothing is written
    assert not (tmp_path / "none").exists()
    refused = DecisionApp(model, example=FANOUT, samples=0)
    keep_drafts(refused, tmp_path, "../elsewhere", local=False)
    assert "visitor id was refused" in text(refused.error.value) and not (tmp_path.parent / "elsewhere").exists()
