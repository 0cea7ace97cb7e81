"""Plain-text and Markdown summaries of an assessment, for terminals and pull requests."""

from __future__ import annotations

from typing import Any

from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _score(value: float | None) -> str:
    return "ruled out" if value is None else f"{value:+.2f}"


def headline(a: Assessment, model: Model) -> str:
    """'Events (topic, choreography)' — the recommendation in one phrase."""
    if a.recommended is None:
        return "no pattern: every pattern is knocked out"
    extra = [x for x in (a.messaging_flavour, a.coordination) if x]
    label = model.pattern(a.recommended).label
    return f"{label} ({', '.join(extra)})" if extra else label


def sureness(a: Assessment) -> str:
    """How sure the result is, in words."""
    parts = []
    if a.margin is not None:
        parts.append(f"margin {a.margin:.2f} over the runner-up")
    if a.robustness is not None and a.recommended is not None:
        parts.append(
            f"wins in {_pct(a.acceptability[a.recommended])} of {a.robustness.samples:,} weightings"
            + (f" with {len(a.robustness.unsure)} unsure answer(s) varied" if a.robustness.unsure else "")
        )
    text = "; ".join(parts) or "only one pattern remains"
    return ("LOW CONFIDENCE — " + text) if a.low_confidence else text


def hinge_lines(a: Assessment, model: Model) -> list[str]:
    lines = []
    for change in a.hinges.get("answers") or []:
        q = model.question(change["key"])
        before = "unanswered" if change["from"] is None else q.value_label(change["from"])
        lines.append(
            f"{q.label}: {before} → {q.value_label(change['to'])} would make "
            f"{model.pattern(change['winner']).label} win"
        )
    weight = a.hinges.get("weight")
    if weight:
        lines.append(
            f"weight of {model.question(weight['key']).label}: {weight['from']:g} → {weight['to']:g} "
            f"would make {model.pattern(weight['winner']).label} win"
        )
    return lines


def render_text(a: Assessment, model: Model) -> str:
    """What an architect reads in a terminal."""
    out = [a.connection.name, "=" * min(len(a.connection.name), 78)]
    out.append(f"Recommended: {headline(a, model)}")
    out.append(f"How sure:    {sureness(a)}")
    out.append("Scores:      " + " | ".join(f"{model.pattern(p).short} {_score(a.scores[p])}" for p in a.ranking))
    if a.robustness is not None:
        out.append(
            "Acceptability (rank 1): "
            + " | ".join(f"{model.pattern(p).short} {_pct(a.acceptability[p])}" for p in a.ranking)
        )
    out += ["", "Why"] + [f"  * {line}" for line in a.explanations]
    if a.coordination_detail:
        d = a.coordination_detail
        out += ["", f"Coordination: {d['style']} (signal score {d['score']:+d})"]
        out += [f"  * {s['label']} ({s['score']:+d})" for s in d["signals"]]
        for key in ("note", "hybrid", "counter_view"):
            if key in d:
                out.append(f"  * {d[key]}")
    if a.flavour_detail:
        out += ["", f"Messaging flavour: {a.flavour_detail['flavour']} — {a.flavour_detail['reason']}"]
        out += [f"  * {n['note']}" for n in a.flavour_detail["notes"]]
    if a.contradictions:
        out += ["", "Contradictions"] + [f"  * {c['id']}: {c['message']} Fix: {c['fix']}" for c in a.contradictions]
    if a.pitfalls:
        out += ["", "Pitfalls"] + [f"  * {p['id']} {p['title']}: {p['message']} Fix: {p['fix']}" for p in a.pitfalls]
    hinges = hinge_lines(a, model)
    if hinges:
        out += ["", "What the decision hinges on"] + [f"  * {h}" for h in hinges]
    if a.unanswered:
        out += ["", f"Unanswered ({len(a.unanswered)}): " + ", ".join(a.unanswered)]
    if a.checklist:
        out += ["", f"Operational checklist ({model.pattern(a.recommended or 'api').label})"]
        out += [f"  [ ] {item['id']} {item['text']}" for item in a.checklist]
    out += ["", f"model {a.model_version}"]
    return "\n".join(out) + "\n"


def md_escape(text: Any) -> str:
    """User text made inert in Markdown and HTML: no tags, no emphasis, no links, no tables."""
    value = str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_{}[]()#+!|~":
        value = value.replace(ch, "\\" + ch)
    return " ".join(value.split())


def render_markdown(a: Assessment, model: Model) -> str:
    """A Markdown summary (the full decision record is `patternfit record`)."""
    out = [
        f"# {md_escape(a.connection.name)}",
        "",
        f"**Recommended:** {headline(a, model)}",
        "",
        f"**How sure:** {sureness(a)}",
        "",
    ]
    out += ["| pattern | score | rank-1 acceptability |", "| --- | --- | --- |"]
    out += [f"| {model.pattern(p).label} | {_score(a.scores[p])} | {_pct(a.acceptability[p])} |" for p in a.ranking]
    out += ["", "## Why", ""] + [f"* {line}" for line in a.explanations]
    if a.pitfalls:
        out += ["", "## Pitfalls", ""] + [
            f"* **{p['id']} {p['title']}**: {p['message']} Fix: {p['fix']}" for p in a.pitfalls
        ]
    if a.contradictions:
        out += ["", "## Contradictions", ""] + [
            f"* **{c['id']}**: {c['message']} Fix: {c['fix']}" for c in a.contradictions
        ]
    hinges = hinge_lines(a, model)
    if hinges:
        out += ["", "## What the decision hinges on", ""] + [f"* {h}" for h in hinges]
    if a.checklist:
        out += ["", "## Operational checklist", ""] + [f"* [ ] {i['text']} ({i['id']})" for i in a.checklist]
    out += ["", f"Model version {a.model_version}.", ""]
    return "\n".join(out)
