"""The dashboard at widget level: answers in, recommendation, charts, findings and the record
out — with user text kept as text and bad uploads refused without losing work."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
from patternfit.apps.decide.app import BLANK, DecisionApp, build_app
from patternfit.apps.decide.record import AS_RECOMMENDED
from patternfit.model.catalog import Model

from tests.conftest import all_widgets

XSS = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def app(model: Model) -> DecisionApp:
    return DecisionApp(model)


def _chart(app: DecisionApp, name: str) -> dict[str, Any]:
    """The plotly figure a plotly chart shows."""
    (output,) = app.charts[name].outputs
    return dict(output["data"]["application/vnd.plotly.v1+json"])


def _drawn(out: widgets.Widget) -> bool:
    return bool(out.value if isinstance(out, widgets.HTML) else out.outputs)


def _rev(app: DecisionApp, name: str) -> int:
    """The revision a chart shows: an SVG chart's data-pf-rev, a plotly chart's layout.meta."""
    out = app.charts[name]
    if isinstance(out, widgets.HTML):
        found = re.search(r'<svg [^>]*data-pf-rev="(\d+)"', out.value)
        assert found, out.value[:200]
        return int(found.group(1))
    return int(_chart(app, name)["layout"]["meta"]["pf_rev"])


def _download(widget: widgets.HTML) -> tuple[str, str]:
    """(file name, decoded content) of a data-URI download link."""
    match = re.search(r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', widget.value)
    assert match, widget.value
    return html.unescape(match.group(1)), base64.b64decode(match.group(2)).decode("utf-8")


def test_build_app_shows_the_first_example(model: Model) -> None:
    """build_app() returns a widget whose app recommends Events for the fan-out example."""
    widget = build_app(model)
    app = widget.app
    assert isinstance(widget, widgets.VBox) and "pf-app" in widget._dom_classes
    assert app.assessment is not None and app.assessment.recommended == "events"
    assert ">Events<" in app.card.value
    assert app.examples_dropdown.value == "order-created-fanout"


def test_a_knockout_changes_the_recommendation(app: DecisionApp) -> None:
    """Caller needs the result → KO-1 rules Events out and Workflow orchestration leads."""
    app.set_answer("response_expectation", "result_now")
    assert app.assessment is not None and app.assessment.recommended == "workflow"
    assert ">Workflow orchestration<" in app.card.value
    assert "KO-1" in app.findings.value and "Events: ruled out" in app.findings.value
    assert re.search(r">ruled out: [^<]*KO-1[^<]*</text>", app.charts["scores"].value)


def test_charts_redraw_only_when_their_figure_changes(app: DecisionApp) -> None:
    """A change that keeps the leader redraws the scores but not the profile chart."""
    profiles, scores = _rev(app, "profiles"), _rev(app, "scores")
    app.set_answer("consumer_churn", "high")
    assert _rev(app, "scores") > scores
    assert _rev(app, "profiles") == profiles
    expected = json.loads(html.unescape(re.search(r'data-pf-charts="([^"]+)"', app.card.value).group(1)))
    assert expected == {name: _rev(app, name) for name in expected}
    app.set_answer("response_expectation", "result_now")
    assert _rev(app, "profiles") > profiles  # the leader changed


def test_name_only_changes_do_not_recompute(app: DecisionApp) -> None:
    """Typing a name updates card and preview but reuses the numbers."""
    before = app.assessment
    app.name.value = "Orders to the warehouse"
    assert app.assessment is not None and before is not None
    assert app.assessment.robustness is before.robustness
    assert "Orders to the warehouse" in app.card.value
    assert "Orders to the warehouse" in app.record.preview.value


def test_user_text_is_shown_as_text(app: DecisionApp) -> None:
    """A name full of markup appears escaped everywhere; no widget carries it raw."""
    app.name.value = XSS
    app.source.value = "<b>bold</b>"
    assert html.escape(XSS) in app.card.value
    for w in all_widgets(app.widget):
        if isinstance(w, widgets.HTML):
            assert "<img" not in w.value and "<b>bold" not in w.value
    _, markdown = _download(app.record.download_md)
    body = markdown.split("\n---\n", 1)[1]  # the front matter stores the inputs as YAML data
    # Markdown escaping (issue 12 item 10: no HTML entities): the bracket is backslash-escaped
    assert re.search(r"(?<!\\)<img", body) is None and "\\<img" in body and "&lt;" not in body


def test_overriding_the_choice_requires_a_rationale(app: DecisionApp) -> None:
    """Choosing another pattern reveals the rationale and blocks downloads until it is given."""
    assert app.record.rationale.layout.display == "none"
    app.record.chosen.value = "workflow"
    assert app.record.rationale.layout.display is None
    assert "rationale is required" in app.record.required.value
    assert "pf-button-disabled" in app.record.download_md.value
    assert app.record.save.disabled
    app.record.rationale.value = "The warehouse team already runs Temporal."
    assert app.record.required.value == ""
    _, markdown = _download(app.record.download_md)
    assert "already runs Temporal" in markdown
    assert "chosen: workflow" in markdown and "recommended: events" in markdown
    app.record.chosen.value = AS_RECOMMENDED
    assert app.record.rationale.layout.display == "none"


def test_preview_and_downloads_follow_the_answers(app: DecisionApp) -> None:
    """Markdown and JSON downloads are regenerated on every change."""
    app.record.deciders.value = "Ana Lima, Bo Chen"
    name, markdown = _download(app.record.download_md)
    assert name.endswith(".md") and "Ana Lima" in markdown
    app.set_answer("response_expectation", "result_now")
    _, markdown = _download(app.record.download_md)
    _, data = _download(app.record.download_json)
    assert "recommended: workflow" in markdown
    assert json.loads(data)
    assert html.escape("recommended: workflow", quote=True) in app.record.preview.value


def test_the_record_panel_offers_the_cli_layouts_and_draws_the_diagram(app: DecisionApp, tmp_path, monkeypatch) -> None:
    """The layout choice changes the preview, the Markdown download and the saved file (as
    --template / --format do); the preview draws the record's diagram; HTML downloads too."""
    from patternfit.records.reopen import reopen

    assert [key for _, key in app.record.layout_choice.options] == ["madr", "madr-minimal", "nygard", "log4brains"]
    assert "<svg" in app.record.diagram.value and "pf-diagram" in app.record.diagram.value
    _, madr = _download(app.record.download_md)
    assert "```mermaid" in madr and "## Considered Options" in madr
    app.record.layout_choice.value = "nygard"
    _, nygard = _download(app.record.download_md)
    assert "## Status" in nygard and "## Context" in nygard and "## Considered Options" not in nygard
    assert "Nygard" in app.record.preview_title.value
    name, page = _download(app.record.download_html)
    assert name.endswith(".html") and page.lstrip().lower().startswith("<!doctype html")
    monkeypatch.setenv("PATTERNFIT_DECISIONS", str(tmp_path))
    saved = app.record.save_to_folder()
    assert saved is not None and "## Status" in saved.read_text()
    assert reopen(saved, app.model).connection.characteristics == app.connection.characteristics


