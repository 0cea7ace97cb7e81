"""The reading corpus (tests/corpus/reading/): situations written in prose, the answers a careful
participant gives from the prose reading the catalog's question text, and the pattern an expert
expects, with the reason from reference/decision-model.md in each file.

A case marked `unsure_case` holds a pivotal answer the participant was not sure of (or left
unanswered): its headline must be the expected pattern, or the assessment must say it is not
settled (state open or conflict) — never another pattern stated as settled. Every headline that
fits ≤ 0 must come with state conflict (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from patternfit.engine.assess import assess_connection
from patternfit.model.catalog import load_model
from patternfit.model.connection import parse_connection

READING = Path(__file__).resolve().parents[1] / "corpus" / "reading"
CASES = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(READING.glob("*.yaml"))}
SAMPLES = 300


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_corpus_covers_the_hard_readings():
    """At least 24 situations, every pattern expected somewhere, and the misreadings of issue 12 among them."""
    expected = [case["expected"]["pattern"] for case in CASES.values()]
    assert len(CASES) >= 24
    assert set(expected) == {"api", "events", "batch", "workflow"}
    assert sum(bool(case["expected"].get("unsure_case")) for case in CASES.values()) >= 3
    misread = CASES["price-lookup-fallback-misread"]["connection"]
    assert misread["characteristics"]["temporal_decoupling"] is True
    assert "temporal_decoupling" in misread["unsure"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_is_well_formed(model, name):
    """Each case has prose, the participant's reading, an expected pattern with its reason, and a valid connection."""
    case = CASES[name]
    assert set(case) == {"situation", "reading", "expected", "connection"}
    assert len(case["situation"].split()) >= 15
    assert case["expected"]["pattern"] in model.pattern_keys
    assert case["expected"]["why"].strip()
    parse_connection(case["connection"], model, where=name)


def _disagreement(name: str) -> list[pytest.MarkDecorator]:
    """A case where the engine disagrees with the expert is kept, and marked so (strict: it fails once fixed)."""
    reason = CASES[name]["expected"].get("engine_disagrees")
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.parametrize("name", [pytest.param(n, marks=_disagreement(n)) for n in sorted(CASES)])
def test_reading_gives_the_expected_pattern(model, name):
    """The answers lead to the expert's pattern (or, with a pivotal answer unsure, to an honest open/conflict)."""
    case = CASES[name]
    expected = case["expected"]
    assessment = assess_connection(case["connection"], samples=SAMPLES, seed=0, model=model)
    state, headline = assessment.state, assessment.recommended
    fit = assessment.scores.get(headline) if headline else None
    if fit is None or fit <= 0:
        assert state == "conflict", f"{name}: headline {headline} fits {fit} but state is {state}"
    if expected.get("unsure_case"):
        assert headline == expected["pattern"] or state in ("open", "conflict"), (
            f"{name}: {headline} stated as {state}; expected {expected['pattern']} or a state that is not settled"
        )
        return
    assert headline == expected["pattern"], f"{name}: {headline}, expected {expected['pattern']}: {expected['why']}"
    assert fit is not None and fit > 0
    assert state in expected.get("state", ["settled", "open"]), f"{name}: state {state}"
    if "coordination" in expected:
        assert assessment.coordination == expected["coordination"]
    if "flavour" in expected:
        assert assessment.messaging_flavour == expected["flavour"]


def test_wording_says_what_the_readings_rely_on(model):
    """The questions issue 12 found hard carry an example for every answer, and say what the misread answers are not."""
    hard = ("temporal_decoupling", "coordinated_steps", "interaction_intent", "consumer_count", "delivery_criticality")
    for key in hard:
        question = model.question(key)
        values = (False, True) if question.scale.type == "boolean" else question.scale.values
        assert set(question.examples or {}) == set(values), key
        assert question.not_meant, key
    fallback = model.question("temporal_decoupling")
    assert "fallback" in fallback.not_meant[True] and "cached" in fallback.help
    steps = model.question("coordinated_steps").help
    assert "lookups" in steps and "one step" in steps
    assert "twice" in model.question("delivery_criticality").help


def _follow_ask_next(case: dict, model) -> tuple[Any, int]:
    """Answer only what `ask_next` asks, as the case's answers say (skipping what they leave open).
    Returns the last assessment and the number of answers given (questions the case leaves open
    are asked too while the state is open, but give no answer)."""
    full = case["connection"]
    asked: set[str] = set()
    given = 0
    partial: dict[str, Any] = {"name": full["name"], "characteristics": {}, "sub": {}, "unsure": []}
    while True:
        assessment = assess_connection(partial, samples=SAMPLES, seed=0, model=model)
        if assessment.state == "settled":
            return assessment, given
        key = next((item["key"] for item in assessment.ask_next if item["key"] not in asked), None)
        if key is None:
            return assessment, given
        asked.add(key)
        section = "sub" if key.startswith("sub.") else "characteristics"
        value = full.get(section, {}).get(key.removeprefix("sub."))
        if value is not None:
            partial[section][key.removeprefix("sub.")] = value
            given += 1
            if key in full.get("unsure", []):
                partial["unsure"].append(key)


def _questionnaire_disagreement(name: str) -> list[pytest.MarkDecorator]:
    reason = CASES[name]["expected"].get("ask_next_disagrees")
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.parametrize("name", [pytest.param(n, marks=_questionnaire_disagreement(n)) for n in sorted(CASES)])
def test_following_ask_next_ends_on_the_same_pattern(model, name):
    """Answering only what ask_next asks stops on the pattern all the answers give, in fewer answers."""
    case = CASES[name]
    full = assess_connection(case["connection"], samples=SAMPLES, seed=0, model=model)
    stopped, answers = _follow_ask_next(case, model)
    assert stopped.recommended == full.recommended, f"{name}: stopped {stopped.state} on {stopped.recommended}"
    assert answers <= len(case["connection"]["characteristics"]) + len(case["connection"].get("sub", {}))
