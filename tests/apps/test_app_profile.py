"""Organisation profiles and the pattern guide inside the decision dashboard: a profile
re-assesses at once, shows on the card and travels with the record; a bad one changes nothing;
the guide is built only when opened."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
import yaml
from patternfit.apps.decide.app import PROFILE_ENV, DecisionApp
from patternfit.model.catalog import Model

from tests.conftest import all_widgets

EXAMPLE = "shipment-reaction-chain"  # Events with the reference model
# Orchestrating every multi-step flow turns the shipment reaction chain into Workflow orchestration.
ACME: dict[str, Any] = {
    "name": "Acme <integration office>",
    "version": "2.1",
    "author": "Integration CoE",
    "changes": [
        {"weight": "coordinated_steps", "to": 10, "reason": "our choreographies <b>fail silently</b>"},
        {"fit": "coordinated_steps", "answer": "3", "pattern": "workflow", "to": 2, "reason": "we run Temporal"},
        {"fit": "coordinated_steps", "answer": "3", "pattern": "events", "to": -1, "reason": "hard to follow"},
    ],
}
ACME_YAML = yaml.safe_dump(ACME, sort_keys=False, allow_unicode=True)


@pytest.fixture(autouse=True)
def no_env_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROFILE_ENV, raising=False)


@pytest.fixture
def app(model: Model) -> DecisionApp:
    return DecisionApp(model, example=EXAMPLE)


def _download(widget: widgets.HTML) -> str:
    match = re.search(r'href="data:[^;]+;charset=utf-8;base64,([A-Za-z0-9+/=]+)"', widget.value)
    assert match, widget.value
    return base64.b64decode(match.group(1)).decode("utf-8")


def _stored(markdown: str) -> dict[str, Any]:
    """The `patternfit:` block of a Markdown record's front matter."""
    front = markdown.split("---\n")[1]
    return dict(yaml.safe_load(front)["patternfit"])


def test_a_profile_changes_the_recommendation_card_weights_and_record(app: DecisionApp) -> None:
    """ACME turns the shipment chain from Events into Workflow orchestration, everywhere at once."""
    assert app.assessment is not None and app.assessment.recommended == "events"
    assert app.profile is None and "pf-card-profile" not in app.card.value
    app.weights_accordion.selected_index = 0
    assert app.set_profile(ACME)
    assert app.assessment.recommended == "workflow"
    assert app.profile == ACME
    assert app.base_model.default_weights()["coordinated_steps"] == 2
    assert app.weights["coordinated_steps"] == 10 and app.weights_panel.sliders["coordinated_steps"].value == 10
    assert 'Acme &lt;integration office&gt;</b> version <span class="pf-profile-version">2.1' in app.card.value
    assert ">Workflow orchestration<" in app.card.value
    assert "Organisation profile: “Acme <integration office>” version 2.1" in app.profile_accordion.titles[0]
    markdown = _download(app.record.download_md)
    assert "organisation profile “Acme" in markdown and "version 2.1 by Integration CoE" in markdown
    assert _stored(markdown)["profile"] == ACME  # the full profile: a reopened record can reapply it
    assert json.loads(_download(app.record.download_json))["patternfit"]["profile"] == ACME


def test_the_profile_shows_each_change_with_its_reason_escaped(app: DecisionApp) -> None:
    """The profile panel lists every change and its reason; markup in them stays text."""
    app.profile_accordion.selected_index = 0
    assert app.profile_panel.html is not None and "No profile is in force" in app.profile_panel.html.value
    assert app.profile_panel.reset is not None and app.profile_panel.reset.disabled
    app.set_profile(ACME)
    shown = app.profile_panel.html.value
    assert "Weight of <b>Coordinated steps</b>: 2 → 10" in shown
    assert "Fit of <b>Workflow orchestration</b> when <b>Coordinated steps</b> is 3: +2" in shown
    assert "our choreographies &lt;b&gt;fail silently&lt;/b&gt;" in shown and "we run Temporal" in shown
    assert "by Integration CoE" in shown and not app.profile_panel.reset.disabled
    for w in all_widgets(app.widget):
        if isinstance(w, widgets.HTML):
            assert "<b>fail" not in w.value and "<integration" not in w.value


