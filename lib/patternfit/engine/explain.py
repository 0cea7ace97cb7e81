"""Plain-text and Markdown summaries of an assessment, for terminals and pull requests."""

from __future__ import annotations

from typing import Any

from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model, load_model


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _score(value: float | None) -> str:
    return "ruled out" if value is None else f"{value:+.2f}"


def recommendation(a: Assessment, model: Model) -> str:
    """'Events (topic, choreography)' — the recommendation in one phrase."""
    if a.recommended is None:
        return "no pattern: every pattern is knocked out"
    extra = [x for x in (a.messaging_flavour, a.coordination) if x]
    label = model.pattern(a.recommended).label
    return f"{label} ({', '.join(extra)})" if extra else label


def recommended_phrase(a: Assessment, model: Model) -> str:
    """The recommendation as the text and Markdown outputs state it: while undecided (too few answers
    speak, or the best fits tie) no pattern is named as recommended — the leading one only as such."""
    if a.undecided is None or a.state == "conflict":
        return recommendation(a, model)
    why = a.undecided["message"]
    if a.undecided.get("reason") == "tie" or len(set(a.scores.values())) <= 1:
        return f"none yet — undecided: {why}"
    return f"none yet — undecided: {why}; leading for now: {recommendation(a, model)}"


def question_label(model: Model, key: str) -> str:
    """The catalog label of a characteristic or a `sub.<key>` coordination input."""
    return model.question(key.removeprefix("sub.")).label


def headline(a: Assessment, model: Model) -> str:
    """The state in one line: 'Events — settled: no combination of the remaining answers can change this',
    'Open: …', 'Conflict: resolve … first'."""
    words = model.policy.wording
    label = recommendation(a, model)
    if a.state == "conflict":
        first = a.conflict[0] if a.conflict else None
        if first is None or first["kind"] == "none":
            what = words["conflict_none"]
        elif first["kind"] == "unfit":
            fit = a.scores.get(a.recommended or "") or 0.0
            what = words["conflict_unfit"].format(fit=f"{fit:+.2f}")
        else:
            what = f"{first['id']} ({first['message'].rstrip('.')})"
        return words["conflict"].format(what=what)
    if a.state == "settled":
        return words["settled_excepted" if a.excepted else "settled"].format(label=label)
    following = a.ask_next[0]["key"] if a.ask_next else None
    next_label = question_label(model, following) if following else "—"
    if not any(v for row in a.contributions.values() for v in row.values()):
        return words["open_none"].format(next=next_label)
    if a.tie and len(a.tie["patterns"]) > 1:
        if a.tie.get("alike"):
            return words["open_tie_order"].format(patterns=_and([model.pattern(p).label for p in a.tie["patterns"]]),
                                                  next=next_label)  # fmt: skip
        other = next(p for p in a.tie["patterns"] if p != a.recommended)
        by = "tie_by_acceptability" if a.tie["broken_by"] == "acceptability" else "tie_by_order"
        how = words[by].format(label=model.pattern(a.recommended or "api").label)
        return words["open_tie"].format(label=label, other=model.pattern(other).label, how=how, next=next_label)
    flip = a.flips[0]["text"] if a.flips else "answers to the open questions together"
    return words["open"].format(label=label, flip=flip, next=next_label)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def sureness(a: Assessment, model: Model | None = None) -> str:
    """How sure the result is, in words — LOW CONFIDENCE exactly when `a.low_confidence`, and
    then saying why (a tie, a close call, or a low first-rank acceptability). Patterns are named
    by their catalog labels (`model`, default: the shipped model)."""
    model = model or load_model()
    parts = []
    accept = a.acceptability.get(a.recommended or "") if a.recommended else None
    if a.tie is not None and a.tie["broken_by"] == "order":
        labels = _and([model.pattern(p).label for p in a.tie["patterns"]])
        if a.tie.get("alike"):
            parts.append(f"a tie: the answers cannot tell {labels} apart")
        else:
            parts.append(f"a tie of {labels} at these weights (robustness samples would break it)")
    elif a.tie is not None:
        shares = ", ".join(f"{model.pattern(p).label} {_pct(v)}" for p, v in a.tie["acceptability"].items())
        parts.append(f"a tie, broken by first-rank acceptability over {a.tie['samples']:,} samples ({shares})")
    elif a.margin is not None:
        parts.append(f"margin {a.margin:.2f} over the runner-up")
    if a.robustness is not None and a.recommended is not None:
        varied = f" with {len(a.robustness.unsure)} unsure answer(s) varied" if a.robustness.unsure else ""
        if a.state == "open":  # a share of the weightings, not of what the open answers may say
            given = len(model.keys) - len(a.unanswered)
            first = round((accept or 0.0) * a.robustness.samples)
            parts.append(
                f"first in {first:,} of {a.robustness.samples:,} weightings{varied}, over the {given} "
                "answer(s) given — the open answers are not counted"
            )
        else:
            parts.append(f"wins in {_pct(accept)} of {a.robustness.samples:,} weightings{varied}")
    text = "; ".join(parts) or "only one pattern remains"
    if not a.low_confidence:
        return text
    low_accept, low_margin = a.thresholds
    why = []
    if a.tie is not None:
        why.append("tie")
    elif a.margin is not None and a.margin < low_margin:
        why.append(f"close call (margin below {low_margin:g})")
    if accept is not None and accept < low_accept:
        why.append(f"wins in under {low_accept:.0%} of the samples")
    return f"LOW CONFIDENCE ({', '.join(why)}) — {text}" if why else f"LOW CONFIDENCE — {text}"


