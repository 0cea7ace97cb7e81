"""Assess one connection: knock-outs, weighted fit, explanations, rules, robustness."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from patternfit.engine import kernel, rules, whatif
from patternfit.engine import state as state_
from patternfit.engine.robustness import Robustness, answer_hinges, smaa, weight_hinge
from patternfit.engine.undecided import undecided_detail
from patternfit.engine.weights import Weights, resolve_weights
from patternfit.model.catalog import FLAVOURS, STYLES, Model, load_model, load_policy
from patternfit.model.connection import Connection, load_connection, parse_connection

TOP_CONTRIBUTIONS = 3


def __getattr__(name: str) -> Any:
    """`DEFAULT_SAMPLES`, read from the model folder's policy when asked for (never at import)."""
    if name == "DEFAULT_SAMPLES":
        return load_policy().default_samples
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


State = Literal["settled", "open", "conflict"]


@dataclass(frozen=True)
class Assessment:
    """The outcome for one connection. `to_dict()` is the CLI's JSON."""

    connection: Connection
    model_version: str
    weights: dict[str, float]
    recommended: str | None
    ranking: list[str]
    scores: dict[str, float | None]
    margin: float | None
    knocked_out: dict[str, list[dict[str, Any]]]
    contributions: dict[str, dict[str, float]]
    explanations: list[str]
    unanswered: list[str]
    coordination: str | None
    coordination_detail: dict[str, Any] | None
    messaging_flavour: str | None
    flavour_detail: dict[str, Any] | None
    pitfalls: list[dict[str, Any]]
    contradictions: list[dict[str, Any]]
    checklist: list[dict[str, Any]]
    robustness: Robustness | None
    hinges: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] | None = None
    thresholds: tuple[float, float] = (0.8, 0.05)
    # the whole profile (name, version, author, changes with reasons), so a record made from
    # this assessment can store it and a reopened record can reapply it; not part of the JSON
    profile_definition: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    # settled / open / conflict (see patternfit.engine.whatif for the definitions)
    state: State = "open"
    # the questions worth answering next: [{key, value_of_information, unsure, changes: [{value,
    # recommended | coordination}]}], most valuable first; empty when settled
    ask_next: list[dict[str, Any]] = field(default_factory=list)
    # facts the answers leave unknown that the design must confirm: [{id, question, why, sources}]
    checks: list[dict[str, Any]] = field(default_factory=list)
    # knock-outs resting only on answers marked unsure: pattern → [{id, reason, sources, if}]
    conditional: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # a tie of the best fits: {patterns, acceptability, samples, broken_by}; None without a tie
    tie: dict[str, Any] | None = None
    # why the state is conflict: [{kind: contradiction | unfit | none, id?, message, fix?}]
    conflict: list[dict[str, Any]] = field(default_factory=list)
    # too few answers speak, or a tie: {reason, message, speaking, needed, patterns, ask} (engine/undecided.py)
    undecided: dict[str, Any] | None = None
    # while open: the smallest sets of answers found that change the headline, each with what it
    # gives: [{answers: {key: value}, recommended, messaging_flavour, coordination, tie, text}]
    flips: list[dict[str, Any]] = field(default_factory=list)
    # some completions were set aside because the model flags them as contradictory
    excepted: bool = False

    @property
    def acceptability(self) -> dict[str, float | None]:
        if self.robustness is None:
            return {p: None for p in self.scores}
        return dict(self.robustness.acceptability)

    @property
    def low_confidence(self) -> bool:
        """First-rank acceptability or margin below the model's thresholds (§5d: 0.8, 0.05)."""
        low_accept, low_margin = self.thresholds
        accept = self.acceptability.get(self.recommended or "")
        return (self.margin is not None and self.margin < low_margin) or (accept is not None and accept < low_accept)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.connection.name,
            "recommended": self.recommended,
            "coordination": self.coordination,
            "messaging_flavour": self.messaging_flavour,
            "scores": self.scores,
            "ranking": self.ranking,
            "margin": self.margin,
            "low_confidence": self.low_confidence,
            "knocked_out": self.knocked_out,
            "acceptability": self.acceptability,
            "contributions": self.contributions,
            "explanations": self.explanations,
            "pitfalls": self.pitfalls,
            "contradictions": self.contradictions,
            "checklist": self.checklist,
            "unanswered": self.unanswered,
            "coordination_detail": self.coordination_detail,
            "flavour_detail": self.flavour_detail,
            "robustness": None if self.robustness is None else self.robustness.to_dict(),
            "hinges": self.hinges,
            "weights": self.weights,
            "profile": self.profile,
            "inputs": self.connection.to_dict(),
            "model_version": self.model_version,
            "state": self.state,
            "ask_next": self.ask_next,
            "checks": self.checks,
            "conditional": self.conditional,
            "tie": self.tie,
            "conflict": self.conflict,
            "undecided": self.undecided,
            "flips": self.flips,
        }


