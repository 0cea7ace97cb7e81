"""patternfit.records.types: the record's value objects check what a meeting adds."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from patternfit.errors import InputError
from patternfit.records.types import RecordMeta, adr_id, check_date, check_status


def test_statuses_and_dates_are_normalised():
    """Statuses are lower-cased, 'superseded by adr-7' becomes ADR-0007, and a date object becomes ISO text."""
    assert check_status(" Accepted ") == "accepted"
    assert check_status("superseded by adr-7") == "superseded by ADR-0007"
    assert adr_id(12) == "ADR-0012"
    assert check_date(dt.date(2026, 2, 28)) == check_date("2026-02-28") == "2026-02-28"


@pytest.mark.parametrize(
    ("check", "value", "what", "fix"),
    [
        (check_status, "acepted", "unknown status 'acepted' (did you mean 'accepted'?)", "allowed: proposed"),
        (check_status, 3, "unknown status 3", "superseded by ADR-NNNN"),
        (check_date, "2026-02-30", "'2026-02-30' is not a date", "YYYY-MM-DD"),
        (check_date, dt.datetime(2026, 1, 1), "is not a date", "YYYY-MM-DD"),
    ],
)
def test_a_bad_status_or_date_says_what_is_allowed(check, value, what, fix):
    """A misspelt status or an impossible date is an InputError quoting it, with the allowed form."""
    with pytest.raises(InputError) as raised:
        check(value)
    assert what in raised.value.what and fix in raised.value.fix


def test_meta_tidies_names_and_refuses_an_unknown_pattern():
    """People's names lose doubled spaces and repeats; a chosen pattern must be one of the catalog's keys."""
    meta = RecordMeta(date="2026-12-01", decision_makers=("Ada  Lovelace", "Ada Lovelace", "Bo"))
    assert meta.decision_makers == ("Ada Lovelace", "Bo")
    assert RecordMeta(date="2026-12-01", status="superseded by ADR-0003").superseded_by == 3
    with pytest.raises(InputError) as raised:
        RecordMeta(date="2026-12-01", chosen="event")
    assert raised.value.where == "chosen" and "did you mean 'events'?" in raised.value.what
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("title", "x" * 301, "title"),
        ("supersedes", 0, "supersedes"),
        ("consulted", [""], "consulted"),
        ("room", [], "room"),
    ],
)
def test_a_bad_meta_field_is_named(field, value, where):
    """An over-long title, record number 0, a blank name or a room that is not a mapping names its field."""
    with pytest.raises(InputError) as raised:
        RecordMeta(date="2026-12-01", **{field: value})
    assert raised.value.where == where
