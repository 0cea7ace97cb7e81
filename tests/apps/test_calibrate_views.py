"""The calibration page's labels and fragments: catalog words, never internal keys; text escaped."""

from __future__ import annotations

from patternfit.apps.calibrate.editors import WEIGHT_MAX
from patternfit.apps.calibrate.labels import answer_label, describe_change, fit_choices, reference_fit
from patternfit.apps.calibrate.state import EffectRow, FitChange
from patternfit.apps.calibrate.views import effect_html, fits_html, inventory_hint_html


def test_a_change_is_described_in_the_catalogs_words(model):
    """Weight and fit changes read with the question's, the answer's and the pattern's labels."""
    duration, workflow = model.question("process_duration"), model.pattern("workflow")
    assert describe_change({"weight": "process_duration", "to": 6.0}, model) == f"weight of {duration.label} → 6"
    fit = {"fit": "process_duration", "answer": "minutes", "pattern": "workflow", "to": 2}
    expected = f"fit of {duration.label}: {duration.value_label('minutes')} for {workflow.label} → +2"
    assert describe_change(fit, model) == expected
    assert answer_label(model, "no_such_question", "x") == "x"


def test_fit_choices_stay_within_one_of_the_reference(model):
    """Every offered fit value is within ±1 of the reference and inside −2…+2, the reference included."""
    for pattern in model.pattern_keys:
        ref = reference_fit(model, "process_duration", "minutes", pattern)
        choices = fit_choices(model, "process_duration", "minutes", pattern)
        assert ref in choices and all(abs(v - ref) <= 1 and -2 <= v <= 2 for v in choices)
    assert max(model.default_weights().values()) <= WEIGHT_MAX


def test_the_effect_table_counts_changes_and_escapes_names(model):
    """One of two rows changed: counted, highlighted; a name's markup is text; a missing value is a dash."""
    rows = [
        EffectRow("<script>x</script>", "events", "workflow", ("weight of A → 6",), 0.42, 0.61),
        EffectRow("Plain", "api", "api", (), None, 0.5),
    ]
    shown = effect_html(rows, model)
    assert "1 of 2 recommendations change." in shown and shown.count('class="pf-changed"') == 1
    assert "&lt;script&gt;x&lt;/script&gt;" in shown and "<script>" not in shown
    assert "<td>42% → 61%</td>" in shown and "<td>— → 50%</td>" in shown and "<td>—</td>" in shown
    assert f"<b>{model.pattern('workflow').label}</b>" in shown


def test_the_fit_list_and_the_hint(model):
    """No fit change says so; a fit change shows its description and its reason, escaped."""
    assert "No fit changes yet." in fits_html([], model)
    shown = fits_html([FitChange("process_duration", "minutes", "workflow", 2, "<b>cheap</b>")], model)
    assert "&lt;b&gt;cheap&lt;/b&gt;" in shown and model.pattern("workflow").label in shown
    assert "Add your integration inventory" in inventory_hint_html()
