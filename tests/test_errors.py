"""patternfit.errors: the one error type, its one-line message, and the near-miss hints."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError, ModelError, PatternfitError, allowed_text, did_you_mean


def test_message_is_one_line_of_where_what_and_fix():
    """The message joins where, what and fix, and folds any line break or run of spaces into one line."""
    e = InputError("conn.yaml", "latency_budget: 'soon'\n is not allowed", "write  seconds or minutes")
    assert e.message == "conn.yaml: latency_budget: 'soon' is not allowed — write seconds or minutes"
    assert str(e) == e.message
    assert (e.where, e.fix) == ("conn.yaml", "write  seconds or minutes")


def test_message_without_where_or_fix_is_the_what_alone():
    """Without a place and a fix the message is just what is wrong."""
    assert PatternfitError("", "nothing to read").message == "nothing to read"


def test_both_kinds_are_value_errors_a_caller_can_catch_as_one():
    """InputError and ModelError are PatternfitErrors and ValueErrors, and not each other."""
    with pytest.raises(ValueError, match=r"data/policy\.yaml: missing"):
        raise ModelError("data/policy.yaml", "missing")
    assert not issubclass(InputError, ModelError) and not issubclass(ModelError, InputError)


def test_did_you_mean_names_a_near_miss_only():
    """A misspelt value gets the closest allowed one; a value far from all gets no hint."""
    assert did_you_mean("latency_budgt", ["latency_budget", "ordering"]) == " (did you mean 'latency_budget'?)"
    assert did_you_mean("zzz", ["latency_budget", "ordering"]) == ""
    assert did_you_mean("x", []) == ""


def test_allowed_text_writes_booleans_as_yaml_does():
    """Allowed values read as a user writes them in YAML: true/false, not True/False."""
    assert allowed_text([True, False, 3, "events"]) == "allowed: true, false, 3, events"


def test_a_number_written_as_text_is_told_to_drop_the_quotes():
    """'4' for the allowed 4 is not offered '4' as a near miss: the message says to drop the quotes."""
    from patternfit.errors import did_you_mean

    assert did_you_mean("4", [1, 4, 24]) == " (write it without quotes: 4)"
    assert did_you_mean("evnts", ["api", "events"]) == " (did you mean 'events'?)"
