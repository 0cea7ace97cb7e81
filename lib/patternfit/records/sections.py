"""The reasoning sections of a decision record: options with pros and cons, the outcome and its
justification, consequences, robustness — each built from an assessment as plain text."""

from __future__ import annotations

from patternfit.engine.assess import Assessment
from patternfit.engine.explain import headline
from patternfit.engine.results import Conditional, CoordinationDetail, PitfallHit
from patternfit.model.catalog import PATTERN_KEYS, STYLES, Model
from patternfit.records.types import Option, RecordMeta

TOP_ARGUMENTS = 3


def label(model: Model, key: str | None) -> str:
    """The display label of a pattern, a coordination style or a proposed design."""
    if key is None:
        return "none"
    if key in PATTERN_KEYS:
        return model.pattern(key).label
    if key in STYLES:
        return model.coordination.styles[key]["label"]
    return key.replace("_", " ")


def signed(value: float) -> str:
    """A score with its sign, two decimals."""
    return f"{value:+.2f}"


def percent(value: float | None) -> str:
    """A share as a whole percentage ('—' when unknown)."""
    return "—" if value is None else f"{value:.0%}"


def knockouts(a: Assessment) -> list[tuple[str, str, list[str]]]:
    """(rule id, reason, patterns it rules out) for every knock-out that fired."""
    rules: dict[str, tuple[str, list[str]]] = {}
    for pattern, reasons in a.knocked_out.items():
        for r in reasons:
            rules.setdefault(r["id"], (r["reason"], []))[1].append(pattern)
    return [(rule, reason, patterns) for rule, (reason, patterns) in rules.items()]


def _arguments(a: Assessment, pattern: str, model: Model) -> tuple[list[str], list[str]]:
    good: list[str] = []
    bad: list[str] = []
    items = sorted(a.contributions[pattern].items(), key=lambda kv: (-abs(kv[1]), model.keys.index(kv[0])))
    for key, value in items:
        weight = a.weights[key]
        if value == 0 or weight == 0:
            continue
        phrase = model.question(key).phrase(a.connection.characteristics[key])
        text = f"{phrase} (answer fit {value / weight:+g} × weight {weight:g})"
        (good if value > 0 else bad).append(text)
    return good[:TOP_ARGUMENTS], bad[:TOP_ARGUMENTS]


def options(a: Assessment, model: Model) -> tuple[Option, ...]:
    """The four patterns (and the two coordination styles where they apply) with their arguments."""
    result = []
    for p in model.patterns:
        good, bad = _arguments(a, p.key, model)
        bad += [f"it is ruled out ({r['id']}): {r['reason']}" for r in a.knocked_out.get(p.key, [])]
        bad += [_conditional(model, p.label, r) for r in a.conditional.get(p.key, [])]
        score, accept = a.scores[p.key], a.acceptability[p.key]
        result.append(Option(p.key, p.label, p.summary, tuple(good), tuple(bad), score, accept, p.key in a.knocked_out))
    if a.coordination_detail is not None:
        result += [_style_option(a.coordination_detail, style, model) for style in STYLES]
    return tuple(result)


def _style_option(detail: CoordinationDetail, style: str, model: Model) -> Option:
    sign = 1 if style == "orchestration" else -1
    signals = detail["signals"]
    good = tuple(f"{s['label']} (signal {s['score']:+d})" for s in signals if s["score"] * sign > 0)
    bad = tuple(f"{s['label']} (signal {s['score']:+d})" for s in signals if s["score"] * sign < 0)
    info = model.coordination.styles[style]
    return Option(style, info["label"], info.get("summary", ""), good, bad)


