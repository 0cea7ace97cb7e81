"""patternfit.estate.importers.archimate: an ArchiMate Open Exchange file as connections."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError
from patternfit.estate.importers import archimate, asyncapi

from tests.estate.real import head, real


def test_archisurance_gives_its_seven_serving_relationships():
    """Archisurance's 7 Serving relationships between application components are read; Flow and Triggering are not."""
    data = real("archimate/archisurance.xml").read_bytes()
    assert archimate.looks_like(head(data)) and not asyncapi.looks_like(head(data))
    extract = archimate.read(data, "archisurance.xml")
    assert len(extract.links) == 7
    first = extract.links[0]
    assert (first.source, first.target) == ("Web portal", "Call center application")
    assert first.element.startswith("Serving relationship")


@pytest.mark.parametrize(
    ("data", "where", "what"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><model/>', "m.xml", "has a DOCTYPE declaration"),
        (b"<model><unclosed></model>", "m.xml, line 1, column 19", "is not well-formed XML"),
    ],
)
def test_unsafe_or_broken_xml_is_refused_with_how_to_export_again(data: bytes, where: str, what: str):
    """A DOCTYPE (entities) or malformed XML is an InputError naming the line and how to export again."""
    with pytest.raises(InputError) as raised:
        archimate.parse(data, "m.xml")
    assert raised.value.where == where and what in raised.value.what
    assert "Open Exchange File" in raised.value.fix
