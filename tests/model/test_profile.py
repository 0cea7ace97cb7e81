"""Organisation profiles: change weights and fits within bounds, refuse the rest."""

from __future__ import annotations

import pytest
from patternfit import assess
from patternfit.errors import InputError
from patternfit.model.profile import apply_profile

CLOSE = {
    "characteristics": {
        "response_expectation": "ack_only", "consumer_count": 2, "coordinated_steps": 3, "visibility": "logs",
        "interaction_intent": "command", "process_duration": "minutes", "temporal_decoupling": True,
    }
}  # fmt: skip


def test_profile_changes_a_known_recommendation(model):
    """Weighting visibility and steps heavily turns a close events call into workflow."""
    before = assess(CLOSE, samples=0, model=model)
    profile = {
        "name": "Acme", "version": "1.0",
        "changes": [
            {"weight": "coordinated_steps", "to": 6, "reason": "our flows are long"},
            {"fit": "process_duration", "answer": "minutes", "pattern": "workflow", "to": 2,
             "reason": "engine is cheap here"},
        ],
    }  # fmt: skip
    after = assess(CLOSE, profile=profile, samples=0, model=model)
    assert before.recommended == "events"
    assert after.recommended == "workflow"
    assert after.profile == {"name": "Acme", "version": "1.0", "author": "", "changes": 2}
    assert after.to_dict()["profile"]["name"] == "Acme"


def test_profile_file(tmp_path, model):
    """A profile is read from YAML; the original model is untouched."""
    path = tmp_path / "acme.yaml"
    path.write_text("name: Acme\nversion: 2\nchanges:\n  - {weight: ordering, to: 3, reason: ordering bugs hurt us}\n")
    changed, info = apply_profile(path, model)
    assert changed.default_weights()["ordering"] == 3
    assert model.default_weights()["ordering"] == 1
    assert info["version"] == "2"


@pytest.mark.parametrize(
    ("profile", "what"),
    [
        ({"version": 1, "changes": []}, "name: is missing"),
        ({"name": "x", "version": 1, "chnges": []}, "did you mean 'changes'"),
        ({"name": "x", "version": 1, "changes": [{"weight": "ordering", "to": 2}]}, "needs a reason"),
        (
            {"name": "x", "version": 1, "changes": [{"weight": "ordring", "to": 2, "reason": "r"}]},
            "did you mean 'ordering'",
        ),
        ({"name": "x", "version": 1, "changes": [{"weight": "ordering", "to": -1, "reason": "r"}]}, "negative"),
        (
            {
                "name": "x",
                "version": 1,
                "changes": [{"fit": "ordering", "answer": "global", "pattern": "events", "to": 1, "reason": "r"}],
            },
            "within ±1",
        ),
        (
            {
                "name": "x",
                "version": 1,
                "changes": [{"fit": "ordering", "answer": "total", "pattern": "events", "to": 0, "reason": "r"}],
            },
            "answer",
        ),
        (
            {
                "name": "x",
                "version": 1,
                "changes": [{"fit": "ordering", "answer": "global", "pattern": "kafka", "to": 0, "reason": "r"}],
            },
            "unknown pattern",
        ),
        ({"name": "x", "version": 1, "changes": [{"colour": "red", "reason": "r"}]}, "neither a weight nor a fit"),
        (
            {"name": "x", "version": 1, "changes": [{"weight": "ordering", "to": 1, "by": 2, "reason": "r"}]},
            "changes[0].by",
        ),
    ],
)
def test_bad_profiles_are_refused(model, profile, what):
    """Out-of-range values and unknown keys are refused with a clear message."""
    with pytest.raises(InputError) as info:
        apply_profile(profile, model)
    assert what in info.value.message
