"""patternfit.room.pages: the phone page, the reveal and the report, in the catalog's words, escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit.model.connection import load_connection
from patternfit.room.analysis import assess_room
from patternfit.room.answers import parse_answer_set, room_questions
from patternfit.room.open import analyse_room, open_room
from patternfit.room.pages import (
    choices,
    dispute_lines,
    render_code_page,
    render_message_page,
    render_phone_page,
    render_report_text,
    render_reveal,
)
from patternfit.room.store import RoomStore

from tests.room.shipment import SHIPMENT_FILE, answer_sets


@pytest.fixture
def room_and_analysis(tmp_path: Path, model):
    store = RoomStore(str(tmp_path / "rooms.sqlite3"))
    room = open_room(store, load_connection(SHIPMENT_FILE, model), model, title="Ship <b>it</b>")
    for body in answer_sets():
        store.put_answers(room.id, parse_answer_set(body, model))
    room = store.get(room.id)
    yield room, analyse_room(store, room, model)
    store.close()


def test_the_phone_page_asks_every_question_in_the_rooms_order_escaped(room_and_analysis, model):
    """Each question is a fieldset in the guided order, with its label; the title's markup is shown as text."""
    room, _ = room_and_analysis
    page = render_phone_page(room, model, base="/base")
    questions = room_questions(model)
    positions = [page.index(f'data-key="{k}"') for k in room.questions if k in questions]
    assert positions == sorted(positions) and len(positions) == len(room.questions)
    assert all(questions[k].label in page for k in room.questions)
    assert "Ship &lt;b&gt;it&lt;/b&gt;" in page and "<b>it</b>" not in page


def test_an_integer_question_offers_its_buckets(model):
    """Consumer count offers one choice per bucket, each posting the bucket's lowest count."""
    offered = choices(room_questions(model)["consumer_count"])
    values = [v for v, _ in offered]
    assert values == sorted(values) and values[0] == 1 and len(offered) == len(model.scales["consumer_count"].values)


def test_the_reveal_and_report_name_the_dispute_in_the_catalogs_words(room_and_analysis, model):
    """The counterpart dispute is told with the question's label and each side's pattern label."""
    room, analysis = room_and_analysis
    lines = dispute_lines(analysis, model)
    label = room_questions(model)["counterpart_capability"].label
    assert len(lines) == 1 and lines[0]["label"] == label and lines[0]["spread"] == "Messaging 3, Files only 2"
    report = render_report_text(analysis, room, model)
    assert report.startswith("Room: Ship <b>it</b>") and "Participants: 5" in report
    reveal = render_reveal(analysis, room, model, joined=5)
    assert label in reveal and "<b>it</b>" not in reveal


def test_messages_and_the_code_page_escape_what_they_show():
    """A message or an error with markup is shown as text on the plain pages."""
    assert "&lt;script&gt;" in render_message_page("Closed", "<script>x</script>")
    page = render_code_page("/base", error="<i>no such code</i>")
    assert "&lt;i&gt;no such code&lt;/i&gt;" in page and "<i>" not in page


def test_an_empty_room_reports_nobody_and_no_dispute(model):
    """A room nobody answered yet reports zero participants and no dispute line."""
    analysis = assess_room([], connection=load_connection(SHIPMENT_FILE, model), model=model)
    assert analysis.participants == 0 and dispute_lines(analysis, model) == []
