"""The estate page's HTML: pure functions over the review, rendered from the Jinja2 templates in
``apps/templates/estate/`` (autoescape on: every name, id, cell value and file name from an upload
is shown as text). No widgets here."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from patternfit.apps.common.html import download_html
from patternfit.apps.common.templates import render
from patternfit.estate.findings import NOT_GIVEN
from patternfit.estate.review import EstateReview, profile_label, report_bytes
from patternfit.model.catalog import Model

ROWS_SHOWN = 200  # rows of the findings table drawn in the page
PROBLEMS_SHOWN = 50  # unreadable cells listed in the validation panel
TO_ASK_SHOWN = 6  # questions named in "Still to ask"; the rest are counted
DOWNLOAD_BYTES = 25_000_000  # larger reports are not offered as page links
XLSX_ROWS = 50_000  # larger inventories get the CSV link only (XLSX takes ~1 s per 10k rows)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFF_MENU = {"shared_database": "Shared database", "other": "Other (not one of the patterns)", NOT_GIVEN: "not given"}
# the table's columns as people read them (the report keeps the keys: tools read it)
HEADERS = {
    "row": "row", "id": "id", "name": "connection", "owner": "owner", "current_pattern": "pattern in use",
    "recommended": "recommended", "runner_up": "runner-up", "gap": "gap to the recommendation",
    "margin": "margin", "unanswered": "questions unanswered", "reason": "why", "error": "problem",
    "what_to_ask": "what to ask", "check": "check", "bridges": "bridges",
}  # fmt: skip
PATTERN_COLUMNS = ("current_pattern", "recommended", "runner_up")
WRAPPED = {"name", "reason", "error", "what_to_ask", "bridges"}  # long text wraps; the rest stays on one line


def basis_html(model: Model, info: Mapping[str, Any] | None, filename: str) -> str:
    """The line beside the profile upload: which model the review uses."""
    if info is None:
        return render("estate/basis.html", info=None, version=model.version)
    changes = int(info["changes"])
    return render(
        "estate/basis.html",
        info=info,
        label=profile_label(info),
        changes=changes,
        version=model.version,
        filename=filename,
    )


def validation_html(result: EstateReview, name: str) -> str:
    """What was read: counts, warnings and the unreadable cells."""
    inventory = result.inventory
    return render(
        "estate/validation.html",
        summary=result.findings.summary,
        name=name,
        kind=inventory.kind.upper(),
        error_rows=result.error_rows,
        skipped=inventory.skipped,
        warnings=inventory.warnings,
        problems=problems_html(result.problems),
    )


def problems_html(problems: pd.DataFrame, shown: int = PROBLEMS_SHOWN, rest: str = "in the report") -> str:
    """The unreadable cells (row as in the spreadsheet, column, value, problem, allowed), escaped."""
    rows = list(problems.head(shown).itertuples(index=False))
    return render("estate/problems.html", rows=rows, more=max(0, len(problems) - shown), rest=rest)


def summary_html(result: EstateReview) -> str:
    """Key figures and the per-owner verdicts."""
    model = result.model
    findings = result.findings
    summary = findings.summary
    labels = ("assessed", "undecided", "mismatches", "workshop candidates", "bridges needed", "rows with errors")
    owners = [
        {
            "owner": r.owner,
            "connections": r.connections,
            "spread": spread_words(r.effective_patterns),
            "dominant": pattern_label(model, r.dominant),
            "rate": _pct(r.mismatch_rate),
            "verdict": r.verdict,
        }
        for r in findings.owners.itertuples(index=False)
    ]
    return render(
        "estate/summary.html",
        basis=result.basis,
        figures=[(label, summary[label]) for label in labels],
        gap=findings.gap_threshold,
        many=model.policy.many_unanswered,
        min_answers=model.policy.min_answers,
        owners=owners,
    )


def table_html(frame: pd.DataFrame, model: Model | None = None) -> str:
    """An escaped HTML table of the first ROWS_SHOWN rows: headers in words, patterns by label."""
    shown = frame.head(ROWS_SHOWN)
    columns = [str(c) for c in shown.columns]
    labelled = {c for c in PATTERN_COLUMNS if model is not None and c in columns}
    rows = [
        [
            (column in WRAPPED, pattern_label(model, value) if column in labelled and model else cell(value))
            for column, value in zip(columns, row, strict=True)
        ]
        for row in shown.itertuples(index=False)
    ]
    headers = [HEADERS.get(c, c.replace("_", " ")) for c in columns]
    return render("estate/table.html", total=len(frame), shown=ROWS_SHOWN, headers=headers, rows=rows)


def downloads_html(result: EstateReview, name: str) -> str:
    """Links that download the report as CSV and XLSX (when small enough for a page link)."""
    stem = (Path(name).stem or "inventory") + "-report"
    if result.profile:
        stem += "-" + slug(f"{result.profile['name']}-{result.profile['version']}")
    links = []
    csv = report_bytes(result, "csv")
    if len(csv) <= DOWNLOAD_BYTES:
        links.append(link_html(csv, f"{stem}.csv", "text/csv", "Download the report (CSV)"))
    if result.inventory.rows <= XLSX_ROWS:
        xlsx = report_bytes(result, "xlsx")
        if len(xlsx) <= DOWNLOAD_BYTES:
            links.append(link_html(xlsx, f"{stem}.xlsx", XLSX, "Download the report (XLSX, with a summary sheet)"))
    return render("estate/downloads.html", links=links, basis=result.basis)


def template_html(model: Model) -> str:
    """Download buttons for the blank inventory (the server does not serve data/)."""
    folder = model.directory / "inventory"
    links = [
        link_html(path.read_bytes(), f"inventory-{filename}", mime, label)
        for filename, mime, label in (
            ("template.xlsx", XLSX, "Download the inventory template (XLSX, with drop-downs and a legend)"),
            ("template.csv", "text/csv", "Download the template (CSV, header row only)"),
        )
        if (path := folder / filename).is_file()
    ]
    return render("estate/template_links.html", links=links)


def open_html(connection_id: str, connection_yaml: str, to_ask: Sequence[str]) -> str:
    """The chosen connection as a connection file for the decide dashboard, and what is still to ask."""
    download = download_html(
        connection_yaml, f"{slug(connection_id)}.yaml", "application/x-yaml", f"Download {connection_id} as a connection file"
    )
    more = max(0, len(to_ask) - TO_ASK_SHOWN)
    return render("estate/open.html", download=download, to_ask=list(to_ask[:TO_ASK_SHOWN]), more=more, problem="")


def open_prompt_html(problem: str = "") -> str:
    """What the open-in-decide part says before a connection is chosen (or why it cannot be opened)."""
    return render("estate/open.html", download="", problem=problem)


def mapping_html(filename: str) -> str:
    """The line beside the mapping upload ("" when spreadsheets are read by our own column names)."""
    return render("estate/mapping.html", filename=filename)


def progress_html(stage: str) -> str:
    return render("estate/progress.html", stage=stage)


def link_html(data: bytes, filename: str, mime: str, label: str) -> str:
    """An ``<a download>`` button carrying `data` (binary: an XLSX) as a data URI."""
    payload = base64.b64encode(data).decode("ascii")
    return render("estate/link.html", payload=payload, filename=filename, mime=mime, label=label)


def pattern_label(model: Model, key: Any) -> str:
    """A pattern key (or shared_database, other, not given) as people read it."""
    text = "" if _missing(key) else str(key)
    if text in model.pattern_keys:
        return model.pattern(text).label
    return OFF_MENU.get(text, text)


def spread_words(effective: Any) -> str:
    """How many patterns an owner really uses (exp of the entropy of its mix), in words."""
    if _missing(effective):
        return "no pattern given"
    n = float(effective)
    if n < 1.5:
        return "one pattern for nearly everything"
    return f"spread over about {round(n)} patterns"


def slug(text: str) -> str:
    """A file-name part: letters, digits, dots and dashes only."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.").lower()[:60] or "profile"


def cell(value: Any) -> str:
    """A table cell's text: a number to two places, a missing value empty."""
    if _missing(value):
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{value:.2f}"
    return str(value)


def _pct(value: Any) -> str:
    return "" if _missing(value) else f"{value:.0%}"


def _missing(value: Any) -> bool:
    """None, pandas' NA or a NaN."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, (float, np.floating)) and bool(np.isnan(value))
