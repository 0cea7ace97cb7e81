"""patternfit.cli.mcp: `patternfit mcp` checks its settings before it serves anything."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from patternfit.cli import mcp
from patternfit.errors import InputError

from tests.cli.parsing import run


def test_the_defaults_are_the_decisions_folder_and_the_current_folder():
    """Without options the records go to docs/decisions and the workspace is the current folder."""
    parser = argparse.ArgumentParser()
    mcp.register(parser.add_subparsers())
    args = parser.parse_args(["mcp"])
    assert (args.records, args.root, args.profile) == (Path("docs/decisions"), Path("."), None)
    assert args.run is mcp.run


def test_a_missing_root_is_refused_before_serving(tmp_path: Path):
    """--root naming no folder is an InputError naming the option, before stdio is touched."""
    pytest.importorskip("mcp")
    with pytest.raises(InputError) as raised:
        run(mcp, "mcp", "--root", str(tmp_path / "nowhere"), "--records", str(tmp_path / "r"))
    assert "--root" in raised.value.where and "no such folder" in raised.value.what


def test_a_file_given_as_the_records_folder_is_refused(tmp_path: Path):
    """--records naming a file says it is a file, not a folder."""
    pytest.importorskip("mcp")
    (tmp_path / "r").write_text("")
    with pytest.raises(InputError, match="is a file, not a folder"):
        run(mcp, "mcp", "--root", str(tmp_path), "--records", str(tmp_path / "r"))
