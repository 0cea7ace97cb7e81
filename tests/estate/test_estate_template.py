"""The inventory template: generated from the catalog, committed up to date, and round-trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from patternfit import assess
from patternfit.estate.review import review
from patternfit.estate.template import legend_rows, template_columns, template_csv, write_template
from patternfit.model.connection import load_connection

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "data" / "inventory"


def _example_rows(model, examples) -> list[tuple[str, dict[str, object], str | None]]:
    """(id, row cells, expected recommendation) for every example connection file."""
    rows = []
    for stem, path in examples.items():
        connection = load_connection(path, model)
        cells: dict[str, object] = {
            "id": stem,
            "name": connection.name,
            "source": connection.source,
            "target": connection.target,
            "owner": "Examples",
        }
        cells |= dict(connection.characteristics)
        rows.append((stem, cells, assess(connection, samples=0, model=model).recommended))
    return rows


def test_csv_template_round_trip(tmp_path, model, examples):
    """The example connections typed into template.csv come back with the recommendations assess gives them."""
    csv_path, _ = write_template(tmp_path, model)
    columns = next(csv.reader(io.StringIO(csv_path.read_text())))
    rows = _example_rows(model, examples)
    with csv_path.open("a", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        for _, cells, _ in rows:
            writer.writerow({k: str(v).lower() if isinstance(v, bool) else v for k, v in cells.items()})
    result = review(csv_path)
    assert not result.inventory.warnings and not len(result.problems)
    got = dict(zip(result.inventory.table["id"], result.results["recommended"], strict=True))
    assert got == {stem: expected for stem, _, expected in rows}


def test_xlsx_template_round_trip(tmp_path, model, examples):
    """The same rows entered into template.xlsx (typed cells: booleans, numbers) give the same results."""
    _, xlsx_path = write_template(tmp_path, model)
    book = openpyxl.load_workbook(xlsx_path)
    sheet = book["inventory"]
    columns = [c.value for c in sheet[1]]
    rows = _example_rows(model, examples)
    for _, cells, _ in rows:
        sheet.append([cells.get(c) for c in columns])
    book.save(xlsx_path)
    result = review(xlsx_path)
    assert result.inventory.kind == "xlsx" and not len(result.problems)
    got = dict(zip(result.inventory.table["id"], result.results["recommended"], strict=True))
    assert got == {stem: expected for stem, _, expected in rows}


def test_template_columns_follow_the_catalog(model):
    """The header is the identity columns, current_pattern, then the 18 catalog keys in catalog order."""
    columns = template_columns(model)
    assert columns[:6] == ["id", "name", "source", "target", "owner", "current_pattern"]
    assert columns[6:] == list(model.keys) and len(model.keys) == 18


def test_legend_lists_each_question_and_its_allowed_values(model):
    """The legend sheet names every column with its question and allowed values."""
    book = openpyxl.load_workbook(COMMITTED / "template.xlsx")
    legend = {row[0]: row for row in book["legend"].iter_rows(values_only=True)}
    for question in model.characteristics:
        assert legend[question.key][2] == question.question
    assert legend["latency_budget"][3] == "subsecond, seconds, minutes, hours, days"
    assert legend["consumer_count"][3] == "a whole number ≥ 1"
    assert "shared_database" in legend["current_pattern"][3]


def test_xlsx_template_offers_drop_downs(model):
    """Every answer column of the inventory sheet carries a data validation of its allowed values."""
    sheet = openpyxl.load_workbook(COMMITTED / "template.xlsx")["inventory"]
    rules = {str(r.sqref).split(":")[0][:-1]: r for r in sheet.data_validations.dataValidation}
    header = {c.value: c.column_letter for c in sheet[1]}
    assert rules[header["latency_budget"]].formula1 == '"subsecond,seconds,minutes,hours,days"'
    assert rules[header["consumer_count"]].type == "whole"
    assert "id" not in {k for k, v in header.items() if v in rules}


@pytest.mark.parametrize("name", ["template.csv", "template.xlsx"])
def test_committed_templates_are_up_to_date(model, name):
    """data/inventory/ holds what `patternfit estate --template` generates from the current catalog."""
    path = COMMITTED / name
    if name.endswith(".csv"):
        assert path.read_text() == template_csv(model)
    else:
        book = openpyxl.load_workbook(path)
        assert [c.value for c in book["inventory"][1]] == template_columns(model)
        assert [list(r) for r in book["legend"].iter_rows(values_only=True)] == [
            [v if v != "" else None for v in row] for row in legend_rows(model)
        ]
