"""Write a `DecisionRecord` as MADR 4.0 (default), as log4brains reads it, or as JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from patternfit.errors import InputError, allowed_text
from patternfit.records.types import DecisionRecord, Link, Option, adr_id
from patternfit.records.text import Quoted, comment_safe, dump_yaml, inline

FORMATS = ("madr", "log4brains", "json")
COMMENT_OPEN = "<!-- patternfit"
COMMENT_CLOSE = "-->"


def render_record(record: DecisionRecord, fmt: str = "madr") -> str:
    """The record's text in `fmt` (madr, log4brains or json)."""
    if fmt == "madr":
        return _front_matter(record) + "\n".join(_body(record, links_in_more=True)) + "\n"
    if fmt == "log4brains":
        return "\n".join(_log4brains(record)) + "\n"
    if fmt == "json":
        return json.dumps(record_data(record), indent=2, ensure_ascii=False) + "\n"
    raise InputError("format", f"unknown record format {fmt!r}", allowed_text(FORMATS))


def people(names: tuple[str, ...]) -> str:
    """Names as MADR writes them in front matter: one comma-separated string."""
    return ", ".join(names)


def _front_matter(r: DecisionRecord) -> str:
    meta = r.meta
    data: dict[str, Any] = {"status": Quoted(meta.status), "date": dt.date.fromisoformat(meta.date)}
    for key, names in (
        ("decision-makers", meta.decision_makers),
        ("consulted", meta.consulted),
        ("informed", meta.informed),
    ):
        if names:
            data[key] = people(names)
    data["patternfit"] = dict(r.stored)
    return f"---\n{dump_yaml(data)}---\n"


def _log4brains(r: DecisionRecord) -> list[str]:
    body = _body(r, links_in_more=False)
    meta = r.meta
    status = meta.status
    target = _link(r, "Superseded by")
    if target is not None:
        status = f"superseded by [{target.slug}]({target.file})"
    head = [f"* Status: {status}", f"* Date: {meta.date}"]
    for key, names in (("Deciders", meta.decision_makers), ("Consulted", meta.consulted), ("Informed", meta.informed)):
        if names:
            head.append(f"* {key}: {inline(people(names))}")
    links = [f"* {link.relation} [{link.slug}]({link.file})" for link in r.links]
    block = comment_safe(dump_yaml({"patternfit": dict(r.stored)}))
    return [
        body[0],
        "",
        *head,
        "",
        *body[2:],
        "",
        "## Links",
        "",
        *(links or ["No related decisions yet."]),
        "",
        COMMENT_OPEN,
        block.rstrip("\n"),
        COMMENT_CLOSE,
    ]


def _link(r: DecisionRecord, relation: str) -> Link | None:
    return next((link for link in r.links if link.relation == relation), None)


def _body(r: DecisionRecord, *, links_in_more: bool) -> list[str]:
    out = [f"# {inline(r.title)}", ""]
    out += _context(r) + _drivers(r) + _considered(r) + _outcome(r) + _pros_and_cons(r)
    out += _more_information(r, links_in_more)
    while out[-1] == "":
        out.pop()
    return out


def _bullets(items: tuple[str, ...] | list[str], prefix: str = "") -> list[str]:
    return [f"* {prefix}{inline(item)}" for item in items] + ([""] if items else [])


def _table(rows: tuple[tuple[str, ...], ...]) -> list[str]:
    head, *body = rows
    lines = ["| " + " | ".join(inline(c) for c in head) + " |", "|" + " --- |" * len(head)]
    return lines + ["| " + " | ".join(inline(c) for c in row) + " |" for row in body] + [""]


def _context(r: DecisionRecord) -> list[str]:
    out = ["## Context and Problem Statement", "", inline(r.question), ""]
    if r.description:
        out += [inline(r.description), ""]
    if r.answers:
        out += _table((("Question", "Answer"), *r.answers))
    if r.unanswered:
        out += [f"Unanswered questions ({len(r.unanswered)}), which contribute nothing to the result:", ""]
        out += _bullets(r.unanswered)
    return out


def _drivers(r: DecisionRecord) -> list[str]:
    return ["## Decision Drivers", "", *_bullets(r.drivers)] if r.drivers else []


def _considered(r: DecisionRecord) -> list[str]:
    return ["## Considered Options", "", *_bullets([o.label for o in r.options])]


