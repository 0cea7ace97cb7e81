"""A flow's decision record: the coordination chosen for the whole flow, linking the steps'
own records, in MADR 4.0 (madr, madr-minimal), Nygard or log4brains; the flow travels in its
patternfit block (`kind: flow`) so `patternfit check` re-assesses it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from patternfit.errors import InputError, allowed_text
from patternfit.flows.assess import FlowAssessment, assess_flow
from patternfit.flows.diagram import pattern_label
from patternfit.flows.file import parse_flow
from patternfit.flows.render import coordination_line, headline
from patternfit.model.catalog import STYLES, Model
from patternfit.model.flows import FlowModel
from patternfit.records.render import COMMENT_CLOSE, COMMENT_OPEN
from patternfit.records.text import Quoted, comment_safe, dump_yaml, inline
from patternfit.records.types import check_date, check_status

FLOW_RECORD_FORMAT = 1
LAYOUTS = ("madr", "madr-minimal", "nygard", "log4brains")

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("patternfit.flows", "templates"),
    autoescape=False,  # Markdown: every user text is made inert with `inline` first
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True, slots=True)
class FlowRecordMeta:
    """What the meeting adds: status, date, the style chosen (where it differs, why)."""

    status: str = "proposed"
    date: str = field(default_factory=lambda: dt.date.today().isoformat())
    chosen: str | None = None
    rationale: str = ""
    step_records: Mapping[str, str] = field(default_factory=dict)  # step id → its record's file name


def chosen_style(a: FlowAssessment, meta: FlowRecordMeta) -> str:
    """The style recorded: the one chosen, else the flow's; a choice against it, or where the flow
    names none, needs a rationale."""
    style = meta.chosen or a.coordination.style
    if style is None:
        raise InputError(
            "--chosen", "the flow's coordination is undecided (both styles fit equally)",
            f"choose one ({allowed_text(STYLES)}) with --chosen and say why with --rationale",
        )  # fmt: skip
    if style not in STYLES:
        raise InputError("--chosen", f"{style!r} is not a coordination style", allowed_text(STYLES))
    if style != a.coordination.style and not meta.rationale.strip():
        raise InputError("--rationale", f"choosing {style} needs a reason", "say why with --rationale")
    return style


def render_flow_record(
    a: FlowAssessment, meta: FlowRecordMeta, model: Model, rules: FlowModel, *, layout: str = "madr", number: int = 0
) -> str:
    """The record's Markdown in `layout` (madr, madr-minimal, nygard, log4brains)."""
    if layout not in LAYOUTS:
        raise InputError("--template", f"unknown layout {layout!r} for a flow record", allowed_text(LAYOUTS))
    check_status(meta.status)
    check_date(meta.date)
    chosen = chosen_style(a, meta)
    block = patternfit_block(a, meta, chosen)
    header = {"status": Quoted(meta.status), "date": dt.date.fromisoformat(meta.date), "patternfit": block}
    comment = f"{COMMENT_OPEN}\n{comment_safe(dump_yaml({'patternfit': block}))}{COMMENT_CLOSE}"
    context = {
        "r": _text(a, meta, chosen, model, rules),
        "layout": layout,
        "number": number,
        "front_matter": Markup(f"---\n{dump_yaml(header)}---"),
        "comment": Markup(comment),
        "diagram": Markup(a.diagram),
    }
    text = _env.get_template("flow-record.md.j2").render(context)
    return "\n".join(line.rstrip() for line in text.replace("\n\n\n", "\n\n").split("\n")).rstrip("\n") + "\n"


def patternfit_block(a: FlowAssessment, meta: FlowRecordMeta, chosen: str) -> dict[str, Any]:
    """What `check` needs to re-assess the flow: the flow itself and what was decided then."""
    return {
        "record_format": FLOW_RECORD_FORMAT,
        "kind": "flow",
        "model_version": a.model_version,
        "recommended": a.coordination.style,
        "chosen": chosen,
        "steps": {i: {"recommended": s.recommended, "record": meta.step_records.get(i)} for i, s in a.steps.items()},
        "flow": a.flow.to_dict(),
    }


def _text(a: FlowAssessment, meta: FlowRecordMeta, chosen: str, model: Model, rules: FlowModel) -> dict[str, Any]:
    signals = [f"{s['label']} ({s['score']:+d})" for s in a.coordination.signals]
    inputs = [
        f"{model.question(k.removeprefix('sub.')).label}: {v['value']} — {v['why']}"
        for k, v in a.coordination.inputs.items()
        if v["value"] is not None and v["why"]
    ]
    if chosen == a.coordination.style:
        because = "; ".join(signals) or "the flow's answers point to it"
    else:
        because = meta.rationale
    steps = []
    for n, s in enumerate(a.flow.steps, 1):
        pattern = a.patterns[s.id]
        shown = pattern_label(model, pattern)
        steps.append({"n": n, "text": inline(f"{s.label}: {s.source} → {s.target} ({shown}, {a.steps[s.id].state})"),
                      "link": meta.step_records.get(s.id, "")})  # fmt: skip
    return {
        "title": inline(f"{a.flow.name}: coordinate by {chosen}"),
        "status": inline(meta.status),
        "date": meta.date,
        "question": inline(
            f"How should the steps of the business flow {a.flow.name!r} be coordinated: by one "
            "orchestrator, or by each participant reacting to events (choreography)?"
        ),
        "description": inline(a.flow.description),
        "steps": steps,
        "drivers": [inline(d) for d in signals + inputs] or ["no coordination signal fired"],
        "chosen": chosen,
        "chosen_label": chosen.capitalize(),
        "because": inline(because.rstrip(".") + "."),
        "state_text": inline(f"{headline(a, rules)} Coordination: {coordination_line(a, rules)}."),
        "findings": [inline(f"{f.id} {f.title} ({', '.join(f.steps)}): {f.message} Fix: {f.fix}") for f in a.findings],
        "asks": [inline(q) for q in a.asks],
        "model_version": a.model_version,
    }


def recheck(block: Mapping[str, Any], model: Model, where: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Re-assess a flow record's flow: (kind, message, details) for what no longer holds — the
    coordination moved away from the chosen and the recorded style, or a step's recommendation
    changed. Raises InputError when the block cannot be read."""
    flow = parse_flow(block.get("flow"), model, where=f"{where}: patternfit.flow")
    now = assess_flow(flow, model=model)
    chosen, then = block.get("chosen"), block.get("recommended")
    out: list[tuple[str, str, dict[str, Any]]] = []
    details: dict[str, Any] = {"chosen": chosen, "recommended_then": then, "recommended_now": now.coordination.style}
    if now.coordination.style not in (chosen, then):
        message = f"the flow's coordination is now {now.coordination.style or 'undecided'}, not the chosen {chosen}"
        out.append(("recommendation-changed", message, details))
    steps: Mapping[str, Any] = block["steps"] if isinstance(block.get("steps"), Mapping) else {}
    for ident, assessment in now.steps.items():
        recorded: Mapping[str, Any] = steps[ident] if isinstance(steps.get(ident), Mapping) else {}
        was = recorded.get("recommended")
        if recorded and was != assessment.recommended:
            message = f"step {ident} is now recommended {assessment.recommended}, not {was}"
            out.append(("recommendation-changed", message, {"step": ident, "then": was, "now": assessment.recommended}))
    return out
