"""`assess_room`: spread, disputes that change the recommendation, shares, flips, the combined answers."""

from __future__ import annotations

from typing import Any

import patternfit
import pytest
import yaml
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.room.analysis import assess_room

from tests.conftest import EXAMPLES

SHIPMENT = yaml.safe_load((EXAMPLES / "shipment-reaction-chain.yaml").read_text())["characteristics"]


def room_of_shipment() -> list[dict[str, Any]]:
    """Three developers answer as the shipment example; two ops people say the counterpart only takes
    files and ask for end-to-end visibility, and are not sure of the latency."""
    devs = [{"participant": f"developer{i}", "answers": dict(SHIPMENT), "role": "development"} for i in range(3)]
    ops = [
        {"participant": f"operations{i}", "role": "ops", "unsure": ["latency_budget"],
         "answers": {**SHIPMENT, "counterpart_capability": "file_only", "visibility": "end_to_end"}}
        for i in range(2)
    ]  # fmt: skip
    return devs + ops


def test_the_spread_counts_each_value_and_unsure_apart(model: Model) -> None:
    """Spread: key → value → count, most frequent first; unsure marks counted apart."""
    room = assess_room(room_of_shipment(), model=model)
    assert room.participants == 5
    assert room.spread["counterpart_capability"] == {"messaging": 3, "file_only": 2}
    assert list(room.spread["visibility"].items()) == [("logs", 3), ("end_to_end", 2)]
    assert room.spread["consumer_count"] == {"3": 5}
    assert room.unsure == {"latency_budget": 2}


def test_only_a_disagreement_that_changes_the_recommendation_is_a_dispute(model: Model) -> None:
    """Counterpart capability decides Events against Batch; visibility, also disputed, changes nothing."""
    room = assess_room(room_of_shipment(), model=model)
    assert room.recommended == "events"
    assert [d.key for d in room.disputes] == ["counterpart_capability"]
    (dispute,) = room.disputes
    assert dict(dispute.outcomes) == {"messaging": "events", "file_only": "batch"}
    assert dispute.value_of_information == pytest.approx(0.4)
    assert [dict(f) for f in dispute.flips] == [
        {"role": "ops", "value": "file_only", "recommended": "batch", "state": "open"}
    ]


def test_shares_are_what_each_participants_own_answers_give(model: Model) -> None:
    """Each participant's own answers are assessed by the engine; shares sum to the answered room."""
    sets = room_of_shipment()
    room = assess_room(sets, model=model)
    own = [patternfit.assess({"characteristics": s["answers"]}, samples=0, model=model).recommended for s in sets]
    assert room.shares == {p: own.count(p) / 5 for p in set(own)}
    assert room.shares["events"] == pytest.approx(0.6)


def test_the_combined_answers_take_the_majority_marked_unsure(model: Model) -> None:
    """A disputed key goes in by its majority, marked unsure; agreed keys as agreed."""
    room = assess_room(room_of_shipment(), model=model)
    assert room.combined.characteristics["counterpart_capability"] == "messaging"
    assert "counterpart_capability" in room.combined.unsure and "visibility" in room.combined.unsure
    assert room.combined.characteristics["consumer_count"] == 3
    assert "consumer_count" not in room.combined.unsure
    assert room.state == patternfit.assess(room.combined, samples=0, model=model).state


def test_a_settled_dispute_takes_the_agreed_value_and_leaves_the_list(model: Model) -> None:
    """Settled on files only: the room's recommendation follows it, the dispute is gone, and the next
    one comes up — with files only, visibility now decides between Batch and Workflow."""
    settled = {"counterpart_capability": {"value": "file_only", "unsure": False}}
    room = assess_room(room_of_shipment(), settled=settled, model=model)
    assert [d.key for d in room.disputes] == ["visibility"]
    assert dict(room.disputes[0].outcomes) == {"logs": "batch", "end_to_end": "workflow"}
    assert room.combined.characteristics["counterpart_capability"] == "file_only"
    assert "counterpart_capability" not in room.combined.unsure
    assert room.recommended == "batch"


