"""patternfit.estate.importers.mapping: a spreadsheet's own headers and wording mapped onto ours."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from patternfit.errors import InputError
from patternfit.estate.importers.mapping import apply_mapping, load_mapping

FIXTURES = Path(__file__).parent / "fixtures" / "mapping"


def test_an_export_reads_through_its_mapping(model):
    """The export's 'Frequency: Real-time' becomes latency_budget seconds; its headers become ours."""
    mapping = load_mapping(FIXTURES / "mapping.yaml", model)
    inventory = apply_mapping((FIXTURES / "export.csv").read_bytes(), "export.csv", mapping, model)
    table = inventory.table
    first = table.iloc[0]
    assert (first["name"], first["source"], first["target"]) == ("Prices", "Pricing", "Web shop")
    assert first["latency_budget"] == "seconds" and table.iloc[1]["latency_budget"] == "days"


@pytest.mark.parametrize(
    ("mapping", "where", "what"),
    [
        ({"columns": {"Freq": "latency_budjet"}}, "m.yaml: columns.Freq", "did you mean 'latency_budget'?"),
        ({"columns": {"A": "name", "B": "name"}}, "m.yaml: columns.B", "a second header mapped to 'name'"),
        (
            {"columns": {"Freq": "latency_budget"}, "values": {"latency_budget": {"Daily": "weekly"}}},
            "m.yaml: values.latency_budget.Daily",
            "weekly",
        ),
        (
            {"columns": {"A": "name"}, "values": {"ordering": {"x": "none"}}},
            "m.yaml: values.ordering",
            "names a column that no header is mapped to",
        ),
        ({"colums": {}}, "m.yaml: colums", "unknown key"),
    ],
)
def test_a_bad_mapping_names_the_file_the_header_or_the_value(model, tmp_path: Path, mapping, where, what):
    """A misspelt target, a column mapped twice, a value off the scale or an unused value table is named."""
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump(mapping))
    with pytest.raises(InputError) as raised:
        load_mapping(path, model)
    assert raised.value.where == where.replace("m.yaml", str(path)) and what in raised.value.what