def _outcome(r: DecisionRecord) -> list[str]:
    out = [
        "## Decision Outcome",
        "",
        f'Chosen option: "{inline(r.chosen_label)}", because {inline(r.justification)}',
        "",
    ]
    if r.against:
        out += [inline(r.against), ""]
    out += _bullets(r.outcome)
    if r.good or r.bad:
        out += ["### Consequences", "", *_bullets(r.good, "Good, because "), *_bullets(r.bad, "Bad, because ")]
        out = _join_lists(out)
    if r.confirmation:
        out += [
            "### Confirmation",
            "",
            f"Confirm the decision against the operational checklist of {inline(r.chosen_label)}:",
            "",
        ]
        out += [f"* [ ] {inline(item)}" for item in r.confirmation] + [""]
    return out


def _join_lists(lines: list[str]) -> list[str]:
    """Good and Bad items form one list: drop the blank line between them."""
    for i in range(1, len(lines) - 1):
        if lines[i] == "" and lines[i - 1].startswith("* Good,") and lines[i + 1].startswith("* Bad,"):
            return lines[:i] + lines[i + 1 :]
    return lines


def _pros_and_cons(r: DecisionRecord) -> list[str]:
    out = ["## Pros and Cons of the Options", ""]
    for option in r.options:
        out += [f"### {inline(option.label)}", "", inline(_option_line(option)), ""]
        out += _join_lists([*_bullets(option.good, "Good, because "), *_bullets(option.bad, "Bad, because ")])
        if not option.good and not option.bad:
            out += ["* Neutral, because no answer speaks strongly for or against it", ""]
    return out


def _option_line(o: Option) -> str:
    if o.knocked_out:
        return f"{o.summary} Ruled out by a knock-out."
    if o.score is None:
        return o.summary
    accept = "" if o.acceptability is None else f", first in {o.acceptability:.0%} of sampled weightings"
    return f"{o.summary} Weighted fit {o.score:+.2f}{accept}."


def _more_information(r: DecisionRecord, links: bool) -> list[str]:
    out = ["## More Information", "", inline(r.robustness_note), ""]
    if r.robustness:
        out += _table(r.robustness)
    if r.hinges:
        out += ["What the decision hinges on:", "", *_bullets(r.hinges)]
    out += [inline(r.model_note), ""]
    if r.sources:
        out += ["Sources:", "", *_bullets(r.sources)]
    if links and r.links:
        out += ["Related decisions:", ""]
        out += [f"* {link.relation} [{adr_id(link.number)}]({link.file})" for link in r.links] + [""]
    return out


def record_data(r: DecisionRecord) -> dict[str, Any]:
    """The JSON form: the same content as the Markdown, as data (data/record.schema.json)."""
    meta = r.meta
    return {
        "record_format": r.stored.get("record_format", 1),
        "title": r.title,
        "status": meta.status,
        "date": meta.date,
        "decision_makers": list(meta.decision_makers),
        "consulted": list(meta.consulted),
        "informed": list(meta.informed),
        "context": {
            "question": r.question,
            "description": r.description,
            "answers": [{"question": q, "answer": a} for q, a in r.answers],
            "unanswered": list(r.unanswered),
        },
        "decision_drivers": list(r.drivers),
        "considered_options": [o.label for o in r.options],
        "decision_outcome": {
            "chosen_option": r.chosen_label,
            "chosen": r.chosen,
            "because": r.justification,
            "against_recommendation": r.against or None,
            "details": list(r.outcome),
            "consequences": {"good": list(r.good), "bad": list(r.bad)},
            "confirmation": list(r.confirmation),
        },
        "pros_and_cons": [_option_data(o) for o in r.options],
        "more_information": {
            "robustness": {"note": r.robustness_note, "table": [list(row) for row in r.robustness]},
            "hinges": list(r.hinges),
            "model": r.model_note,
            "sources": list(r.sources),
        },
        "links": [{"relation": link.relation, "number": link.number, "file": link.file} for link in r.links],
        "patternfit": dict(r.stored),
    }


def _option_data(o: Option) -> dict[str, Any]:
    return {
        "option": o.label,
        "key": o.key,
        "summary": o.summary,
        "score": o.score,
        "acceptability": o.acceptability,
        "knocked_out": o.knocked_out,
        "good": list(o.good),
        "bad": list(o.bad),
    }
