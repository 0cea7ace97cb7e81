"""patternfit.engine.whatif on its own: unsure answers set apart, firm knock-outs, every single
change in one batch, ask_next and a conflict's resolutions.

Each batch result is checked against `assess_connection(..., decide=False)` run once per change:
the brute force scores one connection at a time, not the batch's rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from patternfit.engine import kernel, whatif
from patternfit.engine.assess import assess_connection
from patternfit.model.catalog import STYLES, load_model
from patternfit.model.connection import Connection, parse_connection

from tests.engine.questionnaire import NEWCOMER, apply, level_values

# two answers: single answers can change the winner (the newcomer's four need two together)
SPARSE = {"name": "Stock level", "characteristics": {"response_expectation": "none", "data_volume": "single"}}
# KO-4 (a human step rules the API out) rests on an answer marked unsure
UNSURE_HUMAN = {
    "name": "Approval",
    "characteristics": {"response_expectation": "result_now", "human_step": True, "process_duration": "seconds"},
    "unsure": ["human_step"],
}


@pytest.fixture(scope="module")
def model():
    return load_model()


def _parts(data: dict[str, Any], model) -> tuple[Connection, Any, Any, np.ndarray]:
    connection = parse_connection(data, model)
    codes, frame = kernel.encode([connection], model)
    return connection, codes, frame, model.weights


def test_unsure_split_gives_characteristic_columns_and_coordination_names(model):
    data = {**NEWCOMER, "unsure": ["consistency", "sub.branching"], "sub": {"branching": "linear"}}
    chars, subs = whatif.unsure_split(parse_connection(data, model), model)
    assert chars == [model.keys.index("consistency")] and subs == ["sub.branching"]


def test_a_knock_out_resting_on_an_unsure_answer_fires_but_is_not_firm(model):
    connection, codes, frame, _ = _parts(UNSURE_HUMAN, model)
    chars, subs = whatif.unsure_split(connection, model)
    fired, firm = whatif.firm_fired(codes, frame, model, chars, subs)
    ko4 = [k.id for k in model.knockouts].index("KO-4")
    assert fired[0, ko4] and not firm[0, ko4]
    ko1 = [k.id for k in model.knockouts].index("KO-1")  # result_now is given: KO-1 is firm
    assert fired[0, ko1] and firm[0, ko1]
    out = whatif.excluded(firm, model)
    assert {p for p, x in zip(model.pattern_keys, out[0], strict=True) if x} == {"batch", "events"}
    assert {p for p, x in zip(model.pattern_keys, whatif.excluded(fired, model)[0], strict=True) if x} == {
        "api", "batch", "events"
    }  # fmt: skip


def test_variants_are_every_other_level_of_each_open_or_unsure_answer(model):
    connection, codes, _, _ = _parts({**NEWCOMER, "unsure": ["consistency"]}, model)
    found = whatif.variants(connection, codes, model, subs=False)
    expected = 0
    for q in model.characteristics:
        if q.key in NEWCOMER["characteristics"] and q.key != "consistency":
            assert not any(v.key == q.key for v in found)
        else:
            expected += q.scale.levels - (1 if q.key == "consistency" else 0)
    assert len(found) == expected
    assert "eventual" not in {level_values(model, v.key)[v.level] for v in found if v.key == "consistency"}
    with_subs = whatif.variants(connection, codes, model, subs=True)
    assert {v.key for v in with_subs} - {v.key for v in found} == {f"sub.{q.key}" for q in model.sub_inputs}


def test_pair_variants_read_the_pairs_a_knock_out_of_the_winner_reads_together(model):
    """KO-8 reads coordinated_steps and consistency: with both open and the API winning, every
    combination of their values is one pair; with neither knock-out of the winner open, none."""
    data = {"name": "x", "characteristics": {"response_expectation": "result_now", "counterpart_capability": "api"}}
    connection, codes, _, _ = _parts(data, model)
    pairs = whatif.pair_variants(connection, codes, model, model.pattern_keys.index("api"))
    steps, consistency = model.question("coordinated_steps").scale, model.question("consistency").scale
    ko8 = [v for v in pairs if {v.key, v.with_key} == {"coordinated_steps", "consistency"}]
    assert len(ko8) == steps.levels * consistency.levels
    assert whatif.pair_variants(connection, codes, model, -1) == ()


def test_what_if_marks_a_change_exactly_where_assessing_that_answer_changes_the_winner(model):
    connection, codes, frame, w = _parts(SPARSE, model)
    now = assess_connection(SPARSE, samples=0, model=model, decide=False)
    winner = model.pattern_keys.index(now.recommended)
    result = whatif.what_if(connection, codes, frame, w, model, winner, -1, model.policy.tie_epsilon)
    checked = 0
    for r, variant in enumerate(result.variants):
        if variant.with_key is not None or variant.key.startswith("sub."):
            continue
        after = assess_connection(apply(SPARSE, {variant.key: level_values(model, variant.key)[variant.level]}),
                                  samples=0, model=model, decide=False)  # fmt: skip
        if after.conflict:
            continue  # contradictory answers are set aside by the batch
        changed = after.recommended != now.recommended or after.tie is not None
        assert bool(result.changed[r]) == changed, variant
        if changed and after.tie is None:
            assert model.pattern_keys[int(result.winner[r])] == after.recommended, variant
        checked += 1
    assert checked > 30 and result.changed.any() and not result.changed.all()
    assert ((result.lead >= 0) & (result.lead <= 1)).all()


def test_ask_next_lists_only_answers_that_change_something_and_says_what(model):
    connection, codes, frame, w = _parts(SPARSE, model)
    now = assess_connection(SPARSE, samples=0, model=model, decide=False)
    winner = model.pattern_keys.index(now.recommended)
    result = whatif.what_if(connection, codes, frame, w, model, winner, -1, model.policy.tie_epsilon)
    asked = whatif.ask_next(result, connection, model, -1, w)
    assert asked and all(e["key"] not in SPARSE["characteristics"] for e in asked)
    checked = 0
    for entry in asked:
        assert entry["changes"] and entry["value_of_information"] > 0
        for change in entry["changes"]:
            if "recommended" in change and "with" not in change and not entry["key"].startswith("sub."):
                after = assess_connection(apply(SPARSE, {entry["key"]: change["value"]}),
                                          samples=0, model=model, decide=False)  # fmt: skip
                assert after.recommended != now.recommended or after.tie is not None, (entry["key"], change)
                checked += 1
    assert checked >= 3
    # questions that change the winner alone come before those that change it only in a pair
    tiers = [0 if any("recommended" in c and "with" not in c for c in e["changes"]) else 1 for e in asked]
    assert tiers == sorted(tiers)


def test_a_coordination_input_that_only_names_another_style_says_which(model):
    data = {
        "name": "Order placed, four services react",
        "characteristics": {
            "coordinated_steps": 4, "consistency": "eventual", "response_expectation": "none",
            "counterpart_capability": "messaging",
        },
        "sub": {"step_dependency": "independent"},
    }  # fmt: skip
    a = assess_connection(data, samples=0, model=model, decide=False)
    connection, codes, frame, w = _parts(data, model)
    style = STYLES.index(a.coordination) if a.coordination else -1
    winner = model.pattern_keys.index(a.recommended)
    result = whatif.what_if(connection, codes, frame, w, model, winner, style, model.policy.tie_epsilon)
    subs = [(v, int(result.style[r])) for r, v in enumerate(result.variants) if v.key.startswith("sub.")]
    assert subs and {got for _, got in subs} - {style}, "some input names another style"
    for variant, got in subs:
        answers = dict(data["sub"]) | {variant.key[4:]: level_values(model, variant.key)[variant.level]}
        after = assess_connection({**data, "sub": answers}, samples=0, model=model, decide=False)
        assert got == (STYLES.index(after.coordination) if after.coordination else -1), variant


def test_resolutions_of_a_conflict_each_do_what_they_say(model):
    """Atomic consistency rules out events and batch (KO-6, flagged for redesign) and a file-only
    counterpart rules out the API and events: no pattern is left. Each resolution's answer, made,
    gives the winner and fit it names and leaves only the conflicts it lists."""
    data = {"name": "x", "characteristics": {"consistency": "atomic", "counterpart_capability": "file_only"}}
    a = assess_connection(data, samples=0, model=model)
    assert a.conflict
    connection, codes, frame, w = _parts(data, model)
    found = whatif.resolutions(connection, codes, frame, w, model, a.conflict)
    assert 0 < len(found) <= 4
    ids = {c["id"] for c in a.conflict}
    for option in found:
        assert option["from"] == data["characteristics"].get(option["key"])
        assert option["resolves"] and set(option["resolves"]) == ids - set(option["remaining"])
        after = assess_connection(apply(data, {option["key"]: option["to"]}), samples=0, model=model)
        assert after.recommended == option["winner"]
        assert {c["id"] for c in after.conflict} == set(option["remaining"])
    assert [len(o["remaining"]) for o in found] == sorted(len(o["remaining"]) for o in found)
