"""The `patternfit` command line. Exit codes: 0 done, 2 bad input, 1 a bug."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .cli_args import count
from .errors import PatternfitError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"patternfit: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="patternfit", description="Choose an integration pattern for a connection, and record why.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = commands.add_parser("assess", help="assess a connection file, or re-assess a decision record")
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--weights", type=Path, help="YAML/JSON mapping of characteristic: weight")
    p.add_argument("--profile", type=Path, help="an organisation profile (YAML)")
    p.add_argument("--samples", type=count, default=2000, help="robustness samples (0 skips)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(run=_assess)

    for name in ("cli_records", "cli_estate"):  # each command family registers itself
        if importlib.util.find_spec(f"patternfit.{name}") is not None:
            importlib.import_module(f"patternfit.{name}").register(commands)
    return parser


def _assess(args: argparse.Namespace) -> int:
    from .assess import assess
    from .model import load_model
    from .records import is_record_file, load_record, reassessment_notice, reopen_options
    from .report import render_markdown, render_text

    model = load_model()
    notice = None
    source: object = args.file
    weights, profile = args.weights, args.profile
    record = None
    if is_record_file(args.file):
        record = load_record(args.file, model)
        source = record.connection
        weights, profile = reopen_options(record, args.weights, args.profile)  # stored unless given
    assessment = assess(source, weights=weights, profile=profile, samples=args.samples, seed=args.seed, model=model)  # type: ignore[arg-type]
    if record is not None:
        notice = reassessment_notice(record, assessment, model)
    if args.format == "json":
        data = assessment.to_dict()
        if notice is not None:
            data["reopened"] = notice
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        text = render_markdown(assessment, model) if args.format == "markdown" else render_text(assessment, model)
        if notice is not None and notice.get("message"):
            sys.stderr.write(f"patternfit: {notice['message']}\n")
        sys.stdout.write(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except PatternfitError as exc:
        sys.stderr.write(f"patternfit: {exc.message}\n")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
