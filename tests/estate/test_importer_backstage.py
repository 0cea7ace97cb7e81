"""patternfit.estate.importers.backstage: a Backstage catalog's API links as connections."""

from __future__ import annotations

from pathlib import Path

from patternfit.estate.importers import backstage

from tests.estate.real import head, real

FIXTURES = Path(__file__).parent / "fixtures" / "backstage"


def test_the_diamond_portal_gives_its_one_consumed_api():
    """The frontend consuming the backend's REST API is one connection, an API by its spec.type."""
    path = real("backstage/diamond-developer-portal/catalog-info.yaml")
    assert backstage.looks_like(head(path.read_bytes()))
    extract = backstage.read_file(path, "catalog-info.yaml")
    [link] = extract.links
    assert (link.source, link.target) == ("Developer Portal Frontend", "Developer Portal Backend")
    assert link.answers["current_pattern"][0] == "api"


def test_a_folder_follows_its_locations_and_lists_what_it_could_not_fetch():
    """The Backstage examples folder gives one link; APIs defined by URL are listed as not read, not fetched."""
    extract = backstage.read_folder(real("backstage/backstage-examples"), "examples")
    assert len(extract.links) == 1
    assert any("is a URL; not read" in note for note in extract.not_read)


def test_a_malformed_field_is_noted_and_the_rest_still_read():
    """spec.consumesApis that is not a list is noted as not read, naming the component, and nothing crashes."""
    data = b"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec: {consumesApis: 3}\n"
    extract = backstage.read(data, "up.yaml")
    assert extract.links == []
    assert extract.not_read == ["Component 'a': spec.consumesApis is not a list of API names; not read"]


def test_locations_that_point_at_each_other_are_followed_once():
    """Two Locations naming each other end in a note naming the cycle, not in an endless walk."""
    extract = backstage.read_folder(FIXTURES / "loop", "loop")
    assert extract.links == []
    assert extract.not_read == ["Location cycle a.yaml → b.yaml → a.yaml: not followed again"]
