"""The room's pages from Jinja2 templates (autoescaped): the phone page, its messages and code
form, the facilitator's reveal, and the text report."""

from __future__ import annotations

import functools
import json
from typing import Any

import jinja2

from patternfit.model.catalog import Model, Question
from patternfit.room.analysis import RoomAnalysis, value_text
from patternfit.room.answers import ROLES, room_questions
from patternfit.room.store import Room

NOT_SURE = "__unsure__"


@functools.cache
def _templates() -> jinja2.Environment:
    loader = jinja2.PackageLoader("patternfit.room", "templates")
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


def choices(question: Question) -> list[tuple[Any, str]]:
    """(value to post, label) for each answer a phone offers; an integer question offers its buckets."""
    scale = question.scale
    if scale.type == "integer" and scale.bucket_max:
        lows = [scale.minimum if scale.minimum is not None else 0] + [
            m + 1 for m in scale.bucket_max[:-1] if m is not None
        ]
        return list(zip(lows, (str(v) for v in scale.values), strict=False))
    return [(v, question.value_label(v)) for v in scale.values]


def render_phone_page(room: Room, model: Model, base: str = "") -> str:
    """The phone page of an open room, questions in the room's guided order."""
    questions = room_questions(model)
    items = []
    for number, key in enumerate((k for k in room.questions if k in questions), start=1):
        q = questions[key]
        options = [
            {"value": json.dumps(v), "label": label, "example": (q.examples or {}).get(v, "")}
            for v, label in choices(q)
        ]
        items.append(
            {"number": number, "key": key, "label": q.label, "question": q.question, "help": q.help, "options": options}
        )
    return (
        _templates()
        .get_template("phone.html")
        .render(room=room, title=room.title, items=items, roles=ROLES, not_sure=NOT_SURE, base=base, total=len(items))
    )


def render_message_page(title: str, message: str, base: str = "") -> str:
    return _templates().get_template("message.html").render(title=title, message=message, base=base)


def render_code_page(base: str, error: str = "") -> str:
    return _templates().get_template("code.html").render(base=base, error=error)


def _text_env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("patternfit.room", "templates"), autoescape=False,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)  # fmt: skip


def render_report_text(analysis: RoomAnalysis, room: Room, model: Model) -> str:
    """`patternfit room report` as text."""
    return _text_env().get_template("report.txt").render(**reveal_context(analysis, room, model))


def render_reveal(analysis: RoomAnalysis, room: Room, model: Model, *, joined: int = 0) -> str:
    """The facilitator's reveal (HTML fragment for the workshop page's room panel)."""
    return _templates().get_template("reveal.html").render(**reveal_context(analysis, room, model), joined=joined)


def reveal_context(analysis: RoomAnalysis, room: Room, model: Model) -> dict[str, Any]:
    """What the reveal and the report show, in the catalog's words."""
    questions = room_questions(model)
    spread: list[dict[str, Any]] = []
    for key in (k for k in (*room.questions, *questions) if k in analysis.spread):
        if any(s["key"] == key for s in spread):
            continue
        total = sum(analysis.spread[key].values())
        bars = [{"label": value_label(questions[key], v), "count": n, "width": round(100 * n / max(total, 1))}
                for v, n in analysis.spread[key].items()]  # fmt: skip
        spread.append({"key": key, "label": questions[key].label, "bars": bars, "unsure": analysis.unsure.get(key, 0)})
    shares = [{"label": pattern_label(model, p), "percent": round(100 * s)} for p, s in analysis.shares.items()]
    settled = [{"label": questions[k].label if k in questions else k,
                "value": "not sure" if v.get("value") is None else value_label(questions[k], str(v["value"]).lower()),
                "unsure": v.get("unsure", False)} for k, v in analysis.settled.items()]  # fmt: skip
    recommended = analysis.recommended
    return {
        "room": room, "analysis": analysis, "spread": spread, "shares": shares, "settled": settled,
        "disputes": dispute_lines(analysis, model), "recommended": pattern_label(model, recommended),
        "holds": round(100 * analysis.shares.get(recommended or "", 0.0)), "state": analysis.state,
    }  # fmt: skip


def pattern_label(model: Model, key: str | None) -> str:
    return "no pattern" if key is None else model.pattern(key).label


def dispute_lines(analysis: RoomAnalysis, model: Model) -> list[dict[str, Any]]:
    """Each dispute in words, for the page, the report and the record."""
    lines = []
    for d in analysis.disputes:
        q = model.question(d.key.removeprefix("sub."))
        spread = ", ".join(f"{value_label(q, v)} {n}" for v, n in d.spread.items())
        flips = [
            f"flips to {pattern_label(model, f['recommended'])} if {f['role']} is right about {q.label.lower()}"
            + (" (the answers would then contradict each other)" if f.get("state") == "conflict" else "")
            for f in d.flips
        ]
        outcomes = {value_label(q, v): pattern_label(model, p) for v, p in d.outcomes.items()}
        lines.append({"key": d.key, "label": q.label, "spread": spread, "unsure": d.unsure, "flips": flips,
                      "value_of_information": d.value_of_information, "outcomes": outcomes})  # fmt: skip
    return lines


def value_label(question: Any, text: str) -> str:
    for value in question.scale.values:
        if str(value).lower() == text or (isinstance(value, bool) and text == ("true" if value else "false")):
            return str(question.value_label(value))
    if question.scale.type == "integer":
        return str(question.scale.values[question.scale.level_of(int(text))])
    return text


def choices_of_dispute(dispute: Any, model: Model) -> list[tuple[str, Any]]:
    """(label, value) for each value the room gave in a dispute, for the facilitator to settle on."""
    question = room_questions(model)[dispute.key]
    out = []
    for text in dispute.spread:
        value = next((v for v in question.scale.values if value_text(v) == text), None)
        if question.scale.type == "integer":
            value = int(text)
        out.append((value_label(question, text), value))
    return out
