"""One command family's parser alone, as `patternfit` builds it, for tests that run a command in process."""

from __future__ import annotations

import argparse
from types import ModuleType
from typing import Any


def run(family: ModuleType, *argv: str) -> Any:
    """Parse `argv` with only `family`'s subcommands registered, then run the chosen command."""
    parser = argparse.ArgumentParser(prog="patternfit")
    family.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)