def assess_connection(
    connection: Connection | Mapping[str, Any] | str | Path,
    *,
    weights: Weights | Mapping[str, Any] | str | Path | None = None,
    profile: Any = None,
    samples: int | None = None,
    seed: int = 0,
    model: Model | None = None,
    decide: bool = True,
) -> Assessment:
    """Assess a connection (a `Connection`, a connection mapping, or a path to a connection file).

    The public ``patternfit.assess`` also reopens decision records; this one is the engine's.

    `samples=0` skips the robustness analysis; None takes the model's policy (samples.default).
    `decide=False` gives the headline only (pattern, tie, flavour, coordination, conflict) without
    working out the decision state: `state` is then `conflict` or `open`, and `flips` and `ask_next`
    are empty — for checks that score many completions and must not lean on the state's own
    computation. Raises `InputError` on bad input.
    """
    model = model or load_model()
    profile_info = definition = None
    if profile is not None:  # a `Profile` read at the edge; a mapping or a path is read here
        from patternfit.model.profile import apply_profile, load_profile

        read = load_profile(profile)
        model, profile_info = apply_profile(read, model)
        definition = read.to_dict()
    subject: Connection
    if isinstance(connection, Connection):
        subject = connection
    elif isinstance(connection, (str, Path)):
        subject = load_connection(connection, model)
    else:
        subject = parse_connection(connection, model)
    if samples is None:
        samples = model.policy.default_samples
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 0:
        from patternfit.errors import InputError

        hint = f"e.g. {model.policy.default_samples}; 0 skips robustness"
        raise InputError("samples", f"{samples!r} must be a whole number ≥ 0", hint)
    w = resolve_weights(weights, model)
    result = _assess(subject, w, model, samples, seed, profile_info, decide=decide)
    return result if definition is None else dataclasses.replace(result, profile_definition=definition)