def justification(a: Assessment, meta: RecordMeta, model: Model) -> tuple[str, str]:
    """(the text after 'because', the against-the-recommendation statement or '')."""
    chosen = meta.chosen or ""
    added = f" The team adds: {_sentence(meta.rationale)}" if meta.rationale else ""
    if chosen != a.recommended:
        return _sentence(meta.rationale), _against(a, chosen, model)
    feasible = [p for p in a.ranking if a.scores[p] is not None]
    if a.state == "conflict":
        return (
            f"it is the least poor option on answers that conflict (fit {signed(a.scores[chosen] or 0.0)}):"
            f" no pattern is shown to fit until the conflict is resolved.{added}",
            "",
        )
    if len(feasible) == 1:
        rules = ", ".join(rule for rule, _, _ in knockouts(a))
        return f"it is the only option, which meets k.o. criterion ({rules} rule out the others).{added}", ""
    runner = feasible[1]
    margin = f", {a.margin:.2f} ahead of {label(model, runner)}" if a.margin is not None else ""
    return f"it comes out best (see below): fit {signed(a.scores[chosen] or 0.0)}{margin}.{added}", ""


def _against(a: Assessment, chosen: str, model: Model) -> str:
    if a.recommended is None:
        head = "The team chose against the model: every pattern is knocked out by the answers."
    else:
        head = (
            f"The team chose against the recommendation. patternfit recommends {label(model, a.recommended)} "
            f"(fit {signed(a.scores[a.recommended] or 0.0)})"
        )
        score = a.scores[chosen]
        head += f"; {label(model, chosen)} scores {signed(score)}." if score is not None else "."
    reasons = a.knocked_out.get(chosen, [])
    if reasons:
        first = reasons[0]
        head += f" {label(model, chosen)} is ruled out by the model ({first['id']}: {first['reason'].rstrip('.')})."
    return head


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def outcome(a: Assessment, model: Model) -> tuple[str, ...]:
    """The facts under the Chosen option line: scores, margin, acceptability, confidence, flavour, coordination."""
    feasible = [p for p in a.ranking if a.scores[p] is not None]
    out = []
    if feasible:
        scores = ", ".join(f"{label(model, p)} {signed(a.scores[p] or 0.0)}" for p in feasible)
        ruled = [label(model, p) for p in a.ranking if a.scores[p] is None]
        out.append(f"{model.policy.fit_label}: {scores}" + (f"; ruled out: {', '.join(ruled)}." if ruled else "."))
    if a.margin is not None:
        out.append(f"Margin over the runner-up: {a.margin:.2f}.")
    if a.robustness is not None and feasible:
        accept = ", ".join(f"{label(model, p)} {percent(a.acceptability[p])}" for p in feasible)
        out.append(f"First-rank acceptability over {a.robustness.samples:,} sampled weightings: {accept}.")
    out.append(_confidence(a))
    if a.flavour_detail:
        out.append(f"Messaging flavour: {a.flavour_detail['flavour']}. {a.flavour_detail['reason']}")
        out += [n["note"] for n in a.flavour_detail["notes"]]
    if a.coordination_detail:
        d = a.coordination_detail
        if d.get("style") is None and d.get("tie"):
            out.append(f"Coordination: {_sentence(str(d.get('tie_text') or 'either style fits'))}")
        else:
            style = label(model, d["style"])
            out.append(f"Coordination: {style} (signal score {d['score']:+d}; positive favours orchestration).")
        out += [str(d[key]) for key in ("note", "hybrid", "counter_view") if key in d]
    return tuple(out)


def _confidence(a: Assessment) -> str:
    low, margin = a.thresholds
    if a.low_confidence:
        return (
            f"LOW CONFIDENCE: the margin is below {margin:g} or the first-rank acceptability below {low:.0%};"
            " answer the open questions and check what the decision hinges on."
        )
    unrun = "" if a.robustness is not None else "; the robustness analysis was not run"
    if a.margin is None:
        return f"Confidence: only one option is left{unrun}."
    checked = f"margin at least {margin:g}" + ("" if unrun else f" and first-rank acceptability at least {low:.0%}")
    return f"Confidence: not low ({checked}{unrun})."


