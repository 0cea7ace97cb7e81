"""The decide page's widget-free state: setters check one value, observers of `assessment`
hear every recomputation, a name change does not re-assess, and the dashboard, the state and
the engine agree."""

from __future__ import annotations

from typing import Any

import pytest
from patternfit.apps.decide.app import DecisionApp
from patternfit.apps.decide.guidance import effects, guidance
from patternfit.apps.decide.state import DecisionState
from patternfit.engine.assess import assess_connection
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.model.connection import load_connection


@pytest.fixture
def state(model: Model) -> DecisionState:
    return DecisionState(model, samples=200)


def test_an_answer_recomputes_and_tells_observers(state: DecisionState) -> None:
    seen: list[Any] = []
    state.observe(lambda change: seen.append(change["new"]), "assessment")
    state.set_answer("response_expectation", "result_now")
    assert len(seen) == 1 and seen[0] is state.assessment
    assert state.assessment is not None and state.assessment.recommended == "api"
    state.set_answer("response_expectation", None)
    assert state.assessment is None and len(seen) == 2


def test_a_bad_value_is_refused_naming_the_question(state: DecisionState) -> None:
    with pytest.raises(InputError) as err:
        state.set_answer("response_expectation", "maybe")
    assert "response_expectation" in err.value.message
    assert state.answers == {}
    with pytest.raises(KeyError):
        state.set_answer("no_such_question", 1)


def test_names_do_not_re_assess(state: DecisionState, monkeypatch: pytest.MonkeyPatch) -> None:
    state.set_answer("response_expectation", "none")
    first = state.assessment
    calls: list[int] = []
    monkeypatch.setattr("patternfit.apps.decide.state.assess_connection", lambda *a, **k: calls.append(1))
    seen: list[Any] = []
    state.observe(lambda change: seen.append(change["new"]), "assessment")
    state.set_text(name="Order created")
    assert not calls and len(seen) == 1
    assert state.assessment is not None and state.assessment.connection.name == "Order created"
    assert first is not None and state.assessment.scores == first.scores


def test_unsure_follows_the_answer(state: DecisionState) -> None:
    state.set_answer("freshness_value", 4, unsure=True)
    assert state.unsure == ["freshness_value"]
    assert state.assessment is not None and "freshness_value" in state.assessment.connection.unsure
    state.set_answer("freshness_value", None)
    assert state.unsure == []


def test_coordination_inputs_count_only_for_several_steps(state: DecisionState) -> None:
    state.set_answer("step_dependency", "independent", unsure=True)
    assert state.unsure == ["sub.step_dependency"]
    assert not state.connection().sub  # one step: the coordination inputs do not apply
    state.set_answer("coordinated_steps", 3)
    c = state.connection()
    assert c.sub == {"step_dependency": "independent"}


def test_held_changes_recompute_once(state: DecisionState) -> None:
    seen: list[Any] = []
    state.observe(lambda change: seen.append(change["new"]), "assessment")
    with state.held():
        state.set_answer("response_expectation", "none")
        state.set_answer("latency_budget", "seconds")
    assert not seen
    state.recompute()
    assert len(seen) == 1


def test_the_state_equals_the_engine_on_every_example(model: Model, examples: dict[str, Any]) -> None:
    """Applying an example file gives exactly the engine's assessment of that file."""
    state = DecisionState(model, samples=300)
    for path in examples.values():
        c = load_connection(path, model)
        state.apply(c)
        expected = assess_connection(c, samples=300, model=model)
        assert state.assessment is not None
        assert state.assessment.to_dict() == expected.to_dict()


def test_other_dashboards_observe_the_state(model: Model) -> None:
    """The workshop/calibrate apps watch `app.state`, not the card's HTML."""
    app = DecisionApp(model)
    heard: list[str | None] = []
    app.state.observe(lambda change: heard.append(change["new"] and change["new"].recommended), "assessment")
    app.set_answer("response_expectation", "result_now")
    assert heard == ["workflow"]
    app.rows["response_expectation"].dropdown.index = 0  # the widget writes through the state
    assert "response_expectation" not in app.state.answers
    assert app.assessment is not None and heard[-1] == app.assessment.recommended == "events"