def _assess(
    connection: Connection,
    w: np.ndarray,
    model: Model,
    samples: int,
    seed: int,
    profile: dict[str, Any] | None,
    *,
    decide: bool = True,
) -> Assessment:
    policy = model.policy
    patterns = model.pattern_keys
    codes, frame = kernel.encode([connection], model)
    unsure_chars, unsure_subs = whatif.unsure_split(connection, model)
    fired, firm = whatif.firm_fired(codes, frame, model, unsure_chars, unsure_subs)
    knocked = whatif.excluded(firm, model)  # ruled out whatever the unsure answers are
    values = kernel.scores(codes, w, knocked, model)
    live = ~np.isnan(values[0])
    robustness = None
    if samples > 0:
        robustness = smaa(codes, frame, w, connection.unsure, model, samples=samples, seed=seed, ruled_out=knocked)
    tie: dict[str, Any] | None = None
    tie_accept: dict[str, float] = {}
    winner_index = int(kernel.winners(values, model)[0])
    if winner_index >= 0:
        best = values[0, winner_index]
        tied = [i for i in range(len(patterns)) if live[i] and values[0, i] >= best - policy.tie_epsilon]
        if len(tied) > 1:
            order = policy.tie_break
            # patterns whose fits agree on every answer tie under every weighting: their
            # acceptabilities are equal by construction, so only the order can separate them
            fit = kernel.fits(codes, model)[0]
            alike = not connection.unsure and all(np.array_equal(fit[:, i], fit[:, tied[0]]) for i in tied)
            by_order = alike or robustness is None
            if by_order:
                # no SMAA without samples: the order picks the pattern shown, and says so
                accept = {patterns[i]: 1.0 / len(tied) for i in tied} if alike else {}
                tie_samples = 0 if robustness is None else robustness.samples
            else:
                assert robustness is not None
                accept = dict(robustness.acceptability)
                tie_samples = robustness.samples
            winner_index = max(tied, key=lambda i: (accept.get(patterns[i], 0.0), -order.index(patterns[i])))
            ranked = sorted(tied, key=lambda i: (-accept.get(patterns[i], 0.0), order.index(patterns[i])))
            tie_accept = {patterns[i]: accept[patterns[i]] for i in ranked if patterns[i] in accept}
            tie = {
                "patterns": [patterns[i] for i in ranked],
                "acceptability": {p: round(v, 4) for p, v in tie_accept.items()},
                "samples": tie_samples,
                "broken_by": "order" if by_order else "acceptability",
                "alike": alike,  # the fits agree on every answer: no weighting separates them
            }
    winner = np.array([winner_index], np.intp)
    style, coord_score, coord_tie, signals = rules.coordination(frame, model)
    flavour = rules.add_results(frame, model, winner, style)
    pitfall_hits = rules.pitfalls(frame, model)[0]
    check_hits = rules.fired(frame, model.checks)[0]
    recommended = None if winner_index < 0 else patterns[winner_index]
    scores = {p: (None if math.isnan(v) else round(float(v), 4)) for p, v in zip(patterns, values[0], strict=True)}
    accept_of: dict[str, float] = dict(robustness.acceptability) if robustness is not None else {}
    if tie is not None:
        accept_of |= dict(tie_accept)
    order_of = model.robustness.tie_break
    ranking = sorted(
        patterns,
        key=lambda p: (
            scores[p] is None,
            -(scores[p] or 0.0) if scores[p] is not None else 0.0,
            p != recommended,
            -accept_of.get(p, 0.0),
            order_of.index(p),
        ),
    )
    feasible = [s for s in (scores[p] for p in ranking) if s is not None]
    margin = round(feasible[0] - feasible[1], 4) if len(feasible) > 1 else None
    if tie is not None:
        margin = 0.0
    weighted = (kernel.fits(codes, model)[0] * w[:, None]).T.tolist()  # patterns × characteristics
    answered = [(c, k) for c, k in enumerate(model.keys) if codes[0, c] >= 0]
    contributions = {p: {k: weighted[i][c] for c, k in answered} for i, p in enumerate(patterns)}
    knocked_out: dict[str, list[dict[str, Any]]] = {}
    conditional: dict[str, list[dict[str, Any]]] = {}
    for k, rule in enumerate(model.knockouts):
        if firm[0, k]:
            for p in rule.excludes:
                knocked_out.setdefault(p, []).append(
                    {"id": rule.id, "reason": rule.reason, "sources": list(rule.sources)}
                )
        elif fired[0, k]:
            resting = [key for key in connection.unsure if key in rule.when.fields]
            for p in rule.excludes:
                if not knocked[0, patterns.index(p)]:
                    conditional.setdefault(p, []).append(
                        {"id": rule.id, "reason": rule.reason, "sources": list(rule.sources), "if": resting}
                    )
    contradictions = _contradictions(frame, fired[0], model, recommended)
    coordination = None if style[0] < 0 else STYLES[int(style[0])]
    best_fit = None if recommended is None else scores[recommended]
    any_answer = bool((codes[0] >= 0).any())
    gaps = {r.id for r in model.contradictions if not r.conflict}
    conflict: list[dict[str, Any]] = [
        {"kind": "none" if c["id"] == "C-ALL" else "contradiction", "id": c["id"], "message": c["message"],
         "fix": c["fix"]}
        for c in contradictions
        if c["id"] not in gaps
    ]  # fmt: skip
    # answers that speak (some contribution is not zero) and still leave the best pattern at ≤ 0;
    # answers that are all neutral leave the state open (nothing has spoken yet)
    speaks = any(v != 0 for row in contributions.values() for v in row.values())
    if best_fit is not None and best_fit <= 0 and any_answer and speaks:
        conflict.append(
            {
                "kind": "unfit",
                "id": "FIT",
                "message": f"The best pattern left, {model.pattern(recommended or 'api').label}, fits {best_fit:+.2f}.",
                "fix": "Revisit the answers that speak against every pattern, or the knock-outs (see hinges).",
            }
        )
    decision = (
        state_.decide(connection, frame, w, model, winner_index, int(style[0]), int(flavour[0]), tied=tie is not None)
        if decide
        else state_.Decision(True, [], {}, False)
    )
    state: State
    if conflict:
        state = "conflict"
    elif decision.open:
        state = "open"
    else:
        state = "settled"
    next_questions: list[dict[str, Any]] = []
    if state != "settled" and decide:
        changes = whatif.what_if(connection, codes, frame, w, model, winner_index, int(style[0]), policy.tie_epsilon)
        next_questions = whatif.ask_next(changes, connection, model, int(style[0]), w)
        if state == "open":
            next_questions = state_.order(next_questions, decision, connection, model)
    flips = [] if state != "open" else [_phrase_flip(model, connection, f) for f in decision.flips]
    hinges: dict[str, Any] = {}
    if samples > 0 or state == "conflict":
        hinges = {
            "weight": weight_hinge(codes, w, knocked, model),
            "answers": answer_hinges(codes, frame, w, model, connection.unsure, winner=winner_index),
        }
        if state == "conflict":
            hinges["resolutions"] = whatif.resolutions(connection, codes, frame, w, model, conflict)
    return Assessment(
        connection=connection,
        model_version=model.version,
        weights=dict(zip(model.keys, (float(x) for x in w), strict=True)),
        recommended=recommended,
        ranking=ranking,
        scores=scores,
        margin=margin,
        knocked_out=knocked_out,
        contributions=contributions,
        explanations=_tie_line(model, tie)
        + explain(
            model,
            connection,
            recommended,
            ranking,
            scores,
            contributions,
            knocked_out,
            tied=tie is not None,
            settled=state == "settled",
        )
        + _conditional_lines(model, connection, conditional),
        unanswered=[k for c, k in enumerate(model.keys) if codes[0, c] < 0],
        coordination=coordination,
        coordination_detail=_coordination_detail(
            model, frame, int(coord_score[0]), bool(coord_tie[0]), signals[0], recommended, coordination
        ),
        messaging_flavour=FLAVOURS[int(flavour[0])] if recommended == "events" and flavour[0] >= 0 else None,
        flavour_detail=_flavour_detail(model, frame, flavour[0]) if recommended == "events" else None,
        pitfalls=[
            {"id": p.id, "title": p.title, "message": p.message, "fix": p.fix, "sources": list(p.sources)}
            for p, hit in zip(model.pitfalls, pitfall_hits, strict=True)
            if hit
        ],
        contradictions=contradictions,
        checklist=checklist(model, recommended, coordination),
        robustness=robustness,
        hinges=hinges,
        profile=profile,
        thresholds=(model.robustness.low_acceptability, model.robustness.low_margin),
        state=state,
        ask_next=next_questions,
        flips=flips,
        excepted=decision.excepted and state != "conflict",
        checks=[
            {"id": c.id, "question": c.question, "why": c.why, "sources": list(c.sources), "bridges": list(c.bridges)}
            for c, hit in zip(model.checks, check_hits, strict=True)
            if hit
        ],
        conditional=conditional,
        tie=tie,
        conflict=conflict,
        undecided=undecided_detail(codes, values, w, model),
    )