def test_an_uploaded_profile_file_is_applied(app: DecisionApp) -> None:
    """The upload widget of the profile panel applies a YAML profile and is then cleared."""
    app.profile_accordion.selected_index = 0
    assert app.profile_panel.upload is not None
    content = ACME_YAML.encode()
    upload = {
        "name": "acme.yaml",
        "type": "application/yaml",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": dt.datetime.now(dt.UTC),
    }
    app.profile_panel.upload.value = (upload,)
    assert app.error_box.layout.display == "none"
    assert app.assessment is not None and app.assessment.recommended == "workflow"
    assert app.profile == ACME
    assert app.profile_panel.upload.value == ()
    assert "“Acme <integration office>” version 2.1 applied" in html.unescape(app.status.value)


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (ACME_YAML.replace("to: 2", "to: 3").encode(), "far.yaml", "far.yaml: changes[1].to: 3 is outside"),
        (ACME_YAML.replace("coordinated_steps", "coordinated_stepz", 1).encode(), "typo.yaml", "changes[0].weight"),
        (ACME_YAML.replace("version:", "versoin:").encode(), "header.yaml", "header.yaml: versoin: unknown key"),
        (b"name: [unclosed\n", "broken.yaml", "broken.yaml"),
        (b"- just\n- a list\n", "list.yaml", "list.yaml: must be a mapping"),
        (b"\x00\x01binary", "binary.yaml", "binary.yaml"),
        (ACME_YAML.encode(), "acme.txt", "acme.txt: is not a profile file"),
    ],
)
def test_a_bad_profile_shows_the_banner_and_keeps_the_state(
    app: DecisionApp, content: bytes, name: str, expected: str
) -> None:
    """A bad profile file is refused in the banner naming the file and key; nothing changes."""
    assert app.set_profile(ACME)
    before, weights, model = app.assessment, dict(app.weights), app.model
    assert app.load_profile_bytes(content, name) is False
    assert app.error_box.layout.display == "flex"
    message = html.unescape(app.error.value)
    assert expected in message and "not applied" in message and "Traceback" not in message
    assert app.profile == ACME and app.weights == weights and app.model is model
    assert app.assessment is before


def test_a_bad_profile_mapping_or_path_is_refused(app: DecisionApp, tmp_path: Path) -> None:
    """set_profile returns False on a bad mapping or a missing file, and keeps the reference model."""
    bad = {**ACME, "changes": [{"weight": "coordinated_steps", "to": -1, "reason": "r"}]}
    assert app.set_profile(bad) is False
    assert "changes[0].to: -1 is negative" in html.unescape(app.error.value)
    missing = tmp_path / "nowhere.yaml"
    assert app.set_profile(missing) is False
    assert str(missing) in html.unescape(app.error.value)
    assert app.profile is None and app.model is app.base_model
    assert app.assessment is not None and app.assessment.recommended == "events"


def test_back_to_the_reference_model(app: DecisionApp) -> None:
    """The reset button goes back to the reference model, its weights and an unprofiled record."""
    reference = app.base_model.default_weights()
    app.profile_accordion.selected_index = 0
    app.set_profile(ACME)
    assert app.profile_panel.reset is not None
    app.profile_panel.reset.click()
    assert app.profile is None and app.model is app.base_model and app.weights == reference
    assert app.assessment is not None and app.assessment.recommended == "events"
    assert app.assessment.profile is None
    assert "pf-card-profile" not in app.card.value
    assert "profile" not in _stored(_download(app.record.download_md))
    assert app.profile_panel.reset.disabled and "reference model" in app.profile_accordion.titles[0]
    assert "Back to the reference model" in app.status.value


def test_a_profile_of_fit_values_only_re_assesses(app: DecisionApp) -> None:
    """The engine cache key includes the profile: fit changes alone (same weights) recompute."""
    fits_only = {**ACME, "changes": ACME["changes"][1:]}
    before = app.assessment
    assert before is not None
    assert app.set_profile(fits_only)
    assert app.weights == app.base_model.default_weights()
    assert app.assessment is not before
    assert app.assessment is not None and app.assessment.scores != before.scores


