"""The estate report: formula cells neutralised, XLSX readable by openpyxl, written atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from patternfit.errors import InputError
from patternfit.estate import report as estate_report
from patternfit.estate.review import read_inventory_bytes, report_bytes, review

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv"
CRAFTED = {
    '=HYPERLINK("http://evil","x")': '\'=HYPERLINK("http://evil","x")',
    "+1+2": "'+1+2",
    "-2+3": "'-2+3",
    "@SUM(A1)": "'@SUM(A1)",
    "\tTAB": "'\tTAB",
    "\rCR": "'\rCR",
    "plain = fine": "plain = fine",
}


def _crafted_review():
    lines = ["id,name,owner,notes,latency_budget,consumer_count,=HEAD()"]
    for i, text in enumerate(CRAFTED):
        quoted = '"' + text.replace('"', '""') + '"'
        lines.append(f"R{i},{quoted},{quoted},{quoted},hours,{'3' if i else '=1+1'},x")
    return review(read_inventory_bytes(("\n".join(lines) + "\n").encode(), "crafted.csv"))


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_formula_like_text_is_neutralised_in_csv(tmp_path):
    """Every text cell starting with = + - @ tab or CR gets a leading ' in the CSV; others are untouched."""
    path = _crafted_review().write(tmp_path / "report.csv")
    rows = _csv_rows(path.read_bytes())
    for row, (text, expected) in zip(rows, CRAFTED.items(), strict=True):
        assert row["notes"] == expected  # an extra column, copied as written
        trimmed = text.strip()  # identity cells lose stray spaces, tabs and CRs when read
        assert row["name"] == row["owner"] == ("'" + trimmed if trimmed[0] in "=+-@" else trimmed)
    assert rows[0]["consumer_count"] == "'=1+1"  # the bad cell echoed back, neutralised
    assert rows[0]["'=HEAD()"] == "x"  # headers too
    assert "'=1+1" in rows[0]["error"] or "=1+1" in rows[0]["error"]
    assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for row in rows for v in row.values())
    assert rows[1]["score_batch"].lstrip("-").replace(".", "").isdigit()  # numbers stay numbers


