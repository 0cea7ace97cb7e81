"""Typed once at the edge (issue 22): a command reads its --profile and --weights files exactly once,
where they enter, and passes the typed `Profile` / `Weights` down — counted with an audit hook on the
interpreter's own `open` events, so every way of opening a file (builtins, pathlib, io) is seen."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from patternfit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "data" / "examples" / "inventory.csv"
CONNECTION = ROOT / "data" / "examples" / "order-created-fanout.yaml"
PROFILE = """\
name: Acme integration office
version: "1.0"
author: Integration CoE
changes:
  - {weight: consumer_count, to: 3, reason: "fan-out is our main pain"}
technologies:
  - {name: Solace PubSub+, pattern: events, flavour: topic, aliases: [solace], reason: "our event mesh"}
standards: {events.topic: Solace PubSub+}
"""

_WATCHED: dict[str, list[str]] = {}  # resolved path → one entry per open while a test watches it


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _WATCHED or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.realpath(os.fsdecode(args[0]))
    if path in _WATCHED:
        _WATCHED[path].append(str(args[1]))


sys.addaudithook(_hook)  # audit hooks cannot be removed: this one is idle unless `opened` watches a file


@contextmanager
def opened(*paths: Path) -> Iterator[dict[str, list[str]]]:
    """Count the opens of `paths` (by resolved path) inside the block."""
    _WATCHED.update({os.path.realpath(p): [] for p in paths})
    try:
        yield _WATCHED
    finally:
        _WATCHED.clear()  # idle again


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    profile = tmp_path / "acme.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    weights = tmp_path / "weights.yaml"
    weights.write_text("weights: {ordering: 2}\n", encoding="utf-8")
    return profile, weights


def _run(capsys: pytest.CaptureFixture[str], profile: Path, weights: Path, *argv: str) -> tuple[int, int]:
    """(opens of the profile, opens of the weights file) during one command, which must succeed."""
    with opened(profile, weights) as seen:
        code = main(list(argv))
        counts = len(seen[os.path.realpath(profile)]), len(seen[os.path.realpath(weights)])
    _, err = capsys.readouterr()
    assert code == 0, err
    return counts


def test_the_hook_sees_a_file_opened(files, capsys):
    """The counter itself works: reading the profile twice counts two opens (a test that can fail)."""
    profile, weights = files
    with opened(profile, weights) as seen:
        profile.read_text()
        with open(profile, "rb"):
            pass
        counts = len(seen[os.path.realpath(profile)]), len(seen[os.path.realpath(weights)])
    assert counts == (2, 0)


def test_estate_reads_the_profile_and_weights_once(files, tmp_path, capsys):
    """`patternfit estate … --profile P --weights W`, record drafts included: each file is opened once."""
    profile, weights = files
    argv = ["estate", str(INVENTORY), "--profile", str(profile), "--weights", str(weights)]
    argv += ["--out", str(tmp_path / "r.csv"), "--records", str(tmp_path / "drafts"), "--rows", "INT-001,INT-003"]
    assert _run(capsys, profile, weights, *argv) == (1, 1)
    assert len(list((tmp_path / "drafts").glob("*.md"))) == 2


def test_assess_reads_the_profile_and_weights_once(files, capsys):
    """`patternfit assess FILE --profile P --weights W`: each file is opened once."""
    profile, weights = files
    argv = ["assess", str(CONNECTION), "--profile", str(profile), "--weights", str(weights), "--samples", "0"]
    assert _run(capsys, profile, weights, *argv) == (1, 1)


def test_record_and_check_read_the_profile_once(files, tmp_path, capsys):
    """`patternfit record --profile P` and `patternfit check DIR --profile P --inventory I`: opened once each."""
    profile, weights = files
    records = tmp_path / "decisions"
    argv = ["record", str(CONNECTION), "--out", str(records), "--profile", str(profile), "--samples", "0"]
    assert _run(capsys, profile, weights, *argv) == (1, 0)
    argv = ["check", str(records), "--profile", str(profile), "--inventory", str(INVENTORY)]
    assert _run(capsys, profile, weights, *argv) == (1, 0)
