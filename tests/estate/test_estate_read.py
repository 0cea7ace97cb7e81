"""Reading inventories: what spreadsheets write is tolerated; files that cannot be read are refused."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from patternfit.errors import InputError
from patternfit.estate.review import read_inventory, read_inventory_bytes

HEADER = "id,name,owner,current_pattern,latency_budget,human_step,consumer_count"


def _read(text: str, name: str = "inv.csv"):
    return read_inventory_bytes(text.encode("utf-8"), name)


def test_utf8_bom_is_not_part_of_the_first_header():
    """A UTF-8 BOM before `id` does not hide the id column."""
    inventory = read_inventory_bytes(codecs.BOM_UTF8 + f"{HEADER}\nA,One,T,api,seconds,no,1\n".encode(), "bom.csv")
    assert next(iter(inventory.table.columns)) == "id"
    assert inventory.table["id"].tolist() == ["A"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_sniffed_from_the_header(delimiter):
    """`;`, tab and `|` separated files are read like comma separated ones."""
    text = (
        HEADER.replace(",", delimiter)
        + "\n"
        + delimiter.join(["A", "One, with comma", "T", "api", "seconds", "no", "1"])
        + "\n"
    )
    table = _read(text).table
    assert table.loc[2, "name"] == "One, with comma"
    assert table.loc[2, "latency_budget"] == "seconds"


def test_headers_with_spaces_and_mixed_case_are_matched():
    """' Latency Budget ' and 'Human-Step' name the catalog keys latency_budget and human_step."""
    table = _read(" ID ,Name, Latency Budget ,Human-Step,Current Pattern\nA,One,seconds,no,api\n").table
    assert {"id", "name", "latency_budget", "human_step", "current_pattern"} <= set(table.columns)


def test_utf16_and_windows_1252_files_are_decoded():
    """Excel's 'Unicode text' (UTF-16) and a Windows-1252 CSV keep their accented names; 1252 is warned about."""
    text = f"{HEADER}\nA,Café sync,T,api,seconds,no,1\n"
    utf16 = read_inventory_bytes(text.encode("utf-16"), "u16.csv")
    assert utf16.table.loc[2, "name"] == "Café sync" and not utf16.warnings
    cp1252 = read_inventory_bytes(text.encode("cp1252"), "win.csv")
    assert cp1252.table.loc[2, "name"] == "Café sync"
    assert any("Windows-1252" in w for w in cp1252.warnings)


def test_row_numbers_are_the_spreadsheet_rows():
    """Blank lines and a quoted multi-line name keep the row numbers a spreadsheet shows."""
    text = f'{HEADER}\nA,One,T,api,seconds,no,1\n\n"B","Two\nlines",T,api,seconds,no,1\nC,Three,T,api,seconds,no,1\n'
    inventory = _read(text)
    assert inventory.table.index.tolist() == [2, 4, 5]
    assert inventory.table.loc[4, "name"] == "Two\nlines"
    assert inventory.skipped == 1


def test_short_rows_are_padded_and_long_rows_reported():
    """Missing trailing cells are blank answers; a row with extra filled cells is a row error."""
    text = f"{HEADER}\nA,One,T,api\nB,Two,T,api,seconds,no,1,EXTRA\nC,Three,T,api,seconds,no,1,,\n"
    inventory = _read(text)
    table = inventory.table
    assert table.index.tolist() == [2, 3, 4]
    assert table.loc[2, "consumer_count"] == "" and table.loc[2, "human_step"] == ""
    assert inventory.problems["row"].tolist() == [3]
    assert "8 cells" in inventory.problems["problem"].iloc[0]


def test_unknown_columns_are_kept_with_a_warning():
    """A 'notes' column is not an error: it is passed through and named in a warning."""
    inventory = _read("id,notes,latency_budget\nA,keep me,seconds\n")
    assert inventory.table.loc[2, "notes"] == "keep me"
    assert any("'notes'" in w for w in inventory.warnings)