def _phrase_flip(model: Model, connection: Connection, flip: dict[str, Any]) -> dict[str, Any]:
    """A flip with its sentence: 'Batch if latency … and freshness …'."""
    out = {k: v for k, v in flip.items() if k != "conflict"}
    condition = " and ".join(answer_phrase(model, connection, k, v) for k, v in flip["answers"].items())
    out["text"] = flip_text(model, out, condition)
    return out


def flip_text(model: Model, flip: dict[str, Any], condition: str) -> str:
    """What a flip gives, in words: the pattern (and flavour or style where it changes)."""
    pattern = flip.get("recommended")
    if pattern is None:
        head = "no pattern is left"
    else:
        head = model.pattern(pattern).label
        if flip.get("tie"):
            head += " ties"
        if flip.get("messaging_flavour"):
            head += f" ({flip['messaging_flavour']})"
        if flip.get("coordination"):
            head += f", {flip['coordination']}"
    return model.policy.wording["flip"].format(outcome=head, condition=condition)


def _tie_line(model: Model, tie: dict[str, Any] | None) -> list[str]:
    if tie is None:
        return []
    labels = [model.pattern(p).label for p in tie["patterns"]]
    joined = ", ".join(labels[:-1]) + " and " + labels[-1]
    how = "first-rank acceptability" if tie["broken_by"] == "acceptability" else "the model's order"
    return [f"{joined} fit equally well; {labels[0]} is shown first by {how}."]