def test_the_environment_puts_an_organisation_profile_in_force(
    model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PATTERNFIT_PROFILE (a path) is applied when the dashboard opens."""
    path = tmp_path / "acme.yaml"
    path.write_text(ACME_YAML, encoding="utf-8")
    monkeypatch.setenv(PROFILE_ENV, str(path))
    app = DecisionApp(model, example=EXAMPLE)
    assert app.profile == ACME
    assert app.assessment is not None and app.assessment.recommended == "workflow"
    assert "pf-profile-name" in app.card.value and app.error_box.layout.display == "none"
    app.load_example("order-created-fanout")  # other connections keep the profile
    assert app.profile == ACME and app.weights["coordinated_steps"] == 10


def test_a_bad_environment_profile_shows_the_banner(
    model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken PATTERNFIT_PROFILE names the file and key; the page opens on the reference model."""
    path = tmp_path / "org.yaml"
    path.write_text(ACME_YAML.replace("reason: we run Temporal", "why: we run Temporal"), encoding="utf-8")
    monkeypatch.setenv(PROFILE_ENV, str(path))
    app = DecisionApp(model, example=EXAMPLE)
    message = html.unescape(app.error.value)
    assert app.error_box.layout.display == "flex"
    assert f"{path}: changes[1]" in message and PROFILE_ENV in message
    assert app.profile is None and app.assessment is not None and app.assessment.recommended == "events"


def test_a_reopened_record_is_re_assessed_with_its_profile(app: DecisionApp, model: Model) -> None:
    """A record made under a profile reopens with it; one made without it reopens without it."""
    app.set_profile(ACME)
    with_profile = _download(app.record.download_md)
    other = DecisionApp(model, example="checkout-price-lookup")
    assert other.load_file(with_profile.encode(), "0001-shipment.md"), other.error.value
    assert other.profile == ACME
    assert other.assessment is not None and other.assessment.recommended == "workflow"
    assert "with its profile “Acme <integration office>” version 2.1" in html.unescape(other.status.value)
    app.set_profile(None)
    assert other.load_file(_download(app.record.download_md).encode(), "0002-shipment.md")
    assert other.profile is None and other.assessment is not None and other.assessment.recommended == "events"
    assert "with the reference model, as it was recorded" in other.status.value


def test_the_saved_record_carries_the_profile(
    app: DecisionApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Save to the decisions folder' writes the record with the full profile in its patternfit block."""
    monkeypatch.setenv("PATTERNFIT_DECISIONS", str(tmp_path))
    app.set_profile(ACME)
    path = app.record.save_to_folder()
    assert path is not None and path.parent == tmp_path
    stored = _stored(path.read_text(encoding="utf-8"))
    assert stored["profile"] == ACME and stored["recommended"] == "workflow"


def test_a_record_with_a_broken_profile_is_refused(app: DecisionApp, model: Model) -> None:
    """A record whose stored profile no longer applies is refused; the page keeps its state."""
    app.set_profile(ACME)
    markdown = _download(app.record.download_md).replace("to: 10", "to: -10")
    other = DecisionApp(model, example="checkout-price-lookup")
    before = other.connection_dict()
    assert other.load_file(markdown.encode(), "0001-shipment.md") is False
    assert "0001-shipment.md: patternfit.profile: changes[0].to" in html.unescape(other.error.value)
    assert other.connection_dict() == before and other.profile is None


def test_the_pattern_guide_is_built_when_opened(app: DecisionApp) -> None:
    """The guide costs nothing at page open; opened, it shows one page per pattern, the
    recommended one first and starred, and follows the recommendation."""
    assert app.guide_tabs is None
    app.guide_accordion.selected_index = 0
    tabs = app.guide_tabs
    assert tabs is not None and len(tabs.children) == len(app.model.patterns) + 1
    assert tabs.titles[tabs.selected_index] == "★ Events"  # short: longer tab titles were cut off
    pages = [out.outputs[0]["data"]["text/markdown"] for out in tabs.children]
    for p, page in zip(app.model.patterns, pages, strict=False):
        assert page.startswith(f"## {p.label}") and "**Use it when**" in page and "**Avoid it when**" in page
        assert "**Operational checklist**" in page and "Sources:" in page
    assert pages[-1].startswith("## Orchestration or choreography") and "## Sources" in pages[-1]
    app.set_profile(ACME)
    assert "★ Workflow orchestration" in tabs.titles and "Events" in tabs.titles
    app.guide_accordion.selected_index = None
    app.guide_accordion.selected_index = 0
    assert app.guide_tabs is tabs  # built once


def test_the_card_names_the_profiles_standard_for_the_recommendation(app) -> None:
    """A profile that names its standard for the recommended pattern puts 'Implement with …' on
    the card; the reference model names none."""
    assert "pf-implement-with" not in app.card.value
    profile = {
        "name": "Standards only",
        "version": "1",
        "changes": [],
        "standards": {"api": "Azure API Management", "events.topic": "Azure Service Bus topics"},
    }
    assert app.set_profile(profile)
    recommended = app.assessment.recommended
    assert recommended in ("api", "events")
    expected = "Azure API Management" if recommended == "api" else "Azure Service Bus topics"
    assert "pf-implement-with" in app.card.value and f"Implement with {expected}" in app.card.value
    app.set_profile(None)
    assert "pf-implement-with" not in app.card.value