def test_guidance_follows_the_engine(model: Model) -> None:
    """The guided panel asks what the engine's ask_next says, and settles when it does."""
    state = DecisionState(model, samples=200)
    state.set_answer("response_expectation", "none")
    a = state.assessment
    assert a is not None
    g = guidance(a, model)
    assert g.state == a.state
    assert [x.key for x in g.ask_next] == [x["key"] for x in a.ask_next]
    if a.state == "settled":
        assert not g.ask_next
    asked = {x.question_key for x in g.ask_next}
    assert g.cannot_matter == {k for k in a.unanswered if k not in asked}


def test_the_effect_at_the_question_names_the_knock_out(model: Model) -> None:
    state = DecisionState(model, samples=200)
    state.set_answer("response_expectation", "result_now")
    a = state.assessment
    assert a is not None
    found = effects(a, model, guidance(a, model))
    assert found["response_expectation"].text == "rules out Events and Batch — KO-1"
    assert not found["response_expectation"].confirm


def test_an_unsure_knock_out_asks_to_be_confirmed(model: Model) -> None:
    state = DecisionState(model, samples=200)
    state.set_answer("response_expectation", "result_now", unsure=True)
    a = state.assessment
    assert a is not None
    effect = effects(a, model, guidance(a, model))["response_expectation"]
    assert effect.confirm and "confirm" in effect.text and "KO-1" in effect.text


def _text(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_conflict_card_leads_with_what_to_resolve(model: Model) -> None:
    """Fan-out + 'the result, to continue': conflict; the card says what to resolve and what each
    way out gives, claims no certainty, and no checklist is offered as the plan."""
    app = DecisionApp(model)
    app.set_answer("response_expectation", "result_now")
    assert app.assessment is not None and app.assessment.state == "conflict"
    card = _text(app.card.value)
    assert 'class="pf-state pf-state-conflict"' in app.card.value
    assert card.index("Resolve first") < card.index("Workflow orchestration")
    assert "What each way out gives" in card and "Events, +0.58" in card
    assert "not a plan" in card and "100%" not in card
    assert "pf-check" not in app.checklist.value or "<li>" not in app.checklist.value
    assert "No checklist while the answers conflict" in app.checklist.value


def test_a_tie_is_never_certain(model: Model) -> None:
    state_app = DecisionApp(model, example="__blank__")
    state_app.set_answer("response_expectation", "ack_only")
    a = state_app.assessment
    assert a is not None and a.tie is not None and a.state != "settled"
    card = _text(state_app.card.value)
    assert "Tie" in card and "100%" not in card
    assert "fit equally well" in card


def test_settled_says_so_in_the_guided_panel(model: Model) -> None:
    app = DecisionApp(model)  # the fan-out example is fully answered
    assert app.assessment is not None and app.assessment.state == "settled"
    assert "Settled — no combination of the remaining answers can change this" in app.questions.ask_head.value
    assert not app.questions.asked.children


def test_an_open_card_names_its_flips_and_no_certainty(model: Model) -> None:
    """Issue 20's newcomer: four answers leave it open. The card names what would change it
    (Batch among them), 'How sure' is no percentage and says what it covers, and nothing on
    the page claims that a question cannot change the result."""
    app = DecisionApp(model, example="__blank__")
    for key, value in (
        ("response_expectation", "none"),
        ("counterpart_capability", "api"),
        ("consistency", "eventual"),
        ("data_volume", "single"),
    ):
        app.set_answer(key, value)
    a = app.assessment
    assert a is not None and a.state == "open" and a.recommended == "events"
    card = _text(app.card.value)
    assert "What would change it" in card and "Batch if " in card
    assert "100%" not in card and "settled" not in card.lower()
    assert "over the 4 answer(s) given" in card or "robustness not run" in card
    page = app.card.value + app.questions.ask_head.value + app.questions.folded_note.value
    assert "cannot change" not in page
