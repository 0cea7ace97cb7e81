"""The exact decision state (issue 20): settled only when no combination of the open answers
changes the headline; flips while open; ask_next settles soon.

The brute force (tests/engine/questionnaire.py) completes the answers and calls
`assess_connection(..., decide=False)`, independent of patternfit.engine.state."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from patternfit.engine.assess import assess_connection
from patternfit.engine.explain import headline, render_text
from patternfit.model.catalog import load_model

from tests.engine.questionnaire import NEWCOMER, apply, corpus, follow, overturns

CORPUS = corpus()


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def followed(model):
    return {name: follow(full, model) for name, full in CORPUS.items()}


def test_the_newcomers_four_answers_are_open_with_batch_among_the_flips(model):
    """The address-change case of issue 20: four answers leave it open; the flips name Batch
    (latency hours or more and freshness low), and each flip does what it says (brute force)."""
    a = assess_connection(NEWCOMER, samples=0, model=model)
    assert a.state == "open" and a.recommended == "events"
    assert "batch" in {f["recommended"] for f in a.flips}
    assert len(a.flips) <= 5 and a.flips == sorted(a.flips, key=lambda f: len(f["answers"]))
    for flip in a.flips:
        b = assess_connection(apply(NEWCOMER, flip["answers"]), samples=0, model=model, decide=False)
        assert (b.recommended, b.messaging_flavour, b.tie is not None) == (
            flip["recommended"], flip["messaging_flavour"], flip["tie"]
        )  # fmt: skip
    text = headline(a, model)
    assert text.startswith("Open: Events (topic) for now; it would change: ") and "settled" not in text
    assert "cannot change" not in render_text(a, model) and "settled" not in render_text(a, model).lower()
    stream = next(f for f in a.flips if f["messaging_flavour"] == "stream")
    assert stream["answers"] == {"ordering": "per_key"}
    assert stream["text"] == "Events (stream) if order must hold for each entity"


# Every fourth file runs in make test-fast; make test runs them all (each takes a second or two).
SAMPLED = [n if i % 4 == 0 else pytest.param(n, marks=pytest.mark.slow) for i, n in enumerate(sorted(CORPUS))]


@pytest.mark.parametrize("name", SAMPLED)
def test_following_ask_next_never_settles_what_a_completion_overturns(model, followed, name):
    """From an empty connection, answering what ask_next asks with the file's answers: a settled
    state survives every single and paired change of the open answers, every completion when
    at most three are open, and 100 random completions (bench_engine runs 200) (contradictory ones excepted)."""
    done = followed[name]
    if done.assessment.state != "settled":
        assert done.assessment.state == "conflict" or done.assessment.flips or done.assessment.tie
        return
    assert done.assessment.flips == [] and done.assessment.ask_next == []
    assert overturns(done.assessment, model, done.given, randoms=100) == []


def test_following_ask_next_settles_in_at_most_nine_answers_median(followed):
    """DESIGN.md's figure: a median of ≤ 9 answers to settled (bench_engine prints it)."""
    counts = [f.answers for f in followed.values() if f.assessment.state == "settled"]
    assert len(counts) >= 0.8 * len(followed)
    assert statistics.median(counts) <= 9


def test_settled_is_exact_not_single_answer(model):
    """The first fully answered reading with an answer removed and a rival able to win only with
    two answers together: the state is open although no single answer changes the winner."""
    a = assess_connection(NEWCOMER, samples=0, model=model)
    singles = [f for f in a.flips if len(f["answers"]) == 1]
    pairs = [f for f in a.flips if len(f["answers"]) == 2 and f["recommended"] == "batch"]
    assert pairs and all(f["messaging_flavour"] == "stream" or f["recommended"] != "batch" for f in singles)


def test_flips_are_in_the_json_and_empty_when_settled(model):
    settled = assess_connection(CORPUS["examples/order-created-fanout"], samples=0, model=model)
    assert settled.state == "settled" and settled.to_dict()["flips"] == []
    opened = assess_connection(NEWCOMER, samples=0, model=model).to_dict()
    assert opened["state"] == "open" and opened["flips"]
    assert set(opened["flips"][0]) == {"answers", "recommended", "messaging_flavour", "coordination", "tie", "text"}


def test_an_unsure_answer_that_would_rule_out_the_winner_keeps_it_open(model):
    """An answer marked unsure that, if it holds, rules the winner out: open, and the flip says so."""
    data: dict[str, Any] = {
        "name": "x",
        "characteristics": dict(CORPUS["examples/checkout-price-lookup"]["characteristics"]),
        "unsure": ["temporal_decoupling"],
    }
    data["characteristics"]["temporal_decoupling"] = True
    a = assess_connection(data, samples=0, model=model)
    assert a.state in ("open", "conflict")
    if a.state == "open":
        assert any("temporal_decoupling" in f["answers"] for f in a.flips)


def test_coordination_inputs_wait_while_they_cannot_change_the_headline(model):
    """Issue 20: a Workflow/Events tie with several steps and no named style — the coordination
    inputs (which cannot break a pattern tie) come after every question that can."""
    data = {"name": "t", "characteristics": {"coordinated_steps": 3, "replay_needed": True, "data_volume": "single"}}
    a = assess_connection(data, samples=0, model=model)
    assert a.state == "open" and a.tie is not None and {"events", "workflow"} <= set(a.tie["patterns"])
    assert a.coordination is None
    keys = [e["key"] for e in a.ask_next]
    subs = [i for i, k in enumerate(keys) if k.startswith("sub.")]
    chars = [i for i, k in enumerate(keys) if not k.startswith("sub.")]
    assert "visibility" in keys and chars and (not subs or max(chars) < min(subs))
