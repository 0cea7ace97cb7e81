"""The estate report: every input row with its results and findings, as CSV or XLSX.

* Every row names what it was assessed with: `model` ("reference model 2026.11") and `profile`
  ("Acme integration office, version 1.0", blank when none) — plain text columns rather than a
  leading comment line, so the file stays one header plus rows for Excel and CSV readers, and a
  version such as "2026.10" is never turned into the number 2026.1. The XLSX summary sheet says
  it in its first lines too.
* Every text cell that a spreadsheet would run as a formula — starting with `=`, `+`, `-`,
  `@`, a tab or a carriage return — is written with a leading `'` (CSV and XLSX alike), so a
  crafted name such as `=HYPERLINK(...)` stays text. Numbers stay numbers.
* Written atomically: into a temporary file beside the target, then renamed over it, so a
  reader never sees half a report; the input file is never overwritten.
* CSV is UTF-8 with a BOM (so Excel reads `→` and `–` right), written by pyarrow: a million rows
  in about a second. XLSX adds the sheets `summary`, `mismatches`, `workshop`, `undecided` and
  `problems` (openpyxl, write-only: roughly 10,000 rows a second; at most 1,048,575 rows).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from patternfit.errors import InputError
from patternfit.estate.columns import CURRENT, IDENTITY
from patternfit.io.files import atomic_stream, check_path

if TYPE_CHECKING:
    from patternfit.estate.encode import Encoded
    from patternfit.estate.findings import Findings
    from patternfit.estate.read import Inventory
    from patternfit.model.catalog import Model


class EstateReview(Protocol):
    """What a report is written from: `patternfit.estate.review.EstateReview` (the report does not
    import it, so the review can offer `.write()` without an import circle)."""

    @property
    def inventory(self) -> Inventory: ...
    @property
    def encoded(self) -> Encoded: ...
    @property
    def results(self) -> pd.DataFrame: ...
    @property
    def findings(self) -> Findings: ...
    @property
    def model(self) -> Model: ...
    @property
    def profile(self) -> Mapping[str, Any] | None: ...
    @property
    def custom_weights(self) -> bool: ...
    @property
    def basis(self) -> str: ...
    @property
    def problems(self) -> pd.DataFrame: ...


FORMULA = re.compile(r"^[=+\-@\t\r]")
XLSX_ROWS = 1_048_575
FORMATS = (".csv", ".xlsx")
Progress = Callable[[float, str], None]
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XLSX cells


def profile_label(profile: Mapping[str, Any]) -> str:
    """'Acme integration office, version 1.0' — a profile's name and version."""
    return f"{profile['name']}, version {profile['version']}"


def model_basis(model_version: str, profile: Mapping[str, Any] | None, *, custom_weights: bool = False) -> str:
    """'reference model 2026.11', or 'profile Acme, version 1.0 (on reference model 2026.11)'."""
    text = (
        f"reference model {model_version}"
        if profile is None
        else f"profile {profile_label(profile)} (on reference model {model_version})"
    )
    return text + (", with custom weights" if custom_weights else "")


def report_frame(review: EstateReview) -> pd.DataFrame:
    """One row per input row: `row`, the input columns, results, then the findings."""
    table = review.inventory.table
    results = review.results
    findings = review.findings.rows
    inputs = [c for c in table.columns if c != CURRENT]
    identity = [c for c in IDENTITY if c in inputs]
    rest = [c for c in inputs if c not in identity]
    frame = pd.DataFrame({"row": table.index.to_numpy()}, index=table.index)
    for column in identity:
        frame[column] = table[column]
    frame["current_pattern"] = _current(findings["current_pattern"], table, review.encoded.bad)
    frame["recommended"] = results["recommended"]
    for column in ("undecided", "undecided_reason", "what_to_ask"):
        frame[column] = results[column]
    for column in results.columns:
        if column.startswith("score_") or column == "margin":
            frame[column] = results[column].round(4)
    frame["runner_up"] = results["runner_up"]
    frame["mismatch"] = findings["mismatch"]
    frame["gap"] = findings["gap"].round(4)
    frame["mismatch_reason"] = findings["mismatch_reason"]
    for column in (
        "knocked_out",
        "knockouts",
        "pitfalls",
        "checks",
        "coordination",
        "messaging_flavour",
        "unanswered",
        "low_confidence",
    ):
        frame[column] = results[column]
    if "acceptability" in results.columns:
        frame["acceptability"] = results["acceptability"].round(4)
    frame["workshop"] = findings["workshop"]
    frame["workshop_reason"] = findings["workshop_reason"]
    if "off_standard" in findings.columns:
        frame["off_standard"] = findings["off_standard"]
        frame["standard_reason"] = findings["standard_reason"]
    frame["error"] = results["error"]
    reference = model_basis(review.model.version, None, custom_weights=review.custom_weights)
    frame["model"] = _constant(reference, len(frame))
    frame["profile"] = _constant(profile_label(review.profile) if review.profile else "", len(frame))
    for column in rest:
        frame[f"input:{column}" if column in frame.columns else column] = table[column]
    return frame.reset_index(drop=True)


