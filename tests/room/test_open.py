"""patternfit.room.open: a room opened for a connection and read back from a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit.engine.assess import assess_connection
from patternfit.model.connection import load_connection
from patternfit.room.answers import parse_answer_set
from patternfit.room.open import analyse_room, guided_order, open_room
from patternfit.room.store import RoomStore

from tests.room.shipment import SHIPMENT_FILE, answer_sets


@pytest.fixture
def sqlite(tmp_path: Path):
    store = RoomStore(str(tmp_path / "rooms.sqlite3"))
    yield store
    store.close()


def test_the_phones_ask_what_matters_first_then_everything_once(model):
    """The guided order starts with the connection's ask_next and lists every characteristic exactly once."""
    connection = load_connection(SHIPMENT_FILE, model)
    order = guided_order(connection, model)
    ask = [item["key"] for item in assess_connection(connection, samples=0, model=model).ask_next]
    assert order[: len(ask)] == ask
    assert sorted(set(order) - set(ask)) == sorted(set(model.keys) - set(ask)) and len(order) == len(set(order))


def test_a_room_keeps_its_connection_and_analyses_the_answers_posted(sqlite, model):
    """Opened with a title, the room is open; five phones' answers give the shipment room's dispute."""
    connection = load_connection(SHIPMENT_FILE, model)
    room = open_room(sqlite, connection, model, title="  Shipment  ")
    assert room.title == "Shipment" and room.is_open and room.path == f"/room/{room.id}"
    for body in answer_sets():
        sqlite.put_answers(room.id, parse_answer_set(body, model))
    analysis = analyse_room(sqlite, sqlite.get(room.id), model)
    assert analysis.participants == 5
    assert [d.key for d in analysis.disputes] == ["counterpart_capability"]


def test_a_blank_title_takes_the_connections_name(sqlite, model):
    """Without a title the phones show the connection's name."""
    connection = load_connection(SHIPMENT_FILE, model)
    assert open_room(sqlite, connection, model, title="   ").title == connection.name
