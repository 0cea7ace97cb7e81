"""patternfit.model.technologies: the technology catalogue, its matching and the standards."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError
from patternfit.model.technologies import (
    Technology,
    implement_with,
    load_technologies,
    parse_entry,
    standard_for,
    with_profile,
)


def test_names_match_whatever_their_version_and_case():
    """'apache kafka 3.7' and the alias 'MSK' name Kafka, an event stream; an unknown name matches nothing."""
    catalogue = load_technologies()
    kafka = catalogue.match("apache kafka 3.7")
    assert kafka is not None and (kafka.name, kafka.kind) == ("Apache Kafka", "events (stream)")
    assert catalogue.match("MSK") == kafka
    assert catalogue.match("carrier pigeon") is None
    assert catalogue.explain("carrier pigeon") == "'carrier pigeon' is not in the technology catalogue"


def test_the_reference_catalogue_names_no_standard_and_a_profile_adds_one():
    """Only a profile names a standard; implement_with then says which, with the pattern's label."""
    base = load_technologies()
    assert standard_for("events", "queue", base) is None
    assert implement_with("events", "queue", base) == ""
    acme = with_profile(base, (), {"events.queue": "RabbitMQ"})
    assert standard_for("events", "queue", acme) == "RabbitMQ"
    assert "RabbitMQ" in implement_with("events", "queue", acme, label="Events")
    assert "Events (queue)" in implement_with("events", "queue", acme, label="Events")


def test_a_profile_entry_is_matched_and_can_be_the_standard():
    """An entry a profile adds (with its reason) is found by name and may be named the standard."""
    entry = parse_entry(
        {"name": "Acme Bus", "pattern": "events", "flavour": "topic", "reason": "ours"}, "p", "acme", need_reason=True
    )
    assert entry == Technology("Acme Bus", "events", "topic", (), (), "acme")
    acme = with_profile(load_technologies(), [entry], {"events.topic": "acme bus"})
    assert acme.match("Acme Bus") == entry
    assert standard_for("events", "topic", acme) == "Acme Bus"


@pytest.mark.parametrize(
    ("item", "where", "what"),
    [
        ({"name": "X", "pattern": "event", "docs": ["d"]}, "t.pattern", "did you mean 'events'?"),
        ({"name": "X", "pattern": "api", "flavour": "queue", "docs": ["d"]}, "t.flavour", "is not a flavour of api"),
        ({"name": "X", "pattern": "api", "doc": ["d"]}, "t.doc", "did you mean 'docs'?"),
        ({"name": "X", "pattern": "api"}, "t.docs", "needs its sources"),
        ("Kafka", "t", "must be a mapping"),
    ],
)
def test_a_bad_entry_names_its_key_and_what_is_allowed(item, where, what):
    """A bad catalogue entry is an InputError naming the entry's key and what was expected."""
    with pytest.raises(InputError) as raised:
        parse_entry(item, "t", "data/technologies.yaml")
    assert raised.value.where == where
    assert what in raised.value.what


def test_a_standard_of_the_wrong_pattern_is_refused():
    """Naming Kafka (events) the standard for api says what it implements and how to fix it."""
    with pytest.raises(InputError) as raised:
        with_profile(load_technologies(), (), {"api": "Kafka"}, where="acme.yaml")
    assert raised.value.where == "acme.yaml: standards.api"
    assert "implements events (stream), not api" in raised.value.what