def test_bad_upload_shows_the_banner_and_keeps_the_work(app: DecisionApp) -> None:
    """Broken YAML, binary data, wrong types and wrong keys: banner, answers unchanged."""
    app.set_answer("latency_budget", "minutes")
    before = app.connection_dict()
    cases = [
        (b"name: [unclosed\n", "broken.yaml", "broken.yaml"),
        (b"\x00\x01\x02binary", "data.json", "binary"),
        (b"characteristics:\n  latency_budget: tomorrow\n", "bad-value.yaml", "latency_budget"),
        (b"colour: blue\n", "unknown.yml", "colour"),
        (b"# a record\nno front matter\n", "note.md", "note.md"),
        (b"hello", "picture.png", "picture.png"),
        (b"x" * 2_100_000, "huge.yaml", "larger"),
    ]
    for content, name, expected in cases:
        assert app.load_file(content, name) is False
        assert app.error_box.layout.display == "flex"
        assert expected in html.unescape(app.error.value), (name, app.error.value)
        assert "Traceback" not in app.error.value
        assert app.connection_dict() == before
    app.clear_error()
    assert app.error_box.layout.display == "none"


def test_uploading_a_connection_file_loads_it(app: DecisionApp, examples: dict[str, Path]) -> None:
    """A good YAML or JSON file replaces the connection and clears the banner."""
    app.load_file(b"{", "bad.json")
    assert app.load_file(examples["nightly-reconciliation"].read_bytes(), "nightly.yaml")
    assert app.error_box.layout.display == "none"
    assert app.assessment is not None and app.assessment.recommended == "batch"
    as_json = json.dumps(app.connection_dict()).encode()
    assert app.load_file(as_json, "again.json")
    assert app.assessment.recommended == "batch"
    assert app.examples_dropdown.value == "__opened__"  # not blank: the list says a file is open