def hinge_lines(a: Assessment, model: Model) -> list[str]:
    """What the decision hinges on, as sentences built from the catalog's phrases."""
    words = model.policy.wording
    lines = []
    for change in a.hinges.get("answers") or []:
        q = model.question(change["key"])
        winner = model.pattern(change["winner"]).label
        fit = change.get("fit")
        if fit is not None:
            winner = f"{winner} ({fit:+.2f})"
        phrase = q.phrase(change["to"])
        if change["from"] is None:
            lines.append(words["answer_hinge"].format(phrase=phrase, winner=winner))
        else:
            before = q.value_label(change["from"])
            lines.append(words["answer_hinge_from"].format(phrase=phrase, before=before, winner=winner))
    weight = a.hinges.get("weight")
    low, high = model.policy.weight_range
    if weight and weight.get("within_range", True):
        lines.append(
            words["weight_hinge"].format(
                label=model.question(weight["key"]).label,
                to=weight["to"],
                **{"from": weight["from"]},
                winner=model.pattern(weight["winner"]).label,
            )
        )
    elif a.hinges:
        lines.append(words["weight_out_of_reach"].format(min=low, max=high))
    return lines


def resolution_lines(a: Assessment, model: Model) -> list[str]:
    """In a conflict: what changing one answer it rests on would give ('If the sender may rely on
    the receiver being available: Synchronous API, +0.52')."""
    words = model.policy.wording
    lines = []
    for option in a.hinges.get("resolutions") or []:
        q = model.question(option["key"])
        winner = "no pattern" if option["winner"] is None else model.pattern(option["winner"]).label
        fit = "ruled out" if option["fit"] is None else f"{option['fit']:+.2f}"
        line = words["resolution"].format(phrase=q.phrase(option["to"]), winner=winner, fit=fit)
        if option["remaining"]:
            line += f" (still to resolve: {', '.join(option['remaining'])})"
        lines.append(line)
    return lines


def ask_lines(a: Assessment, model: Model, limit: int = 3) -> list[str]:
    """The next questions and what their answers would do."""
    lines = []
    for item in a.ask_next[:limit]:
        key = item["key"]
        q = model.question(key.removeprefix("sub."))
        outcomes = []
        for change in item["changes"]:
            value = q.value_label(change["value"])
            if "recommended" in change:
                to = "no pattern" if change["recommended"] is None else model.pattern(change["recommended"]).label
            else:
                to = change["coordination"]
            outcomes.append(f"{value} → {to}")
        marker = " (marked unsure)" if item.get("unsure") else ""
        said = "; ".join(outcomes) or "no single answer changes the result, but it can together with others"
        lines.append(f"{q.label}{marker}: {said}")
    return lines


def render_text(a: Assessment, model: Model) -> str:
    """What an architect reads in a terminal: the state first; in conflict what to resolve and
    the outcomes the hinges give, instead of a checklist."""
    out = [a.connection.name, "=" * min(len(a.connection.name), 78)]
    out.append(f"State:       {headline(a, model)}")
    out += _text_conflict(a, model)
    out += _text_result(a, model)
    out += _text_details(a, model)
    out += _text_findings(a, model)
    out += ["", f"model {a.model_version}"]
    return "\n".join(out) + "\n"


def _text_conflict(a: Assessment, model: Model) -> list[str]:
    """In conflict: what to resolve first and what resolving it would give."""
    if a.state != "conflict":
        return []
    out = ["", "Resolve first"]
    out += [f"  * {c['id']}: {c['message']}" + (f" Fix: {c['fix']}" if c.get("fix") else "") for c in a.conflict]
    hinges = resolution_lines(a, model) or hinge_lines(a, model)
    if hinges:
        out += ["", "What resolving it would give"] + [f"  * {h}" for h in hinges]
    out.append("")
    return out


def _text_result(a: Assessment, model: Model) -> list[str]:
    """The recommendation, how sure, the scores, what would change it, what to answer next, why."""
    caveat = " (on conflicting answers)" if a.state == "conflict" else ""
    out = [
        f"Recommended: {recommended_phrase(a, model)}{caveat}",
        f"How sure:    {sureness(a, model)}",
        "Scores:      " + " | ".join(f"{model.pattern(p).short} {_score(a.scores[p])}" for p in a.ranking),
        f"             {model.policy.fit_label}",
    ]
    if a.robustness is not None:
        out.append(
            "Acceptability (rank 1): "
            + " | ".join(f"{model.pattern(p).short} {_pct(a.acceptability[p])}" for p in a.ranking)
        )
    if a.flips:
        out += ["", "What would change it"] + [f"  * {f['text']}" for f in a.flips]
    if a.ask_next:
        out += ["", "Answer next"] + [f"  * {line}" for line in ask_lines(a, model)]
    out += ["", "Why"] + [f"  * {line}" for line in a.explanations]
    return out


