"""Build a `DecisionRecord` from an assessment and the meeting's metadata (decision-model §5g)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from patternfit.engine.assess import Assessment, assess_connection, checklist
from patternfit.engine.explain import hinge_lines
from patternfit.engine.results import ChecklistItem, PitfallHit
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.model.profile import Profile, load_profile, profile_technologies
from patternfit.model.technologies import implement_with
from patternfit.records.diagram import diagram
from patternfit.records.sections import (
    checks,
    consequences,
    justification,
    knockouts,
    label,
    model_note,
    options,
    outcome,
    resolve_first,
    robustness_note,
    robustness_rows,
    state_text,
)
from patternfit.records.types import DecisionRecord, RecordMeta, check_status
from patternfit.room.summary import room_lines

RECORD_FORMAT = 1
TOP_DRIVERS = 5


def build_record(
    assessment: Assessment,
    meta: RecordMeta,
    model: Model,
    *,
    profile: Profile | Mapping[str, Any] | str | Path | None = None,
) -> DecisionRecord:
    """The record of one decision. `profile` (the `Profile` read at the edge, or a path or mapping)
    is stored in full so a reopened record can be re-assessed with it. Raises InputError when the
    choice needs a rationale."""
    check_status(meta.status)
    chosen = _chosen(assessment, meta, model)
    meta = dataclasses.replace(meta, chosen=chosen)
    pitfalls, items = _for_chosen(assessment, chosen, model)
    good, bad = consequences(assessment, chosen, pitfalls, model)
    because, against = justification(assessment, meta, model)
    title = meta.title or default_title(assessment, chosen, model)
    return DecisionRecord(
        meta=meta,
        title=title,
        question=_question(assessment),
        description=assessment.connection.description,
        answers=_answers(assessment, model),
        unanswered=tuple(model.question(k).label for k in assessment.unanswered),
        drivers=_drivers(assessment, chosen, model),
        options=options(assessment, model),
        chosen=chosen,
        justification=because,
        against=against,
        outcome=outcome(assessment, model),
        good=good,
        bad=bad,
        confirmation=resolve_first(assessment) or tuple(f"{i['text']} ({i['id']})" for i in items),
        robustness_note=robustness_note(assessment, model),
        robustness=robustness_rows(assessment, model),
        hinges=tuple(hinge_lines(assessment, model)),
        model_note=model_note(assessment),
        sources=_sources(assessment, chosen, pitfalls, items, model),
        stored=_stored(assessment, meta, profile),
        diagram=_diagram(assessment, chosen),
        state=assessment.state,
        state_text=state_text(assessment, model),
        checks=checks(assessment),
        fit_scale=(*model.policy.fit_range, model.policy.fit_label),
        implement_with=_implement_with(assessment, chosen, profile, model),
        room=room_lines(meta.room) if meta.room else (),
    )


def _implement_with(
    a: Assessment, chosen: str, profile: Profile | Mapping[str, Any] | str | Path | None, model: Model
) -> str:
    """'Implement with Azure Service Bus (the organisation's standard for events (queue)).' when the
    profile the decision was assessed with names a standard for the chosen pattern, else ''."""
    source = profile if profile is not None else a.profile_definition
    if not source or chosen not in a.scores:
        return ""
    flavour = a.messaging_flavour if chosen == "events" else None
    return implement_with(chosen, flavour, profile_technologies(source), label=model.pattern(chosen).label)


def _diagram(a: Assessment, chosen: str) -> object:
    flavour = a.messaging_flavour if chosen == "events" and a.recommended == "events" else None
    coordination = a.coordination if chosen == "workflow" else None
    return diagram(a.connection.to_dict(), chosen, flavour, coordination)


def inputs_hash(inputs: Mapping[str, Any]) -> str:
    """A fingerprint of a record's stored inputs: `patternfit check` tells an edited block by it."""
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_title(a: Assessment, chosen: str, model: Model) -> str:
    """'<connection>: use <pattern> (<flavour> / <coordination>)' (§5g)."""
    name = label(model, chosen)
    style = a.coordination if a.coordination and a.coordination not in name.lower() else None
    extra = [x for x in ((a.messaging_flavour if chosen == a.recommended else None), style) if x]
    suffix = f" ({' / '.join(extra)})" if extra else ""
    return f"{a.connection.name}: use {name}{suffix}"


def _chosen(a: Assessment, meta: RecordMeta, model: Model) -> str:
    chosen = meta.chosen or a.recommended
    if chosen is None:
        raise InputError(
            "chosen",
            "every pattern is knocked out, so there is no recommendation to record",
            "choose a pattern with --chosen P and say why with --rationale TEXT",
        )
    if chosen != a.recommended and not meta.rationale:
        raise InputError(
            "rationale",
            f"the team chose {label(model, chosen)} against the recommendation {label(model, a.recommended)}"
            " without saying why",
            "give the reason with --rationale TEXT",
        )
    return chosen


