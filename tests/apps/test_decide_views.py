"""The decide page's views on their own, over a real `DecisionState` and the model in data/: the
card, findings, checklist and profile text (apps/decide/card.py), the charts and their text
alternatives (charts_view.py), the questions (questions.py) and the rarely used panels
(panels.py). Each is driven through its public members and the state; the tests read what a
person would see: the catalog's labels, the ``pf-*`` hooks, escaped typed text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from patternfit.apps.common.questions import Shared
from patternfit.apps.decide.card import (
    card_html,
    checklist_html,
    findings_html,
    fit_label,
    implement_line,
    profile_html,
)
from patternfit.apps.decide.charts_view import SVG_CHARTS, ChartsView, chart_text
from patternfit.apps.decide.files import read_profile
from patternfit.apps.decide.guidance import effects, guidance
from patternfit.apps.decide.panels import EXTRA_TITLE, ExtraPanel, GuidePanel, WeightsPanel
from patternfit.apps.decide.questions import QuestionsView, effect_html
from patternfit.apps.decide.state import DecisionState
from patternfit.charts.decision import CHART_NAMES
from patternfit.engine.assess import Assessment
from patternfit.model.catalog import Model
from patternfit.model.connection import load_connection

from tests.apps.test_app_profile import ACME

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
PLOTLY = "application/vnd.plotly.v1+json"


def run(callback: Any) -> Any:
    """A guard that runs the callback as it is (failures surface in the test)."""
    return callback


def classes(widget: Any) -> list[str]:
    """A widget's CSS classes, as the browser gets them (its synced state)."""
    return list(widget.get_state()["_dom_classes"])


def text(html: str) -> str:
    """What a person reads: the tags gone, the spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def fanout(model: Model, samples: int = 200) -> DecisionState:
    """A state showing the fan-out example (settled on Events)."""
    state = DecisionState(model, samples=samples)
    state.apply(load_connection(EXAMPLES / "order-created-fanout.yaml", model))
    return state


def assessed(state: DecisionState) -> Assessment:
    a = state.assessment
    assert a is not None
    return a


# -- the card, the findings, the checklist, the profile (card.py) --------------------------------
def test_an_empty_card_says_nothing_is_answered_yet(model: Model) -> None:
    html = card_html(None, model, guidance(None, model), rev=3, charts={}, note="Answer <these> first.")
    assert 'class="pf-card pf-card-empty"' in html and 'data-pf-rev="3"' in html
    assert "No recommendation yet" in text(html) and "Answer &lt;these&gt; first." in html
    assert findings_html(None, model, guidance(None, model)) == ""
    assert checklist_html(None, model, guidance(None, model)) == ""


def test_a_live_card_names_the_pattern_from_the_catalog_and_escapes_the_name(model: Model) -> None:
    """The recommendation is the catalog's label; the typed name is escaped; a new name shows."""
    state = fanout(model)
    state.set_text(name="Orders <script>x</script>")
    a = assessed(state)
    g = guidance(a, model)
    html = card_html(a, model, g, rev=1, charts={"scores": 1})
    label = model.pattern(str(a.recommended)).label
    assert f'data-pattern="{a.recommended}">{label}' in html and 'class="pf-card pf-card-live"' in html
    assert f"pf-state pf-state-{g.state}" in html and 'data-pf-charts="{&#34;scores&#34;: 1}"' in html
    assert "Orders &lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    facts = text(html)
    assert all(k in facts for k in ("How sure", "Margin", "Coordination", "Flavour"))
    checklist = checklist_html(a, model, g)
    assert f"Operational checklist: {label}" in text(checklist) and "pf-check" in checklist
    assert fit_label(model) == model.policy.fit_label


def test_a_conflict_card_leads_with_what_to_resolve_and_offers_no_checklist(model: Model) -> None:
    """Fan-out with "the result, to continue": the answers conflict; the card says what to resolve
    and claims no certainty; the checklist says why there is none."""
    state = fanout(model)
    state.set_answer("response_expectation", "result_now")
    a = assessed(state)
    g = guidance(a, model)
    assert g.state == "conflict"
    html = card_html(a, model, g, rev=2, charts={})
    assert "pf-state-conflict" in html and "Resolve first" in text(html) and "not a plan" in text(html)
    assert "%" not in text(html).split("How sure", 1)[1].split("Margin", 1)[0]
    checklist = checklist_html(a, model, g)
    assert "No checklist while the answers conflict" in text(checklist) and "<li" not in checklist


def test_the_findings_list_what_was_ruled_out_with_its_reason(model: Model) -> None:
    """A knocked-out pattern is named by its label with the rule's reason; the reasons follow."""
    a = assessed(fanout(model))
    html = findings_html(a, model, guidance(a, model))
    out = [p for p in model.patterns if a.knocked_out.get(p.key)]
    assert out, "the fan-out example rules a pattern out"
    assert "pf-knocked-out" in html and all(p.label in text(html) for p in out)
    assert a.explanations and text(a.explanations[0]) in text(html)


