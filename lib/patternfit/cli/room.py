"""`patternfit room open FILE` (prints the room's path) and `patternfit room report ID` (the analysis),
plus `reveal`, `close` and `delete` for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from patternfit.errors import InputError


def register(commands: Any) -> None:
    """Add the `room` subcommands."""
    p = commands.add_parser("room", help="a room: phones answer together; the facilitator reveals the spread")
    rooms = p.add_subparsers(dest="room_command", required=True, parser_class=type(p))
    o = rooms.add_parser("open", help="open a room for a connection; prints its path /room/<id>")
    o.add_argument("file", type=Path, help="a connection file (YAML or JSON)")
    o.add_argument("--title", default="", help="what the phones show (default: the connection's name)")
    o.set_defaults(run=_open)
    r = rooms.add_parser("report", help="the room's spread, disputes and recommendation")
    r.add_argument("id", help="the room's id (the last part of its path)")
    r.add_argument("--format", choices=("text", "json"), default="text")
    r.set_defaults(run=_report)
    for name, text in (("reveal", "show the answers on the facilitator's page"), ("close", "take no more answers"),
                       ("delete", "delete the room and every answer given in it")):  # fmt: skip
        c = rooms.add_parser(name, help=text)
        c.add_argument("id")
        c.set_defaults(run=_change, change=name)


def _room(store: Any, room_id: str) -> Any:
    room = store.get(room_id)
    if room is None:
        raise InputError(
            f"room {room_id}",
            "no such room in the store",
            "check the id (the part after /room/) and PATTERNFIT_ROOMS_DB",
        )
    return room


def _open(args: argparse.Namespace) -> int:
    from patternfit.model.catalog import load_model
    from patternfit.model.connection import load_connection
    from patternfit.room.open import open_room
    from patternfit.room.store import RoomStore

    model = load_model()
    connection = load_connection(args.file, model)
    room = open_room(RoomStore(), connection, model, title=args.title)
    sys.stdout.write(f"{room.path}\n")
    sys.stderr.write(f"patternfit: short code {room.code} (phones type it at /room while the room is open)\n")
    return 0


def _report(args: argparse.Namespace) -> int:
    from patternfit.model.catalog import load_model
    from patternfit.room.open import analyse_room
    from patternfit.room.pages import render_report_text
    from patternfit.room.store import RoomStore

    store = RoomStore()
    room = _room(store, args.id)
    model = load_model()
    analysis = analyse_room(store, room, model)
    if args.format == "json":
        sys.stdout.write(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_report_text(analysis, room, model))
    return 0


def _change(args: argparse.Namespace) -> int:
    from patternfit.room.store import RoomStore

    store = RoomStore()
    _room(store, args.id)
    if args.change == "reveal":
        store.set_revealed(args.id)
    elif args.change == "close":
        store.set_open(args.id, False)
    else:
        store.delete(args.id)
    return 0
