"""`patternfit flow SOURCE`: assess a business flow across several connections.

patternfit flow FLOW.yaml [--format text|json|markdown]
patternfit flow CATALOG_DIR --from eventcatalog --view FLOW_ID
patternfit flow WORKSPACE.json --from structurizr --view DYNAMIC_VIEW_KEY
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from patternfit.errors import InputError

SOURCES = ("eventcatalog", "structurizr")
LAYOUTS = ("madr", "madr-minimal", "nygard", "log4brains")


def register(commands: Any) -> None:
    """Add the `flow` command."""
    p = commands.add_parser("flow", help="assess a business flow: its steps, coordination and findings across steps")
    p.add_argument("source", type=Path, help="a flow file, an EventCatalog folder or a Structurizr workspace")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument(
        "--from", dest="kind", choices=SOURCES, help="read the flow from an EventCatalog or Structurizr source"
    )
    p.add_argument("--view", metavar="KEY", help="the EventCatalog flow id, or the Structurizr dynamic view key")
    p.add_argument("--record", type=Path, metavar="DIR", help="write each step's record and the flow's record into DIR")
    p.add_argument("--template", default="madr", choices=LAYOUTS, help="the records' layout (default madr)")
    p.add_argument("--status", default="proposed", help="the records' status (default proposed)")
    p.add_argument("--date", default=None, help="YYYY-MM-DD (default today)")
    p.add_argument(
        "--chosen", choices=("orchestration", "choreography"), help="the coordination chosen, if not the flow's"
    )
    p.add_argument(
        "--rationale", default="", metavar="TEXT", help="why (needed when --chosen differs or nothing is decided)"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from patternfit.flows import assess_flow
    from patternfit.flows.render import render_markdown, render_text
    from patternfit.model.catalog import load_model
    from patternfit.model.flows import load_flow_model

    model, rules = load_model(), load_flow_model()
    assessment = assess_flow(read_source(args.source, args.kind, args.view), model=model, rules=rules)
    if args.record is not None:
        path = write_records(assessment, args, model, rules)
        sys.stderr.write(f"patternfit: wrote {path}\n")
    if args.format == "json":
        sys.stdout.write(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(assessment, model, rules))
    else:
        sys.stdout.write(render_text(assessment, model, rules))
    return 0


def write_records(assessment: Any, args: argparse.Namespace, model: Any, rules: Any) -> Path:
    """Each step's record, then the flow's record linking them; everything checked before the first
    file is written (a bad --chosen or --status writes nothing)."""
    import datetime as dt

    from patternfit.flows.record import FlowRecordMeta, render_flow_record
    from patternfit.records import RecordMeta, build_record, save_record
    from patternfit.records.store import save_numbered

    date = args.date or dt.date.today().isoformat()
    meta = FlowRecordMeta(status=args.status, date=date, chosen=args.chosen, rationale=args.rationale)
    render_flow_record(assessment, meta, model, rules, layout=args.template)  # refuses before writing
    fmt, template = ("log4brains", "madr") if args.template == "log4brains" else ("madr", args.template)
    records = [
        build_record(
            a,
            RecordMeta(status=args.status, date=date, title=f"{assessment.flow.name}, step {i}: {a.connection.name}"),
            model,
        )
        for i, a in assessment.steps.items()
    ]
    links = {i: save_record(r, args.record, fmt, template).name for i, r in zip(assessment.steps, records, strict=True)}
    meta = dataclasses.replace(meta, step_records=links)
    title = f"{assessment.flow.name}: coordinate by {meta.chosen or assessment.coordination.style}"
    return save_numbered(
        args.record, title, lambda n: render_flow_record(assessment, meta, model, rules, layout=args.template, number=n)
    )


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
