"""The room: phones in a workshop answer the same questions; the facilitator reveals the spread.

`store` keeps rooms and answers (SQLite or PostgreSQL), `answers` checks what a phone posts,
`analysis` turns many answer sets into the room's spread, disputes and recommendation, `handlers`
serves the phones' page from the same tornado server as Voila (imported on its own: it needs tornado).
"""

from __future__ import annotations

from patternfit.room.analysis import Dispute, RoomAnalysis, assess_room
from patternfit.room.answers import parse_answer_set
from patternfit.room.store import AnswerSet, Room, RoomStore

__all__ = ["AnswerSet", "Dispute", "Room", "RoomAnalysis", "RoomStore", "assess_room", "parse_answer_set"]
