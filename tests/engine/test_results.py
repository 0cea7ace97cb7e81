"""The typed parts of an Assessment (engine/results.py) carry exactly the keys its JSON emits."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import yaml
from patternfit import engine
from patternfit.engine import results
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.model.catalog import Model, load_model

from tests.conftest import ROOT
from tests.engine.questionnaire import corpus


def _variants(answers: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """A connection as given, with every other answer left out (open: flips, ask_next), and with
    its first three answers marked unsure (conditional knock-outs)."""
    chars = dict(answers.get("characteristics") or {})
    yield dict(answers)
    keys = list(chars)
    half = {k: chars[k] for k in keys[::2]}
    yield dict(answers) | {"characteristics": half, "unsure": [k for k in answers.get("unsure") or [] if k in half]}
    yield dict(answers) | {"unsure": keys[:3]}


@pytest.fixture(scope="module")
def assessments(model: Model) -> list[Assessment]:
    """The corpus and the examples, in their variants, with robustness samples (hinges, ties broken)."""
    found = [assess_connection(v, samples=200, model=model) for c in corpus().values() for v in _variants(c)]
    found.append(assess_connection({"characteristics": {}}, samples=0, model=model))  # undecided, nothing said
    return found


def _no_pattern_model(folder: Any, ids: Mapping[str, str] | None = None) -> Model:
    """A model where KO-4 also rules out the API (so every pattern can be knocked out), with the
    policy's conflict ids replaced by `ids` when given."""
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    rules = yaml.safe_load((data / "rules.yaml").read_text())
    rules["knockouts"][3]["excludes"] = ["api", "workflow"]  # KO-4, human step
    (data / "rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True))
    if ids is not None:
        policy = yaml.safe_load((data / "policy.yaml").read_text())
        policy["conflict_ids"] = dict(ids)
        (data / "policy.yaml").write_text(yaml.safe_dump(policy, allow_unicode=True))
    return load_model(data)


NONE_LEFT = {"response_expectation": "result_now", "counterpart_capability": "file_only", "human_step": True}


@pytest.fixture(scope="module")
def no_pattern(tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    """Every pattern knocked out: the `none` conflict."""
    model = _no_pattern_model(tmp_path_factory.mktemp("model"))
    return assess_connection({"characteristics": NONE_LEFT}, samples=100, model=model)


def _parts(a: Assessment) -> Iterator[tuple[type, Mapping[str, Any]]]:
    """Each typed part of the assessment's JSON, with the TypedDict that describes it."""
    data = json.loads(json.dumps(a.to_dict()))
    for reasons in data["knocked_out"].values():
        yield from ((results.Reason, r) for r in reasons)
    for reasons in data["conditional"].values():
        yield from ((results.Conditional, r) for r in reasons)
    yield from ((results.PitfallHit, p) for p in data["pitfalls"])
    yield from ((results.ChecklistItem, i) for i in data["checklist"])
    yield from ((results.CheckHit, c) for c in data["checks"])
    yield from ((results.Contradiction, c) for c in data["contradictions"])
    yield from ((results.ConflictItem, c) for c in data["conflict"])
    for item in data["ask_next"]:
        yield results.NextQuestion, item
        yield from ((results.AnswerChange, c) for c in item["changes"])
    yield from ((results.Flip, f) for f in data["flips"])
    for key, kind in (
        ("tie", results.Tie),
        ("undecided", results.UndecidedDetail),
        ("coordination_detail", results.CoordinationDetail),
        ("flavour_detail", results.FlavourDetail),
        ("profile", results.ProfileSummary),
    ):
        if data[key] is not None:
            yield kind, data[key]
    if data["coordination_detail"] is not None:
        yield from ((results.Signal, s) for s in data["coordination_detail"]["signals"])
    if data["flavour_detail"] is not None:
        yield from ((results.FlavourNote, n) for n in data["flavour_detail"]["notes"])
    yield results.Hinges, data["hinges"]
    if data["hinges"].get("weight"):
        yield results.WeightHinge, data["hinges"]["weight"]
    yield from ((results.AnswerHinge, h) for h in data["hinges"].get("answers", []))
    yield from ((results.Resolution, r) for r in data["hinges"].get("resolutions", []))


KINDS = (
    results.AnswerChange,
    results.AnswerHinge,
    results.CheckHit,
    results.ChecklistItem,
    results.Conditional,
    results.ConflictItem,
    results.Contradiction,
    results.CoordinationDetail,
    results.FlavourDetail,
    results.FlavourNote,
    results.Flip,
    results.Hinges,
    results.NextQuestion,
    results.PitfallHit,
    results.Reason,
    results.Resolution,
    results.Signal,
    results.Tie,
    results.UndecidedDetail,
    results.WeightHinge,
)


def test_every_part_has_exactly_its_typed_keys(assessments, no_pattern):
    """Each mapping of the JSON has every required key of its TypedDict and no key the TypedDict
    lacks; every TypedDict is met at least once and every optional key is seen (a renamed key
    in the engine, or in results.py alone, fails here)."""
    seen: dict[type, set[str]] = {kind: set() for kind in KINDS}
    for a in [*assessments, no_pattern]:
        for kind, part in _parts(a):
            keys = set(part)
            required, optional = set(kind.__required_keys__), set(kind.__optional_keys__)
            assert required <= keys, (kind.__name__, sorted(required - keys), part)
            assert keys <= required | optional, (kind.__name__, sorted(keys - required - optional), part)
            seen.setdefault(kind, set()).update(keys)
    missing = [kind.__name__ for kind in KINDS if not seen[kind]]
    assert not missing, f"never met: {missing}"
    unseen = {
        kind.__name__: sorted(set(kind.__optional_keys__) - seen[kind]) for kind in KINDS if kind is not results.Hinges
    }
    # keys the shipped corpus does not raise (a coordination tie note, a counter view) are allowed
    # here only when a crafted case elsewhere covers them (tests/engine/test_assess.py)
    allowed_unseen = {"note", "tie_text", "counter_view", "counter_view_sources", "hybrid", "with", "coordination"}
    assert all(set(keys) <= allowed_unseen for keys in unseen.values()), unseen


def test_the_three_states_and_every_conflict_kind_are_met(assessments, no_pattern):
    """The examples above reach settled, open and conflict, and conflicts of kind none and contradiction."""
    assert {a.state for a in assessments} == {"settled", "open", "conflict"}
    kinds = {c["kind"] for a in [*assessments, no_pattern] for c in a.conflict}
    assert {"none", "contradiction"} <= kinds


def test_model_ids_come_from_the_policy(tmp_path, no_pattern):
    """The id of the no-pattern conflict is the model's (policy.yaml `conflict_ids`): another model
    folder's ids show in the contradictions, the conflict and what resolving it would leave."""
    assert [c["id"] for c in no_pattern.conflict if c["kind"] == "none"] == ["C-ALL"]
    model = _no_pattern_model(tmp_path, {"no_pattern": "X-NONE", "unfit": "X-UNFIT"})
    a = assess_connection({"characteristics": NONE_LEFT}, samples=0, model=model)
    assert [c["id"] for c in a.conflict if c["kind"] == "none"] == ["X-NONE"]
    assert "X-NONE" in {c["id"] for c in a.contradictions} and "C-ALL" not in json.dumps(a.to_dict())
    left = {i for r in a.hinges.get("resolutions", []) for i in r["remaining"] + r["resolves"]}
    assert "X-NONE" in left and "C-ALL" not in left


def test_the_engine_package_shows_the_typed_parts():
    """`patternfit.engine` lists every part type in its __all__, each defined in (or re-exported by) results."""
    assert set(engine.__all__) == set(results.__all__)
    assert all(getattr(engine, name) is getattr(results, name) for name in engine.__all__)
