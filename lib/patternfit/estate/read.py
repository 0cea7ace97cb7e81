"""Read an inventory (CSV or XLSX) into a table of text cells, indexed by spreadsheet row.

Tolerant of what spreadsheets write: a UTF-8 BOM, UTF-16 ("Unicode text") and Windows-1252
files, `;` / tab / `|` delimiters (sniffed from the header), blank lines, rows with missing
trailing cells, stray spaces and mixed-case headers. Every cell is kept as text here;
`estate_encode` decides what it means.

The table's index is the row number the user sees in the spreadsheet (the header is row 1),
so every message can point at a row. A binary, empty or header-only file, a file without an
`id` column, or an old `.xls` workbook is refused with one InputError (file, where, what, fix).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from patternfit.errors import InputError
from patternfit.estate.columns import DESCRIPTIVE, IDENTITY, layout, normalise_header
from patternfit.estate.encode import PROBLEM_COLUMNS, check_unique_ids, skipped_rows
from patternfit.io.reading import read_bytes
from patternfit.model.catalog import Model, load_model

MAX_BYTES = 2_000_000_000
DELIMITERS = (",", ";", "\t", "|")
SHEET = "inventory"  # the sheet read from a workbook that has one by this name; else the first
XLSX_BYTES = 256_000_000  # the members of a workbook, unpacked, together (a zip bomb is refused first)
XLSX_RATIO = 200  # a member unpacking to more than 200× its packed size (and over 1 MB) is a bomb
XLSX_ROWS = 1_048_576  # Excel's own limit
XLSX_CELL = 32_767  # characters in one cell: Excel's own limit


@dataclass(frozen=True)
class ColumnMap:
    """A spreadsheet's own headers and wording → ours (checked by `importers.mapping.load_mapping`)."""

    where: str
    columns: Mapping[str, str]  # normalised spreadsheet header → our column
    values: Mapping[str, Mapping[str, str]]  # our column → normalised cell text → catalog value

    def rename(self, header: list[str], where: str) -> tuple[list[str], list[str]]:
        """The header in our names, and a warning for each mapped header the sheet lacks."""
        names = [normalise_header(h) for h in header]
        missing = [h for h in self.columns if h not in names]
        warnings = [f"{self.where}: the mapped column {h!r} is not in {where}" for h in missing]
        return [self.columns.get(n, h) for n, h in zip(names, header, strict=True)], warnings

    def relabel(self, column: str, values: pd.Series) -> pd.Series:
        """A column with the spreadsheet's wording replaced by catalog values."""
        table = self.values.get(column)
        if not table:
            return values
        return _relabel(values, lambda text: table.get(" ".join(text.split()).lower(), text))


@dataclass(frozen=True)
class Inventory:
    """An inventory as read: text cells indexed by spreadsheet row, and what reading noticed."""

    table: pd.DataFrame
    source: str
    kind: str  # "csv" or "xlsx"
    warnings: tuple[str, ...] = ()
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(PROBLEM_COLUMNS)))
    skipped: int = 0  # blank rows left out
    questions: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # row → keys the source left open
    not_read: tuple[str, ...] = ()  # elements of an imported model that were not read, each with why

    @property
    def rows(self) -> int:
        return len(self.table)


def read_inventory(source: str | Path, *, model: Model | None = None) -> Inventory:
    """Read an inventory file; InputError when nothing in it can be read."""
    path = Path(source)
    where = str(path)
    data = read_bytes(path, where=where, what="inventory", limit=MAX_BYTES)
    return read_inventory_bytes(data, where, model=model)


def read_inventory_bytes(
    data: bytes, name: str, *, model: Model | None = None, mapping: ColumnMap | None = None
) -> Inventory:
    """Read an inventory from its bytes (an upload); `name` is used in messages.

    With a `mapping` (an EA tool's export), headers and cell wording are read through it first,
    and rows without an id column are numbered."""
    model = model or load_model()
    if not data.strip():
        raise InputError(name, "is empty", "save the inventory with a header row and one row per connection")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(name, "is an old Excel .xls workbook", "save it as .xlsx or CSV (UTF-8) and try again")
    if data.startswith(b"PK\x03\x04"):
        raw, problems, warnings = _read_xlsx(data, name, model, mapping)
        kind = "xlsx"
    else:
        raw, problems, warnings = _read_csv(data, name, model, mapping)
        kind = "csv"
    return _finish(raw, name, kind, problems, warnings, model, mapping)