def test_settled_as_not_sure_keeps_the_majority_marked_unsure(model: Model) -> None:
    """Settled "not sure": the majority stays, marked unsure, and the dispute leaves the list."""
    settled = {"counterpart_capability": {"value": None, "unsure": True}}
    room = assess_room(room_of_shipment(), settled=settled, model=model)
    assert room.disputes == ()
    assert room.combined.characteristics["counterpart_capability"] == "messaging"
    assert "counterpart_capability" in room.combined.unsure


def test_a_room_in_agreement_is_the_assessment_of_its_answers(model: Model) -> None:
    """Everyone answering alike: no dispute, one pattern for the whole room, the engine's state."""
    sets = [{"participant": f"person{i:04d}", "answers": dict(SHIPMENT)} for i in range(4)]
    room = assess_room(sets, model=model)
    alone = patternfit.assess({"characteristics": SHIPMENT}, samples=0, model=model)
    assert room.disputes == () and room.shares == {alone.recommended: 1.0}
    assert (room.recommended, room.state) == (alone.recommended, alone.state)


def test_an_empty_room_and_the_json_shape(model: Model) -> None:
    """No answers: nobody, nothing disputed; the JSON has every key the contract names."""
    data = patternfit.assess_room([], model=model).to_dict()
    assert data["participants"] == 0 and data["spread"] == {} and data["disputes"] == [] and data["shares"] == {}
    for key in ("participants", "spread", "disputes", "shares", "recommended", "state", "revealed"):
        assert key in data


def test_integer_answers_agree_by_bucket(model: Model) -> None:
    """4 and 5 receivers are both '3–5': no disagreement there."""
    sets = [{"participant": f"person{i:04d}", "answers": {"consumer_count": n}} for i, n in enumerate((4, 5, 3))]
    room = assess_room(sets, model=model)
    assert room.spread["consumer_count"] == {"3": 3}


def test_a_bad_answer_set_names_the_key(model: Model) -> None:
    """A mapping with a value the catalog does not allow raises InputError naming the key."""
    with pytest.raises(InputError, match=r"^latency_budget: .*allowed"):
        assess_room([{"participant": "person0001", "answers": {"latency_budget": "soon"}}], model=model)


def test_a_split_with_no_majority_is_left_out_until_settled(model: Model) -> None:
    """One says messaging, one says files only: the combined answers leave the key out, and say so."""
    sets = [
        {"participant": "person0001", "answers": {**SHIPMENT, "counterpart_capability": "messaging"}},
        {"participant": "person0002", "answers": {**SHIPMENT, "counterpart_capability": "file_only"}},
    ]
    room = assess_room(sets, model=model)
    assert room.split == ("counterpart_capability",)
    assert "counterpart_capability" not in room.combined.characteristics
    assert [d.key for d in room.disputes] == ["counterpart_capability"]
    settled = assess_room(sets, settled={"counterpart_capability": {"value": "file_only"}}, model=model)
    assert settled.split == () and settled.combined.characteristics["counterpart_capability"] == "file_only"


def test_a_pair_of_noisy_readers_does_at_least_as_well_as_either_alone(model: Model) -> None:
    """Over the reading corpus, two readers who each misread or skip some answers (seeded noise) reach
    the expected pattern together at least as often as either of them alone."""
    import random

    from tests.conftest import ROOT

    rng = random.Random(7)
    cases = [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "tests" / "corpus" / "reading").glob("*.yaml"))]
    assert len(cases) >= 30

    def noisy(answers: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in answers.items():
            roll = rng.random()
            if roll < 0.15:
                continue  # skipped
            question = model.question(key)
            if roll < 0.4 and question.scale.type != "integer":
                out[key] = rng.choice([v for v in question.scale.values if v != value])  # misread
            else:
                out[key] = value
        return out

    alone = [0, 0]
    together = 0
    for case in cases:
        expected = case["expected"]["pattern"]
        pair = [noisy(case["connection"]["characteristics"]) for _ in range(2)]
        for i, answers in enumerate(pair):
            alone[i] += patternfit.assess({"characteristics": answers}, samples=0, model=model).recommended == expected
        sets = [{"participant": f"reader{i:04d}", "answers": a} for i, a in enumerate(pair)]
        together += assess_room(sets, model=model).recommended == expected
    assert together >= max(alone), (together, alone)
