"""Bad model files: one InputError naming the file (and element or line) and what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.estate.importers import read_source

FIXTURES = Path(__file__).parent / "fixtures"
XML = '<?xml version="1.0"?>\n'
ARCHI = 'xmlns="http://www.opengroup.org/xsd/archimate/3.0/"'


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("ws.json", b'{"model": {"softwareSystems": [', "line 1"),
        ("ws.json", b'{"model": {"softwareSystems": [}]}, "views": {}}', "JSON syntax error"),
        ("ws.json", b'{"model": {"softwareSystems": "x"}, "views": {}}', "must be a list"),
        ("m.xml", (XML + f"<model {ARCHI}><elements>").encode(), "not well-formed XML"),
        ("m.xml", (XML + f'<!DOCTYPE model [<!ENTITY a "x">]><model {ARCHI}/>').encode(), "DOCTYPE"),
        (
            "m.xml",
            (
                XML
                + '<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                + f"<model {ARCHI}>&b;</model>"
            ).encode(),
            "DOCTYPE",
        ),
        ("m.xml", (XML + f'<!DOCTYPE m SYSTEM "http://example.com/x.dtd"><model {ARCHI}/>').encode(), "DOCTYPE"),
        ("a.yaml", b"asyncapi: 3.0.0\nchannels: [unclosed\n", "YAML syntax error"),
        (
            "a.yaml",
            b"asyncapi: 3.0.0\ninfo: {title: X}\nchannels: {}\n"
            b"operations:\n  op: {action: send, channel: {$ref: '#/channels/nope'}}\n",
            "names no channel",
        ),
        ("a.yaml", b"asyncapi: 1.2.0\ninfo: {title: X}\nchannels: {}\n", "is not read"),
        ("c.yaml", b"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a\n", "YAML syntax error"),
        (
            "c.yaml",
            b"kind: x\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [" + b"*a, " * 9 + b"]\nc: [" + b"*b, " * 120 + b"]\n",
            "aliases",
        ),  # a billion-laughs document
    ],
)
def test_malformed_or_dangerous_files_give_one_clear_error(tmp_path, name, data, what):
    """Malformed JSON/YAML/XML, DOCTYPEs, entities (bombs too), external DTDs: refused, naming the file."""
    path = tmp_path / name
    path.write_bytes(data)
    kind = {"ws.json": "structurizr", "m.xml": "archimate", "a.yaml": "asyncapi", "c.yaml": "backstage"}[name]
    with pytest.raises(InputError) as caught:
        read_source(path, kind=kind)
    message = caught.value.message
    assert message.startswith(str(path)) and what in message and "\n" not in message


def test_references_to_missing_elements_alone_leave_nothing_readable(tmp_path):
    """A workspace whose only relationship points at a missing element: the error names the element."""
    doc = {"model": {"softwareSystems": [
        {"id": "1", "name": "A", "relationships": [{"id": "9", "sourceId": "1", "destinationId": "404"}]}
    ]}, "views": {}}  # fmt: skip
    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="holds no connection") as caught:
        read_source(path)
    assert "destinationId '404' names no element" in caught.value.message


def test_location_cycle_alone_is_reported(tmp_path):
    """A folder of Locations pointing at each other only: nothing readable, and the cycle is named."""
    for a, b in (("a", "b"), ("b", "a")):
        (tmp_path / f"{a}.yaml").write_text(
            "apiVersion: backstage.io/v1alpha1\nkind: Location\n"
            f"metadata: {{name: {a}}}\nspec: {{target: ./{b}.yaml}}\n"
        )
    with pytest.raises(InputError, match="Location cycle"):
        read_source(tmp_path)


def test_no_network_and_no_file_outside_is_touched(tmp_path):
    """A $text pointing outside the catalog's folder is not read (listed instead)."""
    (tmp_path / "secret.txt").write_text("asyncapi: 2.6.0")
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: x}\n"
        "spec: {type: asyncapi, definition: {$text: ../secret.txt}}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec: {consumesApis: [x]}\n"
    )
    inventory = read_source(folder)
    assert any("not a file inside the folder" in item for item in inventory.not_read)


def test_odd_shapes_in_a_catalog_are_listed_not_guessed(tmp_path):
    """consumesApis written as one string (not a list) is listed as not read, the rest is read."""
    (tmp_path / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: x}\nspec: {type: grpc}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: p}\nspec: {providesApis: [x]}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\nspec: {consumesApis: [x]}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: d}\nspec: {consumesApis: x}\n"
    )
    inventory = read_source(tmp_path)
    assert inventory.rows == 1 and inventory.table.loc[1, "current_pattern"] == "api"
    assert any("spec.consumesApis is not a list" in item for item in inventory.not_read)
