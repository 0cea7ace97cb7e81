"""A record made in a workshop room carries the room: in its text and in its patternfit block,
read back by reopening, kept when recorded again, and accepted by `check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from patternfit import assess
from patternfit.model.catalog import Model
from patternfit.records import RecordMeta, build_record, check_madr, load_record, render_record, save_record
from patternfit.room.analysis import assess_room
from patternfit.room.summary import room_summary

from tests.conftest import ROOT
from tests.room.test_analysis import room_of_shipment

SCHEMA = json.loads((ROOT / "data" / "record.schema.json").read_text(encoding="utf-8"))
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))


def room_record(model: Model, tmp_path: Path, fmt: str = "madr") -> Path:
    settled = {"counterpart_capability": {"value": "file_only", "unsure": False}}
    analysis = assess_room(room_of_shipment(), settled=settled, model=model)
    summary = room_summary(analysis, model, "R00000000000000000000a")
    record = build_record(assess(analysis.combined, samples=0, model=model), RecordMeta(room=summary), model)
    return save_record(record, tmp_path, fmt)


def test_the_record_says_who_took_part_each_dispute_and_the_dissent(model: Model, tmp_path: Path) -> None:
    """The Markdown names the participants, the spread, how it was settled and the dissent; it stays valid MADR."""
    text = room_record(model, tmp_path).read_text(encoding="utf-8")
    assert "5 people answered in the room (development 3, ops 2)." in text
    assert "Counterpart capability — answers: Messaging 3, Files only 2; settled: Files only." in text
    assert "Dissent: 3 answered Messaging (which gives Events)." in text
    assert "Flow visibility — answers: Logs are enough 3, End-to-end status and audit 2; not settled" in text
    assert check_madr(text) == []


def test_reopening_reads_the_room_and_recording_again_keeps_it(model: Model, tmp_path: Path) -> None:
    """load_record gives the room back; `patternfit record RECORD` writes it into the next record."""
    path = room_record(model, tmp_path)
    loaded = load_record(path, model)
    assert loaded.meta.room is not None and loaded.meta.room["participants"] == 5
    assert loaded.meta.room["disputes"][0]["settled"] == "settled: Files only"
    out = tmp_path / "again"
    result = subprocess.run([PATTERNFIT, "record", str(path), "--out", str(out), "--samples", "0"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    again = load_record(Path(result.stdout.strip()), model)
    assert again.meta.room == loaded.meta.room
    check = subprocess.run([PATTERNFIT, "check", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_json_record_carries_the_room_and_matches_the_schema(model: Model, tmp_path: Path) -> None:
    """JSON: the room in sentences under more_information, in full in the patternfit block; schema-valid."""
    data = json.loads(room_record(model, tmp_path, "json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["patternfit"]["room"]["participants"] == 5
    assert data["more_information"]["room"][0].startswith("5 people answered in the room")
    loaded = load_record(room_record(model, tmp_path / "md"), model)
    record = build_record(assess(loaded.connection, samples=0, model=model), loaded.meta, model)
    html = render_record(record, "html")
    assert "5 people answered in the room" in html
