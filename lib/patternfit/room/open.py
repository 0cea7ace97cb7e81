"""Opening a room for a connection, and reading it back as an analysis or a text report."""

from __future__ import annotations

from patternfit.engine.assess import assess_connection
from patternfit.model.catalog import Model
from patternfit.model.connection import Connection, parse_connection
from patternfit.room.analysis import RoomAnalysis, assess_room
from patternfit.room.store import Room, RoomStore


def guided_order(connection: Connection, model: Model) -> list[str]:
    """The questions a phone asks, in order: what the facilitator's connection most needs to know
    (its `ask_next`), then every other characteristic in catalog order."""
    ask = [item["key"] for item in assess_connection(connection, samples=0, model=model).ask_next]
    return list(dict.fromkeys([*ask, *model.keys]))


def open_room(store: RoomStore, connection: Connection, model: Model, *, title: str = "") -> Room:
    """A new open room for this connection."""
    return store.create(title.strip() or connection.name, connection.to_dict(), guided_order(connection, model))


def analyse_room(store: RoomStore, room: Room, model: Model) -> RoomAnalysis:
    """The room's analysis from the store: its answers, its settled disputes, whether it is revealed."""
    connection = parse_connection(room.connection, model, where=f"room {room.id}")
    return assess_room(store.answer_sets(room.id), connection=connection, settled=room.settled,
                       revealed=room.revealed, model=model)  # fmt: skip