def _conditional_lines(model: Model, connection: Connection, conditional: dict[str, list[dict[str, Any]]]) -> list[str]:
    text = model.policy.wording["conditional"]
    lines = []
    for pattern, reasons in conditional.items():
        condition = " and ".join(
            answer_phrase(model, connection, key) for key in dict.fromkeys(k for r in reasons for k in r["if"])
        )
        lines.append(
            text.format(
                pattern=model.pattern(pattern).label,
                condition=condition or "the unsure answers",
                ids=", ".join(r["id"] for r in reasons),
                reason=reasons[0]["reason"],
            )
        )
    return lines


def answer_phrase(model: Model, connection: Connection, key: str, value: Any = None) -> str:
    """An answer as its catalog phrase ('the sender must keep working when …'); `key` may be a
    characteristic or `sub.<key>`; `value` defaults to the connection's answer."""
    if key.startswith("sub."):
        question = model.question(key[4:])
        value = connection.sub.get(key[4:]) if value is None else value
    else:
        question = model.question(key)
        value = connection.characteristics.get(key) if value is None else value
    if value is None:
        return f"{question.label.lower()} is unanswered"
    return question.phrase(value)


def checklist(model: Model, pattern: str | None, coordination: str | None) -> list[dict[str, Any]]:
    """The recommended pattern's operational checklist (plus the choreography add-ons)."""
    if pattern is None:
        return []
    items = list(model.checklists[pattern])
    if pattern == "events" and coordination == "choreography":
        items += model.checklists["choreography"]
    return [{"id": i.id, "text": i.text, "sources": list(i.sources)} for i in items]


def _contradictions(frame: Any, fired: np.ndarray, model: Model, recommended: str | None) -> list[dict[str, Any]]:
    hits = rules.fired(frame, model.contradictions)[0]
    out = [
        {"id": r.id, "message": r.text, "fix": r.fix, "sources": list(r.sources)}
        for r, hit in zip(model.contradictions, hits, strict=True)
        if hit
    ]
    for k, rule in enumerate(model.knockouts):
        if fired[k] and rule.flag:
            out.append(
                {
                    "id": rule.flag,
                    "message": f"{rule.id}: {rule.reason}",
                    "fix": rule.flag_text or "",
                    "sources": list(rule.sources),
                }
            )
    if recommended is None:
        out.append(
            {
                "id": "C-ALL",
                "message": "Every pattern is knocked out: the answers ask for things no pattern can give together.",
                "fix": "Stop and escalate: revisit the knock-out answers (see knocked_out) with the business owner.",
                "sources": [],
            }
        )
    return out


