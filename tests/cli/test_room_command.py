"""patternfit.cli.room: `patternfit room open|report|reveal|close|delete` run in process on a SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from patternfit.cli import room
from patternfit.errors import InputError
from patternfit.room.store import RoomStore

from tests.cli.parsing import run

FANOUT = Path(__file__).resolve().parents[2] / "data" / "examples" / "order-created-fanout.yaml"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """PATTERNFIT_ROOMS_DB pointing at a fresh SQLite file."""
    target = str(tmp_path / "rooms.sqlite3")
    monkeypatch.setenv("PATTERNFIT_ROOMS_DB", target)
    return target


def opened(capsys) -> str:
    """The id of the room `room open` just printed the path of."""
    path = capsys.readouterr().out.strip()
    assert path.startswith("/room/")
    return path.removeprefix("/room/")


def test_open_report_and_reveal_go_through_the_store(db: str, capsys):
    """A room opened for the fan-out reports no one yet, hidden, and `reveal` reveals it in the store."""
    assert run(room, "room", "open", str(FANOUT), "--title", "Fan-out") == 0
    rid = opened(capsys)
    assert run(room, "room", "report", rid, "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["participants"], report["revealed"]) == (0, False)
    assert report["combined"]["name"] == "Order created fan-out"  # the room starts with no answers
    assert run(room, "room", "reveal", rid) == 0
    store = RoomStore(db)
    try:
        found = store.get(rid)
        assert found is not None and found.revealed and found.title == "Fan-out"
    finally:
        store.close()


def test_delete_removes_the_room(db: str, capsys):
    """After `room delete` the store no longer has the room."""
    run(room, "room", "open", str(FANOUT))
    rid = opened(capsys)
    assert run(room, "room", "delete", rid) == 0
    store = RoomStore(db)
    try:
        assert store.get(rid) is None
    finally:
        store.close()


@pytest.mark.parametrize("command", ["report", "reveal", "close", "delete"])
def test_an_unknown_room_says_how_to_find_the_id(db: str, command: str):
    """An id the store does not hold is an InputError naming the room and where ids come from."""
    with pytest.raises(InputError) as raised:
        run(room, "room", command, "no-such-room")
    assert raised.value.where == "room no-such-room"
    assert "no such room" in raised.value.what and "/room/" in raised.value.fix
