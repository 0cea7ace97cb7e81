"""patternfit.estate.importers.asyncapi: the channels of an AsyncAPI 2 or 3 document as connections."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError
from patternfit.estate.importers import asyncapi, backstage

from tests.estate.real import head, real


@pytest.mark.parametrize("version", ["2.6.0", "3.0.0"])
def test_streetlights_gives_four_event_channels_over_mqtt(version: str):
    """Both versions of the streetlights example give 4 channels, each events over MQTT, with provenance."""
    data = real(f"asyncapi/streetlights-mqtt-{version}.yml").read_bytes()
    assert asyncapi.looks_like(head(data)) and not backstage.looks_like(head(data))
    extract = asyncapi.read(data, "streetlights.yml")
    assert len(extract.links) == 4
    for link in extract.links:
        assert link.technology == "MQTT" and "Streetlights MQTT API" in (link.source, link.target)
        pattern, provenance = link.answers["current_pattern"]
        assert pattern == "events" and "AsyncAPI channel" in provenance


def test_a_document_without_channels_gives_no_link():
    """An AsyncAPI document with an empty channels map reads as nothing, not an error."""
    assert asyncapi.read(b"asyncapi: 2.6.0\ninfo: {title: X}\nchannels: {}\n", "a.yml").links == []


def test_channels_that_are_not_a_mapping_are_named():
    """`channels` as a list is an InputError naming the key."""
    with pytest.raises(InputError) as raised:
        asyncapi.read(b"asyncapi: 2.6.0\nchannels: [1, 2]\n", "a.yml")
    assert (raised.value.where, raised.value.what) == ("a.yml: channels", "must be a mapping of channel names")
