"""patternfit.estate.read: an inventory file or upload read into text cells indexed by spreadsheet row."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from patternfit.errors import InputError
from patternfit.estate.read import read_inventory, read_inventory_bytes

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"


def test_rows_keep_their_spreadsheet_numbers_and_blank_rows_are_skipped(model):
    """Row numbers are the spreadsheet's (header is row 1); a blank row is counted, an unknown column warned of."""
    inventory = read_inventory_bytes(b"id,name,source,target,notes\nA,x,S,T,hello\n\nB,y,S,U,\n", "up.csv", model=model)
    assert list(inventory.table.index) == [2, 4] and inventory.skipped == 1 and inventory.kind == "csv"
    assert inventory.table.loc[4, "target"] == "U"
    assert inventory.warnings == ("columns not in the catalog, copied to the report unchanged: 'notes'",)


def test_a_workbook_reads_as_its_csv_does(model, tmp_path: Path):
    """The same rows saved as XLSX read to the same table as the CSV."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["id", "name", "source", "target", "latency_budget"], ["A", "x", "S", "T", "seconds"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx = read_inventory_bytes(buffer.getvalue(), "inv.xlsx", model=model)
    from_csv = read_inventory_bytes(b"id,name,source,target,latency_budget\nA,x,S,T,seconds\n", "inv.csv", model=model)
    assert from_xlsx.kind == "xlsx"
    assert from_xlsx.table.to_dict() == from_csv.table.to_dict()


@pytest.mark.parametrize(
    ("name", "where", "what"),
    [
        ("inventory-duplicate-ids.csv", ": rows 2 and 3", "the id '1' appears more than once"),
        ("inventory-empty.csv", "", "is empty"),
        ("inventory-fake.xlsx", "", "is a ZIP file but not a readable Excel workbook"),
        ("inventory-no-id.csv", ": row 1", "no 'id' column"),
    ],
)
def test_an_unreadable_inventory_says_where_and_how_to_save_it(model, name: str, where: str, what: str):
    """Repeated ids, an empty file, a fake workbook or no id column is an InputError naming the place."""
    with pytest.raises(InputError) as raised:
        read_inventory(CORPUS / name, model=model)
    assert raised.value.where == f"{CORPUS / name}{where}" and what in raised.value.what and raised.value.fix
