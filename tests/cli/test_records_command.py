"""patternfit.cli.records: `patternfit record` and `patternfit records` run in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from patternfit.cli import records
from patternfit.errors import InputError
from patternfit.records.types import LogEntry

from tests.cli.parsing import run

FANOUT = Path(__file__).resolve().parents[2] / "data" / "examples" / "order-created-fanout.yaml"


def test_record_writes_the_next_number_and_records_lists_it(tmp_path: Path, capsys):
    """Two records of one connection are 0001 and 0002, and the log lists both with their pattern."""
    for _ in range(2):
        assert (
            run(records, "record", str(FANOUT), "--out", str(tmp_path), "--samples", "0", "--date", "2026-12-01") == 0
        )
    assert sorted(p.name[:5] for p in tmp_path.glob("*.md")) == ["0001-", "0002-"]
    capsys.readouterr()
    assert run(records, "records", str(tmp_path), "--format", "json") == 0
    log = json.loads(capsys.readouterr().out)
    assert [e["number"] for e in log] == [1, 2]
    assert {e["pattern"] for e in log} == {"events"}


def test_a_choice_against_the_recommendation_needs_a_rationale(tmp_path: Path):
    """--chosen batch without --rationale writes nothing and says what to add."""
    with pytest.raises(InputError) as raised:
        run(records, "record", str(FANOUT), "--out", str(tmp_path), "--samples", "0", "--chosen", "batch")
    assert "rationale" in raised.value.message.lower()
    assert not list(tmp_path.glob("*.md"))


def test_the_log_table_aligns_columns_and_cuts_long_titles():
    """Columns line up, a missing number shows as a dash, and a title past the width ends in an ellipsis."""
    entries = [
        LogEntry(1, "Short", "accepted", "events", "2026-12-01", "0001-short.md", ""),
        LogEntry(None, "T" * 200, "", "", "", "notes.md", "not a patternfit record"),
    ]
    lines = records.log_table(entries).splitlines()
    assert lines[0].split() == ["number", "title", "status", "pattern", "date", "file", "note"]
    assert lines[1].startswith("0001    Short") and lines[2].startswith("—       T")
    assert lines[1].index("accepted") == lines[0].index("status") == lines[2].index("—", 8)
    assert "T" * 59 + "…" in lines[2] and "T" * 60 not in lines[2]
    assert records.log_table([]) == "no decision records\n"
