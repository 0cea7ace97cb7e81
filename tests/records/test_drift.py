"""patternfit.records.drift: `check`'s re-assessment of a decisions folder, against an inventory too."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.model.connection import load_connection
from patternfit.records.drift import InventoryRow, check_folder, match_row, record_files
from patternfit.records.load import load_record
from patternfit.records.render import render_record

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
FANOUT_ENDS = ("Order management", "Warehouse, billing, analytics, CRM, loyalty, email")


@pytest.fixture
def folder(tmp_path: Path, record) -> Path:
    (tmp_path / "0001-fan-out.md").write_text(render_record(record, "madr", number=1))
    (tmp_path / ".hidden.md").write_text("# hidden\n")
    (tmp_path / "notes.txt").write_text("not looked at")
    return tmp_path


def test_a_record_that_holds_is_checked_without_findings(folder: Path, model):
    """The fan-out record re-assessed as stored: one record checked, nothing found, no drift."""
    result = check_folder(folder, model)
    assert (result.records, list(result.findings), result.drifted) == (1, [], False)
    assert [p.name for p in record_files(folder)] == ["0001-fan-out.md"]


def test_an_inventory_answering_otherwise_is_a_drift(folder: Path, model):
    """The inventory row of the same ends answers as the price lookup does: the recommendation moves, a drift."""
    other = load_connection(EXAMPLES / "checkout-price-lookup.yaml", model)
    row = InventoryRow("C-9", *FANOUT_ENDS, other)
    result = check_folder(folder, model, inventory=[row])
    kinds = {f.kind: f for f in result.findings}
    assert result.drifted and "inventory-differs" in kinds and kinds["inventory-differs"].drift


def test_records_are_matched_by_id_first_then_by_their_ends(folder: Path, model):
    """Without a connection id a record matches the one row with its source and target, case aside."""
    loaded = load_record(folder / "0001-fan-out.md", model)
    rows = [InventoryRow("C-1", FANOUT_ENDS[0].upper(), FANOUT_ENDS[1], None), InventoryRow("C-2", "A", "B", None)]
    row, how = match_row(loaded, rows)
    assert row is rows[0] and how.startswith("source and target")
    assert match_row(loaded, rows[1:]) == (None, "")


def test_a_file_given_as_the_folder_is_refused(folder: Path):
    """`check` on a file says it is a file, not a folder, and what to give."""
    with pytest.raises(InputError) as raised:
        record_files(folder / "notes.txt")
    assert raised.value.what == "is a file, not a folder"
    assert raised.value.fix == "give the folder that holds the decision records"