def test_formula_like_text_is_neutralised_in_xlsx(tmp_path):
    """In the XLSX no cell is a formula: crafted text is stored as text with a leading '."""
    path = _crafted_review().write(tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    report = book["report"]
    header = [c.value for c in report[1]]
    notes = [r[header.index("notes")] for r in report.iter_rows(min_row=2, values_only=True)]
    assert notes == [v.replace("\r", "\n") for v in CRAFTED.values()]  # XML reads a stored CR as LF
    names = [r[header.index("name")] for r in report.iter_rows(min_row=2, values_only=True)]
    assert names[:4] == list(CRAFTED.values())[:4]
    scores = [r[header.index("score_batch")] for r in report.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(s, float) for s in scores[1:])


def test_xlsx_report_is_readable_by_openpyxl_with_a_summary(tmp_path):
    """The example's XLSX has report, summary, mismatches, workshop, undecided and problems sheets, rows right."""
    result = review(EXAMPLE)
    path = result.write(tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["report", "summary", "mismatches", "workshop", "undecided", "problems"]
    report = list(book["report"].iter_rows(values_only=True))
    header = report[0]
    assert len(report) == 1 + 51
    for column in (
        "row",
        "id",
        "recommended",
        "undecided",
        "what_to_ask",
        "score_api",
        "knocked_out",
        "pitfalls",
        "checks",
        "mismatch",
        "gap",
        "error",
    ):
        assert column in header
    by_id = {r[header.index("id")]: r for r in report[1:]}
    assert by_id["INT-002"][header.index("mismatch")] is True
    assert by_id["INT-050"][header.index("error")].startswith("consumer_count: 'many'")
    summary = {r[0]: r[1] for r in book["summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["connections"] == 51 and summary["mismatches"] == 18 and summary["rows with errors"] == 3
    assert summary["undecided"] == 1 and by_id["INT-044"][header.index("undecided")] is True
    assert by_id["INT-044"][header.index("recommended")] is None
    assert [r[1] for r in book["undecided"].iter_rows(values_only=True)] == ["id", "INT-044"]
    assert len(list(book["mismatches"].iter_rows())) == 1 + 18
    assert len(list(book["problems"].iter_rows())) == 1 + 3  # kafka is read as events now


def test_csv_report_has_every_input_row_and_the_result_columns(tmp_path):
    """The CSV report lists all 51 rows in input order with results, mismatch and error columns."""
    path = review(EXAMPLE).write(tmp_path / "report.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(path.read_bytes())
    assert [r["row"] for r in rows] == [str(i) for i in range(2, 53)]
    assert rows[1]["id"] == "INT-002" and rows[1]["recommended"] == "api" and rows[1]["mismatch"] == "true"
    assert rows[1]["knocked_out"] == "events, batch" and rows[1]["current_pattern"] == "batch"
    assert rows[48]["current_pattern"] == "events" and rows[48]["recommended"] == ""
    assert rows[48]["technology"] == "kafka"  # read through data/technologies.yaml, kept as written


def test_report_bytes_match_the_written_file(tmp_path):
    """report_bytes (the dashboard's download) holds the same CSV as write()."""
    result = review(EXAMPLE)
    assert report_bytes(result, "csv") == result.write(tmp_path / "r.csv").read_bytes()
    assert openpyxl.load_workbook(io.BytesIO(report_bytes(result, "xlsx"))).sheetnames[0] == "report"


def test_failed_write_leaves_the_old_report_and_no_temp_file(tmp_path, monkeypatch):
    """A crash while writing keeps the previous report intact and removes the half-written temp file."""
    target = tmp_path / "report.csv"
    target.write_text("previous report")

    def boom(stream, frame):
        stream.write(b"half a rep")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(estate_report, "write_csv", boom)
    with pytest.raises(RuntimeError):
        review(EXAMPLE).write(target)
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_the_input_is_never_overwritten(tmp_path):
    """Writing the report over the inventory is refused (same path, or the same file by another name)."""
    inventory = tmp_path / "inv.csv"
    inventory.write_bytes(EXAMPLE.read_bytes())
    result = review(inventory)
    with pytest.raises(InputError, match="is the inventory itself"):
        result.write(inventory)
    (tmp_path / "link.csv").symlink_to(inventory)
    with pytest.raises(InputError, match="is the inventory itself"):
        result.write(tmp_path / "link.csv")
    assert inventory.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize(
    ("name", "what"), [("report.txt", "neither .csv nor .xlsx"), ("missing/report.csv", "does not exist")]
)
def test_bad_report_targets_are_refused(tmp_path, name, what):
    """A wrong suffix or a missing folder is an InputError before anything is written."""
    with pytest.raises(InputError, match=what):
        review(EXAMPLE).write(tmp_path / name)


PROFILE = {
    "name": "=Acme <CoE>",
    "version": "1.0",
    "author": "Integration office",
    "changes": [{"weight": "coordinated_steps", "to": 6, "reason": "our flows are long"}],
}


def test_csv_names_the_profile_on_every_row(tmp_path, model):
    """With a profile every CSV row carries `model` and `profile` (name, version; formula-like text neutralised)."""
    rows = _csv_rows(review(EXAMPLE, profile=PROFILE).write(tmp_path / "report.csv").read_bytes())
    assert {r["model"] for r in rows} == {f"reference model {model.version}"}
    assert {r["profile"] for r in rows} == {"'=Acme <CoE>, version 1.0"}
    assert rows[1]["recommended"] == "api"  # the result columns are still there


def test_csv_names_the_reference_model_when_no_profile(tmp_path, model):
    """Without a profile the `model` column says 'reference model <version>' and `profile` is blank."""
    rows = _csv_rows(review(EXAMPLE).write(tmp_path / "report.csv").read_bytes())
    assert {r["model"] for r in rows} == {f"reference model {model.version}"}
    assert {r["profile"] for r in rows} == {""}
    weighted = _csv_rows(review(EXAMPLE, weights={"ordering": 3}).write(tmp_path / "w.csv").read_bytes())
    assert weighted[0]["model"] == f"reference model {model.version}, with custom weights"


def test_an_input_column_named_profile_is_kept_apart(tmp_path):
    """An inventory column called `profile` is kept as `input:profile`, not overwritten by the basis."""
    data = b"id,latency_budget,profile\nA,hours,gold\n"
    result = review(read_inventory_bytes(data, "inv.csv"), profile=PROFILE)
    row = _csv_rows(report_bytes(result, "csv"))[0]
    assert row["input:profile"] == "gold" and row["profile"] == "'=Acme <CoE>, version 1.0"


def test_xlsx_summary_names_the_profile_or_the_reference_model(model):
    """The summary sheet's first lines: what it was assessed with, the profile's name, version and author."""

    def summary(result):
        book = openpyxl.load_workbook(io.BytesIO(report_bytes(result, "xlsx")), read_only=True)
        rows = list(book["summary"].iter_rows(values_only=True))
        return {r[0]: r[1] for r in rows[:8] if r and r[0]}, book

    with_profile, book = summary(review(EXAMPLE, profile=PROFILE))
    assert with_profile["assessed with"] == f"profile =Acme <CoE>, version 1.0 (on reference model {model.version})"
    assert with_profile["profile"] == "'=Acme <CoE>" and with_profile["profile version"] == "1.0"
    assert with_profile["profile author"] == "Integration office" and with_profile["profile changes"] == 1
    header = next(book["report"].iter_rows(values_only=True))
    assert "model" in header and "profile" in header
    plain, _ = summary(review(EXAMPLE))
    assert plain["assessed with"] == f"reference model {model.version}"
    assert plain["model"] == f"reference model {model.version}" and plain["profile"].startswith("none")
