"""Assess one connection: knock-outs, weighted fit, explanations, rules, robustness."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from patternfit.engine import kernel, rules, whatif
from patternfit.engine import state as state_
from patternfit.engine.results import (
    CheckHit,
    ChecklistItem,
    Conditional,
    ConflictItem,
    Contradiction,
    CoordinationDetail,
    FlavourDetail,
    Flip,
    Hinges,
    NextQuestion,
    PitfallHit,
    ProfileSummary,
    Reason,
    Signal,
    State,
    Tie,
    UndecidedDetail,
)
from patternfit.engine.robustness import Robustness, answer_hinges, smaa, weight_hinge
from patternfit.engine.undecided import undecided_detail
from patternfit.engine.weights import Weights, resolve_weights
from patternfit.model.catalog import FLAVOURS, STYLES, Model, load_model
from patternfit.model.connection import Connection, load_connection, parse_connection

TOP_CONTRIBUTIONS = 3


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
    knocked_out: dict[str, list[Reason]]
    contributions: dict[str, dict[str, float]]
    explanations: list[str]
    unanswered: list[str]
    coordination: str | None
    coordination_detail: CoordinationDetail | None
    messaging_flavour: str | None
    flavour_detail: FlavourDetail | None
    pitfalls: list[PitfallHit]
    contradictions: list[Contradiction]
    checklist: list[ChecklistItem]
    robustness: Robustness | None
    # first-rank acceptability and margin below which the result is low confidence (the model's policy)
    thresholds: tuple[float, float]
    hinges: Hinges = field(default_factory=lambda: Hinges())
    profile: ProfileSummary | None = None
    # the whole profile (name, version, author, changes with reasons), so a record made from
    # this assessment can store it and a reopened record can reapply it; not part of the JSON
    profile_definition: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    # settled / open / conflict (see patternfit.engine.whatif for the definitions)
    state: State = "open"
    # the questions worth answering next, most valuable first; empty when settled
    ask_next: list[NextQuestion] = field(default_factory=list)
    # facts the answers leave unknown that the design must confirm
    checks: list[CheckHit] = field(default_factory=list)
    # knock-outs resting only on answers marked unsure, by pattern
    conditional: dict[str, list[Conditional]] = field(default_factory=dict)
    # a tie of the best fits; None without a tie
    tie: Tie | None = None
    # why the state is conflict
    conflict: list[ConflictItem] = field(default_factory=list)
    # too few answers speak, or a tie (engine/undecided.py)
    undecided: UndecidedDetail | None = None
    # while open: the smallest sets of answers found that change the headline, each with what it gives
    flips: list[Flip] = field(default_factory=list)
    # some completions were set aside because the model flags them as contradictory
    excepted: bool = False

    @property
    def acceptability(self) -> dict[str, float | None]:
        if self.robustness is None:
            return {p: None for p in self.scores}
        return dict(self.robustness.acceptability)

    @property
    def low_confidence(self) -> bool:
        """First-rank acceptability or margin below the model's thresholds (scoring.yaml robustness.low_confidence)."""
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
    profile_info: ProfileSummary | None = None
    definition = None
    if profile is not None:  # a `Profile` read at the edge; a mapping or a path is read here
        from patternfit.model.profile import apply_profile, load_profile, profile_summary

        read = load_profile(profile)
        model, info = apply_profile(read, model)
        profile_info = profile_summary(info)
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


@dataclass(frozen=True, slots=True)
class _Row:
    """What the kernel says about the one connection: its codes, which knock-outs fire (and which
    fire whatever its unsure answers are), what that rules out, and each pattern's fit."""

    connection: Connection
    w: np.ndarray
    codes: kernel.Codes
    frame: Any
    fired: np.ndarray
    firm: np.ndarray
    knocked: np.ndarray
    values: np.ndarray


@dataclass(frozen=True, slots=True)
class _Ranked:
    """The winner after a tie is broken, the tie, and the ranking with its scores and margin."""

    winner: int
    recommended: str | None
    tie: Tie | None
    scores: dict[str, float | None]
    ranking: list[str]
    margin: float | None


