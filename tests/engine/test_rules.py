"""patternfit.engine.rules: coordination, messaging flavour and pitfalls over a frame of rows at once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from patternfit.engine import rules
from patternfit.engine.assess import assess_connection
from patternfit.engine.kernel import encode
from patternfit.model.catalog import FLAVOURS, PATTERN_KEYS, STYLES
from patternfit.model.connection import parse_connection
from patternfit.model.scales import UNANSWERED

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def connections(model):
    """Every example as given, then each again with every pattern proposed (the pattern in use)."""
    found = []
    for path in EXAMPLES:
        data = yaml.safe_load(path.read_text())
        found.append(parse_connection(data, model))
        found += [parse_connection({**data, "proposed": p}, model) for p in ("api", "events", "batch", "workflow")]
    return found


def test_rows_at_once_agree_with_assess_one_at_a_time(connections, model):
    """Coordination style, flavour in play and pitfalls of each row equal what assess gives that connection."""
    _, frame = encode(connections, model)
    assessed = [assess_connection(c, samples=0, model=model) for c in connections]
    style, _, tie, _ = rules.coordination(frame, model)
    winner = np.array([PATTERN_KEYS.index(a.recommended) for a in assessed])
    rules.add_results(frame, model, winner, style)
    fired = rules.pitfalls(frame, model)
    for row, a in enumerate(assessed):
        expected_style = STYLES.index(a.coordination) if a.coordination else UNANSWERED
        assert style[row] == expected_style or tie[row], a.connection.name
        assert [model.pitfalls[j].id for j in np.flatnonzero(fired[row])] == [p["id"] for p in a.pitfalls]
    assert fired.any(), "no pitfall fired on any proposed pattern: the comparison above would prove nothing"


def test_the_flavour_is_set_only_where_events_are_in_play(connections, model):
    """The frame's flavour is the answers' flavour where the pattern in use is events, else unanswered."""
    _, frame = encode(connections, model)
    style, *_ = rules.coordination(frame, model)
    winner = np.zeros(frame.rows, np.intp)  # api recommended everywhere: only a proposed events row is in play
    kind = rules.add_results(frame, model, winner, style)
    in_play = frame.code("flavour")
    events = frame.code("proposed.pattern") == PATTERN_KEYS.index("events")
    assert (in_play[events] == kind[events]).all() and (in_play[~events] == UNANSWERED).all()
    assert set(kind[kind >= 0]) <= set(range(len(FLAVOURS)))


def test_fired_leaves_a_rule_without_a_condition_unfired(connections, model):
    """A rule object with no compiled `when` never fires; an empty rule list gives a rows × 0 mask."""
    _, frame = encode(connections[:2], model)
    assert rules.fired(frame, (object(),)).tolist() == [[False], [False]]
    assert rules.fired(frame, ()).shape == (2, 0)