def test_the_profile_text_lists_each_change_with_its_reason_escaped(model: Model) -> None:
    """No profile: the reference model and an example; a profile: each change, before and after."""
    none = profile_html(None, model)
    assert model.version in none and "Acme integration office" in none
    html = profile_html(ACME, model)
    assert "Acme &lt;integration office&gt;" in html and "<integration office>" not in html
    assert "pf-profile-changes" in html and model.question("coordinated_steps").label in html
    reason = next(c["reason"] for c in ACME["changes"] if "reason" in c)
    assert text(reason) in text(html.replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'"))


def test_the_implement_line_follows_the_profile_in_force(model: Model) -> None:
    """Nothing without a profile or without a standard for the pattern; a profile that names its
    standard for the recommendation gives the line, with the catalog's label and the flavour."""
    a = assessed(fanout(model, samples=0))
    assert (a.recommended, a.messaging_flavour) == ("events", "topic")
    assert implement_line(a, model, None) == "" and implement_line(None, model, None) == ""
    plain = read_profile(ACME, model)
    assert implement_line(a, plain.model, plain) == ""  # ACME names no standard
    standards = {"name": "Standards", "version": "1", "changes": [], "standards": {"events.topic": "NATS"}}
    read = read_profile(standards, model)
    label = model.pattern("events").label
    assert implement_line(a, read.model, read) == (
        f"Implement with NATS (the organisation's standard for {label} (topic))."
    )


# -- the charts (charts_view.py) ---------------------------------------------------------------------
def test_every_chart_is_drawn_at_once_without_a_browser(model: Model) -> None:
    """Not lazy: the bar charts become SVG with their text, the others plotly bundles; each says
    the revision it shows; no assessment hides them all."""
    a = assessed(fanout(model))
    view = ChartsView()
    view.update(a, model, 4)
    view.flush()
    assert set(view.drawn) == set(view.wanted) and set(view.drawn.values()) == {4} and not view.stale
    scores = view.outputs["scores"]
    assert "<svg" in scores.value and "Chart, fit of each pattern" in scores.value
    plotly = [n for n in view.wanted if n not in SVG_CHARTS]
    assert plotly and all(PLOTLY in view.outputs[n].outputs[0]["data"] for n in plotly)
    assert all(view.texts[n].value for n in plotly)
    assert all(f"pf-chart-{n}" in classes(view.outputs[n]) for n in CHART_NAMES)
    view.update(None, model, 5)
    view.flush()
    assert view.drawn == {} and all(view.outputs[n].layout.display == "none" for n in CHART_NAMES)


def test_a_lazy_page_draws_a_plotly_chart_once_it_is_in_view(model: Model) -> None:
    """Lazy: only the SVG charts are drawn; the others are marked stale until `show` names them."""
    a = assessed(fanout(model))
    view = ChartsView(lazy=True, part=lambda name: f"part-{name}")
    view.update(a, model, 1)
    view.flush()
    plotly = sorted(n for n in view.wanted if n not in SVG_CHARTS)
    assert set(view.drawn) == set(SVG_CHARTS) & set(view.wanted) and view.stale == set(plotly)
    assert all("pf-stale" in classes(view.boxes[n]) for n in plotly)
    first = plotly[0]
    assert view.outputs[first].outputs == () and view.texts[first].value  # its text is current anyway
    assert view.show({first})
    view.flush()
    assert "pf-stale" not in classes(view.boxes[first]) and "part-" + first in classes(view.boxes[first])
    assert view.drawn[first] == 1 and first not in view.stale and PLOTLY in view.outputs[first].outputs[0]["data"]
    assert not view.show({first})  # already current: nothing to draw


def test_the_scores_text_says_which_pattern_is_ruled_out(model: Model) -> None:
    a = assessed(fanout(model))
    line = chart_text("scores", a, model)
    for key in a.ranking:
        label = model.pattern(key).label
        assert f"{label} ruled out" in line if a.scores.get(key) is None else f"{label} {a.scores[key]:+.2f}" in line


# -- the questions (questions.py) --------------------------------------------------------------------
def test_a_question_answered_in_its_row_sets_the_state(model: Model) -> None:
    """Choosing an answer in a row's list sets the state and recomputes; `sync` shows the state."""
    state = DecisionState(model, samples=0)
    view = QuestionsView(state, model, Shared(), run)
    assert set(view.rows) == {q.key for q in model.characteristics}
    row = view.rows["response_expectation"]
    assert "pf-q-response_expectation" in classes(row.box)
    row.dropdown.index = 1 + row.values.index("result_now")
    assert state.answers["response_expectation"] == "result_now" and state.assessment is not None
    state.set_answer("response_expectation", "none")
    view.sync()
    assert row.value == "none"


def placed(view: QuestionsView, state: DecisionState, model: Model) -> tuple[list[str], list[str]]:
    """Show the state's guidance; the rows now in the guided panel and in the folded one."""
    a = state.assessment
    g = guidance(a, model)
    view.show(g, effects(a, model, g))
    in_box = [k for k, r in view.rows.items() if r.box in view.asked.children]
    return in_box, [k for k, r in view.rows.items() if r.box in view.folded_rows.children]


def test_the_guided_panel_shows_the_next_questions_and_folds_the_rest(model: Model) -> None:
    """`show` places the questions to ask next in the guided panel, keeps the one just answered
    there, writes each effect line, and folds what can make no difference."""
    state = DecisionState(model, samples=0)
    view = QuestionsView(state, model, Shared(), run)
    state.set_answer("response_expectation", "none")
    view.sync()
    asked, folded = placed(view, state, model)
    nexts = [ask.key for ask in guidance(state.assessment, model).ask_next]
    assert asked and set(asked) <= set(nexts[: len(asked)]) and folded == []
    assert view.folded.layout.display == "none" and "response_expectation" not in asked
    first = view.rows[asked[0]]
    first.dropdown.index = 1  # answered from the guided panel: it stays there
    assert asked[0] in placed(view, state, model)[0] and state.answers[asked[0]] == first.values[0]
    assert any("pf-effect" in r.effect.value for r in view.rows.values()) and effect_html(None) == ""

    settled = fanout(model, samples=0)
    settled.set_answer("response_expectation", None)  # makes no difference to the fan-out now
    view = QuestionsView(settled, model, Shared(), run)
    view.sync()
    asked, folded = placed(view, settled, model)
    assert "response_expectation" in folded and view.folded.layout.display is None
    assert view.folded.titles == ("1 question that makes no difference now",)
    assert "pf-ask-settled" in view.ask_head.value and text(view.ask_head.value).startswith("Settled")


def test_the_coordination_questions_appear_for_several_steps(model: Model) -> None:
    state = DecisionState(model, samples=0)
    view = QuestionsView(state, model, Shared(), run)
    view.update_sub_visibility()
    assert view.sub_box.layout.display == "none" and view.sub_rows == {}
    steps = view.rows["coordinated_steps"]
    steps.dropdown.index = 1 + next(i for i, v in enumerate(steps.values) if v >= 3)
    assert view.sub_box.layout.display is None and set(view.sub_rows) == {q.key for q in model.sub_inputs}


# -- the rarely used panels (panels.py) --------------------------------------------------------------
def test_the_extra_panel_is_built_when_opened_and_counts_what_is_set(model: Model) -> None:
    state = DecisionState(model, samples=0)
    panel = ExtraPanel(state, Shared(), run)
    assert panel.rows == {} and panel.widget.titles == (EXTRA_TITLE,)
    panel.widget.selected_index = 0
    assert "stated.latency_budget" in panel.rows and "proposed.pattern" in panel.rows
    row = panel.rows["proposed.pattern"]
    row.dropdown.index = 1 + row.values.index("events")
    assert state.proposed["pattern"] == "events" and panel.widget.titles == (f"{EXTRA_TITLE}: 1 set",)
    assert model.pattern("events").label in row.dropdown.options
    state.set_stated("latency_budget", "seconds")
    panel.sync()
    assert panel.rows["stated.latency_budget"].value == "seconds" and panel.widget.titles[0].endswith("2 set")


def test_the_weights_panel_moves_the_state_and_follows_it(model: Model) -> None:
    """One slider per characteristic, labelled from the catalog; moving one sets the state's
    weights, `sync` shows the state's, Reset puts the model's back."""
    state = DecisionState(model, samples=0)
    panel = WeightsPanel(state, Shared(), run)
    panel.widget.selected_index = 0
    assert set(panel.sliders) == {q.key for q in model.characteristics}
    slider = panel.sliders["latency_budget"]
    assert slider.description == model.question("latency_budget").label
    low, high = model.policy.weight_range
    assert (slider.min, slider.max) == (float(low), float(high))
    slider.value = high
    assert state.weights["latency_budget"] == high
    state.set_weight("latency_budget", low)
    panel.sync()
    assert slider.value == low and state.weights["latency_budget"] == low
    reset = panel.panel.children[-1]
    reset.click()
    assert state.weights == model.default_weights()


@pytest.mark.parametrize("recommended", ["events", None])
def test_the_guide_stars_the_recommended_pattern(model: Model, recommended: str | None) -> None:
    shown: list[str | None] = [recommended]
    panel = GuidePanel(model, Shared(), run, lambda: shown[0])
    assert panel.tabs is None
    panel.widget.selected_index = 0
    assert panel.tabs is not None
    labels = [p.label for p in model.patterns]
    titles = panel.tabs.titles
    assert [t.lstrip("★ ") for t in titles[: len(labels)]] == labels
    starred = [t for t in titles if t.startswith("★ ")]
    assert starred == ([f"★ {model.pattern(recommended).label}"] if recommended else [])
    shown[0] = "batch"
    panel.sync()
    assert [t for t in panel.tabs.titles if t.startswith("★ ")] == [f"★ {model.pattern('batch').label}"]