def _text_details(a: Assessment, model: Model) -> list[str]:
    """How the coordination style and the messaging flavour were chosen."""
    out: list[str] = []
    d = a.coordination_detail
    if d:
        style = d["style"] or "either style (tie)"
        out += ["", f"Coordination: {style} (signal score {d['score']:+d})"]
        out += [f"  * {s['label']} ({s['score']:+d})" for s in d["signals"]]
        notes = (d.get("tie_text"), d.get("note"), d.get("hybrid"), d.get("counter_view"))
        out += [f"  * {note}" for note in notes if note is not None]
    if a.flavour_detail:
        out += ["", f"Messaging flavour: {a.flavour_detail['flavour']} — {a.flavour_detail['reason']}"]
        out += [f"  * {n['note']}" for n in a.flavour_detail["notes"]]
    return out


def _text_findings(a: Assessment, model: Model) -> list[str]:
    """Contradictions, pitfalls, checks, hinges, the unanswered questions and the checklist."""
    out: list[str] = []
    calm = a.state != "conflict"
    if a.contradictions and calm:
        out += ["", "Contradictions"] + [f"  * {c['id']}: {c['message']} Fix: {c['fix']}" for c in a.contradictions]
    if a.pitfalls:
        out += ["", "Pitfalls"] + [f"  * {p['id']} {p['title']}: {p['message']} Fix: {p['fix']}" for p in a.pitfalls]
    if a.checks:
        out += ["", "To check"] + [f"  * {c['id']}: {c['question']} ({c['why']})" for c in a.checks]
    hinges = hinge_lines(a, model)
    if hinges and calm:
        out += ["", "What the decision hinges on"] + [f"  * {h}" for h in hinges]
    if a.unanswered:
        labels = ", ".join(model.question(k).label for k in a.unanswered)
        out += ["", f"Unanswered ({len(a.unanswered)}): " + labels]
    if a.checklist and calm:
        out += ["", f"Operational checklist ({model.pattern(a.recommended or 'api').label})"]
        out += [f"  [ ] {item['id']} {item['text']}" for item in a.checklist]
    return out


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
        f"**State:** {md_escape(headline(a, model))}",
        "",
    ]
    if a.state == "conflict":
        out += ["## Resolve first", ""]
        out += [f"* **{c['id']}**: {c['message']}" + (f" Fix: {c['fix']}" if c.get("fix") else "") for c in a.conflict]
        hinges = resolution_lines(a, model) or hinge_lines(a, model)
        if hinges:
            out += ["", "What resolving it would give:", ""] + [f"* {h}" for h in hinges]
        out.append("")
    out += [
        f"**Recommended:** {recommended_phrase(a, model)}"
        + (" (on conflicting answers)" if a.state == "conflict" else ""),
        "",
        f"**How sure:** {sureness(a, model)}",
        "",
    ]
    out += [f"| pattern | {model.policy.fit_label} | rank-1 acceptability |", "| --- | --- | --- |"]
    out += [f"| {model.pattern(p).label} | {_score(a.scores[p])} | {_pct(a.acceptability[p])} |" for p in a.ranking]
    if a.flips:
        out += ["", "## What would change it", ""] + [f"* {md_escape(f['text'])}" for f in a.flips]
    if a.ask_next:
        out += ["", "## Answer next", ""] + [f"* {line}" for line in ask_lines(a, model)]
    out += ["", "## Why", ""] + [f"* {line}" for line in a.explanations]
    if a.checks:
        out += ["", "## To check", ""] + [f"* **{c['id']}**: {c['question']} ({c['why']})" for c in a.checks]
    if a.pitfalls:
        out += ["", "## Pitfalls", ""] + [
            f"* **{p['id']} {p['title']}**: {p['message']} Fix: {p['fix']}" for p in a.pitfalls
        ]
    if a.contradictions and a.state != "conflict":
        out += ["", "## Contradictions", ""] + [
            f"* **{c['id']}**: {c['message']} Fix: {c['fix']}" for c in a.contradictions
        ]
    hinges = hinge_lines(a, model)
    if hinges and a.state != "conflict":
        out += ["", "## What the decision hinges on", ""] + [f"* {h}" for h in hinges]
    if a.checklist and a.state != "conflict":
        out += ["", "## Operational checklist", ""] + [f"* [ ] {i['text']} ({i['id']})" for i in a.checklist]
    out += ["", f"Model version {a.model_version}.", ""]
    return "\n".join(out)