def test_a_downloaded_record_reopens(app: DecisionApp, model: Model) -> None:
    """The Markdown download uploads back: same answers, people and choice."""
    app.set_answer("coordinated_steps", 3)
    app.set_answer("branching", "some")
    app.record.deciders.value = "Ana Lima"
    app.record.chosen.value = "workflow"
    app.record.rationale.value = "Audit needs one place."
    name, markdown = _download(app.record.download_md)
    answers = app.connection_dict()
    other = DecisionApp(model, example="checkout-price-lookup")
    assert other.load_file(markdown.encode(), name), other.error.value
    assert other.connection_dict()["characteristics"] == answers["characteristics"]
    assert other.sub == {"branching": "some"}
    assert other.record.deciders.value == "Ana Lima"
    assert other.record.chosen.value == "workflow"
    assert "Audit needs one place." in other.record.rationale.value


def test_coordination_questions_only_for_several_steps(app: DecisionApp) -> None:
    """The orchestration-vs-choreography questions appear from two steps on, and count only then."""
    assert app.sub_box.layout.display == "none" and not app.sub_rows
    app.set_answer("coordinated_steps", 3)
    assert app.sub_box.layout.display is None
    # the hook is on each question's row box, which holds the dropdown, "not sure" and the effect line
    assert {f"pf-q-{k}" for k in app.sub_rows} <= {c for r in app.sub_rows.values() for c in r.box._dom_classes}
    app.set_answer("step_dependency", "independent")
    assert app.connection_dict()["sub"] == {"step_dependency": "independent"}
    assert "coordination" in app.parts_shown
    app.set_answer("coordinated_steps", 1)
    assert app.sub_box.layout.display == "none"
    assert "sub" not in app.connection_dict()
    assert app.charts["coordination"].layout.display == "none"


def test_not_sure_and_unanswered(app: DecisionApp) -> None:
    """'Not sure' feeds the robustness analysis; '— not answered —' leaves the answer out."""
    app.set_answer("freshness_value", 4, unsure=True)
    assert app.assessment is not None and app.assessment.robustness is not None
    assert "freshness_value" in app.assessment.robustness.unsure
    app.set_answer("ordering", None)
    assert "ordering" not in app.connection_dict()["characteristics"]
    assert "ordering" in app.assessment.unanswered
    row = app.rows["ordering"]
    assert "pf-unanswered" in row.box._dom_classes and row.unsure is not None and row.unsure.disabled


def test_blank_connection_has_no_recommendation(model: Model) -> None:
    """A new blank connection shows the explicit unanswered state and no charts."""
    app = DecisionApp(model, example=BLANK)
    assert app.assessment is None
    assert "No recommendation yet" in app.card.value
    assert not any(_drawn(out) for out in app.charts.values())
    assert all(r.value is None for r in app.rows.values())
    app.set_answer("response_expectation", "result_now")
    assert app.assessment is not None and app.assessment.recommended == "api"
    assert _drawn(app.charts["scores"])


def test_examples_dropdown_loads_examples(app: DecisionApp) -> None:
    """Picking an example in the dropdown loads it."""
    app.examples_dropdown.value = "customer-onboarding"
    assert app.name.value == "Customer onboarding"
    assert app.assessment is not None and app.assessment.recommended == "workflow"
    assert app.assessment.coordination == "orchestration"
    # no idempotency key given is a question to check, not the P-12 pitfall (issue 12 item 7)
    assert "Questions to check" in app.findings.value and "idempotency key" in app.findings.value
    assert "P-12 " not in app.findings.value


def test_weights_panel_adjusts_and_resets(app: DecisionApp) -> None:
    """Weights change the scores; reset restores them; all-zero weights are refused."""
    app.weights_accordion.selected_index = 0
    assert len(app.weights_panel.sliders) == len(app.model.characteristics)
    before = dict(app.assessment.scores)
    app.weights_panel.sliders["latency_budget"].value = 8.0
    assert app.assessment.scores != before
    app.reset_weights()
    assert app.assessment.scores == before
    assert app.weights_panel.sliders["latency_budget"].value == app.model.default_weights()["latency_budget"]
    current = app.assessment
    app.weights = dict.fromkeys(app.weights, 0.0)  # the state's weights are replaced, not mutated
    assert "all weights are zero" in app.error.value
    assert app.assessment is current


