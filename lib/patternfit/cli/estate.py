"""`patternfit estate`: assess a whole estate — an inventory or an architecture model.

    patternfit estate SOURCE --out REPORT.csv|REPORT.xlsx|REPORT.html [--from KIND] [--columns MAP]
                      [--weights F] [--profile F] [--gap X] [--samples N]
                      [--records DIR --rows ID,ID] [--quiet]
    patternfit estate --template DIR

SOURCE is an inventory (CSV/XLSX; any spreadsheet with `--columns MAPPING.yaml`), a Structurizr
workspace JSON, a Backstage catalog (a catalog-info.yaml or a folder), an ArchiMate Open
Exchange XML or an AsyncAPI 2.x/3.x document; the format is detected from the content, `--from`
overrides it. REPORT.html is one self-contained page (summary, map and charts as SVG, findings).

The summary line on stdout names what the rows were assessed with (the reference model and its
version, or the profile's name and version), as the report's `model` and `profile` columns do.

Exit codes: 0 the report was written (rows with errors are counted on stderr and listed in
its `error` column), 2 nothing could be read (bad file, or no readable row: no report is
written then, and the unreadable cells are listed on stderr), 1 a bug.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from patternfit.cli.args import read_profile, read_weights, samples, seed
from patternfit.errors import InputError

if TYPE_CHECKING:  # read lazily: `patternfit --help` imports no model
    from patternfit.engine.weights import Weights
    from patternfit.model.catalog import Model
    from patternfit.model.profile import Profile

SHOWN_PROBLEMS = 10
SHOWN_NOT_READ = 10
KINDS = ("structurizr", "backstage", "archimate", "asyncapi", "inventory")  # as estate.importers.KINDS


def register(commands: Any) -> None:
    """Add the `estate` command to the `patternfit` parser."""
    p = commands.add_parser(
        "estate",
        help="assess a whole estate (inventory, Structurizr, Backstage, ArchiMate, AsyncAPI) and write a report",
        description="Assess every connection of an estate; find those whose pattern fights their characteristics.",
    )
    p.add_argument(
        "inventory", nargs="?", type=Path, metavar="SOURCE", help="inventory .csv/.xlsx, model file or catalog folder"
    )
    p.add_argument("--out", type=Path, help="the report to write: REPORT.csv, REPORT.xlsx or REPORT.html")
    p.add_argument(
        "--from", dest="kind", choices=KINDS, help="the source's format (default: detected from its content)"
    )
    p.add_argument(
        "--columns", type=Path, metavar="MAP", help="column mapping (YAML) for a spreadsheet with its own headers"
    )
    p.add_argument("--weights", type=Path, help="YAML/JSON mapping of characteristic: weight")
    p.add_argument("--profile", type=Path, help="an organisation profile (YAML)")
    p.add_argument("--gap", type=_gap, default=None, help="score gap that makes a mismatch (default: policy)")
    p.add_argument("--samples", type=samples, default=0, help="robustness samples per row (~3 ms a row at 2000)")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--records", type=Path, metavar="DIR", help="write decision-record drafts for --rows into DIR")
    p.add_argument("--rows", type=_ids, metavar="ID,ID", help="ids of the rows to draft records for")
    p.add_argument(
        "--template", type=Path, metavar="DIR", help="write template.csv and template.xlsx into DIR and stop"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true", help="replace REPORT if it exists already")
    p.set_defaults(run=run, parser=p)


def _gap(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 2:
        raise argparse.ArgumentTypeError(f"{value:g} must be above 0 and at most 2 (scores run from -1 to 1)")
    return value


def _ids(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError("give at least one id, e.g. --rows INT-007,INT-012")
    return ids


def run(args: argparse.Namespace) -> int:
    if args.template is not None:
        from patternfit.estate.template import write_template

        for written in write_template(args.template):
            sys.stdout.write(f"wrote {written}\n")
        return 0
    parser: argparse.ArgumentParser = args.parser
    if args.inventory is None or args.out is None:
        parser.error("give a SOURCE and --out REPORT.csv|REPORT.xlsx|REPORT.html (or --template DIR)")
    if (args.records is None) != (args.rows is None):
        parser.error("--records DIR and --rows ID,ID go together")
    from patternfit.estate.report import FORMATS, check_target
    from patternfit.estate.review import review

    html = args.out.suffix.lower() in (".html", ".htm")
    check_target(args.out, str(args.inventory), formats=(*FORMATS, ".html", ".htm"))
    if os.path.lexists(args.out) and not args.force:
        raise InputError(str(args.out), "exists already and is not replaced", "add --force to replace it")
    from patternfit.model.catalog import load_model

    model = load_model()
    profile, weights = read_profile(args.profile), read_weights(args.weights, model)  # read once, here
    progress = Bar(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    try:
        result = review(
            args.inventory, weights=weights, profile=profile, samples=args.samples, seed=args.seed,
            gap=args.gap, progress=progress, kind=args.kind, columns=args.columns, model=model,
        )  # fmt: skip
        connections = [(i, result.connection(i)) for i in args.rows or []]
        summary = result.findings.summary
        nothing = summary["assessed"] == 0 and result.error_rows == summary["connections"]
        path: Path | None = None
        if not nothing:
            path = _write_html(result, args.out) if html else result.write(args.out, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    for warning in result.inventory.warnings:
        sys.stderr.write(f"patternfit: warning: {warning}\n")
    not_read = result.inventory.not_read
    if not_read:
        sys.stderr.write(f"patternfit: {result.inventory.source}: {len(not_read)} elements not read:\n")
        for item in not_read[:SHOWN_NOT_READ]:
            sys.stderr.write(f"  {item}\n")
        if len(not_read) > SHOWN_NOT_READ:
            sys.stderr.write(f"  … and {len(not_read) - SHOWN_NOT_READ} more (listed in the HTML report)\n")
    _report_problems(result, sys.stderr)
    if path is None:  # nothing readable: no report, like any other bad input
        sys.stderr.write(
            f"patternfit: {args.inventory}: none of the {summary['connections']} rows could be read"
            " — fix the cells listed above; no report was written\n"
        )
        return 2
    sys.stdout.write(
        f"wrote {path}: {summary['connections']} connections, {summary['assessed']} assessed, "
        f"{summary['undecided']} undecided, {summary['mismatches']} mismatches, "
        f"{summary['workshop candidates']} workshop candidates"
        f" — assessed with the {result.basis}\n"
    )
    if connections:
        _write_records(connections, args, model, profile, weights)
    return 0


def _write_html(result: Any, out: Path) -> Path:
    from patternfit.charts.estate_page import write_html_report

    return write_html_report(result, out)


def _report_problems(result: Any, out: TextIO) -> None:
    problems = result.problems
    if not len(problems):
        return
    rows = result.error_rows
    out.write(
        f"patternfit: {result.inventory.source}: {rows} of {result.findings.summary['connections']} rows have "
        f"unreadable cells and were left out of the results ({len(problems)} cells; "
        "each is named in the report's error column)\n"
    )
    for record in problems.head(SHOWN_PROBLEMS).itertuples(index=False):
        value = f" {record.value!r}" if record.value != "" else ""
        allowed = f" — allowed: {record.allowed}" if record.allowed and "allowed" not in record.problem else ""
        out.write(f"  row {record.row}, {record.column}{value}: {record.problem}{allowed}\n")
    if len(problems) > SHOWN_PROBLEMS:
        out.write(f"  … and {len(problems) - SHOWN_PROBLEMS} more\n")


def _write_records(
    connections: list[tuple[str, Any]],
    args: argparse.Namespace,
    base: Model,
    profile: Profile | None,
    weights: Weights | None,
) -> None:
    """Draft a record for each of `--rows`, assessed with the review's profile and weights (read once)."""
    try:
        from patternfit.records import RecordMeta, build_record, save_record
    except ImportError:
        raise InputError(
            "--records", "decision records are not available in this installation", "install the records module"
        ) from None
    from patternfit.engine.assess import assess_connection

    args.records.mkdir(parents=True, exist_ok=True)
    for connection_id, connection in connections:  # `base` is the reference model: assess applies the profile
        assessment = assess_connection(
            connection, weights=weights, profile=profile, samples=None, seed=args.seed, model=base
        )
        title = f"{connection.name} ({connection_id})"
        meta = RecordMeta(title=title, status="proposed", connection_id=str(connection_id))
        record = build_record(assessment, meta, base, profile=profile)
        path = save_record(record, args.records)
        sys.stdout.write(f"wrote {path}\n")


class Bar:
    """A one-line progress bar on a terminal: stage, bar, percentage (redrawn ≤ 10× a second)."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def __call__(self, fraction: float, stage: str) -> None:
        now = time.monotonic()
        if fraction < 1 and now - self.last < 0.1:
            return
        self.last = now
        filled = int(self.WIDTH * min(max(fraction, 0.0), 1.0))
        self.stream.write(f"\r{stage:<9} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 18) + "\r")
            self.stream.flush()