def _assess(
    connection: Connection,
    w: np.ndarray,
    model: Model,
    samples: int,
    seed: int,
    profile: ProfileSummary | None,
    *,
    decide: bool = True,
) -> Assessment:
    row = _score(connection, w, model)
    robustness = None
    if samples > 0:
        robustness = smaa(
            row.codes, row.frame, w, connection.unsure, model, samples=samples, seed=seed, ruled_out=row.knocked
        )
    ranked = _rank(row, robustness, model)
    way = _coordinate(row, ranked, model)
    contributions = _contributions(row, model)
    knocked_out, conditional = _knockouts(row, model)
    contradictions = _contradictions(row.frame, row.fired[0], model, ranked.recommended)
    conflict = _conflict(row, ranked, contradictions, contributions, model)
    decision = state_.Decision(True, [], {}, False)
    if decide:
        decision = state_.decide(
            connection, row.frame, w, model, ranked.winner, way.style, way.flavour, tied=ranked.tie is not None
        )
    state: State = "conflict" if conflict else "open" if decision.open else "settled"
    recommended, coordination = ranked.recommended, way.coordination
    return Assessment(
        connection=connection,
        model_version=model.version,
        weights=dict(zip(model.keys, (float(x) for x in w), strict=True)),
        recommended=recommended,
        ranking=ranked.ranking,
        scores=ranked.scores,
        margin=ranked.margin,
        knocked_out=knocked_out,
        contributions=contributions,
        explanations=_explanations(model, connection, ranked, contributions, knocked_out, conditional, state),
        unanswered=[k for c, k in enumerate(model.keys) if row.codes[0, c] < 0],
        coordination=coordination,
        coordination_detail=way.coordination_detail,
        messaging_flavour=way.messaging_flavour,
        flavour_detail=way.flavour_detail,
        pitfalls=_pitfalls(row, model),
        contradictions=contradictions,
        checklist=checklist(model, recommended, coordination),
        robustness=robustness,
        hinges=_hinges(row, model, ranked.winner, conflict, state, samples),
        profile=profile,
        thresholds=(model.policy.low_acceptability, model.policy.low_margin),
        state=state,
        ask_next=_next_questions(row, model, ranked.winner, way.style, decision, state) if decide else [],
        flips=[] if state != "open" else [_phrase_flip(model, connection, f) for f in decision.flips],
        excepted=decision.excepted and state != "conflict",
        checks=_checks(row, model),
        conditional=conditional,
        tie=ranked.tie,
        conflict=conflict,
        undecided=undecided_detail(row.codes, row.values, w, model),
    )


@dataclass(frozen=True, slots=True)
class _Way:
    """How the recommended pattern is carried out: the coordination style and the messaging
    flavour (codes: -1 for none), and why."""

    style: int
    flavour: int
    coordination: str | None
    coordination_detail: CoordinationDetail | None
    messaging_flavour: str | None
    flavour_detail: FlavourDetail | None


def _coordinate(row: _Row, ranked: _Ranked, model: Model) -> _Way:
    """The coordination style (from its signals) and, for events, the messaging flavour."""
    style, score, tie, signals = rules.coordination(row.frame, model)
    flavour = rules.add_results(row.frame, model, np.array([ranked.winner], np.intp), style)
    coordination = None if style[0] < 0 else STYLES[int(style[0])]
    events = ranked.recommended == "events"
    return _Way(
        style=int(style[0]),
        flavour=int(flavour[0]),
        coordination=coordination,
        coordination_detail=_coordination_detail(
            model, row.frame, int(score[0]), bool(tie[0]), signals[0], ranked.recommended, coordination
        ),
        messaging_flavour=FLAVOURS[int(flavour[0])] if events and flavour[0] >= 0 else None,
        flavour_detail=_flavour_detail(model, row.frame, flavour[0]) if events else None,
    )