def test_what_was_asked_and_proposed_catch_pitfalls(app: DecisionApp) -> None:
    """A proposed design adds the pitfalls that depend on it."""
    app.set_answer("response_expectation", "result_now")
    app.set_answer("interaction_intent", "command")
    before = {p["id"] for p in app.assessment.pitfalls}
    app.extra.selected_index = 0
    app.extra_panel.rows["proposed.pattern"].dropdown.index = 1 + list(
        app.extra_panel.rows["proposed.pattern"].values
    ).index("events")
    after = {p["id"] for p in app.assessment.pitfalls}
    assert app.proposed == {"pattern": "events"}
    assert after - before
    assert "1 set" in app.extra.titles[0]


def test_save_writes_into_the_decisions_folder(
    app: DecisionApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Save' writes the next numbered record into $PATTERNFIT_DECISIONS."""
    monkeypatch.setenv("PATTERNFIT_DECISIONS", str(tmp_path))
    path = app.record.save_to_folder()
    assert path is not None and path.parent == tmp_path and path.name.startswith("0001-")
    assert "Saved as" in app.record.saved.value
    assert path.read_text(encoding="utf-8") == app.record.markdown


def test_css_hooks_are_on_the_widgets(app: DecisionApp) -> None:
    """DESIGN.md's hooks: pf-q-<key>, pf-recommendation, pf-examples, pf-name, downloads, pf-error."""
    classes = {c for w in all_widgets(app.widget) for c in getattr(w, "_dom_classes", ())}
    for key in app.model.keys:
        assert f"pf-q-{key}" in classes
    assert {"pf-recommendation", "pf-examples", "pf-name", "pf-download-md", "pf-download-json", "pf-error"} <= classes


def test_plotly_is_set_to_the_mimetype_renderer(model: Model) -> None:
    """After build_app, fig.show() emits plotly's mime bundle."""
    import plotly.io as pio

    build_app(model)
    assert pio.renderers.default == "plotly_mimetype"


def test_a_failing_callback_shows_the_banner_not_a_traceback(app: DecisionApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug inside a widget callback becomes a one-line banner; the answers stay."""
    import logging

    before = app.connection_dict()

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("patternfit.apps.decide.state.assess_connection", broken)
    logging.getLogger("patternfit.apps.decide.app").disabled = True
    try:
        app.rows["latency_budget"].dropdown.index = 4
    finally:
        logging.getLogger("patternfit.apps.decide.app").disabled = False
    assert "Something went wrong (RuntimeError)" in app.error.value
    assert app.connection_dict()["characteristics"]["latency_budget"] == "hours"
    assert {k: v for k, v in app.connection_dict().items() if k != "characteristics"} == {
        k: v for k, v in before.items() if k != "characteristics"
    }


def test_save_creates_a_missing_decisions_folder(tmp_path, monkeypatch):
    """On a fresh checkout the configured decisions folder does not exist yet: save creates it."""
    from patternfit.apps.decide.record import decisions_folder

    target = tmp_path / "docs" / "decisions"
    monkeypatch.setenv("PATTERNFIT_DECISIONS", str(target))
    assert decisions_folder() == target
    assert target.is_dir()


def test_the_notice_clears_when_the_next_action_succeeds(app: DecisionApp) -> None:
    """An error stays until the user does something that works; clearing the upload does not count."""
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    app.upload.value = ({"name": "bad.json", "content": memoryview(b"{"), "type": "", "size": 1, "last_modified": now},)
    assert app.error_box.layout.display == "flex" and "bad.json" in app.error.value
    assert app.upload.value == ()  # reset by the callback, which must not clear the notice
    app.rows["latency_budget"].dropdown.index = 4  # an answer that works (a change)
    assert app.error_box.layout.display == "none"


def test_choosing_the_same_example_again_can_reset_it(app: DecisionApp) -> None:
    """'Reload example' puts an edited example back as it is in the model."""
    app.set_answer("latency_budget", "hours")
    app.reload.click()
    assert app.connection_dict()["characteristics"]["latency_budget"] != "hours"
    assert "reloaded" in app.status.value


def test_not_sure_on_a_coordination_input(model: Model) -> None:
    """The coordination inputs offer "not sure" too; it reaches the engine as sub.<key>."""
    app = DecisionApp(model, example="customer-onboarding")
    row = app.sub_rows["branching"]
    assert row.unsure is not None and not row.unsure.disabled
    row.unsure.value = True
    assert app.connection_dict()["unsure"] == ["sub.branching"]
    assert app.assessment is not None and app.assessment.robustness is not None
    assert "sub.branching" in app.assessment.robustness.unsure
    assert "Branching" in app.record.markdown and app.error_box.layout.display == "none"
