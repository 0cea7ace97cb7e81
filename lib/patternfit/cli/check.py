"""`patternfit check DIR`: do the recorded decisions still hold?

    patternfit check DIR [--inventory FILE] [--profile F] [--format text|json|github]

Exit codes, as linters have them: 0 no drift, 1 a decision drifted, 2 bad input (a missing
folder, an unreadable inventory or profile), 3 a bug. What counts as drift is described in
`patternfit.records.drift`; foreign files are listed and never rewritten.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path
from typing import Any

from patternfit.cli.args import read_profile
from patternfit.errors import PatternfitError

FORMATS = ("text", "json", "github")


def register(commands: Any) -> None:
    """Add the `check` command."""
    p = commands.add_parser(
        "check",
        help="re-assess recorded decisions; exit 1 when one no longer holds",
        description="Re-assess every patternfit record in DIR and report the decisions that drifted.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="the decisions folder")
    p.add_argument("--inventory", type=Path, metavar="FILE", help="an inventory (any source the estate review reads)")
    p.add_argument("--profile", type=Path, help="an organisation profile to re-assess with (instead of the stored one)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except PatternfitError:
        raise
    except Exception:  # a bug: exit 3, so CI tells it from drift (1) and bad input (2)
        sys.stderr.write("patternfit: internal error in check (a bug, please report it):\n")
        sys.stderr.write(traceback.format_exc())
        return 3


def _run(args: argparse.Namespace) -> int:
    from patternfit.model.catalog import load_model
    from patternfit.model.profile import apply_profile
    from patternfit.records.drift import check_folder, record_files

    model = load_model()
    record_files(args.folder)  # a missing folder is bad input before anything is read
    profile = read_profile(args.profile)  # read once, here
    if profile is not None:
        apply_profile(profile, model)  # a broken profile is bad input even in an empty folder
    rows = inventory_rows(args.inventory, profile, model) if args.inventory is not None else None
    result = check_folder(args.folder, model, profile=profile, inventory=rows)
    if args.format == "json":
        sys.stdout.write(json.dumps([f.to_dict() for f in result.findings], indent=2, ensure_ascii=False) + "\n")
    elif args.format == "github":
        sys.stdout.write("".join(github_line(f) for f in result.findings))
    else:
        sys.stdout.write(_text(result))
    return 1 if result.drifted else 0


def inventory_rows(path: Path, profile: Any, model: Any) -> list[Any]:
    """The inventory's connections as `check` compares them (InputError when it cannot be read)."""
    from patternfit.errors import InputError
    from patternfit.estate.review import review
    from patternfit.records.drift import InventoryRow

    try:
        from patternfit.estate.importers import read_source
    except ImportError:  # an installation without the importers reads CSV/XLSX only
        from patternfit.estate.read import read_inventory

        inventory = read_inventory(path, model=model)
    else:
        inventory = read_source(path, model=model)
    result = review(inventory, profile=profile, model=model)
    table = result.inventory.table
    rows = []
    for position in range(len(table)):
        record = table.iloc[position]
        cid = str(record.get("id", "") or "")
        try:
            connection = result.connection(cid) if cid else None
        except InputError:
            connection = None
        rows.append(
            InventoryRow(cid, str(record.get("source", "") or ""), str(record.get("target", "") or ""), connection)
        )
    return rows


def _text(result: Any) -> str:
    lines = []
    for f in result.findings:
        level = "drift" if f.drift else "note"
        lines.append(f"{f.record}: {level}: {f.kind}: {f.message}")
    drifted = len({f.record for f in result.findings if f.drift})
    foreign = sum(1 for f in result.findings if f.kind == "not-a-record")
    lines.append(
        f"{result.records} records checked, {drifted} drifted"
        + (f", {foreign} files are not patternfit records" if foreign else "")
    )
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Any) -> str:
    """A GitHub Actions workflow command: a warning for a drift, a notice for a note."""
    level = "warning" if f.drift else "notice"
    title = f"patternfit {f.kind}"
    return f"::{level} file={_escape_property(f.record)},title={_escape_property(title)}::{_escape_data(f.message)}\n"