def _score(connection: Connection, w: np.ndarray, model: Model) -> _Row:
    """Encode the connection, fire the knock-outs (firm: whatever the unsure answers are) and score."""
    codes, frame = kernel.encode([connection], model)
    unsure_chars, unsure_subs = whatif.unsure_split(connection, model)
    fired, firm = whatif.firm_fired(codes, frame, model, unsure_chars, unsure_subs)
    knocked = whatif.excluded(firm, model)  # ruled out whatever the unsure answers are
    values = kernel.scores(codes, w, knocked, model)
    return _Row(connection, w, codes, frame, fired, firm, knocked, values)


def _break_tie(row: _Row, robustness: Robustness | None, model: Model) -> tuple[int, Tie | None]:
    """The winner, and the tie of the best fits (None without one), broken by first-rank
    acceptability where robustness samples can tell the tied patterns apart, else by the order."""
    patterns = model.pattern_keys
    winner = int(kernel.winners(row.values, model)[0])
    if winner < 0:
        return winner, None
    best = row.values[0, winner]
    live = ~np.isnan(row.values[0])
    tied = [i for i in range(len(patterns)) if live[i] and row.values[0, i] >= best - model.policy.tie_epsilon]
    if len(tied) <= 1:
        return winner, None
    order = model.policy.tie_break
    # patterns whose fits agree on every answer tie under every weighting: their
    # acceptabilities are equal by construction, so only the order can separate them
    fit = kernel.fits(row.codes, model)[0]
    alike = not row.connection.unsure and all(np.array_equal(fit[:, i], fit[:, tied[0]]) for i in tied)
    by_order = alike or robustness is None
    accept: dict[str, float]
    if by_order:  # no SMAA without samples: the order picks the pattern shown, and says so
        accept = {patterns[i]: 1.0 / len(tied) for i in tied} if alike else {}
    else:
        assert robustness is not None
        accept = dict(robustness.acceptability)
    winner = max(tied, key=lambda i: (accept.get(patterns[i], 0.0), -order.index(patterns[i])))
    ranked = sorted(tied, key=lambda i: (-accept.get(patterns[i], 0.0), order.index(patterns[i])))
    tie: Tie = {
        "patterns": [patterns[i] for i in ranked],
        "acceptability": {patterns[i]: round(accept[patterns[i]], 4) for i in ranked if patterns[i] in accept},
        "samples": 0 if robustness is None else robustness.samples,
        "broken_by": "order" if by_order else "acceptability",
        "alike": alike,  # the fits agree on every answer: no weighting separates them
    }
    return winner, tie


def _rank(row: _Row, robustness: Robustness | None, model: Model) -> _Ranked:
    """Scores, the ranking (fit, then the recommended first, then acceptability, then the order)
    and the margin over the runner-up (0 on a tie)."""
    patterns = model.pattern_keys
    winner, tie = _break_tie(row, robustness, model)
    recommended = None if winner < 0 else patterns[winner]
    scores = {p: (None if math.isnan(v) else round(float(v), 4)) for p, v in zip(patterns, row.values[0], strict=True)}
    accept_of: dict[str, float] = dict(robustness.acceptability) if robustness is not None else {}
    if tie is not None and tie["alike"]:  # the order breaks it: equal shares, as `_break_tie` gives
        accept_of |= {p: 1.0 / len(tie["patterns"]) for p in tie["patterns"]}
    order_of = model.policy.tie_break
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
    return _Ranked(winner, recommended, tie, scores, ranking, margin)


def _contributions(row: _Row, model: Model) -> dict[str, dict[str, float]]:
    """Per pattern, each answered question's weighted fit."""
    weighted = (kernel.fits(row.codes, model)[0] * row.w[:, None]).T.tolist()  # patterns × characteristics
    answered = [(c, k) for c, k in enumerate(model.keys) if row.codes[0, c] >= 0]
    return {p: {k: weighted[i][c] for c, k in answered} for i, p in enumerate(model.pattern_keys)}


