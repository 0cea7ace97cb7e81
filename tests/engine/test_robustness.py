"""SMAA-2 robustness: reproducible, normalised, widened by unsure answers; hinges are real."""

from __future__ import annotations

import math

import numpy as np
import pytest
from patternfit import assess
from patternfit.engine.robustness import sample_weights

CLOSE = {
    "name": "close call",
    "characteristics": {
        "response_expectation": "ack_only", "latency_budget": "minutes", "interaction_intent": "command",
        "consumer_count": 2, "coordinated_steps": 3, "process_duration": "minutes", "visibility": "logs",
        "consistency": "eventual", "temporal_decoupling": True,
    },
}  # fmt: skip


def test_rank_acceptabilities_are_distributions(model):
    """Each pattern's rank acceptabilities sum to 1, and so does each rank across patterns."""
    r = assess(CLOSE, samples=3000, model=model).robustness
    table = np.array(list(r.rank_acceptability.values()))
    assert np.allclose(table.sum(axis=1), 1)
    assert np.allclose(table.sum(axis=0), 1)


def test_same_seed_same_result_other_seed_differs(model):
    """The analysis is seeded: the same seed reproduces it exactly."""
    a = assess(CLOSE, samples=2000, seed=7, model=model).to_dict()["robustness"]
    b = assess(CLOSE, samples=2000, seed=7, model=model).to_dict()["robustness"]
    c = assess(CLOSE, samples=2000, seed=8, model=model).to_dict()["robustness"]
    assert a == b
    assert a["rank_acceptability"] != c["rank_acceptability"]


def test_close_call_is_uncertain_clear_call_is_not(model, examples):
    """A close call spreads first-rank acceptability; a clear one does not."""
    close = assess(CLOSE, samples=4000, model=model)
    clear = assess(examples["order-created-fanout"], samples=4000, model=model)
    assert max(close.acceptability.values()) < 0.95
    assert close.low_confidence
    assert clear.acceptability["events"] > 0.99
    assert not clear.low_confidence


def test_knocked_out_patterns_always_rank_last(model, examples):
    """A knocked-out pattern never ranks first in any sample."""
    a = assess(examples["checkout-price-lookup"], samples=2000, model=model)
    for pattern in a.knocked_out:
        assert a.acceptability[pattern] == 0
        assert a.robustness.central_weights[pattern] is None


def test_unsure_answers_widen_the_analysis(model):
    """Marking decisive answers unsure lowers the winner's acceptability (it can raise it
    when every neighbouring answer favours the winner, as for interaction_intent here)."""
    sure = assess(CLOSE, samples=4000, model=model)
    unsure = assess(
        {**CLOSE, "unsure": ["process_duration", "visibility", "coordinated_steps"]}, samples=4000, model=model
    )
    winner = sure.recommended
    assert unsure.acceptability[winner] < sure.acceptability[winner]
    assert unsure.robustness.unsure == ("process_duration", "visibility", "coordinated_steps")
    assert unsure.robustness.confidence[winner] is not None


def test_central_weights_favour_the_pattern(model):
    """A pattern's central weights make it win: scoring at them puts it first."""
    a = assess(CLOSE, samples=4000, model=model)
    for pattern, centre in a.robustness.central_weights.items():
        if centre is None or a.acceptability[pattern] < 0.05:
            continue
        at_centre = assess(
            CLOSE,
            weights={k: v for k, v in centre.items() if v > 0} | {k: 0 for k, v in centre.items() if v == 0},
            samples=0,
            model=model,
        )
        assert at_centre.scores[pattern] >= max(s for s in at_centre.scores.values() if s is not None) - 0.02


def test_weight_hinge_really_flips_the_winner(model):
    """Applying the reported smallest weight change changes the winner as stated."""
    a = assess(CLOSE, samples=500, model=model)
    hinge = a.hinges["weight"]
    assert hinge is not None
    flipped = assess(CLOSE, weights={hinge["key"]: hinge["to"]}, samples=0, model=model)
    assert flipped.recommended == hinge["winner"] != a.recommended
    nearer = hinge["from"] + 0.5 * (hinge["to"] - hinge["from"])
    assert assess(CLOSE, weights={hinge["key"]: nearer}, samples=0, model=model).recommended == a.recommended


def test_answer_hinges_really_flip_the_winner(model):
    """Each reported answer change, applied, changes the winner to the one reported."""
    a = assess(CLOSE, samples=500, model=model)
    assert a.hinges["answers"]
    distances = [h["distance"] for h in a.hinges["answers"]]
    assert distances == sorted(distances)
    for hinge in a.hinges["answers"]:
        chars = dict(CLOSE["characteristics"])
        value = hinge["to"]
        if hinge["key"] in ("consumer_count", "coordinated_steps"):
            value = {"1": 1, "2": 2, "3": 3, "3–5": 4, "4+": 5, "6+": 7}[value]
        chars[hinge["key"]] = value
        assert assess({"characteristics": chars}, samples=0, model=model).recommended == hinge["winner"]


def test_dirichlet_samples_keep_the_total_and_centre():
    """Weight samples sum to the user's total and average to the user's weights."""
    rng = np.random.default_rng(1)
    w = np.array([3.0, 2.0, 1.0, 0.0, 2.0])
    samples = sample_weights(w, np.array([True, True, True, True, False]), 20.0, 20000, rng)
    assert np.allclose(samples.sum(axis=1), 6.0)
    assert np.allclose(samples.mean(axis=0), [3.0, 2.0, 1.0, 0.0, 0.0], atol=0.05)
    assert (samples[:, 3] == 0).all() and (samples[:, 4] == 0).all()


@pytest.mark.parametrize("samples", [1, 17, 2000])
def test_any_sample_count_works(model, samples):
    """Small and odd sample counts give valid acceptabilities."""
    a = assess(CLOSE, samples=samples, model=model)
    assert math.isclose(sum(a.acceptability.values()), 1.0)


def test_remembered_gamma_draws_change_nothing(examples) -> None:
    """The dashboard re-assesses with the same weights on every answer; the weight draws are then
    taken from a cache (robustness._standard_gammas). The results must be bit for bit those of
    drawing afresh, with and without unsure answers (which draw from the generator first)."""
    import yaml
    from patternfit.engine import robustness

    for path in examples.values():
        connection = yaml.safe_load(path.read_text(encoding="utf-8"))
        answered = list(connection.get("characteristics") or {})[:2]
        for unsure in ([], answered):
            robustness._GAMMAS.clear()
            fresh = assess({**connection, "unsure": unsure}, samples=2000).robustness
            again = assess({**connection, "unsure": unsure}, samples=2000).robustness  # from the cache
            assert fresh is not None and again is not None
            assert fresh.to_dict() == again.to_dict(), (path.stem, unsure)
    alpha = np.array([0.2, 1.5, 0.05])
    plain, cached = np.random.default_rng(7), np.random.default_rng(7)
    robustness._standard_gammas(alpha, 500, np.random.default_rng(7))  # fill the cache
    expected = plain.standard_gamma(alpha, size=(500, 3))
    got = robustness._standard_gammas(alpha, 500, cached)
    assert np.array_equal(expected, got) and plain.random() == cached.random()  # state moved on alike
