"""The calibration page's state without any widget: the profile being built, its checks, its effect."""

from __future__ import annotations

import pytest
from patternfit.apps.calibrate.state import CalibrateState, EffectRow, FitChange
from patternfit.errors import InputError


@pytest.fixture
def state(model):
    return CalibrateState(model, samples=100)


def test_the_state_computes_the_effect_and_notifies_its_observers(state):
    """A weight set in the state notifies `weights`, then `effect`, with one row per example."""
    seen = []
    state.observe(lambda change: seen.append(change["name"]), ["effect", "weights"])
    state.set_weight("coordinated_steps", 6, "our flows are long")
    assert seen == ["weights", "effect"]
    assert len(state.effect) == 5 and all(isinstance(r, EffectRow) for r in state.effect)
    assert state.missing_reasons() == [] and state.inventory_effect is None


def test_a_reason_alone_does_not_recompute_the_effect(state):
    """Typing a reason changes what is exported, not the recommendations: the effect is not recomputed."""
    state.set_weight("ordering", 3)
    assert state.missing_reasons() == [f"weight of {state.model.question('ordering').label} → 3"]
    effect = state.effect
    state.set_reason("ordering", "ordering bugs hurt us")
    assert state.effect is effect and state.missing_reasons() == []


def test_an_unknown_weight_is_refused_by_name(state):
    """A weight for a question the model does not have names the key and what to use instead."""
    with pytest.raises(InputError, match="'nope' is not a question"):
        state.set_weight("nope", 2)


def test_a_second_change_of_the_same_fit_cell_replaces_the_first(state):
    """Two fit changes of one cell leave one (the later); weights come before fit changes in the profile."""
    assert state.add_fit("process_duration", "minutes", "workflow", 2, "first")
    assert state.add_fit("process_duration", "minutes", "workflow", 1, "second")
    assert state.fit_changes == (FitChange("process_duration", "minutes", "workflow", 1, "second"),)
    state.set_weight("ordering", 3, "ordering bugs hurt us")
    assert [("weight" in c, c["reason"]) for c in state.changes()] == [
        (True, "ordering bugs hurt us"),
        (False, "second"),
    ]


def test_a_loaded_profile_replaces_the_draft_whole(state):
    """Loading a profile resets weights and reasons it does not name and drops earlier fit changes."""
    state.set_weight("ordering", 3, "kept?")
    assert state.add_fit("process_duration", "minutes", "workflow", 2, "earlier")
    text = b"name: Acme\nversion: '3'\nchanges:\n  - {weight: visibility, to: 6, reason: audit}\n"
    assert state.load_profile_bytes(text, "acme.yaml")
    assert state.weights["ordering"] == state.model.default_weights()["ordering"] and state.reasons["ordering"] == ""
    assert state.fit_changes == () and state.weights["visibility"] == 6
    assert (state.name, state.version, state.author) == ("Acme", "3", "")
    assert state.profile_filename() == "acme-3.yaml"


def test_an_unreadable_connection_file_is_refused_and_nothing_added(state):
    """A connection file that is not YAML is refused into `error`, naming the file; the subjects stay."""
    before = dict(state.subjects)
    assert not state.load_subjects_bytes(b"name: [unclosed\n", "broken.yaml")
    assert state.error.startswith("broken.yaml") and state.subjects == before
