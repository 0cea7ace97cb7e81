"""`patternfit flow SOURCE`: assess a business flow across several connections.

patternfit flow FLOW.yaml [--format text|json|markdown]
patternfit flow CATALOG_DIR --from eventcatalog --view FLOW_ID
patternfit flow WORKSPACE.json --from structurizr --view DYNAMIC_VIEW_KEY
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from patternfit.errors import InputError

SOURCES = ("eventcatalog", "structurizr")


def register(commands: Any) -> None:
    """Add the `flow` command."""
    p = commands.add_parser("flow", help="assess a business flow: its steps, coordination and findings across steps")
    p.add_argument("source", type=Path, help="a flow file, an EventCatalog folder or a Structurizr workspace")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument(
        "--from", dest="kind", choices=SOURCES, help="read the flow from an EventCatalog or Structurizr source"
    )
    p.add_argument("--view", metavar="KEY", help="the EventCatalog flow id, or the Structurizr dynamic view key")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from patternfit.flows import assess_flow
    from patternfit.flows.render import render_markdown, render_text
    from patternfit.model.catalog import load_model
    from patternfit.model.flows import load_flow_model

    model, rules = load_model(), load_flow_model()
    assessment = assess_flow(read_source(args.source, args.kind, args.view), model=model, rules=rules)
    if args.format == "json":
        sys.stdout.write(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(assessment, model, rules))
    else:
        sys.stdout.write(render_text(assessment, model, rules))
    return 0


def read_source(source: Path, kind: str | None, view: str | None) -> Any:
    """The flow to assess: a path (a flow file) or a flow mapping an importer read."""
    if kind is None:
        if view:
            raise InputError("--view", "needs --from eventcatalog or --from structurizr", "or give a flow file alone")
        return source
    if not view:
        what = "flow id" if kind == "eventcatalog" else "dynamic view key"
        raise InputError(
            f"--from {kind}",
            f"needs --view with the {what}",
            f"e.g. --view {'checkout-saga' if kind == 'eventcatalog' else 'SignIn'}",
        )
    if kind == "eventcatalog":
        from patternfit.flows.importers import eventcatalog

        return eventcatalog.read_flow(source, view)
    from patternfit.flows.importers import structurizr

    return structurizr.read_flow(source, view)
