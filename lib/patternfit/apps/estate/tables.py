"""The estate page's results as HTML: what was read, the findings, the connections table and the
report's downloads, rendered from the Jinja2 templates in ``apps/templates/estate/`` (autoescape on:
every name, id, cell value and file name from an upload is shown as text); and which rows the
connections table shows for a view, an owner and a search (`filtered`). No widgets here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from patternfit.apps.common.html import download_html
from patternfit.apps.common.templates import render
from patternfit.apps.estate.filters import ALL_OWNERS
from patternfit.apps.estate.fragments import XLSX, link_html, slug
from patternfit.estate.findings import NOT_GIVEN
from patternfit.estate.review import EstateReview, report_bytes
from patternfit.model.catalog import Model

ROWS_SHOWN = 200  # rows of the findings table drawn in the page
PROBLEMS_SHOWN = 50  # unreadable cells listed in the validation panel
TO_ASK_SHOWN = 6  # questions named in "Still to ask"; the rest are counted
DOWNLOAD_BYTES = 25_000_000  # larger reports are not offered as page links
XLSX_ROWS = 50_000  # larger inventories get the CSV link only (XLSX takes ~1 s per 10k rows)
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
    return render("common/problems.html", rows=rows, more=max(0, len(problems) - shown), rest=rest)


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


def open_html(connection_id: str, connection_yaml: str, to_ask: Sequence[str]) -> str:
    """The chosen connection as a connection file for the decide dashboard, and what is still to ask."""
    download = download_html(
        connection_yaml,
        f"{slug(connection_id)}.yaml",
        "application/x-yaml",
        f"Download {connection_id} as a connection file",
    )
    more = max(0, len(to_ask) - TO_ASK_SHOWN)
    return render("estate/open.html", download=download, to_ask=list(to_ask[:TO_ASK_SHOWN]), more=more, problem="")


def open_prompt_html(problem: str = "") -> str:
    """What the open-in-decide part says before a connection is chosen (or why it cannot be opened)."""
    return render("estate/open.html", download="", problem=problem)


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


def filtered(result: EstateReview, view: str, owner: str = ALL_OWNERS, search: str = "") -> pd.DataFrame:
    """The findings table for a view ('mismatches', 'workshop', 'undecided', 'bridges', 'errors', 'all'),
    owner and search."""
    findings = result.findings
    frames = {
        "mismatches": lambda: findings.mismatches,
        "workshop": lambda: findings.workshop,
        "undecided": lambda: findings.undecided_rows,
        "bridges": lambda: findings.bridges,
    }
    frame = frames[view]() if view in frames else _rows(result, errors_only=view == "errors")
    if owner != ALL_OWNERS:
        frame = frame[frame["owner"].astype(str) == owner]
    text = search.strip().lower()
    if text:
        blank = pd.Series("", index=frame.index)
        hay = frame.get("id", blank).astype(str) + " " + frame.get("name", blank).astype(str)
        frame = frame[hay.str.lower().str.contains(text, regex=False)]
    return frame.reset_index(drop=True)


def _rows(result: EstateReview, *, errors_only: bool) -> pd.DataFrame:
    """Every row of the inventory (or those with unreadable cells) with its finding."""
    findings = result.findings
    table = result.inventory.table
    picked = result.encoded.bad if errors_only else np.ones(len(table), bool)
    positions = np.flatnonzero(picked)
    frame = pd.DataFrame({"row": table.index.to_numpy()[positions]})
    for column in ("id", "name"):
        if column in table.columns:
            frame[column] = table[column].iloc[positions].to_numpy()
    frame["owner"] = findings.owner.take(positions)
    frame["current_pattern"] = findings.rows["current_pattern"].array.take(positions)
    frame["recommended"] = result.results["recommended"].array.take(positions)
    frame["gap"] = findings.rows["gap"].to_numpy()[positions]
    frame["error"] = result.results["error"].array.take(positions)
    return frame
