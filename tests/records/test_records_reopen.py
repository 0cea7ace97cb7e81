"""Reopening records: round trip for every example and format, stored weights, notices, bad records."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from patternfit import assess
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.records import (
    RecordMeta,
    build_record,
    load_record,
    reassessment_notice,
    reopen_options,
    save_record,
)


def _meta(**kw: object) -> RecordMeta:
    base: dict[str, object] = {
        "date": "2026-11-26", "decision_makers": ("Ana", "Smith, Bo"), "consulted": ("Ops",), "informed": ("All",),
    }  # fmt: skip
    return RecordMeta(**(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["madr", "log4brains", "json"])
def test_round_trip_gives_back_the_same_inputs_and_recommendation(
    model: Model, examples: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    """assess → record → save → reopen → re-assess gives the same inputs, metadata and recommendation."""
    for name, path in examples.items():
        first = assess(path, samples=100, model=model)
        saved = save_record(build_record(first, _meta(status="accepted"), model), tmp_path / fmt, fmt)
        loaded = load_record(saved, model)
        assert loaded.connection == first.connection, name
        assert loaded.recommended == loaded.chosen == first.recommended, name
        assert loaded.meta.decision_makers == ("Ana", "Smith, Bo") and loaded.meta.status == "accepted"
        assert loaded.meta.date == "2026-11-26" and loaded.model_version == model.version
        assert loaded.fmt == fmt and loaded.number is not None
        weights, profile = reopen_options(loaded)
        again = assess(loaded.connection, weights=weights, profile=profile, samples=0, model=model)
        assert again.recommended == first.recommended and again.scores == assess(path, samples=0, model=model).scores
        assert reassessment_notice(loaded, again, model)["message"] == ""


def test_reopen_uses_the_stored_weights_unless_others_are_given(
    model: Model, examples: dict[str, Path], tmp_path: Path
) -> None:
    """Custom weights recorded with a decision come back on reopen; explicit weights win over them."""
    custom = {"temporal_decoupling": 35.0}
    first = assess(examples["customer-onboarding"], weights=custom, samples=0, model=model)
    assert first.recommended == "events"  # the weight hinge of this example (see its assessment)
    loaded = load_record(save_record(build_record(first, _meta(), model), tmp_path), model)
    weights, _ = reopen_options(loaded)
    assert assess(loaded.connection, weights=weights, samples=0, model=model).recommended == "events"
    weights, _ = reopen_options(loaded, weights={"temporal_decoupling": 2.0})
    assert assess(loaded.connection, weights=weights, samples=0, model=model).recommended == "workflow"


def test_notice_reports_a_changed_model_version_and_recommendation(
    model: Model, examples: dict[str, Path], tmp_path: Path
) -> None:
    """A record made with an older model and another recommendation gets a notice naming both changes."""
    first = assess(examples["order-created-fanout"], samples=0, model=model)
    path = save_record(build_record(first, _meta(), model), tmp_path)
    text = path.read_text(encoding="utf-8").replace(f"model_version: '{model.version}'", "model_version: '2025.01'")
    path.write_text(text.replace("recommended: events", "recommended: batch"), encoding="utf-8")
    loaded = load_record(path, model)
    notice = reassessment_notice(loaded, assess(loaded.connection, samples=0, model=model), model)
    assert notice["model_version_changed"] and notice["recommendation_changed"]
    assert notice["previous"] == {"model_version": "2025.01", "recommended": "batch", "chosen": "events"}
    assert notice["current"] == {"model_version": model.version, "recommended": "events"}
    assert "2025.01" in notice["message"] and "from Batch to Events" in notice["message"]


def test_hand_edits_to_visible_metadata_win(model: Model, examples: dict[str, Path], tmp_path: Path) -> None:
    """A status, date, title or people list edited by hand in the Markdown is what reopening returns."""
    first = assess(examples["checkout-price-lookup"], samples=0, model=model)
    path = save_record(build_record(first, _meta(), model), tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace('status: "proposed"', 'status: "accepted"').replace("date: 2026-11-26", "date: 2026-12-01")
    text = text.replace("decision-makers: Ana, Smith, Bo", "decision-makers: Ana, Chen")
    text = text.replace("# Checkout price lookup: use Synchronous API", "# Use the pricing API at checkout")
    path.write_text(text, encoding="utf-8")
    meta = load_record(path, model).meta
    assert (meta.status, meta.date, meta.decision_makers) == ("accepted", "2026-12-01", ("Ana", "Chen"))
    assert meta.title == "Use the pricing API at checkout"


def test_profile_is_stored_in_full_and_reapplied(model: Model, examples: dict[str, Path], tmp_path: Path) -> None:
    """A record made with an organisation profile keeps the whole profile and reopens with it."""
    profile = {
        "name": "Acme", "version": "1.0",
        "changes": [{"weight": "temporal_decoupling", "to": 35, "reason": "availability first"}],
    }  # fmt: skip
    first = assess(examples["customer-onboarding"], profile=profile, samples=0, model=model)
    record = build_record(first, _meta(), model, profile=profile)
    loaded = load_record(save_record(record, tmp_path), model)
    assert loaded.profile == profile
    weights, again_profile = reopen_options(loaded)
    assert (
        assess(loaded.connection, weights=weights, profile=again_profile, samples=0, model=model).recommended
        == first.recommended
    )


def test_assessment_carries_its_profile_to_the_record(model: Model, examples: dict[str, Path], tmp_path: Path) -> None:
    """`build_record(assess(c, profile=p), …)` keeps the whole profile without being given it again."""
    profile_file = tmp_path / "acme.yaml"
    profile_file.write_text(
        "name: Acme\nversion: '2.1'\nchanges:\n  - {weight: temporal_decoupling, to: 35, reason: availability first}\n",
        encoding="utf-8",
    )
    first = assess(examples["customer-onboarding"], profile=profile_file, samples=0, model=model)
    assert first.profile == {"name": "Acme", "version": "2.1", "author": "", "changes": 1}
    assert "profile_definition" not in first.to_dict()
    loaded = load_record(save_record(build_record(first, _meta(), model), tmp_path), model)
    assert loaded.profile == {
        "name": "Acme", "version": "2.1",
        "changes": [{"weight": "temporal_decoupling", "to": 35, "reason": "availability first"}],
    }  # fmt: skip
    weights, again = reopen_options(loaded)
    assert assess(loaded.connection, weights=weights, profile=again, samples=0, model=model).scores == first.scores


def test_a_bad_profile_file_is_named_in_the_message(model: Model, examples: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nversion: 1\nchanges:\n  - {weight: nope, to: 1, reason: r}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        assess(examples["customer-onboarding"], profile=bad, samples=0, model=model)
    assert str(bad) in err.value.message and "changes[0].weight" in err.value.message


BROKEN = {
    "unclosed front matter": ("---\nstatus: accepted\n# Title\n", "front matter is not closed"),
    "front matter not YAML": ('---\nstatus: "accepted\n---\n# T\n', "YAML syntax error"),
    "front matter a list": ("---\n- a\n- b\n---\n# T\n", "not a mapping"),
    "hand-written MADR": (
        '---\nstatus: "accepted"\ndate: 2026-01-02\n---\n# Use Kafka\n\n## Context and Problem Statement\n',
        "no patternfit block",
    ),
    "hand-written log4brains": ("# Use Kafka\n\n* Status: accepted\n\n## Context\n", "no patternfit block"),
    "binary": ("\x00\x01\x02", "binary"),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(BROKEN))
def test_broken_records_raise_input_error_naming_the_file(model: Model, tmp_path: Path, kind: str) -> None:
    """Broken front matter, hand-written ADRs and binary files give an InputError with the file and the problem."""
    text, expected = BROKEN[kind]
    path = tmp_path / "0001-broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_record(path, model)
    assert str(path) in info.value.where and expected in info.value.message


@pytest.mark.parametrize(
    ("version", "expected"),
    [("v3", "is not a model version"), ("2026", "is not a model version"), ("2999.01", "newer than"), (None, "is not")],
)
def test_unknown_model_versions_are_refused(
    model: Model, examples: dict[str, Path], tmp_path: Path, version: str | None, expected: str
) -> None:
    """A stored model version that is malformed, missing or newer than this model is refused clearly."""
    first = assess(examples["checkout-price-lookup"], samples=0, model=model)
    path = save_record(build_record(first, _meta(), model), tmp_path)
    replacement = "" if version is None else f"model_version: '{version}'"
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"model_version: '{model.version}'", replacement), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load_record(path, model)
    assert "model_version" in info.value.where and expected in info.value.what


def test_stored_inputs_are_validated_like_a_connection_file(
    model: Model, examples: dict[str, Path], tmp_path: Path
) -> None:
    """A stored answer that the model does not allow is reported with its place inside the block."""
    first = assess(examples["checkout-price-lookup"], samples=0, model=model)
    path = save_record(build_record(first, _meta(), model), tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("latency_budget: subsecond", "latency_budget: eventually"))
    with pytest.raises(InputError) as info:
        load_record(path, model)
    assert "patternfit: inputs: characteristics.latency_budget" in info.value.where


def test_loaded_record_is_frozen(model: Model, examples: dict[str, Path], tmp_path: Path) -> None:
    """LoadedRecord and RecordMeta are immutable values."""
    first = assess(examples["checkout-price-lookup"], samples=0, model=model)
    loaded = load_record(save_record(build_record(first, _meta(), model), tmp_path), model)
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.chosen = "batch"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.meta.status = "accepted"  # type: ignore[misc]