def _knockouts(row: _Row, model: Model) -> tuple[dict[str, list[Reason]], dict[str, list[Conditional]]]:
    """The knock-outs by pattern: firm ones, and those resting only on answers marked unsure."""
    knocked_out: dict[str, list[Reason]] = {}
    conditional: dict[str, list[Conditional]] = {}
    for k, rule in enumerate(model.knockouts):
        if row.firm[0, k]:
            for p in rule.excludes:
                knocked_out.setdefault(p, []).append(
                    {"id": rule.id, "reason": rule.reason, "sources": list(rule.sources)}
                )
        elif row.fired[0, k]:
            resting = [key for key in row.connection.unsure if key in rule.when.fields]
            for p in rule.excludes:
                if not row.knocked[0, model.pattern_keys.index(p)]:
                    conditional.setdefault(p, []).append(
                        {"id": rule.id, "reason": rule.reason, "sources": list(rule.sources), "if": resting}
                    )
    return knocked_out, conditional


def _conflict(
    row: _Row,
    ranked: _Ranked,
    contradictions: list[Contradiction],
    contributions: dict[str, dict[str, float]],
    model: Model,
) -> list[ConflictItem]:
    """Why the state is conflict: contradictions that block (not gaps), no pattern left, or
    answers that speak and still leave the best pattern at ≤ 0; empty otherwise."""
    ids = model.policy.conflict_ids
    gaps = {r.id for r in model.contradictions if not r.conflict}
    conflict: list[ConflictItem] = [
        {"kind": "none" if c["id"] == ids.no_pattern else "contradiction", "id": c["id"], "message": c["message"],
         "fix": c["fix"]}
        for c in contradictions
        if c["id"] not in gaps
    ]  # fmt: skip
    best_fit = None if ranked.recommended is None else ranked.scores[ranked.recommended]
    any_answer = bool((row.codes[0] >= 0).any())
    # answers that speak (some contribution is not zero) and still leave the best pattern at ≤ 0;
    # answers that are all neutral leave the state open (nothing has spoken yet)
    speaks = any(v != 0 for values in contributions.values() for v in values.values())
    if best_fit is not None and best_fit <= 0 and any_answer and speaks:
        label = model.pattern(ranked.recommended or "api").label
        conflict.append(
            {
                "kind": "unfit",
                "id": ids.unfit,
                "message": f"The best pattern left, {label}, fits {best_fit:+.2f}.",
                "fix": "Revisit the answers that speak against every pattern, or the knock-outs (see hinges).",
            }
        )
    return conflict


def _next_questions(
    row: _Row, model: Model, winner: int, style: int, decision: state_.Decision, state: State
) -> list[NextQuestion]:
    """The questions worth answering next (none when settled), in shrink order while open."""
    if state == "settled":
        return []
    connection = row.connection
    changes = whatif.what_if(connection, row.codes, row.frame, row.w, model, winner, style, model.policy.tie_epsilon)
    next_questions = whatif.ask_next(changes, connection, model, style, row.w)
    if state == "open":
        next_questions = state_.order(next_questions, decision, connection, model)
    return next_questions


def _hinges(row: _Row, model: Model, winner: int, conflict: list[ConflictItem], state: State, samples: int) -> Hinges:
    """What the decision hinges on: a weight and answers (with robustness samples, or in
    conflict), and in conflict what resolving it would give."""
    if samples <= 0 and state != "conflict":
        return {}
    c = row.connection
    hinges: Hinges = {
        "weight": weight_hinge(row.codes, row.w, row.knocked, model),
        "answers": answer_hinges(row.codes, row.frame, row.w, model, c.unsure, winner=winner),
    }
    if state == "conflict":
        hinges["resolutions"] = whatif.resolutions(c, row.codes, row.frame, row.w, model, conflict)
    return hinges


