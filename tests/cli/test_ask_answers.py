"""patternfit.cli.ask: the answers it keeps and what it refuses before asking anything.

The questions themselves are asked in a real terminal by tests/cli/test_ask.py (pexpect)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from patternfit.cli import ask
from patternfit.errors import InputError
from patternfit.model.connection import load_connection, parse_connection

from tests.cli.parsing import run

FANOUT = Path(__file__).resolve().parents[2] / "data" / "examples" / "order-created-fanout.yaml"


def test_answers_round_trip_a_connection_file(model):
    """Answers taken from the fan-out example write back a mapping that reads as the same connection."""
    start = load_connection(FANOUT, model)
    written = ask.Answers.of(start).to_dict()
    again = parse_connection(written, model)
    assert (again.name, again.source, again.target) == (start.name, start.source, start.target)
    assert dict(again.characteristics) == dict(start.characteristics)


def test_an_unsure_answer_is_listed_until_it_is_answered_sure():
    """set(unsure=True) lists the key once; answering it again sure takes it off; `sub.` keys go under sub."""
    answers = ask.Answers(name="Prices")
    answers.set("latency_budget", "seconds", unsure=True)
    answers.set("latency_budget", "minutes", unsure=True)
    answers.set("sub.step_dependency", "independent", unsure=False)
    assert answers.to_dict() == {
        "name": "Prices",
        "characteristics": {"latency_budget": "minutes"},
        "sub": {"step_dependency": "independent"},
        "unsure": ["latency_budget"],
    }
    answers.set("latency_budget", "minutes", unsure=False)
    assert "unsure" not in answers.to_dict()


def test_an_existing_file_is_refused_before_any_question(tmp_path: Path):
    """FILE that exists, without --force, is refused at once with how to go on."""
    target = tmp_path / "c.yaml"
    target.write_text(yaml.safe_dump({"name": "kept"}))
    with pytest.raises(InputError) as raised:
        run(ask, "ask", str(target))
    assert (raised.value.what, raised.value.fix) == (
        "already exists",
        "pass --force to replace it, or give another file name",
    )
    assert yaml.safe_load(target.read_text()) == {"name": "kept"}


def test_without_a_terminal_it_says_what_to_do_instead(tmp_path: Path):
    """Run with no terminal (as under pytest), it refuses and points to writing the file by hand."""
    with pytest.raises(InputError) as raised:
        run(ask, "ask", str(tmp_path / "new.yaml"))
    assert "needs a terminal" in raised.value.what
    assert "patternfit assess FILE" in raised.value.fix
    assert not (tmp_path / "new.yaml").exists()
