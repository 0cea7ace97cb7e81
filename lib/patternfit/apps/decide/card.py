"""The recommendation card, the findings, the checklist and the profile panel's text, as HTML
from templates (apps/templates/decide). Pure functions, no widgets.

The card tells the truth about the state: `settled`, `open` or `conflict` in words (CSS hook
``pf-state``); in conflict it leads with what to resolve and what each way out gives, and no
checklist is shown as the plan; a tie is never shown as certainty and names the robustness
tie-break; a coordination tie says either style fits and why.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from patternfit.apps.common.templates import render
from patternfit.apps.decide.files import ProfileRead
from patternfit.apps.decide.guidance import Guidance
from patternfit.charts.decision import PATTERN_COLOURS
from patternfit.engine import explain
from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model
from patternfit.model.technologies import implement_with

PROFILE_EXAMPLE = """name: Acme integration office
version: "1.0"
author: Integration CoE
changes:
  - {weight: consumer_count, to: 3, reason: "fan-out is our main pain"}
  - {fit: ordering, answer: per_key, pattern: batch, to: 0, reason: "our streams keep key order"}"""

LOG = logging.getLogger(__name__)


def fit_label(model: Model) -> str:
    """The one label of the fit scale (data/policy.yaml), e.g. "Fit (−1 … +1)"."""
    policy = getattr(model, "policy", None)
    return str(getattr(policy, "fit_label", "Fit (−1 … +1)"))


def hinge_lines(a: Assessment, model: Model) -> list[str]:
    """The engine's hinge sentences; a hinge it cannot phrase is left out (and logged) rather
    than taking the card down."""
    try:
        return list(explain.hinge_lines(a, model))
    except (TypeError, ValueError, KeyError):
        LOG.exception("a hinge could not be phrased")
        return []


def _runner(a: Assessment) -> str | None:
    return next((p for p in a.ranking[1:] if a.scores.get(p) is not None), None)


def conditional_lines(g: Guidance, model: Model) -> list[str]:
    """'Batch is ruled out if … holds (KO-2)' for knock-outs fired only by unsure answers."""
    lines = []
    for pattern, reasons in g.conditional.items():
        label = model.pattern(pattern).label if pattern in model.pattern_keys else str(pattern)
        for r in reasons:
            cond = r.get("if") or "an answer marked not sure"
            lines.append(f"{label} is ruled out if {cond} holds ({r.get('id', '')}): {r.get('reason', '')}")
    return lines


def _outcomes(a: Assessment, model: Model, g: Guidance) -> list[str]:
    """In a conflict, what each way out gives: the engine's resolutions (one changed answer the
    conflict rests on, with the pattern and fit it would give), else the hinges."""
    try:
        lines = list(explain.resolution_lines(a, model))
    except (TypeError, ValueError, KeyError):
        LOG.exception("a resolution could not be phrased")
        lines = []
    return (lines or hinge_lines(a, model))[:5]


def _facts(a: Assessment, model: Model) -> tuple[list[dict[str, str]], str]:
    """The four facts of the card and, on a tie, the sentence that names the tie-break."""
    accept = a.acceptability.get(a.recommended) if a.recommended else None
    runner = _runner(a)
    samples = a.robustness.samples if a.robustness is not None else 0
    tie = a.tie if a.tie and len(a.tie.get("patterns") or ()) > 1 else None
    other = next((p for p in tie["patterns"] if p != a.recommended), runner) if tie else None
    sure = _sure(a, model, tie, other, accept, samples)
    coordination = _coordination(a)
    facts = [
        {"k": "How sure", "v": sure[0], "s": sure[1]},
        {
            "k": "Margin",
            "v": "—" if a.margin is None else f"{a.margin:+.2f}".replace("-", "−"),
            "s": f"over {model.pattern(runner).label}" if runner else "the only pattern left",
        },
        {"k": "Coordination", "v": coordination[0], "s": coordination[1]},
        {
            "k": "Flavour",
            "v": a.messaging_flavour.capitalize() if a.messaging_flavour else "—",
            "s": "messaging flavour" if a.messaging_flavour else "not events",
        },
    ]
    note = _tie_note(a, model, tie, other, samples) if tie and other and a.recommended else ""
    detail = a.coordination_detail
    if detail is not None and "tie_text" in detail:
        note = (note + " " if note else "") + detail["tie_text"]
    return facts, note


def _sure(
    a: Assessment, model: Model, tie: Mapping[str, Any] | None, other: str | None, accept: float | None, samples: int
) -> tuple[str, str]:
    """The card's "How sure": never a percentage that reads as certainty it does not have."""
    if a.state == "conflict":  # no certainty about a pattern that does not fit
        return ("—", "the answers conflict")
    if tie and other:  # a tie is never 100 %
        by = "broken by robustness" if tie.get("broken_by") != "order" else "not separated yet"
        return ("Tie", f"with {model.pattern(other).label}, {by}")
    if accept is None:
        return ("—", "robustness not run")
    if a.low_confidence:  # "how sure" and "low confidence" never disagree
        return (f"Low, {accept:.0%}", f"first in {samples:,} weightings")
    if a.state == "open":  # never a percentage that reads as certainty while answers are open
        given = len(model.keys) - len(a.unanswered)
        first = round(accept * samples)
        return ("Open", f"first in {first:,} of {samples:,} weightings, over the {given} answer(s) given")
    return (f"{accept:.0%}", f"first in {samples:,} weightings")


