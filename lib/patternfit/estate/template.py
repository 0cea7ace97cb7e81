"""The blank inventory, generated from the catalog: `template.csv` and `template.xlsx`.

The XLSX has an `inventory` sheet (the header, a drop-down of allowed values on every answer
column) and a `legend` sheet listing each column's question and allowed values. Regenerate
after a catalog change with `patternfit estate --template data/inventory`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from patternfit.estate.columns import CURRENT, IDENTITY
from patternfit.io.files import check_path, os_errors, write_atomic
from patternfit.model.catalog import PROPOSABLE, Model, load_model
from patternfit.model.scales import Scale

ROWS = 2000  # rows of the inventory sheet that carry the drop-downs
IDENTITY_HELP = {
    "id": ("Id", "A short id, unique in the inventory (required).", "any text"),
    "name": ("Name", "What the connection does, in a few words.", "any text"),
    "source": ("Source", "The system that starts the exchange.", "any text"),
    "target": ("Target", "The system (or systems) on the other side.", "any text"),
    "owner": ("Owner", "The team or domain accountable for the connection.", "any text"),
}
CURRENT_HELP = (
    "Current pattern",
    "How the connection works today (blank if unknown).",
    ", ".join(PROPOSABLE),
)


def template_columns(model: Model) -> list[str]:
    """The header of a blank inventory: identity, current pattern, the 18 characteristics."""
    return [*IDENTITY, CURRENT, *model.keys]


def legend_rows(model: Model) -> list[list[str]]:
    """One row per column: column, label, question, allowed values."""
    rows = [["column", "label", "question", "allowed (blank = unanswered)"]]
    for key in IDENTITY:
        label, text, allowed = IDENTITY_HELP[key]
        rows.append([key, label, text, allowed])
    rows.append([CURRENT, *CURRENT_HELP])
    for question in model.characteristics:
        rows.append([question.key, question.label, question.question, _allowed(question.scale)])
    rows.append([
        "sub.<key>, stated.<key>, proposed.<fact>", "Optional columns",
        "The orchestration-vs-choreography inputs (sub.branching …), stated answers and design facts "
        "of the current design (proposed.dlq …), as in a connection file.", "as in the catalog",
    ])  # fmt: skip
    rows.append(["", "", f"Generated from the patternfit catalog, model {model.version}.", ""])
    return rows


def _allowed(scale: Scale) -> str:
    if scale.type == "boolean":
        return "true or false (also TRUE, yes, no)"
    return scale.describe()


def template_csv(model: Model) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(template_columns(model))
    return buffer.getvalue()


def template_xlsx(model: Model) -> bytes:
    """The XLSX template's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "inventory"
    columns = template_columns(model)
    sheet.append(columns)
    sheet.freeze_panes = "B2"
    scales = {CURRENT: model.scales["proposed.pattern"], **{k: model.scales[k] for k in model.keys}}
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, len(column) + 2)
        scale = scales.get(column)
        if scale is not None:
            rule = _validation(scale, column, DataValidation)
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{ROWS + 1}")
    legend = book.create_sheet("legend")
    for row in legend_rows(model):
        legend.append(row)
    for cell in legend[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (26, 24, 90, 50), strict=True):
        legend.column_dimensions[letter].width = width
    for row in legend.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _validation(scale: Scale, column: str, kind: type) -> Any:
    message = f"{column}: {_allowed(scale)}; leave blank when unknown"
    if scale.type == "integer":
        return kind(type="whole", operator="greaterThanOrEqual", formula1=str(scale.minimum or 0),
                    allow_blank=True, showErrorMessage=True, errorTitle=column, error=message)  # fmt: skip
    values = ["true", "false"] if scale.type == "boolean" else [str(v) for v in scale.values]
    return kind(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                showErrorMessage=True, errorTitle=column, error=message)  # fmt: skip


def write_template(folder: str | Path, model: Model | None = None) -> tuple[Path, Path]:
    """Write template.csv and template.xlsx into `folder` (created if missing)."""
    model = model or load_model()
    target = check_path(Path(folder), "choose a shorter folder path")
    with os_errors(target, "template"):
        target.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = target / "template.csv", target / "template.xlsx"
    write_atomic(csv_path, template_csv(model))
    write_atomic(xlsx_path, template_xlsx(model))
    return csv_path, xlsx_path
