"""The rooms store, against SQLite and a real PostgreSQL alike."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from patternfit.room.store import ID_BYTES, AnswerSet, RoomStore

CONNECTION = {"name": "Order created", "characteristics": {}}


def test_a_room_is_created_open_with_an_unguessable_id_and_a_short_code(store: RoomStore) -> None:
    """A new room is open, unrevealed, its id ≥ 96 random bits and its code six digits."""
    room = store.create("Orders", CONNECTION, ["response_expectation", "consumer_count"])
    again = store.get(room.id)
    assert again == room
    assert room.is_open and not room.revealed
    assert len(room.id) >= (ID_BYTES * 8) // 6 and ID_BYTES * 8 >= 96
    assert room.code.isdigit() and len(room.code) == 6
    assert room.path == f"/room/{room.id}"
    assert store.find_code(room.code) == room.id
    assert store.get("nosuchroom0000000000") is None


def test_a_later_post_replaces_the_earlier_and_counts_tell_joined_from_answered(store: RoomStore) -> None:
    """Answers are kept per participant; a second post replaces the first."""
    room = store.create("Orders", CONNECTION, [])
    store.put_answers(room.id, AnswerSet("aaaaaaaa1"))
    store.put_answers(room.id, AnswerSet("bbbbbbbb2", {"consumer_count": 3}, ("consumer_count",), "ops"))
    assert store.counts(room.id) == (2, 1)
    store.put_answers(room.id, AnswerSet("bbbbbbbb2", {"consumer_count": 1}, (), "ops"))
    store.put_answers(room.id, AnswerSet("aaaaaaaa1", {"response_expectation": "none"}, (), "dev <b>"))
    sets = {s.participant: s for s in store.answer_sets(room.id)}
    assert sets["bbbbbbbb2"].answers == {"consumer_count": 1} and sets["bbbbbbbb2"].unsure == ()
    assert sets["aaaaaaaa1"].role == "dev <b>"
    assert store.counts(room.id) == (2, 2)


def test_closing_settling_revealing_and_deleting(store: RoomStore) -> None:
    """A closed room's code finds nothing; deleting a room deletes its answers."""
    room = store.create("Orders", CONNECTION, [])
    store.put_answers(room.id, AnswerSet("aaaaaaaa1", {"consumer_count": 2}))
    store.settle(room.id, "consumer_count", 2)
    store.settle(room.id, "freshness_value", None, unsure=True)
    store.set_revealed(room.id)
    store.set_open(room.id, False)
    got = store.get(room.id)
    assert got is not None and got.revealed and not got.is_open
    assert got.settled["consumer_count"] == {"value": 2, "unsure": False, "note": ""}
    assert got.settled["freshness_value"]["unsure"] is True
    assert store.find_code(room.code) is None
    store.delete(room.id)
    assert store.get(room.id) is None
    assert store.answer_sets(room.id) == []


def test_a_new_store_object_reads_what_another_wrote(store_target: str) -> None:
    """A restarted server (a new store on the same target) loses no answer."""
    first = RoomStore(store_target)
    room = first.create("Orders", CONNECTION, [])
    first.put_answers(room.id, AnswerSet("aaaaaaaa1", {"consumer_count": 2}))
    first.close()
    second = RoomStore(store_target)
    assert [s.answers for s in second.answer_sets(room.id)] == [{"consumer_count": 2}]
    second.close()


def test_many_threads_posting_at_once_lose_nothing(store_target: str) -> None:
    """400 posts from 8 threads: every participant's answers are there."""
    store = RoomStore(store_target)
    room = store.create("Orders", CONNECTION, [])

    def post(offset: int) -> None:
        for i in range(offset, 400, 8):
            store.put_answers(room.id, AnswerSet(f"phone{i:05d}", {"consumer_count": i % 5 + 1}))

    threads = [threading.Thread(target=post, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.counts(room.id) == (400, 400)
    store.close()


def test_sqlite_store_is_in_wal_mode(tmp_path: Path) -> None:
    """The SQLite store uses WAL, so the server and the facilitator's kernel read and write at once."""
    store = RoomStore(tmp_path / "rooms.sqlite3")
    store.create("Orders", CONNECTION, [])
    store.close()
    with sqlite3.connect(tmp_path / "rooms.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