def _coordination(a: Assessment) -> tuple[str, str]:
    """The card's "Coordination": a style, either, or why there is none."""
    detail = a.coordination_detail
    if detail is not None and (detail["tie"] or not a.coordination):
        return ("Either style", "no signal tips orchestration or choreography")
    if a.coordination:
        return (a.coordination.capitalize(), "of several steps")
    if "coordinated_steps" in a.unanswered:  # unknown is shown as unknown, not as one step
        return ("—", "steps not answered yet")
    return ("—", "a single step")


def _tie_note(a: Assessment, model: Model, tie: Mapping[str, Any], other: str, samples: int) -> str:
    """On a tie, the sentence that names how it was broken (or that it was not)."""
    mine, theirs = model.pattern(str(a.recommended)).label, model.pattern(other).label
    if tie.get("broken_by") == "order":
        return (
            f"{mine} and {theirs} fit equally well and rank first equally often under every weighting: "
            f"no answer given so far tells them apart, so {mine} is only named first. "
            "Answer the next question to separate them."
        )
    shares = tie.get("acceptability") or {}
    share = ", ".join(f"{model.pattern(p).label} {v:.0%}" for p, v in shares.items() if p in model.pattern_keys)
    return (
        f"{mine} and {theirs} fit equally well. The tie is broken by robustness (how often each ranks "
        f"first over {int(tie.get('samples') or samples):,} weightings with the unsure answers varied"
        + (f": {share}" if share else "")
        + "), not by the order of the patterns."
    )


def card_html(
    a: Assessment | None,
    model: Model,
    g: Guidance,
    *,
    rev: int,
    charts: Mapping[str, int],
    note: str = "",
    profile: Mapping[str, Any] | None = None,
    implement: str = "",
) -> str:
    """The recommendation card; `implement` names the organisation's standard for the pattern.
    `data-pf-rev` counts recomputations and `data-pf-charts` says
    which chart must show which revision (the bench and the browser tests wait on it)."""
    common: dict[str, Any] = {
        "rev": rev,
        "charts": json.dumps(dict(charts), sort_keys=True),
        "profile": profile or None,
        "note": note,
        "state": g.state,
    }
    if a is None:
        return render("decide/card.html", kind="empty", colour=None, **common)
    pattern = model.pattern(a.recommended) if a.recommended else None
    best = a.scores.get(a.recommended) if a.recommended else None
    kind = "conflict" if g.state == "conflict" or pattern is None else "live"
    facts, tie_note = _facts(a, model)
    resolve = [{"text": c.get("message", ""), "fix": c.get("fix", "")} for c in a.conflict]
    if kind == "conflict" and not resolve:
        resolve = [{"text": c["message"], "fix": c.get("fix", "")} for c in a.contradictions]
    open_count = len(a.unanswered) if g.state != "settled" else 0
    return render(
        "decide/card.html",
        kind=kind,
        name=a.connection.name,
        state_text=explain.headline(a, model),
        pattern=pattern,
        best_fit=best,
        fit_label=fit_label(model),
        low=a.low_confidence and a.tie is None,
        facts=facts,
        tie_note=tie_note,
        conditional=conditional_lines(g, model),
        why=a.explanations[0] if a.explanations and kind == "live" else "",
        implement=implement if kind == "live" else "",
        unanswered=f"{open_count} of {len(model.keys)} questions unanswered." if open_count else "",
        flips=[f["text"] for f in a.flips] if kind == "live" and g.state == "open" else [],
        resolve=resolve,
        outcomes=_outcomes(a, model, g) if kind == "conflict" else [],
        colour=PATTERN_COLOURS.get(pattern.key, "#444") if pattern and kind == "live" else None,
        **common,
    )


