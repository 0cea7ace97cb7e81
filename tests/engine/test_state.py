"""The decision state, ask_next, conditional knock-outs and ties (issue 12 items 1–4, issue 13 item 1).

The brute-force checks call `assess` once per single change — independent of the batch in
patternfit.engine.whatif that computes the state."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from patternfit.engine import kernel
from patternfit.engine import state as engine_state
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.engine.explain import headline, hinge_lines, render_markdown, render_text, sureness
from patternfit.model.catalog import FLAVOURS, STYLES
from patternfit.model.connection import parse_connection

from tests.engine.questionnaire import NEWCOMER, level_values
from tests.engine.questionnaire import apply as with_answers
from tests.strategies import MODEL, connections

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _values(key: str) -> list[Any]:
    """Every allowed value of a question, one per level (integers: each bucket's top)."""
    return level_values(MODEL, key)


def _with(data: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """The connection with `key` answered `value`, as given (no longer unsure)."""
    changed = {**data, "characteristics": dict(data.get("characteristics", {})), "sub": dict(data.get("sub", {}))}
    if key.startswith("sub."):
        changed["sub"][key[4:]] = value
    else:
        changed["characteristics"][key] = value
    changed["unsure"] = [k for k in data.get("unsure", []) if k != key]
    return changed


def _single_changes(a: Assessment, data: dict[str, Any]) -> list[tuple[str, Any]]:
    out = []
    for question in MODEL.characteristics:
        current = a.connection.characteristics.get(question.key)
        if current is not None and question.key not in a.connection.unsure:
            continue
        level = None if current is None else question.scale.level_of(current)
        out += [(question.key, v) for v in _values(question.key) if question.scale.level_of(v) != level]
    return out


def _apply(data: dict[str, Any], key: str, change: dict[str, Any]) -> dict[str, Any]:
    """The connection with an ask_next change given (and the answer it comes `with`, if any)."""
    changed = _with(data, key, change["value"])
    for other, value in change.get("with", {}).items():
        changed = _with(changed, other, value)
    return changed


def _speaks(a: Assessment) -> bool:
    """Some answer speaks for or against some pattern (all-neutral answers leave the state open)."""
    return any(v != 0 for row in a.contributions.values() for v in row.values())


def _changes_winner(b: Assessment, a: Assessment) -> bool:
    """b's headline pattern differs from a's (a tie counts), unless b's answers contradict each
    other (the state sets those completions aside)."""
    if any(c["kind"] == "contradiction" for c in b.conflict):
        return False
    return b.recommended != a.recommended or b.tie is not None or b.recommended is None


@FAST
@given(connections())
def test_a_headline_that_fits_at_most_zero_is_a_conflict(data):
    """No pattern left, or the best one fits ≤ 0 on some answer: the state is conflict."""
    a = assess_connection(data, samples=0, model=MODEL)
    assert a.state in ("settled", "open", "conflict")
    if a.recommended is None:
        assert a.state == "conflict"
    elif a.scores[a.recommended] is not None and a.scores[a.recommended] <= 0 and _speaks(a):
        assert a.state == "conflict"
        assert headline(a, MODEL).startswith("Conflict")
    gaps = {r.id for r in MODEL.contradictions if not r.conflict}
    if any(c["id"] not in gaps for c in a.contradictions):
        assert a.state == "conflict"


@FAST
@given(connections())
def test_a_tie_is_neither_settled_nor_certain(data):
    """Equal best fits: state open or conflict, margin 0, low confidence, no 100 % anywhere."""
    a = assess_connection(data, samples=200, model=MODEL)
    if a.tie is None:
        return
    assert a.state != "settled"
    assert a.margin == 0 and a.low_confidence
    assert a.recommended in a.tie["patterns"] and len(a.tie["patterns"]) > 1
    assert all(v < 1 for v in a.tie["acceptability"].values())
    assert a.acceptability[a.recommended] < 1
    assert "LOW CONFIDENCE" in sureness(a)


@FAST
@given(connections())
def test_a_ruled_out_pattern_never_outranks_a_live_one(data):
    """Ranking and rank acceptabilities put every ruled-out pattern below every live one."""
    a = assess_connection(data, samples=200, model=MODEL)
    live = [p for p in a.ranking if a.scores[p] is not None]
    assert a.ranking[: len(live)] == live
    assert a.recommended is None or a.recommended == a.ranking[0]
    if live and not a.conditional and a.robustness is not None:
        for p in a.knocked_out:
            assert a.acceptability[p] == 0


@SLOW
@given(connections())
def test_settled_is_true_by_brute_force(data):
    """Settled: no single unanswered or unsure answer, set to any allowed value, changes the winner."""
    a = assess_connection(data, samples=0, model=MODEL)
    if a.state != "settled":
        return
    assert a.ask_next == [] and a.tie is None
    for key, value in _single_changes(a, data):
        b = assess_connection(_with(data, key, value), samples=0, model=MODEL)
        assert not _changes_winner(b, a), (key, value, b.recommended)
    ko8 = next(r for r in MODEL.knockouts if r.id == "KO-8")  # two answers completing a knock-out
    if a.recommended in ko8.excludes and {"coordinated_steps", "consistency"} <= set(a.unanswered):
        pair = {"value": 3, "with": {"consistency": "compensable"}}
        assert not _changes_winner(
            assess_connection(_apply(data, "coordinated_steps", pair), samples=0, model=MODEL), a
        )


@SLOW
@given(connections())
def test_open_names_its_flips_and_asks_by_shrink(data):
    """Open without a tie: at least one flip, and each flip's answers, given, really change the
    headline (brute force); ask_next is not empty, every value it lists as changing the winner
    really does, and the characteristics come largest shrink (value_of_information) first."""
    a = assess_connection(data, samples=0, model=MODEL)
    if a.state == "settled":
        assert a.ask_next == [] and a.flips == []
        return
    if a.state != "open" or a.tie is not None:
        assert a.flips == [] or a.state == "open"
        return
    assert a.flips and a.ask_next
    for flip in a.flips:
        changed = data
        for key, value in flip["answers"].items():
            changed = _with(changed, key, value)
        b = assess_connection(changed, samples=0, model=MODEL)
        assert not any(c["kind"] == "contradiction" for c in b.conflict), flip
        same = (b.recommended, b.messaging_flavour, b.coordination, b.tie is not None)
        assert same == (flip["recommended"], flip["messaging_flavour"], flip["coordination"], flip["tie"]), flip
        assert same != (a.recommended, a.messaging_flavour, a.coordination, False), flip
    for item in a.ask_next:
        for change in (c for c in item["changes"] if "recommended" in c):
            b = assess_connection(_apply(data, item["key"], change), samples=0, model=MODEL)
            assert _changes_winner(b, a), (item["key"], change, b.recommended)
    values = [item["value_of_information"] for item in a.ask_next if not item["key"].startswith("sub.")]
    assert values == sorted(values, reverse=True)


@FAST
@given(connections())
def test_an_unsure_only_knock_out_does_not_rule_out(data):
    """A pattern knocked out only by answers marked unsure keeps its score and is listed as conditional."""
    a = assess_connection(data, samples=0, model=MODEL)
    for pattern, reasons in a.conditional.items():
        assert a.scores[pattern] is not None and pattern not in a.knocked_out
        assert all(r["if"] and set(r["if"]) <= set(a.connection.unsure) for r in reasons)
    data_out = a.to_dict()
    assert set(data_out["conditional"]) == set(a.conditional)
    assert data_out["state"] == a.state and data_out["ask_next"] == a.ask_next


MISREAD = {
    "name": "Price lookup with a fallback",
    "characteristics": {
        "response_expectation": "result_now", "latency_budget": "subsecond", "freshness_value": 3,
        "interaction_intent": "query", "consumer_count": 1, "coordinated_steps": 1,
        "process_duration": "subsecond", "human_step": False, "consistency": "none",
        "temporal_decoupling": True, "counterpart_capability": "api",
    },
    "unsure": ["temporal_decoupling"],
}  # fmt: skip


def test_the_fallback_misread_is_a_conflict_not_a_workflow(model):
    """Issue 12's case: 'keeps working while the receiver is down', ticked unsure, no longer rules
    out the API; C-2 makes the state conflict, and the text leads with what to resolve."""
    a = assess_connection(MISREAD, samples=300, model=model)
    assert a.scores["api"] is not None and "api" not in a.knocked_out
    assert [r["id"] for r in a.conditional["api"]] == ["KO-5"]
    assert a.conditional["api"][0]["if"] == ["temporal_decoupling"]
    assert a.recommended == "api" and a.state == "conflict"
    assert headline(a, model).startswith("Conflict: resolve C-2")
    text = render_text(a, model)
    assert text.splitlines()[2].startswith("State:       Conflict")
    assert "Resolve first" in text and "Operational checklist" not in text
    assert "ruled out if “the sender must keep working" in text
    assert "## Resolve first" in render_markdown(a, model)
    given_firmly = assess_connection({**MISREAD, "unsure": []}, samples=0, model=model)
    assert "api" in given_firmly.knocked_out


def test_unsure_coordination_input_is_accepted_and_varied(model, examples):
    """`unsure: [sub.<key>]` is accepted; robustness reports how often each style wins."""
    a = assess_connection(examples["customer-onboarding"], samples=0, model=model)
    data = a.connection.to_dict() | {"unsure": ["sub.branching", "sub.step_dependency"]}
    b = assess_connection(data, samples=300, model=model)
    assert b.robustness is not None and b.robustness.coordination is not None
    assert set(b.robustness.coordination) == {"orchestration", "choreography", "tie"}
    assert abs(sum(b.robustness.coordination.values()) - 1) < 1e-9


def test_open_coordination_inputs_are_asked_when_they_matter(model):
    """A two-step flow with a balanced coordination score asks for the sub inputs."""
    data = {"characteristics": {"coordinated_steps": 3, "visibility": "logs", "consistency": "eventual"}}
    a = assess_connection(data, samples=0, model=model)
    keys = [item["key"] for item in a.ask_next]
    assert any(k.startswith("sub.") for k in keys)
    sub_item = next(item for item in a.ask_next if item["key"].startswith("sub."))
    assert all("coordination" in c or "recommended" in c for c in sub_item["changes"])


def test_coordination_tie_names_no_style(model):
    """Signals that cancel out: coordination None, detail.tie, and a sentence saying either fits."""
    data = {"characteristics": {"coordinated_steps": 3, "visibility": "logs", "consistency": "eventual"}}
    a = assess_connection(data, samples=0, model=model)
    assert a.coordination_detail is not None and a.coordination_detail["score"] == 0
    assert a.coordination is None and a.coordination_detail["tie"] is True
    assert a.coordination_detail["tie_text"].startswith("Either style fits")
    assert a.to_dict()["coordination"] is None


def test_empty_connection_is_open_and_asks(model):
    """No answers: a tie of all four, open (not conflict), broken by order only, with questions to ask."""
    a = assess_connection({"name": "blank"}, samples=0, model=model)
    assert a.state == "open" and a.tie is not None and a.tie["broken_by"] == "order"
    assert a.ask_next and headline(a, model).startswith("Open")


def test_settled_example_headline(model, examples):
    """A complete example is settled and says so."""
    a = assess_connection(examples["order-created-fanout"], samples=0, model=model)
    assert a.state == "settled" and a.ask_next == []
    assert headline(a, model) == "Events (topic) — settled: no combination of the remaining answers can change this"


def test_weight_hinge_out_of_reach_reads_as_such(model, examples):
    """A weight hinge beyond the slider range is not offered as a number."""
    a = assess_connection(examples["order-created-fanout"], samples=200, model=model)
    weight = a.hinges["weight"]
    lines = hinge_lines(a, model)
    low, high = model.policy.weight_range
    if weight is None or not weight["within_range"]:
        assert f"No single weight within {low:g}–{high:g} changes the winner" in lines
    else:
        assert low <= weight["to"] <= high


def test_answer_hinges_are_sentences(model):
    """'If the initiator expects no reply, Events would win' — from catalog phrases, no raw keys."""
    a = assess_connection(MISREAD, samples=200, model=model)
    lines = hinge_lines(a, model)
    assert lines and all(line.startswith(("If ", "No single weight")) for line in lines)
    assert not any("result_now" in line or "→" in line for line in lines)


@pytest.mark.parametrize("key", ["default_samples", "weight_range", "tie_epsilon", "mismatch_gap"])
def test_policy_is_data(model, key):
    """Model policy comes from data/policy.yaml."""
    assert getattr(model.policy, key) is not None
    assert model.policy.weight_range == (0.0, 10.0) and model.policy.default_samples == 2000


def _partial_examples() -> list[tuple[str, dict[str, Any]]]:
    from patternfit.model.connection import load_connection

    from tests.conftest import EXAMPLES

    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = load_connection(path, MODEL).to_dict()
        chars = data["characteristics"]
        keys = list(chars)
        out.append((f"{path.stem}-full", data))
        out.append((f"{path.stem}-odd", {**data, "characteristics": {k: chars[k] for k in keys[::2]}}))
        out.append((f"{path.stem}-first4", {**data, "characteristics": {k: chars[k] for k in keys[:4]}}))
        out.append((f"{path.stem}-unsure", {**data, "unsure": keys[:3]}))
    return out


@pytest.mark.parametrize(("name", "data"), _partial_examples(), ids=[n for n, _ in _partial_examples()])
def test_state_agrees_with_brute_force(name, data):
    """Outside conflict and ties: a single change (brute force) that changes the winner, or a pair
    completing a knock-out, makes the state open (settled asks more: no combination at all, see
    test_exact_state.py); every key whose single change changes the winner is asked, and each
    pair ask_next names does change it (brute force)."""
    a = assess_connection(data, samples=0, model=MODEL)
    changing = {
        key
        for key, value in _single_changes(a, data)
        if _changes_winner(assess_connection(_with(data, key, value), samples=0, model=MODEL), a)
    }
    if a.state == "conflict" or a.tie is not None:
        return
    pairs = [(item["key"], c) for item in a.ask_next for c in item["changes"] if "with" in c]
    for key, change in pairs:
        assert _changes_winner(assess_connection(_apply(data, key, change), samples=0, model=MODEL), a), (key, change)
    if changing or pairs:
        assert a.state == "open", (a.state, sorted(changing))
    asked = {item["key"] for item in a.ask_next if any("recommended" in c and "with" not in c for c in item["changes"])}
    assert asked == changing


def test_conflict_names_what_resolving_it_would_give(model):
    """In conflict the hinges include resolutions: one answer the contradiction rests on,
    changed, ends it; the best first, each really giving that pattern (brute force)."""
    a = assess_connection(MISREAD, samples=0, model=model)
    options = a.hinges["resolutions"]
    assert options and options[0]["key"] == "temporal_decoupling" and options[0]["remaining"] == []
    assert options[0]["winner"] == "api" and options[0]["fit"] > 0
    for option in options:
        b = assess_connection(_with(MISREAD, option["key"], option["to"]), samples=0, model=model)
        assert (b.recommended == option["winner"] and b.state != "conflict") or option["remaining"]
    text = render_text(a, model)
    assert "If the sender may rely on the receiver being available: Synchronous API, +" in text


# patternfit.engine.state on its own: `decide`, `order` and the per-model tables.


def _decide(data: dict[str, Any], *, tied: bool | None = None) -> tuple[engine_state.Decision, Assessment]:
    """`decide` called with what `assess` hands it: the encoded connection, weights and headline."""
    a = assess_connection(data, samples=0, model=MODEL, decide=False)
    connection = parse_connection(data, MODEL)
    _, frame = kernel.encode([connection], MODEL)
    winner = MODEL.pattern_keys.index(a.recommended) if a.recommended else -1
    style = STYLES.index(a.coordination) if a.coordination else -1
    flavour = FLAVOURS.index(a.messaging_flavour) if a.messaging_flavour else -1
    tie = a.tie is not None if tied is None else tied
    return engine_state.decide(connection, frame, MODEL.weights, MODEL, winner, style, flavour, tie), a


def _headline(a: Assessment) -> tuple[Any, ...]:
    return a.recommended, a.tie is not None, a.messaging_flavour, a.coordination


def test_decide_finds_flips_that_are_minimal_and_do_what_they_say():
    """The newcomer's four answers are open; each flip, made by `assess` one connection at a time,
    gives the outcome it names, and dropping any one of its answers no longer changes the headline."""
    decision, now = _decide(NEWCOMER)
    assert decision.open and 0 < len(decision.flips) <= engine_state.MAX_FLIPS
    assert not decision.excepted
    for flip in decision.flips:
        after = assess_connection(with_answers(NEWCOMER, flip["answers"]), samples=0, model=MODEL, decide=False)
        assert _headline(after) == (flip["recommended"], flip["tie"], flip["messaging_flavour"], flip["coordination"])
        assert _headline(after) != _headline(now)
        for dropped in flip["answers"] if len(flip["answers"]) > 1 else ():
            rest = {k: v for k, v in flip["answers"].items() if k != dropped}
            fewer = assess_connection(with_answers(NEWCOMER, rest), samples=0, model=MODEL, decide=False)
            assert _headline(fewer) == _headline(now), (flip["answers"], dropped)
    assert [len(f["answers"]) for f in decision.flips] == sorted(len(f["answers"]) for f in decision.flips)
    # the shrink speaks only of open questions
    assert decision.shrink and not set(decision.shrink) & set(NEWCOMER["characteristics"])


def test_decide_with_nothing_open_is_open_only_on_a_tie():
    """Every question and coordination input answered: no completion is left, so the state is
    the tie's alone, with no flips and nothing to ask."""
    answers = {q.key: _values(q.key)[0] for q in MODEL.characteristics}
    subs = {q.key: _values(f"sub.{q.key}")[0] for q in MODEL.sub_inputs}
    data = {"name": "All answered", "characteristics": answers, "sub": subs}
    for tied in (False, True):
        decision, _ = _decide(data, tied=tied)
        assert (decision.open, decision.flips, decision.shrink) == (tied, [], {})


def test_decide_without_a_winner_is_open_and_finds_nothing():
    connection = parse_connection(NEWCOMER, MODEL)
    _, frame = kernel.encode([connection], MODEL)
    decision = engine_state.decide(connection, frame, MODEL.weights, MODEL, -1, -1, -1, False)
    assert decision == engine_state.Decision(True, [], {}, False)


def test_order_ranks_by_shrink_then_model_order_and_keeps_coordination_inputs_last():
    first, second, third = MODEL.keys[0], MODEL.keys[1], MODEL.keys[2]
    sub = f"sub.{MODEL.sub_inputs[0].key}"
    entries = [
        {"key": second, "value_of_information": 0.1, "unsure": False, "changes": [{"value": "x"}]},
        {"key": sub, "value_of_information": 0.2, "unsure": False, "changes": [{"value": "y"}]},
    ]
    decision = engine_state.Decision(True, [], {third: 0.5, second: 0.5, first: 0.9, MODEL.keys[3]: 0.0}, False)
    connection = parse_connection({"name": "x", "unsure": [second], "characteristics": {second: _values(second)[0]}},
                                  MODEL)  # fmt: skip
    out = engine_state.order(entries, decision, connection, MODEL)
    assert [e["key"] for e in out] == [first, second, third, sub]  # no shrink: not asked
    assert out[1]["unsure"] and out[1]["changes"] == [{"value": "x"}] and out[0]["changes"] == []
    assert out[0]["value_of_information"] == 0.9


def test_the_tables_are_made_once_per_model_and_try_both_sides_of_a_rules_number():
    made = engine_state.tables(MODEL)
    assert engine_state.tables(MODEL) is made
    assert set(made.options) == set(MODEL.keys) | {f"sub.{q.key}" for q in MODEL.sub_inputs}
    levels, numbers = made.options["coordinated_steps"]
    assert 3 in numbers and 2 in numbers  # KO-8 reads "3 or more": both sides of its edge are tried
    assert len(levels) == len(numbers)