# -- CSV ------------------------------------------------------------------------------------------


def _read_csv(
    data: bytes, where: str, model: Model, mapping: ColumnMap | None = None
) -> tuple[pd.DataFrame, list[dict[str, Any]], list[str]]:
    import pyarrow as pa  # type: ignore[import-untyped]
    from pyarrow import csv as pacsv

    data, warnings = _utf8(data, where)
    _check_quotes(data, where)
    header_text = _first_record(data)
    delimiter = _sniff(header_text)
    try:
        header = next(csv.reader(io.StringIO(header_text, newline=""), delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(
            f"{where}: row 1", f"the header row cannot be read ({exc})", "check the quotes in row 1"
        ) from None
    if not any(h.strip() for h in header):
        raise InputError(f"{where}: row 1", "the header row is blank", "put the column names in row 1: id, name, …")
    if mapping is not None:
        header, missing = mapping.rename(header, where)
        warnings += missing
    names = [f"c{i}" for i in range(len(header))]
    answers = _coded_columns(header, model, where)
    coded = pa.dictionary(pa.int32(), pa.string())  # few distinct values: parsed straight to codes
    types = {n: coded if h in answers else pa.string() for n, h in zip(names, header, strict=True)}
    invalid: list[tuple[int | None, str]] = []

    def keep(row: Any) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    def parse(threads: bool) -> Any:
        invalid.clear()
        try:
            return pacsv.read_csv(
                pa.py_buffer(data),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=threads),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=True, invalid_row_handler=keep
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowException) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(
                where, f"cannot be read as CSV ({first})", "save it again as CSV (UTF-8) or XLSX"
            ) from None

    table = parse(True)
    if invalid and any(number is None for number, _ in invalid):
        table = parse(False)  # row numbers of odd rows are only known when parsing in one thread
    frame = table.to_pandas()
    frame.columns = pd.Index(header)
    problems: list[dict[str, Any]] = []
    numbers = np.arange(2, len(frame) + len(invalid) + 2)
    if invalid:
        odd = [number for number, _ in invalid if number is not None]
        numbers = np.setdiff1d(numbers, np.array(odd, dtype=numbers.dtype), assume_unique=True)
        frame.index = numbers
        odd = _odd_rows(invalid, header, delimiter, problems)
        frame = pd.concat([frame.astype("str"), odd]).sort_index(kind="stable")
        frame = _coded(frame, answers)
    else:
        frame.index = numbers
    return frame, problems, warnings


def _odd_rows(
    invalid: list[tuple[int | None, str]], header: list[str], delimiter: str, problems: list[dict[str, Any]]
) -> pd.DataFrame:
    """Rows with fewer cells than the header (padded with blanks) or more (a row error)."""
    width = len(header)
    rows, index = [], []
    for number, text in invalid:
        if number is None:
            continue
        try:
            cells = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            cells = [text]  # unreadable even on its own: keep the text so the row is reported
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append({
                "row": number, "column": "(row)", "value": f"{len(cells)} cells",
                "problem": f"the row has {len(cells)} cells but the header names {width} columns",
                "allowed": "one cell per header column (check for an unquoted delimiter in a name)",
            })  # fmt: skip
        cells = (cells + [""] * width)[:width]
        rows.append(cells)
        index.append(number)
    odd = pd.DataFrame(rows, columns=pd.Index(header), index=index, dtype="str")
    return odd


def _utf8(data: bytes, where: str) -> tuple[bytes, list[str]]:
    """The file as UTF-8 without a BOM (UTF-16 and Windows-1252 converted, with a warning)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), []
        except UnicodeDecodeError:
            raise InputError(where, "starts like UTF-16 text but is not", "save it again as CSV (UTF-8)") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data[:65536]:
        raise InputError(
            where, "is not a text file (it holds binary data)", "save the inventory as CSV (UTF-8) or XLSX"
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                where,
                f"is neither UTF-8 nor Windows-1252 text (byte {exc.start})",
                "save the inventory as CSV (UTF-8) or XLSX",
            ) from None
        return text.encode("utf-8"), [
            f"{where} is not UTF-8; read it as Windows-1252 (Excel's default on Windows) — check accented names"
        ]
    return data, []


def _check_quotes(data: bytes, where: str) -> None:
    """Refuse a file that ends inside a quoted cell: its rest would silently become one cell."""
    if data.count(b'"') % 2 == 0:
        return
    text = data.decode("utf-8", errors="replace")
    delimiter = _sniff(_first_record(data))
    row, last = 0, list[str]()
    try:
        for row, last in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):  # noqa: B007
            pass  # only the last record, and its number, are wanted
    except csv.Error:
        return  # not the shape looked for here; the CSV reader reports it
    if any("\n" in cell or "\r" in cell for cell in last):
        raise InputError(
            f"{where}: row {row}",
            "opens a quoted cell that is never closed, so every row after it would be read as one cell",
            'close the quote (a " inside a quoted cell is written "")',
        )


def _first_record(data: bytes) -> str:
    """The header record's text (quoted newlines included)."""
    head = data[:1_000_000].decode("utf-8", errors="replace")
    quoted = False
    for i, char in enumerate(head):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return head[:i]
    return head


def _sniff(header: str) -> str:
    """The delimiter: the candidate found most often outside quotes in the header."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


# -- XLSX -----------------------------------------------------------------------------------------


def _read_xlsx(
    data: bytes, where: str, model: Model, mapping: ColumnMap | None = None
) -> tuple[pd.DataFrame, list[dict[str, Any]], list[str]]:
    import openpyxl

    check_workbook(data, where)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            where, f"is a ZIP file but not a readable Excel workbook ({type(exc).__name__})", "save it as .xlsx or CSV"
        ) from None
    except Exception as exc:  # openpyxl raises its own types for malformed workbooks
        raise InputError(
            where, f"is not a readable Excel workbook ({type(exc).__name__})", "save it as .xlsx or CSV"
        ) from None
    try:
        names = {n.lower(): n for n in book.sheetnames}
        if not names:
            raise InputError(where, "has no worksheets", "put the inventory on the first sheet")
        sheet = book[names.get(SHEET, book.sheetnames[0])]
        place = f"{where} [{sheet.title}]"
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or not any(_cell(v).strip() for v in first):
            raise InputError(f"{place}: row 1", "the header row is blank", "put the column names in row 1: id, name, …")
        header = [_cell(v) for v in first]
        while header and not header[-1].strip():
            header.pop()
        missing: list[str] = []
        if mapping is not None:
            header, missing = mapping.rename(header, place)
        width = len(header)
        problems: list[dict[str, Any]] = []
        cells: list[list[str]] = []
        for number, values in enumerate(rows, start=2):
            if number > XLSX_ROWS:
                raise InputError(place, f"has more than {XLSX_ROWS:,} rows (Excel's limit)", "split the inventory")
            row = [_cell(v) for v in values]
            if any(len(c) > XLSX_CELL for c in row):
                raise InputError(
                    f"{place}: row {number}",
                    f"has a cell longer than {XLSX_CELL:,} characters (Excel's limit)",
                    "shorten the cell",
                )
            if len(row) > width and any(c.strip() for c in row[width:]):
                problems.append({
                    "row": number, "column": "(row)", "value": f"{len(row)} cells",
                    "problem": f"the row has values beyond the last named column ({width})",
                    "allowed": "one cell per header column; give the extra column a header",
                })  # fmt: skip
            cells.append((row + [""] * width)[:width])
    finally:
        book.close()
    frame = pd.DataFrame(cells, columns=pd.Index(header), index=np.arange(2, len(cells) + 2), dtype="str")
    return _coded(frame, _coded_columns(header, model, where)), problems, missing


def check_workbook(data: bytes, where: str) -> None:
    """Refuse a workbook whose members unpack to more than XLSX_BYTES, or one member that unpacks
    more than XLSX_RATIO times its packed size — before anything is unpacked."""
    fix = "save the inventory again from Excel, or as CSV"
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            where, f"is a ZIP file but not a readable Excel workbook ({type(exc).__name__})", fix
        ) from None
    total = sum(m.file_size for m in members)
    if total > XLSX_BYTES:
        raise InputError(
            where,
            f"unpacks to {total:,} bytes, more than the {XLSX_BYTES:,} read from a workbook",
            "split it, or save it as CSV",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_000_000 and ratio > XLSX_RATIO:
            raise InputError(
                where,
                f"its member {member.filename!r} unpacks {ratio:,.0f} times its size ({member.file_size:,} bytes): "
                "refused as a zip bomb",
                fix,
            )
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for member in members:
            if member.filename.startswith("xl/worksheets/") and _rows(book, member) > XLSX_ROWS:
                raise InputError(
                    f"{where}: {member.filename}", f"has more than {XLSX_ROWS:,} rows (Excel's limit)", fix
                )


def _rows(book: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """The `<row` elements of a worksheet, counted in its packed stream (stops past XLSX_ROWS)."""
    rows, tail = 0, b""
    with book.open(member) as stream:
        while rows <= XLSX_ROWS and (chunk := stream.read(1 << 20)):
            text = tail + chunk
            rows += text.count(b"<row") - tail.count(b"<row")
            tail = text[-4:]
    return rows


def _coded_columns(header: list[str], model: Model, where: str) -> set[Any]:
    """Columns with few distinct values, read as categoricals: answers, owner, source, target."""
    plan = layout(header, model, where=where)
    return set(plan.answers) | {plan.identity[k] for k in ("owner", "source", "target") if k in plan.identity}


def _coded(frame: pd.DataFrame, answers: set[Any]) -> pd.DataFrame:
    """Answer columns as categoricals (a few distinct values each), as the CSV reader makes them."""
    for position, column in enumerate(frame.columns):
        if column in answers:
            frame.isetitem(position, frame.iloc[:, position].astype("category"))
    return frame


def _cell(value: Any) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


# -- both -----------------------------------------------------------------------------------------


def _finish(
    raw: pd.DataFrame,
    where: str,
    kind: str,
    found: list[dict[str, Any]],
    warnings: list[str],
    model: Model,
    mapping: ColumnMap | None = None,
) -> Inventory:
    raw.index.name = "row"
    blank_headers = [i for i, h in enumerate(raw.columns) if not str(h).strip()]
    if blank_headers:
        filled = [i + 1 for i in blank_headers if not skipped_rows(raw.iloc[:, [i]]).all()]
        if filled:
            warnings.append(f"column {', '.join(map(str, filled))} has values but no header; ignored")
        raw = raw.iloc[:, [i for i in range(raw.shape[1]) if i not in blank_headers]]
    if mapping is not None and "id" not in [normalise_header(c) for c in raw.columns]:
        raw.insert(0, "id", [f"row {n}" for n in raw.index])
        warnings.append(f"{where} has no id column; rows are named by their row number ('row 2', …)")
    plan = layout(list(raw.columns), model, where=where, require_id=True)
    rename = {column: name for name, column in plan.identity.items()}
    rename |= {column: normalise_header(column) for column in plan.answers}
    rename |= {column: normalise_header(column) for column in plan.extra if normalise_header(column) in DESCRIPTIVE}
    table = raw.rename(columns=rename)
    if mapping is not None:
        for column in mapping.values:
            if column in table.columns:
                table[column] = mapping.relabel(column, table[column])
    for name in IDENTITY:
        if name in table.columns:
            table[name] = _strip(table[name])
    no_id = np.flatnonzero(table["id"].eq("").to_numpy(bool))
    empty = no_id[skipped_rows(table.iloc[no_id])] if len(no_id) else no_id
    skipped = len(empty)
    if skipped:
        table = table.drop(index=table.index[empty])
    if table.empty:
        raise InputError(where, "has a header but no connections", "add one row per connection below the header")
    check_unique_ids(table["id"], (table["id"] == "").to_numpy(bool), where)
    problems = pd.DataFrame(found, columns=list(PROBLEM_COLUMNS))
    return Inventory(table, where, kind, tuple(warnings) + plan.warnings, problems, skipped)


def _strip(column: pd.Series) -> pd.Series:
    """Trim spaces; for a categorical, on its categories only (merging any that become equal)."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.str.strip()
    return _relabel(column, str.strip)


def _relabel(column: pd.Series, change: Any) -> pd.Series:
    """Each distinct value through `change` once (categories merged where they become equal)."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype("str").astype("category")
    names = [change(str(c)) for c in column.cat.categories]
    distinct = list(dict.fromkeys(names))
    remap = np.array([distinct.index(n) for n in names] + [-1], np.int64)
    codes = np.asarray(column.cat.codes, np.int64)
    values = pd.Categorical.from_codes(remap[np.where(codes >= 0, codes, len(names))], categories=distinct)
    return pd.Series(values, index=column.index, name=column.name)
