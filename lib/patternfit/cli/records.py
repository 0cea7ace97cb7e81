"""`patternfit record` (write the next numbered decision record) and `patternfit records` (the log)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from patternfit.cli.args import count, read_profile, read_weights, samples, seed
from patternfit.errors import InputError
from patternfit.records.render import FORMATS
from patternfit.records.store import DEFAULT_FOLDER
from patternfit.records.types import LogEntry, RecordMeta, check_date, check_status

TITLE_WIDTH = 60


def _record_number(text: str) -> int:
    value = count(text.upper().removeprefix("ADR-"))
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a record number (1 or more)")
    return value


def register(commands: Any) -> None:
    """Add the `record` and `records` subcommands."""
    p = commands.add_parser("record", help="write the next numbered decision record (MADR 4.0) into a folder")
    p.add_argument("file", type=Path, help="a connection file, or an earlier record to record again")
    p.add_argument("--out", type=Path, default=DEFAULT_FOLDER, help=f"decisions folder (default {DEFAULT_FOLDER})")
    p.add_argument("--format", choices=FORMATS, default="madr", help="madr (default), log4brains, json or html")
    p.add_argument(
        "--template",
        default="madr",
        metavar="NAME|PATH",
        help="Markdown layout: madr (default), madr-minimal, nygard, or a Jinja2 template file (run in a sandbox)",
    )
    p.add_argument("--id", default="", metavar="INVENTORY_ID", help="the connection's id in the inventory (for check)")
    p.add_argument("--status", default="proposed", help="proposed (default), accepted, rejected, deprecated or draft")
    p.add_argument("--decider", action="append", default=[], metavar="NAME", help="a decision-maker (repeatable)")
    p.add_argument("--consulted", action="append", default=[], metavar="NAME", help="repeatable")
    p.add_argument("--informed", action="append", default=[], metavar="NAME", help="repeatable")
    p.add_argument("--title", default="", help="default: '<connection>: use <pattern> (…)'")
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default today)")
    p.add_argument("--chosen", default=None, metavar="P", help="the pattern chosen, if not the recommendation")
    p.add_argument("--rationale", default="", metavar="TEXT", help="why (required when --chosen differs)")
    p.add_argument(
        "--supersedes", type=_record_number, default=None, metavar="N", help="number of the record this one supersedes"
    )
    p.add_argument("--weights", type=Path, help="YAML/JSON mapping of characteristic: weight")
    p.add_argument("--profile", type=Path, help="an organisation profile (YAML)")
    p.add_argument(
        "--samples", type=samples, default=None, help="robustness samples (default: the model's policy; 0 skips)"
    )
    p.add_argument("--seed", type=seed, default=0)
    p.set_defaults(run=_record)

    q = commands.add_parser("records", help="the decision log of a folder: number, title, status, pattern, date")
    q.add_argument("folder", type=Path, nargs="?", default=DEFAULT_FOLDER)
    q.add_argument("--format", choices=("text", "json"), default="text")
    q.set_defaults(run=_records)


def _meta(args: argparse.Namespace) -> RecordMeta:
    """The flags as RecordMeta; an error names the flag."""
    try:
        return RecordMeta(
            title=args.title,
            status=check_status(args.status, "--status"),
            date=check_date(args.date, "--date") if args.date is not None else RecordMeta().date,
            decision_makers=tuple(args.decider),
            consulted=tuple(args.consulted),
            informed=tuple(args.informed),
            chosen=args.chosen,
            rationale=args.rationale,
            supersedes=args.supersedes,
            connection_id=args.id,
        )
    except InputError as exc:
        flag = exc.where if exc.where.startswith("--") else "--" + exc.where.replace("decision-makers", "decider")
        raise InputError(flag, exc.what, exc.fix) from None


def _record(args: argparse.Namespace) -> int:
    from patternfit.engine.assess import assess_connection
    from patternfit.model.catalog import load_model
    from patternfit.records.build import build_record
    from patternfit.records.load import is_record_file, load_record, reopen_options
    from patternfit.records.render import check_template
    from patternfit.records.store import save_record

    meta = _meta(args)
    template = check_template(args.template, args.format)
    model = load_model()
    source: Any = args.file
    weights, profile = read_weights(args.weights, model), read_profile(args.profile)  # read once, here
    if is_record_file(args.file):
        loaded = load_record(args.file, model)
        source = loaded.connection
        weights, profile = reopen_options(loaded, weights, profile)
        if not meta.connection_id and loaded.meta.connection_id:
            meta = dataclasses.replace(meta, connection_id=loaded.meta.connection_id)
        if loaded.meta.room:  # recorded again: the room it was decided in stays with it
            meta = dataclasses.replace(meta, room=loaded.meta.room)
    assessment = assess_connection(
        source, weights=weights, profile=profile, samples=args.samples, seed=args.seed, model=model
    )
    try:
        record = build_record(assessment, meta, model, profile=profile)
    except InputError as exc:
        if exc.where not in ("chosen", "rationale", "status"):
            raise
        raise InputError(f"--{exc.where}", exc.what, exc.fix) from None
    path = save_record(record, args.out, args.format, template)
    sys.stdout.write(f"{path}\n")
    if meta.supersedes is not None:
        sys.stderr.write(f"patternfit: record {meta.supersedes:04d} is now superseded by {path.name}\n")
    return 0


def _records(args: argparse.Namespace) -> int:
    from patternfit.records.load import decision_log, duplicate_numbers

    entries = decision_log(args.folder)
    if args.format == "json":
        sys.stdout.write(json.dumps([dataclasses.asdict(e) for e in entries], indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(log_table(entries))
    dupes = duplicate_numbers(entries)
    if dupes:
        number, files = next(iter(sorted(dupes.items())))
        more = f" (and {len(dupes) - 1} more numbers)" if len(dupes) > 1 else ""
        raise InputError(
            str(args.folder),
            f"number {number:04d} is used by {len(files)} files: {', '.join(files)}{more}",
            "renumber the hand-made copies so each number is used once",
        )
    return 0


def log_table(entries: list[LogEntry]) -> str:
    """The decision log as an aligned text table."""
    if not entries:
        return "no decision records\n"
    rows = [("number", "title", "status", "pattern", "date", "file", "note")]
    for e in entries:
        title = e.title if len(e.title) <= TITLE_WIDTH else e.title[: TITLE_WIDTH - 1] + "…"
        number = "—" if e.number is None else f"{e.number:04d}"
        rows.append((number, title or "—", e.status or "—", e.pattern or "—", e.date or "—", e.file, e.note))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n" for r in rows)