def ask_next_html(g: Guidance) -> str:
    none_left = "Every question that could change the result is answered."
    return render("decide/ask_next.html", state=g.state, asks=g.ask_next, none_left=none_left)


def findings_html(a: Assessment | None, model: Model, g: Guidance) -> str:
    """Knocked-out patterns with reasons, conditional knock-outs, contradictions, pitfalls with
    fixes, questions to check, the reasons and what the decision hinges on."""
    if a is None:
        return ""
    knocked = [{"label": p.label, "reasons": a.knocked_out[p.key]} for p in model.patterns if a.knocked_out.get(p.key)]
    coordination = None
    detail = a.coordination_detail
    if detail:
        styles = model.coordination.styles
        style = detail.get("style") if detail.get("style") in styles else None
        notes = [str(detail[k]) for k in ("note", "hybrid", "counter_view") if detail.get(k)]
        if detail.get("tie") or style is None:
            title = "either style fits"
            summary = str(detail.get("tie_text") or "No coordination signal tips the balance.")
            notes = [n for n in notes if n != summary]
        else:
            title, summary = str(styles[style].get("label", style)), str(styles[style].get("summary", ""))
        coordination = {"title": title, "summary": summary, "notes": notes}
    checks = [c.get("question") or c.get("message") if isinstance(c, Mapping) else c for c in g.checks]
    return render(
        "decide/findings.html",
        knocked_out=knocked,
        conditional=conditional_lines(g, model),
        contradictions=a.contradictions,
        pitfalls=a.pitfalls,
        checks=[str(c) for c in checks if c],
        explanations=a.explanations,
        hinges=hinge_lines(a, model),
        flavour=a.flavour_detail,
        coordination=coordination,
        sure=explain.sureness(a, model),
    )


def checklist_html(a: Assessment | None, model: Model, g: Guidance) -> str:
    """The operational checklist of the recommended pattern; none while the answers conflict
    (a badly fitting pattern's checklist is not a plan)."""
    if a is None or not a.checklist or a.recommended is None:
        return ""
    if g.state == "conflict":
        return render(
            "decide/checklist.html",
            title="Operational checklist",
            note="No checklist while the answers conflict: resolve them first (see the card).",
            items=[],
        )
    title = f"Operational checklist: {model.pattern(a.recommended).label}"
    return render("decide/checklist.html", title=title, note="", items=a.checklist)


def profile_html(profile: Mapping[str, Any] | None, reference: Model) -> str:
    """What an organisation profile changes, each change with its reason (all of it escaped)."""
    if not profile:
        return render("decide/profile.html", profile=None, version=reference.version, example=PROFILE_EXAMPLE)
    weights = reference.default_weights()
    changes = []
    for change in profile.get("changes") or []:
        if "weight" in change:
            key = str(change["weight"])
            changes.append(
                {
                    "weight": True,
                    "label": reference.question(key).label if key in reference.keys else key,
                    "before": _number(weights.get(key)),
                    "to": _number(change.get("to")),
                    "reason": change.get("reason", ""),
                }
            )
        else:
            key = str(change.get("fit"))
            pattern = change.get("pattern")
            changes.append(
                {
                    "weight": False,
                    "label": reference.question(key).label if key in reference.keys else key,
                    "pattern": reference.pattern(pattern).label if pattern in reference.pattern_keys else pattern,
                    "answer": change.get("answer"),
                    "to": _number(change.get("to"), signed=True),
                    "reason": change.get("reason", ""),
                }
            )
    return render("decide/profile.html", profile=profile, changes=changes, version=reference.version, example="")


def _number(value: Any, *, signed: bool = False) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:+g}" if signed else f"{value:g}"
    return str(value)


def implement_line(a: Assessment | None, model: Model, profile: ProfileRead | None) -> str:
    """'Implement with …' when the profile in force names a standard for the recommendation."""
    if a is None or not a.recommended or profile is None or not profile.definition:
        return ""
    flavour = a.messaging_flavour if a.recommended == "events" else None
    return implement_with(a.recommended, flavour, profile.technologies, label=model.pattern(a.recommended).label)
