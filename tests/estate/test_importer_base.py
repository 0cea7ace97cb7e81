"""patternfit.estate.importers.base: what every importer shares — size limits, shape checks, the inventory."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError
from patternfit.estate.importers.base import Extract, Link, check_yaml_size, expect, merge_text, to_inventory
from patternfit.model.technologies import load_technologies


def test_links_become_an_inventory_with_every_answer_and_its_provenance(model):
    """Two links make rows 1 and 2 with the answers they state, where each came from, and what is left to ask."""
    first = Link("s:1", "Shop → Pricing", "Shop", "Pricing", "relationship 1", technology="REST")
    first.answer("response_expectation", "result_now", "interactionStyle Synchronous on relationship 1")
    second = Link("s:2", "Shop → Ledger", "Shop", "Ledger", "relationship 2")
    inventory = to_inventory(Extract([first, second]), "w.json", "structurizr", model, load_technologies())
    table = inventory.table
    assert list(table.index) == [1, 2] and list(table["source"]) == ["Shop", "Shop"]
    assert table.loc[1, "response_expectation"] == "result_now"
    assert table.loc[1, "provenance"].startswith("response_expectation: interactionStyle Synchronous")
    assert table.loc[1, "current_pattern"] == "api"  # REST, from the technology catalogue
    assert "latency_budget" in inventory.questions[1] and "response_expectation" not in inventory.questions[1]


def test_an_extract_with_no_link_says_what_was_not_read(model):
    """No connection at all is an InputError quoting the first things that could not be read."""
    with pytest.raises(InputError) as raised:
        to_inventory(Extract([], not_read=["API 'x' is a URL"]), "c.yaml", "backstage", model, load_technologies())
    assert raised.value.where == "c.yaml"
    assert raised.value.what == "holds no connection between systems that could be read (API 'x' is a URL)"


def test_shape_checks_and_limits_name_the_place():
    """A list where a mapping belongs names the path; YAML over the limit gives its size and the way out."""
    assert expect({"a": 1}, dict, "w", "spec") == {"a": 1}
    with pytest.raises(InputError) as raised:
        expect([1], dict, "w", "spec.x")
    assert (raised.value.where, raised.value.what) == ("w: spec.x", "expected a mapping, got a list")
    with pytest.raises(InputError) as raised:
        check_yaml_size(b"x" * 100, "big.yaml", limit=10)
    assert raised.value.what == "is 100 bytes of YAML, more than the 10 read from one model file"


def test_merge_text_keeps_distinct_non_blank_texts_in_order():
    """Texts are joined once each, blanks dropped, first seen first."""
    assert merge_text(["a", " ", "b", "a", "c"]) == "a, b, c"
    assert merge_text([]) == ""
