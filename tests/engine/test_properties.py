"""Hypothesis properties of the decision model over random partial questionnaires."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from patternfit import assess
from patternfit.model.connection import parse_connection

from tests.strategies import MODEL, connections, weights

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(connections())
def test_knocked_out_pattern_is_never_recommended(data):
    """Whatever the answers, the recommendation is never a knocked-out pattern."""
    a = assess(data, samples=0, model=MODEL)
    assert a.recommended is None or a.recommended not in a.knocked_out


@FAST
@given(connections(with_extras=False), weights(), st.floats(min_value=0.01, max_value=100))
def test_scaling_all_weights_keeps_the_ranking(data, w, factor):
    """Multiplying every weight by the same factor changes nothing in the ranking."""
    a = assess(data, weights=w, samples=0, model=MODEL)
    b = assess(data, weights={k: v * factor for k, v in w.items()}, samples=0, model=MODEL)
    assert a.recommended == b.recommended
    for p in a.scores:
        assert (a.scores[p] is None) == (b.scores[p] is None)
        if a.scores[p] is not None:
            assert math.isclose(a.scores[p], b.scores[p], abs_tol=2e-4)


@FAST
@given(connections(), weights())
def test_scores_are_finite_and_bounded(data, w):
    """Scores are finite and within [-1, 1]; knocked-out patterns have none."""
    a = assess(data, weights=w, samples=0, model=MODEL)
    for p, s in a.scores.items():
        if p in a.knocked_out:
            assert s is None
        else:
            assert s is not None and math.isfinite(s) and -1 <= s <= 1


@settings(max_examples=25, deadline=None)
@given(connections(), st.integers(min_value=0, max_value=2**32 - 1))
def test_acceptabilities_sum_to_one_and_repeat_with_the_seed(data, seed):
    """First-rank acceptabilities sum to 1, and the same seed gives the same numbers."""
    a = assess(data, samples=400, seed=seed, model=MODEL)
    b = assess(data, samples=400, seed=seed, model=MODEL)
    assert math.isclose(sum(a.acceptability.values()), 1.0)
    assert a.acceptability == b.acceptability


@FAST
@given(connections(with_extras=False), st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=30))
def test_more_consumers_never_lower_the_events_score(data, count, extra):
    """Adding independent consumers never lowers the events score."""
    fewer = {**data, "characteristics": {**data["characteristics"], "consumer_count": count}}
    more = {**data, "characteristics": {**data["characteristics"], "consumer_count": count + extra}}
    a = assess(fewer, samples=0, model=MODEL).scores["events"]
    b = assess(more, samples=0, model=MODEL).scores["events"]
    if a is not None and b is not None:
        assert b >= a - 1e-12


@FAST
@given(connections())
def test_parsed_connections_round_trip(data):
    """Whatever parses, serialises back to a mapping that parses to the same connection."""
    c = parse_connection(data, MODEL)
    assert parse_connection(c.to_dict(), MODEL) == c