def _coordination_detail(
    model: Model, frame: Any, score: int, tie: bool, signals: np.ndarray, recommended: str | None, style: str | None
) -> dict[str, Any] | None:
    if not bool(model.coordination.applies_when(frame)[0]):
        return None
    rules_ = model.coordination
    hits = [s for s, hit in zip(rules_.signals, signals, strict=True) if hit]
    fired_signals: list[dict[str, Any]] = [{"id": s.id, "label": s.text, "score": s.score} for s in hits]
    ownership = sum(s.score for s in hits if "sub.ownership_boundary" in s.when.fields)
    detail: dict[str, Any] = {
        "style": style,
        "score": score,
        "tie": tie,
        "signals": fired_signals,
        "maps_to": None if style is None else rules_.styles[style].get("maps_to"),
    }
    if tie:
        detail["note"] = rules_.tie_text
        why = ", ".join(s["label"] for s in fired_signals) or "no signal fired"
        detail["tie_text"] = model.policy.wording["coordination_tie"].format(why=why)
    if ownership and (score > 0) != (score - ownership > 0):  # the boundary decides: vendors disagree (§7.1)
        detail["counter_view"] = rules_.counter_view
        detail["counter_view_sources"] = list(rules_.counter_view_sources)
    mapped = detail["maps_to"]
    if style is not None and recommended is not None and mapped not in (recommended, None) and recommended != "api":
        detail["hybrid"] = rules_.hybrid_text
    return detail


def _flavour_detail(model: Model, frame: Any, code: int) -> dict[str, Any] | None:
    if code < 0:
        return None
    # the first rule that holds (a flavour may have several rules, each with its reason)
    held = rules.fired(frame, model.flavours)[0]
    rule = next(r for r, hit in zip(model.flavours, held, strict=True) if hit and r.id == FLAVOURS[code])
    notes = [n for n, hit in zip(model.flavour_notes, rules.fired(frame, model.flavour_notes)[0], strict=True) if hit]
    return {
        "flavour": rule.id,
        "reason": rule.text,
        "sources": list(rule.sources),
        "notes": [{"id": n.id, "note": n.text, "sources": list(n.sources)} for n in notes],
    }


def explain(
    model: Model,
    connection: Connection,
    recommended: str | None,
    ranking: list[str],
    scores: dict[str, float | None],
    contributions: dict[str, dict[str, float]],
    knocked_out: dict[str, list[dict[str, Any]]],
    *,
    tied: bool = False,
    settled: bool = False,
) -> list[str]:
    """Plain-language reasons built from the strongest contributions and the knock-outs (on a
    tie the first pattern is not said to fit best; unanswered questions are said to matter
    unless the state is settled)."""
    lines = []
    feasible = [p for p in ranking if scores[p] is not None]
    for position, pattern in enumerate(feasible[:2]):
        label = model.pattern(pattern).label
        verb = "fit" if label.endswith("s") else "fits"
        pros = _phrases(model, connection, contributions[pattern], positive=True)
        cons = _phrases(model, connection, contributions[pattern], positive=False)
        if position == 0 and pattern == recommended and not tied:
            head = (
                f"{label} {verb} best because {_join(pros)}."
                if pros
                else f"{label} {verb} best, though no answer speaks strongly for it."
            )
        elif position == 0:
            head = f"{label}: {_join(pros)}." if pros else f"{label}: no answer speaks strongly for it."
        else:
            head = f"{label} comes second: {_join(pros)}." if pros else f"{label} comes second."
        lines.append(head + (f" Against it: {_join(cons)}." if cons else ""))
    for pattern, reasons in knocked_out.items():
        label = model.pattern(pattern).label
        ids = ", ".join(r["id"] for r in reasons)
        lines.append(f"{label} is ruled out ({ids}): {reasons[0]['reason']}")
    unanswered = len(model.keys) - len(connection.characteristics)
    if unanswered:
        lines.append(
            f"{unanswered} of {len(model.keys)} questions are unanswered; "
            + (
                "no combination of answers to them changes the result."
                if settled
                else "answering them may change the result."
            )
        )
    return lines


def _phrases(model: Model, connection: Connection, contributions: dict[str, float], *, positive: bool) -> list[str]:
    items = [(v, k) for k, v in contributions.items() if (v > 0 if positive else v < 0)]
    items.sort(key=lambda item: (-abs(item[0]), model.keys.index(item[1])))
    return [model.question(k).phrase(connection.characteristics[k]) for _, k in items[:TOP_CONTRIBUTIONS]]


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