def _current(canonical: pd.Series, table: pd.DataFrame, bad: Any) -> pd.Categorical:
    """The canonical pattern name where the row was readable, else what was written."""
    values = canonical.array
    rows = np.flatnonzero(bad)
    if CURRENT not in table.columns or not len(rows):
        return values
    written = [str(v) if v == v else "" for v in table[CURRENT].iloc[rows].astype(object)]
    categories = list(dict.fromkeys([*values.categories, *written]))
    codes = np.asarray(values.codes, np.int64).copy()
    codes[rows] = [categories.index(v) for v in written]
    return pd.Categorical.from_codes(codes, categories=categories)


def _constant(text: str, n: int) -> pd.Categorical:
    """The same text on every row, stored once."""
    return pd.Categorical.from_codes(np.zeros(n, np.int8), categories=[text])


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which no text cell (nor header) starts like a formula (a `'` is put in front)."""
    out = frame.copy()
    names: list[str] = []
    for column in out.columns:
        name = _safe(_ILLEGAL.sub("", str(column)))
        while name in names:  # '=x' and "'=x" would otherwise collide
            name += "_"
        names.append(name)
    out.columns = pd.Index(names)
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            if categories.dtype.kind in "OUT" or str(categories.dtype) == "str":
                fixed = [_safe(c) for c in categories.astype(str)]
                if len(set(fixed)) == len(fixed):
                    out[column] = series.cat.rename_categories(fixed)
                    continue
                series = series.astype("str")
            else:
                continue
        if series.dtype == object or str(series.dtype) == "str":
            text = series.astype("str")
            risky = text.str.match(FORMULA.pattern).fillna(False).to_numpy(bool)
            if risky.any():
                text = text.where(~risky, "'" + text)
            out[column] = text
    return out


def _safe(text: str) -> str:
    return "'" + text if FORMULA.match(text) else text


def write_report(review: EstateReview, out: str | Path, *, progress: Progress | None = None) -> Path:
    """Write the report (CSV or XLSX by suffix) atomically; InputError for a bad target."""
    target = check_target(Path(out), review.inventory.source)
    frame = neutralise(report_frame(review))
    if progress is not None:
        progress(0.0, "writing")
    if target.suffix.lower() == ".xlsx":
        if len(frame) > XLSX_ROWS:
            raise InputError(
                str(target),
                f"{len(frame):,} rows do not fit in one Excel sheet ({XLSX_ROWS:,} at most)",
                "write a .csv report instead",
            )
        _atomic(target, lambda stream: _write_xlsx(stream, frame, review, progress))
    else:
        _atomic(target, lambda stream: write_csv(stream, frame))
    if progress is not None:
        progress(1.0, "writing")
    return target


def report_bytes(review: EstateReview, kind: str) -> bytes:
    """The report as bytes ("csv" or "xlsx"), for a download."""
    frame = neutralise(report_frame(review))
    stream = io.BytesIO()
    if kind == "xlsx":
        _write_xlsx(stream, frame, review, None)
    else:
        write_csv(stream, frame)
    return stream.getvalue()


def check_target(target: Path, source: str, *, formats: tuple[str, ...] = FORMATS) -> Path:
    """The report path, refused if it is the input, has the wrong suffix or no folder."""
    check_path(target, "choose a shorter report path")
    if target.suffix.lower() not in formats:
        shown = [f for f in formats if f != ".htm"]
        what = f"is neither {', '.join(shown[:-1])} nor {shown[-1]}"
        raise InputError(str(target), what, "name the report " + " or ".join(f"REPORT{f}" for f in shown))
    if not target.parent.is_dir():
        raise InputError(
            str(target), f"the folder {str(target.parent)!r} does not exist", "create it first or choose another path"
        )
    if target.is_dir():
        raise InputError(str(target), "is a folder", "give a file name ending in .csv or .xlsx")
    try:
        same = target.exists() and Path(source).exists() and os.path.samefile(target, source)
    except OSError:
        same = False
    if same or target.resolve() == Path(source).resolve():
        raise InputError(str(target), "is the inventory itself", "write the report to another file")
    return target


def _atomic(target: Path, write: Callable[[Any], None]) -> None:
    """Write the report all at once or not at all; disk errors name the report."""
    with atomic_stream(target) as stream:
        write(stream)


def write_csv(stream: Any, frame: pd.DataFrame) -> None:
    """CSV, UTF-8 with BOM, via pyarrow (categoricals become plain text)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    from pyarrow import csv as pacsv

    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    stream.write("\ufeff".encode())
    pacsv.write_csv(table, stream)