def _explanations(
    model: Model,
    connection: Connection,
    ranked: _Ranked,
    contributions: dict[str, dict[str, float]],
    knocked_out: dict[str, list[Reason]],
    conditional: dict[str, list[Conditional]],
    state: State,
) -> list[str]:
    """The tie line, the reasons from the strongest contributions, and the conditional knock-outs."""
    tied = ranked.tie is not None
    reasons = explain(
        model,
        connection,
        ranked.recommended,
        ranked.ranking,
        ranked.scores,
        contributions,
        knocked_out,
        tied=tied,
        settled=state == "settled",
    )
    return _tie_line(model, ranked.tie) + reasons + _conditional_lines(model, connection, conditional)


def _pitfalls(row: _Row, model: Model) -> list[PitfallHit]:
    hits = rules.pitfalls(row.frame, model)[0]
    return [
        {"id": p.id, "title": p.title, "message": p.message, "fix": p.fix, "sources": list(p.sources)}
        for p, hit in zip(model.pitfalls, hits, strict=True)
        if hit
    ]


def _checks(row: _Row, model: Model) -> list[CheckHit]:
    hits = rules.fired(row.frame, model.checks)[0]
    return [
        {"id": c.id, "question": c.question, "why": c.why, "sources": list(c.sources), "bridges": list(c.bridges)}
        for c, hit in zip(model.checks, hits, strict=True)
        if hit
    ]


def _phrase_flip(model: Model, connection: Connection, flip: state_.Found) -> Flip:
    """A flip with its sentence: 'Batch if latency … and freshness …'."""
    condition = " and ".join(answer_phrase(model, connection, k, v) for k, v in flip["answers"].items())
    return {
        "answers": flip["answers"],
        "recommended": flip["recommended"],
        "tie": flip["tie"],
        "messaging_flavour": flip["messaging_flavour"],
        "coordination": flip["coordination"],
        "text": flip_text(model, flip, condition),
    }


def flip_text(model: Model, flip: Mapping[str, Any], condition: str) -> str:
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


def _tie_line(model: Model, tie: Tie | None) -> list[str]:
    if tie is None:
        return []
    labels = [model.pattern(p).label for p in tie["patterns"]]
    joined = ", ".join(labels[:-1]) + " and " + labels[-1]
    how = "first-rank acceptability" if tie["broken_by"] == "acceptability" else "the model's order"
    return [f"{joined} fit equally well; {labels[0]} is shown first by {how}."]


def _conditional_lines(model: Model, connection: Connection, conditional: dict[str, list[Conditional]]) -> list[str]:
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


def checklist(model: Model, pattern: str | None, coordination: str | None) -> list[ChecklistItem]:
    """The recommended pattern's operational checklist (plus the choreography add-ons)."""
    if pattern is None:
        return []
    items = list(model.checklists[pattern])
    if pattern == "events" and coordination == "choreography":
        items += model.checklists["choreography"]
    return [{"id": i.id, "text": i.text, "sources": list(i.sources)} for i in items]


def _contradictions(frame: Any, fired: np.ndarray, model: Model, recommended: str | None) -> list[Contradiction]:
    hits = rules.fired(frame, model.contradictions)[0]
    out: list[Contradiction] = [
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
                "id": model.policy.conflict_ids.no_pattern,
                "message": "Every pattern is knocked out: the answers ask for things no pattern can give together.",
                "fix": "Stop and escalate: revisit the knock-out answers (see knocked_out) with the business owner.",
                "sources": [],
            }
        )
    return out


def _coordination_detail(
    model: Model, frame: Any, score: int, tie: bool, signals: np.ndarray, recommended: str | None, style: str | None
) -> CoordinationDetail | None:
    if not bool(model.coordination.applies_when(frame)[0]):
        return None
    rules_ = model.coordination
    hits = [s for s, hit in zip(rules_.signals, signals, strict=True) if hit]
    fired_signals: list[Signal] = [{"id": s.id, "label": s.text, "score": s.score} for s in hits]
    ownership = sum(s.score for s in hits if "sub.ownership_boundary" in s.when.fields)
    detail: CoordinationDetail = {
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


def _flavour_detail(model: Model, frame: Any, code: int) -> FlavourDetail | None:
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
    knocked_out: dict[str, list[Reason]],
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
