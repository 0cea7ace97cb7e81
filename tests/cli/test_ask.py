"""`patternfit ask` driven through a real pseudo-terminal (pexpect), as a person at a terminal uses
it: arrow keys and Enter, Ctrl-C, and an existing file with and without --force."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import patternfit
import pexpect
import pytest
import yaml
from patternfit.engine.assess import assess_connection
from patternfit.model.catalog import load_model

PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "order-created-fanout.yaml"
DOWN, UP, ENTER, CTRL_C = "\x1b[B", "\x1b[A", "\r", "\x03"
SELECT = "Stop here and save"  # the last choice of every question, on its own line
HEADLINE = "→ "  # the recommendation printed after each answer
TIMEOUT = 60
CPR = "\x1b[6n"  # "where is the cursor?"


@pytest.fixture(scope="module")
def model():
    return load_model()


def _spawn(cwd: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        PATTERNFIT, ["ask", *args], cwd=str(cwd), encoding="utf-8", timeout=TIMEOUT, dimensions=(60, 400)
    )
    child.logfile_read = io.StringIO()  # everything the terminal showed
    return child


def _expect(child: pexpect.spawn, wanted: str | list[str]) -> int:
    """Wait for one of `wanted`, answering the cursor-position requests a real terminal answers
    (prompt_toolkit asks before each prompt and waits 2 s for a reply that never comes otherwise)."""
    options = [wanted] if isinstance(wanted, str) else list(wanted)
    while True:
        found = child.expect_exact([CPR, *options])
        if found == 0:
            child.send("\x1b[1;1R")
            continue
        return found - 1


def _introduce(child: pexpect.spawn, name: str) -> None:
    _expect(child, "Name of the connection")
    child.sendline(name)
    _expect(child, "Sending system")
    child.sendline("Shop")
    _expect(child, "Receiving system")
    child.sendline("Pricing service")


def _finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, f"ended by signal {child.signalstatus}"
    return int(child.exitstatus)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_answers_in_ask_next_order_until_settled(tmp_path, model):
    """Arrow keys and Enter answer the questions the engine asks next; it stops settled and writes a valid file."""
    first = assess_connection(
        {"name": "Price lookup", "source": "Shop", "target": "Pricing service"}, samples=0, model=model
    )
    first_key = first.ask_next[0]["key"]
    child = _spawn(tmp_path, "lookup.yaml")
    _introduce(child, "Price lookup")
    _expect(child, model.question(first_key.removeprefix("sub.")).question[:60])
    _expect(child, SELECT)
    asked = 0
    while True:
        asked += 1
        assert asked < 40, "the questionnaire did not stop"
        child.send(DOWN + ENTER if asked == 2 else ENTER)  # the highlighted answer; the second by arrow key
        if _expect(child, ["how many exactly?", HEADLINE]) == 0:
            child.send(ENTER)  # the bucket's smallest number
            _expect(child, HEADLINE)
        if _expect(child, [SELECT, "Wrote"]) == 1:
            break
    _expect(child, "Recommendation:")
    assert _finish(child) == 0
    log = child.logfile_read.getvalue()
    connection = patternfit.load_connection(tmp_path / "lookup.yaml", model)
    assert connection.name == "Price lookup" and connection.source == "Shop"
    assert connection.characteristics
    assert "Settled" in log
    assert assess_connection(connection, samples=500, model=model).state == "settled"
    assert len(connection.characteristics) + len(connection.sub) == asked < len(model.keys)
    assert _files(tmp_path) == ["lookup.yaml"]


def test_not_sure_marks_the_answer_unsure(tmp_path, model):
    """'Not sure' asks for the likeliest answer and records it under unsure; 'Stop here and save' ends the questions."""
    child = _spawn(tmp_path, "unsure.yaml")
    _introduce(child, "Unsure lookup")
    _expect(child, SELECT)
    # the first question's own answers, then "Not sure" right after them
    screen = child.before + child.after
    question = next(
        q for q in (*model.characteristics, *model.sub_inputs) if q.question[:60] in " ".join(screen.split())
    )
    values = question.scale.levels
    child.send(DOWN * values + ENTER)
    _expect(child, "The likeliest answer")
    child.send(ENTER)
    found = _expect(child, [SELECT, "how many exactly?"])
    if found == 1:
        child.send(ENTER)
        _expect(child, SELECT)
    child.send(UP + ENTER)  # up from the first choice wraps to the last: "Stop here and save"
    _expect(child, "Wrote")
    assert _finish(child) == 0
    written = yaml.safe_load((tmp_path / "unsure.yaml").read_text(encoding="utf-8"))
    assert written["unsure"] == [question.key]
    assert question.key in written["characteristics"]
    patternfit.load_connection(tmp_path / "unsure.yaml", model)


def test_ctrl_c_leaves_nothing_written(tmp_path):
    """Ctrl-C in the middle of the questions: exit 130, no file and no temporary file."""
    child = _spawn(tmp_path, "never.yaml")
    _introduce(child, "Interrupted")
    _expect(child, SELECT)
    child.send(ENTER)
    _expect(child, SELECT)
    child.send(CTRL_C)
    _expect(child, "nothing was written")
    assert _finish(child) == 130
    assert _files(tmp_path) == []


def test_existing_file_is_refused_before_any_question(tmp_path):
    """An existing FILE without --force: exit 2 with one clear line, nothing asked, the file unchanged."""
    target = tmp_path / "taken.yaml"
    target.write_text("name: Keep me\n", encoding="utf-8")
    child = _spawn(tmp_path, "taken.yaml")
    assert _finish(child) == 2
    log = child.logfile_read.getvalue()
    assert "taken.yaml: already exists" in log and "--force" in log
    assert "Name of the connection" not in log
    assert target.read_text(encoding="utf-8") == "name: Keep me\n"


def test_force_replaces_an_existing_file(tmp_path, model):
    """With --force the existing file is replaced, all at once, by the new connection."""
    target = tmp_path / "taken.yaml"
    target.write_text("name: Old\n", encoding="utf-8")
    child = _spawn(tmp_path, "taken.yaml", "--force")
    _introduce(child, "New connection")
    _expect(child, SELECT)
    child.send(UP + ENTER)  # stop at once
    _expect(child, "Wrote")
    assert _finish(child) == 0
    assert patternfit.load_connection(target, model).name == "New connection"
    assert _files(tmp_path) == ["taken.yaml"]


def test_from_existing_keeps_its_answers(tmp_path, model):
    """--from preloads a connection: stopping at once writes its answers under the new file name."""
    child = _spawn(tmp_path, "copy.yaml", "--from", str(EXAMPLE))
    _expect(child, "Name of the connection")
    child.sendline("")  # keep the example's name
    _expect(child, "Sending system")
    child.sendline("")
    _expect(child, "Receiving system")
    child.sendline("")
    found = _expect(child, [SELECT, "Settled", "Open: the recommendation is not settled"])
    if found == 0:
        child.send(UP + ENTER)
    _expect(child, "Wrote")
    assert _finish(child) == 0
    original = patternfit.load_connection(EXAMPLE, model)
    copy = patternfit.load_connection(tmp_path / "copy.yaml", model)
    assert copy.name == original.name
    assert dict(copy.characteristics) == dict(original.characteristics)


def test_without_a_terminal_it_says_so(tmp_path):
    """Standard input that is not a terminal: exit 2 and one line saying a terminal is needed."""
    done = subprocess.run(
        [PATTERNFIT, "ask", "x.yaml"], cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.yaml").exists()


def test_without_file_names_it_after_the_connection_and_never_overwrites(tmp_path, model):
    """No FILE: the file is named after the connection, and a name already taken gets a number."""
    (tmp_path / "price-lookup.yaml").write_text("name: Taken\n", encoding="utf-8")
    child = _spawn(tmp_path)
    _introduce(child, "Price lookup")
    _expect(child, SELECT)
    child.send(UP + ENTER)  # stop at once
    _expect(child, "Wrote price-lookup-2.yaml")
    assert _finish(child) == 0
    assert (tmp_path / "price-lookup.yaml").read_text(encoding="utf-8") == "name: Taken\n"
    assert patternfit.load_connection(tmp_path / "price-lookup-2.yaml", model).name == "Price lookup"
    assert _files(tmp_path) == ["price-lookup-2.yaml", "price-lookup.yaml"]


def test_stopping_while_open_says_what_would_change_it(tmp_path, model):
    """Stopping before settled ends with the truth: open, and the flips (the newcomer's
    address change of issue 20: Batch among them) — never 'no question could change it'."""
    start = tmp_path / "start.yaml"
    start.write_text(
        "name: Address change\ncharacteristics:\n  response_expectation: none\n  counterpart_capability: api\n"
        "  consistency: eventual\n  data_volume: single\n",
        encoding="utf-8",
    )
    child = _spawn(tmp_path, "out.yaml", "--from", str(start))
    for prompt in ("Name of the connection", "Sending system", "Receiving system"):
        _expect(child, prompt)
        child.sendline("")
    _expect(child, SELECT)
    child.send(UP + ENTER)  # stop at once
    _expect(child, "Wrote")
    assert _finish(child) == 0
    log = child.logfile_read.getvalue()
    assert "Open: the recommendation is not settled." in log and "It would change:" in log
    assert "Batch if " in log
    assert "No question is left" not in log and "cannot change" not in log and "Settled" not in log


def test_out_of_questions_while_unsure_offers_to_revisit(tmp_path, model):
    """Every question answered, one still marked unsure and the state open: it offers to revisit
    the unsure answers, and declining ends with the truth — open, and what would change it."""
    start = tmp_path / "start.yaml"
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")) | {"unsure": ["ordering"]}
    start.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    child = _spawn(tmp_path, "out.yaml", "--from", str(start))
    for prompt in ("Name of the connection", "Sending system", "Receiving system"):
        _expect(child, prompt)
        child.sendline("")
    _expect(child, model.question("ordering").question[:60])
    _expect(child, SELECT)
    child.send(DOWN * model.question("ordering").scale.levels + ENTER)  # not sure
    _expect(child, "The likeliest answer")
    child.send(ENTER)
    _expect(child, "Revisit the answers marked unsure?")
    child.sendline("n")
    _expect(child, "Wrote")
    assert _finish(child) == 0
    log = child.logfile_read.getvalue()
    assert "marked unsure: Ordering" in log
    assert "Open: the recommendation is not settled." in log and "Events (stream) if " in log
    assert yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))["unsure"] == ["ordering"]
