"""The calibration dashboard at widget level: changes with reasons, their effect, export, refusal."""

from __future__ import annotations

import base64
import re

import pytest
import yaml
from patternfit import assess
from patternfit.calibrate_app import CalibrateApp, fit_choices
from patternfit.profile import apply_profile
from patternfit.records import RecordMeta, build_record, render_record

CLOSE = """name: Close events call
characteristics: {response_expectation: ack_only, consumer_count: 2, coordinated_steps: 3, visibility: logs,
                  interaction_intent: command, process_duration: minutes, temporal_decoupling: true}
"""


@pytest.fixture
def app(model):
    return CalibrateApp(model, samples=100)


def flip(app):
    """The test_profile change that turns the close events call into workflow."""
    assert app.load_subjects_bytes(CLOSE.encode(), "close.yaml")
    app.set_weight("coordinated_steps", 6, "our flows are long")
    assert app.add_fit("process_duration", "minutes", "workflow", 2, "engine is cheap here")


def row(app, name):
    return next(r for r in app.effect if r["connection"] == name)


def test_examples_shown_unchanged_at_first(app):
    """With no changes the five examples are listed and none changes."""
    assert len(app.effect) == 5
    assert not any(r["changed"] for r in app.effect)
    assert "0 of 5" in app.table.value


def test_profile_change_flips_known_connection(app):
    """Weighting coordinated steps up (and workflow's fit for minutes) flips a close events call to workflow."""
    flip(app)
    r = row(app, "Close events call")
    assert (r["before"], r["after"], r["changed"]) == ("events", "workflow", True)
    assert r["which"]
    assert "Workflow" in app.table.value
    assert r["acceptability_before"] is not None and r["acceptability_after"] is not None


def test_fit_editor_offers_only_allowed_values(app, model):
    """A fit cell offers whole numbers within ±1 of the reference and inside −2…+2; others are refused."""
    choices = fit_choices(model, "process_duration", "minutes", "workflow")
    assert all(-2 <= v <= 2 for v in choices) and max(choices) - min(choices) <= 2
    assert [v for _, v in app.fit_to.options] == fit_choices(
        model, app.fit_key.value, app.fit_answer.value, app.fit_pattern.value
    )
    bad = max(choices) + 1 if max(choices) < 2 else min(choices) - 1
    assert not app.add_fit("process_duration", "minutes", "workflow", bad, "too far")
    assert "outside the allowed range" in app.error.value


def test_export_needs_reasons(app):
    """A change without a reason disables the export and names the change."""
    app.set_weight("ordering", 3)
    assert "pf-button-disabled" in app.download.value
    assert "ordering" in app.export_note.value
    app.set_weight("ordering", 3, "ordering bugs hurt us")
    assert "give the profile a name" in app.download.value
    app.name.value = "Acme"
    assert "download=" in app.download.value


def test_exported_yaml_loads_and_shows_in_record(app, model):
    """The exported YAML loads with apply_profile, flips the connection, and its name is in the record."""
    app.name.value, app.version.value, app.author.value = "Acme <CoE>", "2.1", "Integration office"
    flip(app)
    payload = re.search(r"base64,([^\"]+)\"", app.download.value).group(1)
    profile = yaml.safe_load(base64.b64decode(payload))
    assert profile["name"] == "Acme <CoE>" and profile["version"] == "2.1"
    assert {c["reason"] for c in profile["changes"]} == {"our flows are long", "engine is cheap here"}
    _, info = apply_profile(profile, model)
    assert info["name"] == "Acme <CoE>"
    a = assess(yaml.safe_load(CLOSE), profile=profile, samples=0, model=model)
    assert a.recommended == "workflow"
    markdown = render_record(build_record(a, RecordMeta(title="Close call"), model), "madr")
    assert "Acme <CoE>" in markdown and "2.1" in markdown


def test_bad_profile_upload_refused(app):
    """A profile moving a fit value too far, or naming an unknown key, is refused in the banner."""
    app.set_weight("ordering", 3, "kept")
    too_far = (
        b"name: X\nversion: 1\nchanges:\n  - {fit: process_duration, answer: minutes, pattern: api, to: 9, reason: r}\n"
    )
    assert not app.load_profile_bytes(too_far, "far.yaml")
    assert "outside the allowed range" in app.error.value and "far.yaml: changes[0].to" in app.error.value
    unknown = b"name: X\nversion: 1\nchanges:\n  - {weight: <b>nope</b>, to: 2, reason: r}\n"
    assert not app.load_profile_bytes(unknown, "unknown.yaml")
    assert "&lt;b&gt;nope" in app.error.value and "<b>nope" not in app.error.value
    assert app.weights["ordering"][0].value == 3


def test_good_profile_upload_fills_editors(app):
    """An uploaded profile fills the header, the sliders and the fit changes."""
    text = (
        b"name: Acme\nversion: '3'\nauthor: CoE\nchanges:\n"
        b"  - {weight: coordinated_steps, to: 6, reason: our flows are long}\n"
        b"  - {fit: process_duration, answer: minutes, pattern: workflow, to: 2, reason: cheap engine}\n"
    )
    assert app.load_profile_bytes(text, "acme.yaml")
    assert app.name.value == "Acme" and app.weights["coordinated_steps"][0].value == 6
    assert len(app.fit_changes) == 1
    assert app.error.layout.display == "none"


def test_workshop_upload_adds_its_connections(app, model):
    """A workshop file's connections join the examples in the effect table."""
    text = (
        b"workshop: 1\ntitle: T\nentries:\n  - {id: a, connection: {name: One, characteristics: {consumer_count: 4}}}\n"
    )
    assert app.load_subjects_bytes(text, "w.yaml")
    assert len(app.effect) == 6 and row(app, "One")
