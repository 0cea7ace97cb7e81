"""Organisation profiles: change weights and fits within bounds, refuse the rest."""

from __future__ import annotations

import re

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


def test_load_profile_gives_the_typed_profile_once(tmp_path, model):
    """`load_profile` reads a file into a frozen `Profile` (header, changes with reasons, where it came
    from); a `Profile` passes through unchanged, and `to_dict` is the file as written (records store it)."""
    import dataclasses

    from patternfit.model.profile import Change, Profile, load_profile

    path = tmp_path / "acme.yaml"
    path.write_text(
        "name: Acme\nversion: 2\nauthor: CoE\nchanges:\n"
        "  - {weight: ordering, to: 3, reason: ordering bugs hurt us}\n"
        "  - {fit: ordering, answer: per_key, pattern: batch, to: 0, reason: our streams keep key order}\n"
    )
    profile = load_profile(path)
    assert isinstance(profile, Profile)
    assert (profile.name, profile.version, profile.author, profile.where) == ("Acme", "2", "CoE", str(path))
    assert profile.changes[0] == Change("weight", "ordering", 3, "ordering bugs hurt us", f"{path}: changes[0]")
    assert profile.changes[1].kind == "fit" and profile.changes[1].pattern == "batch"
    assert load_profile(profile) is profile
    assert profile.info() == {"name": "Acme", "version": "2", "author": "CoE", "changes": 2}
    written = profile.to_dict()
    assert written["version"] == 2 and written["changes"][0]["reason"] == "ordering bugs hurt us"
    written["changes"].clear()  # a copy: the profile itself cannot be changed through it
    assert len(profile.to_dict()["changes"]) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.name = "other"  # type: ignore[misc]
    changed, info = apply_profile(profile, model)
    assert changed.default_weights()["ordering"] == 3 and info == profile.info()


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        ({"name": "x", "version": 1, "changes": {"weight": "ordering"}}, "changes: must be a list"),
        ({"name": "x", "version": 1, "changes": ["ordering"]}, "changes[0]: must be a mapping"),
        ({"name": "x", "version": 1, "changes": [{"wieght": "ordering", "reason": "r"}]}, "neither a weight nor"),
        ({"name": "x", "version": 1, "changes": [{"weight": "ordering", "to": 1, "why": "r"}]}, "needs a reason"),
        ({"name": "x", "version": 1, "technologies": {"name": "Solace"}}, "technologies: must be a list"),
        ({"name": "x", "version": 1, "standards": ["RabbitMQ"]}, "standards: must map a pattern"),
    ],
)
def test_a_profile_of_the_wrong_shape_is_refused_where_it_enters(raw, what):
    """The shape (changes a list of mappings with reasons, technologies a list, standards a mapping) is
    checked by `load_profile` itself, before any model is involved; the message names the place."""
    from patternfit.model.profile import load_profile

    with pytest.raises(InputError, match=re.escape(what)) as caught:
        load_profile(raw, "acme.yaml")
    assert caught.value.message.startswith("acme.yaml: ")


def test_a_profile_read_once_gives_the_same_record_and_json_as_its_path(tmp_path, model, examples):
    """The typed `Profile` changes nothing users see: the record (its patternfit block included) and
    the JSON `profile` key are byte-identical whether the path, the mapping or the `Profile` is given."""
    import json

    import yaml
    from patternfit.model.profile import load_profile
    from patternfit.records import RecordMeta, build_record
    from patternfit.records.render import render_record

    path = tmp_path / "acme.yaml"
    path.write_text(
        "name: Acme\nversion: '2.1'\nauthor: CoE\nchanges:\n"
        "  - {weight: temporal_decoupling, to: 35, reason: availability first}\n"
        "technologies:\n  - {name: Solace PubSub+, pattern: events, flavour: topic, reason: our event mesh}\n"
        "standards: {events.topic: Solace PubSub+}\n",
        encoding="utf-8",
    )
    meta = RecordMeta(title="Onboarding", status="proposed", date="2026-12-07")
    outputs = set()
    for given in (path, yaml.safe_load(path.read_text()), load_profile(path)):
        a = assess(examples["customer-onboarding"], profile=given, samples=0, model=model)
        text = json.dumps(a.to_dict(), sort_keys=True) + render_record(build_record(a, meta, model, profile=given))
        outputs.add(text)
    assert len(outputs) == 1
    assert "Solace PubSub+" in outputs.pop()  # the standard reached the record ("Implement with …")
