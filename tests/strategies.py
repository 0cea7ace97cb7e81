"""Hypothesis strategies for connections and weights, built from the model's own catalog."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from patternfit.model.catalog import Model, Question, load_model

MODEL = load_model()


def answer(question: Question) -> st.SearchStrategy[Any]:
    """Any allowed answer to one question."""
    scale = question.scale
    if scale.type == "boolean":
        return st.booleans()
    if scale.type == "integer":
        low = scale.minimum or 0
        return st.integers(min_value=low, max_value=low + 12)
    return st.sampled_from(scale.values)


def answers(questions: tuple[Question, ...], *, min_size: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """A partial questionnaire: any subset of the questions, each with an allowed answer."""
    return st.fixed_dictionaries({}, optional={q.key: answer(q) for q in questions}).filter(
        lambda d: len(d) >= min_size
    )


@st.composite
def connections(draw: st.DrawFn, model: Model = MODEL, *, with_extras: bool = True) -> dict[str, Any]:
    """A connection mapping as a user might write it, partial or complete."""
    characteristics = draw(answers(model.characteristics))
    data: dict[str, Any] = {"name": draw(st.text(max_size=40)), "characteristics": characteristics}
    if with_extras:
        if draw(st.booleans()):
            data["sub"] = draw(answers(model.sub_inputs))
        if draw(st.booleans()):
            data["stated"] = draw(
                answers(tuple(q for q in model.characteristics if q.key in ("latency_budget", "response_expectation")))
            )
        if draw(st.booleans()):
            proposed = draw(answers(model.design_facts))
            proposed["pattern"] = draw(
                st.sampled_from(["api", "events", "batch", "workflow", "shared_database", "other"])
            )
            data["proposed"] = proposed
        answered = sorted(characteristics) + [f"sub.{k}" for k in sorted(data.get("sub", {}))]
        if answered and draw(st.booleans()):
            data["unsure"] = draw(st.lists(st.sampled_from(answered), max_size=3, unique=True))
    return data


def weights(model: Model = MODEL) -> st.SearchStrategy[dict[str, float]]:
    """Valid weights: finite, ≥ 0, not all zero."""
    one = st.floats(min_value=0, max_value=10, allow_nan=False, allow_infinity=False)
    return st.fixed_dictionaries({k: one for k in model.keys}).filter(lambda w: sum(w.values()) > 0)