def consequences(
    a: Assessment, chosen: str, pitfalls: list[PitfallHit], model: Model
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(good, bad): profile dimensions scored ≥ 4 / ≤ 2 for the chosen option, and its pitfalls."""
    good, bad = [], []
    rows = [(d, model.profiles[chosen][d.key], label(model, chosen)) for d in model.dimensions]
    if a.coordination is not None:
        rows += [
            (d, model.coordination.profiles[a.coordination][d.key], label(model, a.coordination))
            for d in model.coordination.dimensions
        ]
    for dim, score, who in rows:
        text = f"{who} scores {score} of 5 on {dim.label.lower()}" + (
            f" ({dim.description})" if dim.description else ""
        )
        if score >= 4:
            good.append(text)
        elif score <= 2:
            bad.append(text)
    bad += [f"{p['id']} {p['title']}: {p['message']} Fix: {p['fix']}" for p in pitfalls]
    return tuple(good), tuple(bad)


def robustness_note(a: Assessment, model: Model) -> str:
    """What the robustness table is based on (or that it was not run)."""
    r = a.robustness
    if r is None:
        return "The robustness analysis was not run (samples = 0)."
    unsure = ", ".join(model.question(k.removeprefix("sub.")).label for k in r.unsure)
    varied = f"; answers marked unsure and varied: {unsure}" if unsure else ""
    settings = f"seed {r.seed}, concentration {r.kappa:g}{varied}"
    return f"Rank acceptability from SMAA over {r.samples:,} sampled weightings ({settings})."


def robustness_rows(a: Assessment, model: Model) -> tuple[tuple[str, ...], ...]:
    """The SMAA rank-acceptability table: a header row, then one row per pattern."""
    r = a.robustness
    if r is None:
        return ()
    head = ("Pattern", *(f"Rank {i + 1}" for i in range(len(PATTERN_KEYS))))
    rows = [(label(model, p), *(percent(x) for x in r.rank_acceptability[p])) for p in a.ranking]
    return (head, *rows)


def model_note(a: Assessment) -> str:
    """Which model (and organisation profile) produced the assessment."""
    text = f"Assessed with the patternfit model {a.model_version}"
    if a.profile:
        p = a.profile
        by = f" by {p['author']}" if p.get("author") else ""
        text += f" and the organisation profile “{p['name']}” version {p['version']}{by}"
    return text + "."


def state_text(a: Assessment, model: Model) -> str:
    """The decision state in words; a decision on conflicting answers says so plainly, an open
    one names every flip (what answers would change it)."""
    text = headline(a, model)
    if a.state == "open" and len(a.flips) > 1:  # the headline names the first; the record all
        others = "; ".join(f["text"] for f in a.flips[1:])
        return f"{_sentence(text)} It would also change: {_sentence(others)}"
    if a.state != "conflict":
        return _sentence(text)
    return f"{_sentence(text)} This decision was made on conflicting answers: see Confirmation for what to resolve."


def resolve_first(a: Assessment) -> tuple[str, ...]:
    """What to resolve before any pattern's checklist is a plan (state conflict only)."""
    if a.state != "conflict":
        return ()
    out = []
    for c in a.conflict:
        head = f"{c['id']}: " if c.get("id") else ""
        fix = f" Fix: {c['fix']}" if c.get("fix") else ""
        out.append(f"{head}{_sentence(c['message'])}{fix}")
    return tuple(out)


def checks(a: Assessment) -> tuple[str, ...]:
    """The questions to check (facts nobody stated), each with why and its id."""
    return tuple(f"{c['question']} {_sentence(c['why'])} ({c['id']})" for c in a.checks)


def _conditional(model: Model, pattern: str, rule: Conditional) -> str:
    """A knock-out resting only on answers marked unsure: not a ruling, a condition (issue: unsure answers
    never decide alone)."""
    condition = " and ".join(model.question(k.removeprefix("sub.")).label for k in rule["if"])
    text = model.policy.wording["conditional"].format(
        pattern=pattern, condition=condition, ids=rule["id"], reason=rule["reason"]
    )
    return f"it is not ruled out, only conditionally: {text}"
