"""patternfit.estate.importers.structurizr: the cross-system relationships of a workspace."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError
from patternfit.estate.importers import archimate, structurizr

from tests.estate.real import head, real


@pytest.mark.parametrize(("name", "count"), [("big-bank-plc", 3), ("financial-risk-system", 6)])
def test_real_workspaces_give_their_system_to_system_pairs(name: str, count: int):
    """Each published workspace gives the README's count of system → system connections."""
    data = real(f"structurizr/{name}.workspace.json").read_bytes()
    assert structurizr.looks_like(head(data)) and not archimate.looks_like(head(data))
    assert len(structurizr.read(data, name).links) == count


def test_an_interaction_style_answers_the_response_expectation():
    """A synchronous interactionStyle is read as the caller waiting for a result, with where it came from."""
    data = real("structurizr/financial-risk-system.workspace.json").read_bytes()
    answered = [link for link in structurizr.read(data, "frs").links if "response_expectation" in link.answers]
    assert answered
    value, provenance = answered[0].answers["response_expectation"]
    assert value == "result_now" and "interactionStyle Synchronous" in provenance


def test_a_json_syntax_error_names_its_line():
    """Broken JSON is an InputError naming the line of the error."""
    with pytest.raises(InputError) as raised:
        structurizr.parse(b'{"model": {\n "softwareSystems": [,]}}', "w.json")
    assert raised.value.where == "w.json, line 2" and "JSON syntax error" in raised.value.what
