"""patternfit.cli.check: `patternfit check DIR` run in process on a real decisions folder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from patternfit.cli import check
from patternfit.errors import InputError
from patternfit.records import render_record

from tests.cli.parsing import run


@pytest.fixture
def decisions(tmp_path: Path, record) -> Path:
    """A folder with the fan-out example's record, as `patternfit record` writes it."""
    folder = tmp_path / "decisions"
    folder.mkdir()
    (folder / "0001-fan-out.md").write_text(render_record(record, "madr", number=1))
    return folder


def test_a_record_that_still_holds_exits_0_and_says_so(decisions: Path, capsys):
    """One record re-assessed to the same outcome: exit 0 and '1 records checked, 0 drifted'."""
    assert run(check, "check", str(decisions)) == 0
    assert capsys.readouterr().out.endswith("1 records checked, 0 drifted\n")


def test_a_foreign_file_is_a_note_not_a_drift(decisions: Path, capsys):
    """A hand-written Markdown file beside the record is listed as not a record; the exit stays 0."""
    (decisions / "0002-by-hand.md").write_text("# A decision made by hand\n")
    assert run(check, "check", str(decisions), "--format", "json") == 0
    out = capsys.readouterr().out
    assert '"not-a-record"' in out and "0002-by-hand.md" in out


def test_a_missing_folder_is_bad_input_naming_it(tmp_path: Path):
    """A folder that is not there is an InputError naming it (the CLI turns it into exit 2)."""
    with pytest.raises(InputError) as raised:
        run(check, "check", str(tmp_path / "nowhere"))
    assert "nowhere" in raised.value.message


def test_github_lines_escape_what_would_end_the_command():
    """A drift is a warning and a note a notice; '%', ':' ',' and line breaks are escaped as GitHub wants."""
    drift = SimpleNamespace(drift=True, kind="changed", record="a:b,c.md", message="50% gone\nnow")
    note = SimpleNamespace(drift=False, kind="not-a-record", record="x.md", message="ok")
    assert check.github_line(drift) == "::warning file=a%3Ab%2Cc.md,title=patternfit changed::50%25 gone%0Anow\n"
    assert check.github_line(note).startswith("::notice file=x.md,title=patternfit not-a-record::")
