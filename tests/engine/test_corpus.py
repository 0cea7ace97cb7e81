"""The bad-input corpus (tests/corpus/, index.json): every file through the real CLI gets exit 2
and one line on stderr naming the file and what is wrong — no traceback, nothing written, no
existing file changed."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
INDEX = json.loads((CORPUS / "index.json").read_text())
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))
EXAMPLE = ROOT / "data" / "examples" / "order-created-fanout.yaml"


def test_corpus_is_large_enough():
    """At least 40 bad inputs across every kind of file the product reads."""
    kinds = {entry["kind"] for entry in INDEX.values()}
    assert len(INDEX) >= 40
    assert kinds >= {"connection", "weights", "profile", "record", "inventory"}


def _command(kind: str, path: Path, out: Path) -> list[str]:
    if kind == "connection" or kind == "record":
        return ["assess", str(path), "--samples", "50"]
    if kind == "weights":
        return ["assess", str(EXAMPLE), "--samples", "50", "--weights", str(path)]
    if kind == "profile":
        return ["assess", str(EXAMPLE), "--samples", "50", "--profile", str(path)]
    return ["estate", str(path), "--out", str(out / "report.csv")]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", sorted(INDEX))
def test_bad_input_is_refused_cleanly(tmp_path, name):
    """One corpus file: exit 2, one stderr line naming the file and the problem."""
    entry = INDEX[name]
    work = tmp_path / "work"
    work.mkdir()
    path = work / name
    shutil.copyfile(CORPUS / name, path)
    (work / "existing-report.csv").write_text("keep me\n")
    before = _snapshot(work)
    result = subprocess.run(
        [PATTERNFIT, *_command(entry["kind"], path, work)], capture_output=True, text=True, timeout=120, cwd=work
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    if entry["kind"] == "inventory":  # every unreadable cell gets its own indented line first
        assert all(line.startswith(("patternfit: ", "  ")) for line in lines), result.stderr
        lines = [lines[-1]]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("patternfit: ")
    assert name in lines[0]
    assert entry["expect"] in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(work) == before
