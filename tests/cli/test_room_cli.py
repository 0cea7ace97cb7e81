"""`patternfit room` as a user runs it: a real process, a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import patternfit
from patternfit.room.store import RoomStore

from tests.room.test_analysis import room_of_shipment

ROOT = Path(__file__).resolve().parents[2]
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))


def run(target: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATTERNFIT_ROOMS_DB": target}
    return subprocess.run([PATTERNFIT, "room", *args], capture_output=True, text=True, cwd=ROOT, timeout=60, env=env)


def test_open_prints_the_rooms_path_and_report_gives_the_analysis(store_target: str, store: RoomStore, examples):
    """`room open` prints /room/<id> (one line); `room report --format json` is `assess_room`'s JSON."""
    opened = run(store_target, "open", str(examples["shipment-reaction-chain"]), "--title", "Shipments")
    assert opened.returncode == 0, opened.stderr
    path = opened.stdout.strip()
    assert opened.stdout.count("\n") == 1 and path.startswith("/room/")
    room_id = path.removeprefix("/room/")
    room = store.get(room_id)
    assert room is not None and room.title == "Shipments" and room.is_open
    sets = room_of_shipment()
    for s in sets:
        store.put_answers(room_id, patternfit.room.parse_answer_set(s, patternfit.load_model()))
    report = run(store_target, "report", room_id, "--format", "json")
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    connection = patternfit.load_connection(examples["shipment-reaction-chain"], patternfit.load_model())
    expected = patternfit.assess_room(sets, connection=connection).to_dict()
    assert data == json.loads(json.dumps(expected))
    assert data["revealed"] is False and [d["key"] for d in data["disputes"]] == ["counterpart_capability"]
    text = run(store_target, "report", room_id)
    assert "flips to Batch if ops is right about counterpart capability" in text.stdout
    assert "Participants: 5" in text.stdout


def test_reveal_close_and_delete(store_target: str, store: RoomStore, examples):
    """reveal marks the room revealed; close stops answers; delete removes the room and its answers."""
    room_id = run(store_target, "open", str(examples["order-created-fanout"])).stdout.strip().removeprefix("/room/")
    assert run(store_target, "reveal", room_id).returncode == 0
    assert json.loads(run(store_target, "report", room_id, "--format", "json").stdout)["revealed"] is True
    assert run(store_target, "close", room_id).returncode == 0
    room = store.get(room_id)
    assert room is not None and not room.is_open
    assert run(store_target, "delete", room_id).returncode == 0
    assert store.get(room_id) is None


def test_bad_input_exits_2_with_one_line(store_target: str, tmp_path: Path):
    """An unknown room or a bad connection file: exit 2, one line naming where and what."""
    missing = run(store_target, "report", "AAAAAAAAAAAAAAAAAAAAAA")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "room AAAAAAAAAAAAAAAAAAAAAA: no such room" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncharacteristics:\n  latency_budget: soon\n")
    result = run(store_target, "open", str(bad))
    assert result.returncode == 2 and "latency_budget" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_postgres_url_is_bad_input(tmp_path: Path):
    """A postgresql:// URL nothing listens on: exit 2 naming PATTERNFIT_ROOMS_DB."""
    result = run("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2", "report", "AAAAAAAAAAAAAAAAAAAAAA")
    assert result.returncode == 2 and result.stderr.startswith("patternfit: PATTERNFIT_ROOMS_DB: cannot connect")