# -- XLSX -----------------------------------------------------------------------------------------


def _write_xlsx(stream: Any, frame: pd.DataFrame, review: EstateReview, progress: Progress | None) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("report")
    sheet.freeze_panes = "C2"
    sheet.append([_xlsx_value(c) for c in frame.columns])
    n = len(frame)
    step = max(1, n // 50)
    for i, row in enumerate(_cells(frame)):
        sheet.append(row)
        if progress is not None and i % step == 0:
            progress(i / max(n, 1), "writing")
    findings = review.findings
    summary = book.create_sheet("summary")
    for row in summary_rows(review):
        summary.append([_xlsx_value(v) for v in row])
    for name, table in (
        ("mismatches", findings.mismatches),
        ("workshop", findings.workshop),
        ("undecided", findings.undecided_rows),
        ("problems", review.problems),
    ):
        sheet = book.create_sheet(name)
        safe = neutralise(table)
        sheet.append([_xlsx_value(c) for c in safe.columns])
        for row in _cells(safe):
            sheet.append(row)
    book.save(stream)


def summary_rows(review: EstateReview) -> Iterable[list[Any]]:
    """The summary sheet: key figures, pattern mix, owners, pitfalls, current × recommended."""
    findings = review.findings
    yield ["Estate review", review.inventory.source]
    yield ["assessed with", review.basis]
    yield ["model", f"reference model {review.model.version}"]
    if review.profile:
        yield ["profile", str(review.profile["name"])]
        yield ["profile version", str(review.profile["version"])]
        if review.profile.get("author"):
            yield ["profile author", str(review.profile["author"])]
        yield ["profile changes", int(review.profile.get("changes", 0))]
    else:
        yield ["profile", "none (the reference model's weights and fit values)"]
    if review.custom_weights:
        yield ["weights", "custom weights were given for this review"]
    for key, value in findings.summary.items():
        yield [key, value]
    for warning in review.inventory.warnings:
        yield ["warning", warning]
    yield []
    yield ["Pattern mix", "current", "recommended"]
    for pattern, row in findings.mix.iterrows():
        yield [str(pattern), int(row["current"]), int(row["recommended"])]
    yield []
    yield ["Current (rows) × recommended (columns)", *findings.matrix.columns]
    for pattern, row in findings.matrix.iterrows():
        yield [str(pattern), *(int(v) for v in row)]
    yield []
    owners = findings.owners
    yield list(owners.columns)
    for record in owners.itertuples(index=False):
        yield [_plain(v) for v in record]
    mix = findings.technology_mix
    if len(mix):
        yield []
        yield list(mix.columns)
        for record in mix.itertuples(index=False):
            yield [_plain(v) for v in record]
    yield []
    yield ["Pitfall", "title", "connections", "share"]
    for record in findings.pitfalls.itertuples(index=False):
        yield [_plain(v) for v in record]


def _cells(frame: pd.DataFrame) -> Iterable[list[Any]]:
    columns = [_column_values(frame[c]) for c in frame.columns]
    return (list(row) for row in zip(*columns, strict=True))


def _column_values(series: pd.Series) -> list[Any]:
    if series.dtype.kind == "f":
        values = series.to_numpy(float)
        return [None if np.isnan(v) else float(v) for v in values]
    if series.dtype.kind == "b":
        return [bool(v) for v in series.to_numpy()]
    if series.dtype.kind in "iu" and not series.isna().any():
        return [int(v) for v in series.to_numpy()]
    objects = series.astype(object).where(series.notna(), None).tolist()
    return [_xlsx_value(v) for v in objects]


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return _safe(_ILLEGAL.sub("", value))
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    return _safe(_ILLEGAL.sub("", str(value)))


def _plain(value: Any) -> Any:
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value
