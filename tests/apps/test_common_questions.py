"""patternfit.apps.common.questions: one question as real widgets — dropdown, not-sure box, effect line."""

from __future__ import annotations

import pytest
from patternfit.apps.common.questions import NOT_ANSWERED, QuestionRow, Shared, choices, grid, value_label


@pytest.fixture
def changes():
    return []


def row(model, key, changes, **options):
    return QuestionRow(model.question(key), model, Shared(), changes.append, css=f"pf-q-{key}", **options)


def test_choices_follow_the_scale(model):
    """A whole-number question offers its list from its minimum; a choice question its values in order."""
    counts = choices(model.question("consumer_count"))
    assert counts[0] == max(1, model.question("consumer_count").scale.minimum or 0) and counts == sorted(counts)
    assert choices(model.question("latency_budget")) == list(model.question("latency_budget").scale.values)
    assert value_label(model.question("human_step"), True) == "Yes"
    assert value_label(model.question("latency_budget"), "seconds") == model.question("latency_budget").value_label(
        "seconds"
    )


def test_choosing_an_answer_reports_the_row_and_enables_not_sure(model, changes):
    """Picking a value in the dropdown calls back with the row; the value is the canonical answer."""
    r = row(model, "latency_budget", changes)
    assert r.value is None and r.dropdown.options[0] == NOT_ANSWERED
    r.dropdown.index = 2
    assert changes == [r] and r.value == choices(model.question("latency_budget"))[1]
    assert "pf-q-latency_budget" in r.box._dom_classes


def test_set_shows_a_value_quietly_and_adds_an_unlisted_count(model, changes):
    """set() shows 40 receivers (not in the list) in order, marks it unsure, and fires no callback."""
    r = row(model, "consumer_count", changes)
    r.set(40, unsure=True)
    assert (r.value, r.is_unsure, changes) == (40, True, [])
    assert r.values == sorted(r.values) and "40" in r.dropdown.options
    r.set(None, unsure=True)
    assert r.value is None and not r.is_unsure


def test_a_value_the_question_cannot_take_is_refused(model, changes):
    """A text answer for a choice question that does not offer it raises naming the key and value."""
    r = row(model, "latency_budget", changes)
    with pytest.raises(ValueError, match="latency_budget: 'soon' is not offered"):
        r.set("soon")


def test_a_grid_without_not_sure_is_marked_plain(model, changes):
    """grid() boxes the rows; without the not-sure column it carries the plain class."""
    rows = [row(model, k, changes, unsure=False) for k in ("latency_budget", "ordering")]
    box = grid(rows, unsure=False)
    assert list(box.children) == [r.box for r in rows]
    assert {"pf-qgrid", "pf-qgrid-plain"} <= set(box._dom_classes)
    assert rows[0].unsure is None