def _for_chosen(a: Assessment, chosen: str, model: Model) -> tuple[list[PitfallHit], list[ChecklistItem]]:
    """Pitfalls and checklist of the chosen pattern (re-judged when it is not the one assessed)."""
    assessed = a.connection.proposed.get("pattern") or a.recommended
    if chosen == assessed:
        pitfalls = a.pitfalls
    else:
        proposed = {**a.connection.proposed, "pattern": chosen}
        other = dataclasses.replace(a.connection, proposed=proposed)
        pitfalls = assess_connection(other, weights=a.weights, samples=0, model=model).pitfalls
    items = a.checklist if chosen == a.recommended else checklist(model, chosen, a.coordination)
    return pitfalls, items


def _question(a: Assessment) -> str:
    c = a.connection
    between = f" between {c.source} and {c.target}" if c.source and c.target else ""
    return f"Which integration pattern should “{c.name}”{between} use?"


def _answers(a: Assessment, model: Model) -> tuple[tuple[str, str], ...]:
    c = a.connection
    rows = []
    for key in model.keys:
        if key in c.characteristics:
            q = model.question(key)
            text = q.value_label(c.characteristics[key])
            if key in c.stated and c.stated[key] != c.characteristics[key]:
                text += f" (stated: {q.value_label(c.stated[key])})"
            rows.append((q.label, text + (" (unsure)" if key in c.unsure else "")))
    rows += [(model.question(k).label, model.question(k).value_label(v)) for k, v in c.sub.items()]
    if "pattern" in c.proposed:
        rows.append(("Proposed design", label(model, c.proposed["pattern"])))
    rows += [
        (model.question(k).label, model.question(k).value_label(v)) for k, v in c.proposed.items() if k != "pattern"
    ]
    return tuple(rows)


def _drivers(a: Assessment, chosen: str, model: Model) -> tuple[str, ...]:
    """The weightiest answers (ties: the strongest effect on the chosen option), knock-outs, gaps."""
    c = a.connection
    effect = a.contributions[chosen]
    answered = [k for k in model.keys if k in c.characteristics and a.weights[k] > 0]
    answered.sort(key=lambda k: (-a.weights[k], -abs(effect.get(k, 0.0)), model.keys.index(k)))
    out = [
        f"{model.question(k).label}: {model.question(k).value_label(c.characteristics[k])} (weight {a.weights[k]:g})"
        for k in answered[:TOP_DRIVERS]
    ]
    out += [
        f"{rule}: {reason} (rules out {', '.join(label(model, p) for p in patterns)})"
        for rule, reason, patterns in knockouts(a)
    ]
    for key, value in c.stated.items():
        q = model.question(key)
        validated = c.characteristics.get(key)
        if validated != value:
            now = "unanswered" if validated is None else q.value_label(validated)
            out.append(f"{q.label}: stated as {q.value_label(value)}, validated as {now}")
    out += [f"{x['id']}: {x['message']}" for x in a.contradictions]
    return tuple(out)


def _sources(
    a: Assessment, chosen: str, pitfalls: list[PitfallHit], items: list[ChecklistItem], model: Model
) -> tuple[str, ...]:
    ids: list[str] = list(model.pattern(chosen).sources)
    for reasons in a.knocked_out.values():
        ids += [s for r in reasons for s in r["sources"]]
    ids += [s for p in pitfalls for s in p["sources"]]
    ids += [s for i in items for s in i["sources"]]
    if a.flavour_detail:
        ids += a.flavour_detail["sources"]
    if a.coordination_detail:
        fired = {s["id"] for s in a.coordination_detail["signals"]}
        ids += [s for rule in model.coordination.signals if rule.id in fired for s in rule.sources]
        ids += a.coordination_detail.get("counter_view_sources", [])
    unique = sorted(set(ids), key=_source_order)
    return tuple(f"{i}: {model.sources.get(i, {}).get('title', i)}" for i in unique)


def _source_order(source: str) -> tuple[str, int, str]:
    letters = source.rstrip("0123456789")
    digits = source[len(letters) :]
    return (letters, int(digits) if digits else 0, source)


def _stored(
    a: Assessment, meta: RecordMeta, profile: Profile | Mapping[str, Any] | str | Path | None
) -> dict[str, Any]:
    """The `patternfit` block: everything needed to reopen and re-assess the record."""
    block: dict[str, Any] = {
        "record_format": RECORD_FORMAT,
        "model_version": a.model_version,
        "recommended": a.recommended,
        "chosen": meta.chosen,
    }
    if meta.rationale:
        block["rationale"] = meta.rationale
    if meta.supersedes is not None:
        block["supersedes"] = meta.supersedes
    if meta.connection_id:
        block["connection_id"] = meta.connection_id
    for key in ("decision_makers", "consulted", "informed"):
        if getattr(meta, key):
            block[key] = list(getattr(meta, key))
    block["inputs"] = a.connection.to_dict()
    block["inputs_sha256"] = inputs_hash(block["inputs"])
    block["weights"] = {k: _plain_number(v) for k, v in a.weights.items()}
    if profile is not None:
        block["profile"] = dict(profile) if isinstance(profile, Mapping) else load_profile(profile).to_dict()
    elif a.profile_definition:
        block["profile"] = dict(a.profile_definition)
    elif a.profile:
        block["profile"] = dict(a.profile)
    if a.robustness is not None:
        block["robustness"] = {"samples": a.robustness.samples, "seed": a.robustness.seed}
    if meta.room:
        block["room"] = dict(meta.room)
    return block


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)