def test_misspelt_answer_column_is_refused_with_did_you_mean():
    """'latency_budjet' would silently lose its answers, so it is refused naming the likely key."""
    with pytest.raises(InputError) as err:
        _read("id,latency_budjet\nA,seconds\n")
    assert "latency_budget" in err.value.message and "column 2" in err.value.message


def test_repeated_column_is_refused():
    """Two columns that both mean latency_budget are refused, naming both."""
    with pytest.raises(InputError, match="repeats the column"):
        _read("id,latency_budget,Latency Budget\nA,seconds,hours\n")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"", "is empty"),
        (b"  \n\n ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), ".xls"),
        (b"id,name\n", "no connections"),
        (b"\n\nid,name\nA,B\n", "header row is blank"),
        (b"name,owner\nOne,T\n", "no 'id' column"),
        (b"id,name\nA,One\nB,Two\nA,Three\n", "appears more than once"),
    ],
)
def test_unreadable_files_are_one_clear_error(data, what):
    """Empty, binary, old .xls, header-only, id-less and duplicate-id files raise InputError naming the file."""
    with pytest.raises(InputError) as err:
        read_inventory_bytes(data, "bad.csv")
    assert what in err.value.message
    assert err.value.message.startswith("bad.csv")
    assert err.value.fix


def test_duplicate_ids_name_both_rows():
    """The duplicate-id error points at the two spreadsheet rows."""
    with pytest.raises(InputError) as err:
        _read("id,name\nA,One\nB,Two\n A ,Three\n")
    assert "rows 2 and 4" in err.value.message


def test_zip_that_is_not_a_workbook_is_refused():
    """A ZIP archive (say a .docx renamed) is refused as not a readable workbook."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        read_inventory_bytes(stream.getvalue(), "fake.xlsx")


def test_missing_file_and_folder_are_refused(tmp_path):
    """A path that does not exist, or a folder, is an InputError, not a traceback."""
    with pytest.raises(InputError, match="no such file"):
        read_inventory(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="folder"):
        read_inventory(tmp_path)


def _workbook(rows: list[list[object]], title: str = "inventory", extra_first: bool = False) -> bytes:
    book = openpyxl.Workbook()
    if extra_first:
        book.active.title = "notes"
        book.active.append(["this sheet is not the inventory"])
        sheet = book.create_sheet(title)
    else:
        sheet = book.active
        sheet.title = title
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_xlsx_typed_cells_read_like_their_csv_text(tmp_path):
    """Workbook booleans, integers and whole floats read as TRUE / 3 / 3; the 'inventory' sheet is preferred."""
    data = _workbook(
        [
            ["id", "human_step", "consumer_count", "freshness_value", "name"],
            ["A", True, 3, 4.0, "One"],
            [None, None, None, None, None],
            ["B", "no", "2", 5, 17],
        ],
        extra_first=True,
    )
    path = tmp_path / "inv.xlsx"
    path.write_bytes(data)
    inventory = read_inventory(path)
    table = inventory.table
    assert inventory.kind == "xlsx"
    assert table.index.tolist() == [2, 4]
    assert str(table.loc[2, "human_step"]) == "TRUE"
    assert str(table.loc[2, "consumer_count"]) == "3" and str(table.loc[2, "freshness_value"]) == "4"
    assert table.loc[4, "name"] == "17"


def test_xlsx_values_beyond_the_header_are_a_row_error():
    """A value in a column without a header is reported for its row, not silently dropped."""
    data = _workbook([["id", "name"], ["A", "One"], ["B", "Two", "stray"]])
    inventory = read_inventory_bytes(data, "inv.xlsx")
    assert inventory.problems["row"].tolist() == [3]


def test_example_inventory_reads(tmp_path):
    """The committed example inventory reads with 51 rows and no warnings."""
    inventory = read_inventory(Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv")
    assert inventory.rows == 51 and not inventory.warnings and inventory.table.index[0] == 2
