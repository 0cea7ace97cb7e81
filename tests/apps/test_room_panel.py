"""The workshop page's room panel, driven as the facilitator does, over a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from patternfit.apps.workshop.room_panel import RoomPanel
from patternfit.model.catalog import Model
from patternfit.room.answers import parse_answer_set
from patternfit.room.store import RoomStore

from tests.room.test_analysis import SHIPMENT, room_of_shipment


@pytest.fixture
def panel(model: Model, tmp_path: Path) -> Iterator[tuple[RoomPanel, list[Any]]]:
    applied: list[Any] = []
    store = RoomStore(tmp_path / "rooms.sqlite3")
    p = RoomPanel(
        model,
        lambda: {"name": "Shipment <x>", "characteristics": dict(SHIPMENT)},
        lambda connection, room: applied.append((connection, room)),
        store=store,
    )
    yield p, applied
    p.stop()
    store.close()


def test_open_shows_link_code_and_qr_and_counts_without_answers(panel: tuple[RoomPanel, list[Any]], model: Model):
    """Opening shows the link, the code and a QR code; the count says who answered, never what."""
    p, _ = panel
    p.origin.origin = "http://10.0.0.5:8866"
    room = p.open()
    assert f"http://10.0.0.5:8866/room/{room.id}" in p.link.value and room.code in p.link.value
    assert "<svg" in p.link.value and "?proxy=1" in p.link.value
    for s in room_of_shipment():
        p.store.put_answers(room.id, parse_answer_set(s, model))
    assert p.refresh() == (5, 5)
    assert '<strong class="pf-room-answered">5</strong>' in p.count.value
    assert "file_only" not in p.count.value and "Files only" not in p.count.value
    assert p.reveal_html.value == ""


def test_reveal_settle_and_use_the_rooms_answers(panel: tuple[RoomPanel, list[Any]], model: Model):
    """Reveal lists the dispute with the flip; settling moves to the next; the answers go to the dashboard."""
    p, applied = panel
    room = p.open()
    for s in room_of_shipment():
        p.store.put_answers(room.id, parse_answer_set(s, model))
    analysis = p.reveal()
    assert analysis is not None and analysis.revealed
    assert "Counterpart capability" in p.reveal_html.value
    assert "flips to Batch if ops is right about counterpart capability" in p.reveal_html.value
    assert p.settle_box.layout.display == "flex"
    p.settle_value.value = "file_only"
    p.settle()
    assert p.analysis is not None and [d.key for d in p.analysis.disputes] == ["visibility"]
    assert "Settled: Counterpart capability = Files only" in p.reveal_html.value
    p.use_answers()
    connection, summary = applied[-1]
    assert connection.characteristics["counterpart_capability"] == "file_only"
    assert summary["participants"] == 5 and summary["room"] == room.id
    assert [d["key"] for d in summary["disputes"]] == ["counterpart_capability", "visibility"]
    assert summary["disputes"][0]["settled"] == "settled: Files only"
    assert summary["disputes"][0]["dissent"] == ["3 answered Messaging (which gives Events)"]
    p.close_room()
    closed = p.store.get(room.id)
    assert closed is not None and not closed.is_open
    assert "Room closed" in p.count.value


def test_the_live_count_follows_the_store(panel: tuple[RoomPanel, list[Any]], model: Model):
    """The kernel-side poll updates the count within a couple of seconds of an answer."""
    import time

    p, _ = panel
    room = p.open()
    p.store.put_answers(
        room.id, parse_answer_set({"participant": "phone0001", "answers": {"consumer_count": 2}}, model)
    )
    deadline = time.monotonic() + 5
    while 'pf-room-answered">1<' not in p.count.value and time.monotonic() < deadline:
        time.sleep(0.1)
    assert 'pf-room-answered">1<' in p.count.value


def test_the_workshop_file_keeps_the_room(model: Model, tmp_path: Path) -> None:
    """An entry added after "Use the room's answers" keeps the room; the file reads it back, and
    reopening the entry gives its record the room again."""
    from patternfit.apps.workshop import WorkshopApp
    from patternfit.workshop.file import dump_workshop, load_workshop

    app = WorkshopApp(model, drafts=tmp_path / "drafts", workshops=tmp_path / "ws", local_draft=False)
    store = RoomStore(tmp_path / "rooms.sqlite3")
    app.room._store = store
    try:
        room = app.room.open()
        for s in room_of_shipment():
            store.put_answers(room.id, parse_answer_set(s, model))
        app.room.reveal()
        app.room.use_answers()
        entry = app.add()
        assert entry is not None and entry.room is not None and entry.room["participants"] == 5
        again = load_workshop(dump_workshop(app.workshop).encode(), model)
        assert again.entries[0].room == entry.room
        app.decision.record.room = None
        app.reopen(entry.id)
        assert app.decision.record.room == entry.room
    finally:
        app.room.stop()
        store.close()


def test_roles_and_names_are_escaped_in_the_reveal(panel: tuple[RoomPanel, list[Any]], model: Model) -> None:
    """A role typed as markup shows as text in the facilitator's reveal."""
    p, _ = panel
    room = p.open()
    hostile = '<img src=x onerror="alert(1)">'
    for s in room_of_shipment():
        if s["role"] == "ops":
            s["role"] = hostile
        p.store.put_answers(room.id, parse_answer_set(s, model))
    p.reveal()
    assert hostile not in p.reveal_html.value
    assert "&lt;img src=x onerror=" in p.reveal_html.value
