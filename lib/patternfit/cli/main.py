"""The `patternfit` command line. Exit codes: 0 done, 2 bad input, 1 a bug."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from patternfit.cli import ask, check, estate, flow, mcp, records, room
from patternfit.cli.args import read_profile, read_weights, samples, seed
from patternfit.errors import PatternfitError

# modules with register(subparsers); each imports its work lazily
COMMANDS = (records, estate, ask, check, room, flow, mcp)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """One line naming what was wrong, and where to read more (no usage block before it)."""
        self.exit(2, f"patternfit: {self.prog}: {message} — see `{self.prog} --help`\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="patternfit", description="Choose an integration pattern for a connection, and record why.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = commands.add_parser("assess", help="assess a connection file, or re-assess a decision record")
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--weights", type=Path, help="YAML/JSON mapping of characteristic: weight")
    p.add_argument("--profile", type=Path, help="an organisation profile (YAML)")
    p.add_argument(
        "--samples", type=samples, default=None, help="robustness samples (default: the model's policy; 0 skips)"
    )
    p.add_argument("--seed", type=seed, default=0)
    p.set_defaults(run=_assess)

    for family in COMMANDS:  # each command family registers its own subcommands
        family.register(commands)
    return parser


def _assess(args: argparse.Namespace) -> int:
    from patternfit.engine.assess import assess_connection
    from patternfit.engine.explain import render_markdown, render_text
    from patternfit.model.catalog import load_model
    from patternfit.records.reopen import assess_record, is_record_file

    model = load_model()
    notice = None
    profile, weights = read_profile(args.profile), read_weights(args.weights, model)  # read once, here
    options = {"weights": weights, "profile": profile, "samples": args.samples, "seed": args.seed}
    if is_record_file(args.file):
        assessment, notice = assess_record(args.file, model=model, **options)
    else:
        assessment = assess_connection(args.file, model=model, **options)
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
