"""Where rooms and their answers live: one interface over SQLite (the default) and PostgreSQL.

`PATTERNFIT_ROOMS_DB` names the store (see `patternfit.settings.rooms_db`): a SQLite file, kept
in WAL mode so the Voila server and the facilitator's kernel read and write it at once, or a
``postgresql://`` URL when several server processes share the rooms. Every statement is in `SQL`
(one dialect: ``?`` placeholders, turned into ``%s`` for psycopg), and every write commits before it
returns, so a server restart loses no answer that was acknowledged.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patternfit import settings
from patternfit.errors import InputError

ID_BYTES = 16  # 128 bits: the link is the room's capability
CODE_DIGITS = 6
OPEN, CLOSED = "open", "closed"

SQL: dict[str, str] = {
    "rooms": """CREATE TABLE IF NOT EXISTS pf_rooms (
        id TEXT PRIMARY KEY, code TEXT NOT NULL, title TEXT NOT NULL, connection TEXT NOT NULL,
        questions TEXT NOT NULL, status TEXT NOT NULL, revealed INTEGER NOT NULL DEFAULT 0,
        settled TEXT NOT NULL DEFAULT '{}', created DOUBLE PRECISION NOT NULL)""",
    "answers": """CREATE TABLE IF NOT EXISTS pf_answers (
        room TEXT NOT NULL REFERENCES pf_rooms(id) ON DELETE CASCADE, participant TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '', answers TEXT NOT NULL,
        unsure TEXT NOT NULL, updated DOUBLE PRECISION NOT NULL, PRIMARY KEY (room, participant))""",
    "insert_room": "INSERT INTO pf_rooms (id, code, title, connection, questions, status, created)"
    " VALUES (?, ?, ?, ?, ?, 'open', ?)",
    "room": "SELECT id, code, title, connection, questions, status, revealed, settled, created"
    " FROM pf_rooms WHERE id = ?",
    "by_code": "SELECT id FROM pf_rooms WHERE code = ? AND status = 'open'",
    "open_codes": "SELECT code FROM pf_rooms WHERE status = 'open'",
    "upsert": """INSERT INTO pf_answers (room, participant, role, name, answers, unsure, updated)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room, participant) DO UPDATE SET
        role = excluded.role, name = excluded.name, answers = excluded.answers, unsure = excluded.unsure,
        updated = excluded.updated""",
    "answer_sets": "SELECT participant, role, name, answers, unsure, updated FROM pf_answers WHERE room = ?"
    " ORDER BY updated, participant",
    "status": "UPDATE pf_rooms SET status = ? WHERE id = ?",
    "reveal": "UPDATE pf_rooms SET revealed = ? WHERE id = ?",
    "settled": "UPDATE pf_rooms SET settled = ? WHERE id = ?",
    "delete_answers": "DELETE FROM pf_answers WHERE room = ?",
    "delete_room": "DELETE FROM pf_rooms WHERE id = ?",
}


@dataclass(frozen=True, slots=True)
class Room:
    """A room as stored: its connection (the connection-file form), the guided question order,
    whether it is open and revealed, and the disputes the facilitator settled (key → {value, unsure})."""

    id: str
    code: str
    title: str
    connection: Mapping[str, Any]
    questions: tuple[str, ...]
    status: str = OPEN
    revealed: bool = False
    settled: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    created: float = 0.0

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def path(self) -> str:
        return f"/room/{self.id}"


@dataclass(frozen=True, slots=True)
class AnswerSet:
    """One participant's answers: values by key (`sub.<key>` for coordination inputs), the keys
    they are not sure of, and an optional role and name (a proxy answer carries the person's name)."""

    participant: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    unsure: tuple[str, ...] = ()
    role: str = ""
    name: str = ""
    updated: float = 0.0

    @property
    def answered(self) -> bool:
        return bool(self.answers or self.unsure)


def new_room_id() -> str:
    """128 random bits, URL-safe."""
    return secrets.token_urlsafe(ID_BYTES)


class RoomStore:
    """Rooms and answers in SQLite or PostgreSQL; one connection per thread."""

    def __init__(self, target: str | Path | None = None) -> None:
        self.target = str(target) if target is not None else settings.rooms_db()
        self.postgres = self.target.startswith(("postgresql://", "postgres://"))
        self._local = threading.local()
        self._opened: list[Any] = []  # every thread's connection, for close()
        self._lock = threading.Lock()
        if not self.postgres:
            Path(self.target).parent.mkdir(parents=True, exist_ok=True)
        with self._cursor() as cur:
            for name in ("rooms", "answers"):
                cur.execute(SQL[name])

    # -- plumbing ---------------------------------------------------------------------------
    def _connect(self) -> Any:
        if self.postgres:
            try:
                import psycopg
            except ImportError:
                raise InputError(
                    settings.ROOMS_DB, "a postgresql:// store needs psycopg", "pip install 'psycopg[binary]'"
                ) from None
            try:
                return psycopg.connect(self.target, autocommit=True)
            except psycopg.Error as exc:
                raise InputError(
                    settings.ROOMS_DB, f"cannot connect: {str(exc).strip()}", "check the URL and the server"
                ) from None
        try:
            conn = sqlite3.connect(self.target, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise InputError(
                f"{settings.ROOMS_DB}={self.target}", f"cannot open the rooms store: {exc}", "name a writable file"
            ) from None
        return conn

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or (self.postgres and conn.closed):
            conn = self._local.conn = self._connect()
            with self._lock:
                self._opened.append(conn)
        return conn

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        cur = self._conn().cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _run(self, name: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        sql = SQL[name].replace("?", "%s") if self.postgres else SQL[name]
        with self._cursor() as cur:
            cur.execute(sql, tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def close(self) -> None:
        """Close every connection this store opened (in any thread)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()

    # -- rooms ------------------------------------------------------------------------------
    def create(self, title: str, connection: Mapping[str, Any], questions: Sequence[str]) -> Room:
        """A new open room with an unguessable id and a short code no other open room uses."""
        taken = {row[0] for row in self._run("open_codes")}
        code = next(
            c for c in iter(lambda: f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}", None) if c not in taken
        )
        room = Room(new_room_id(), code, title, dict(connection), tuple(questions), created=time.time())
        self._run(
            "insert_room",
            (room.id, code, title, json.dumps(room.connection), json.dumps(list(questions)), room.created),
        )
        return room

    def get(self, room_id: str) -> Room | None:
        """The room, or None when there is none with that id."""
        rows = self._run("room", (room_id,))
        if not rows:
            return None
        rid, code, title, connection, questions, status, revealed, settled, created = rows[0]
        return Room(rid, code, title, json.loads(connection), tuple(json.loads(questions)), status, bool(revealed),
                    json.loads(settled), float(created))  # fmt: skip

    def find_code(self, code: str) -> str | None:
        """The id of the open room with this short code."""
        rows = self._run("by_code", (code,))
        return str(rows[0][0]) if rows else None

    def set_open(self, room_id: str, is_open: bool) -> None:
        self._run("status", (OPEN if is_open else CLOSED, room_id))

    def set_revealed(self, room_id: str, revealed: bool = True) -> None:
        self._run("reveal", (int(revealed), room_id))

    def settle(self, room_id: str, key: str, value: Any, *, unsure: bool = False, note: str = "") -> None:
        """Record how the room settled a dispute: the agreed value, or unsure (value None: not sure)."""
        room = self.get(room_id)
        if room is None:
            raise InputError(f"room {room_id}", "no such room", "open one with `patternfit room open FILE`")
        settled = {**room.settled, key: {"value": value, "unsure": bool(unsure or value is None), "note": note}}
        self._run("settled", (json.dumps(settled), room_id))

    def delete(self, room_id: str) -> None:
        """Delete the room and every answer given in it."""
        self._run("delete_answers", (room_id,))
        self._run("delete_room", (room_id,))

    # -- answers ----------------------------------------------------------------------------
    def put_answers(self, room_id: str, answer_set: AnswerSet) -> None:
        """Store a participant's answers, replacing what they posted before."""
        self._run("upsert", (
            room_id, answer_set.participant, answer_set.role, answer_set.name,
            json.dumps(dict(answer_set.answers)), json.dumps(list(answer_set.unsure)), time.time(),
        ))  # fmt: skip

    def answer_sets(self, room_id: str) -> list[AnswerSet]:
        """Every participant's answers, earliest first (a participant who only joined has none)."""
        return [
            AnswerSet(participant, json.loads(answers), tuple(json.loads(unsure)), role, name, float(updated))
            for participant, role, name, answers, unsure, updated in self._run("answer_sets", (room_id,))
        ]

    def counts(self, room_id: str) -> tuple[int, int]:
        """(joined, answered): participants seen, and those who answered at least one question."""
        sets = self.answer_sets(room_id)
        return len(sets), sum(1 for s in sets if s.answered)
