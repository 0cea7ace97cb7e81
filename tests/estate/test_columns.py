"""patternfit.estate.columns: an inventory's headers mapped onto the catalog, once per table."""

from __future__ import annotations

import pytest
from patternfit.errors import InputError
from patternfit.estate.columns import CURRENT_FIELD, answer_fields, field_of, layout, normalise_header


def test_headers_are_compared_tidied():
    """Spaces, hyphens, case, a BOM and a non-breaking space do not change which column a header is."""
    assert normalise_header(" Latency-Budget ") == "latency_budget"
    assert normalise_header("\ufeffConsumer\xa0Count") == "consumer_count"
    assert field_of("current_pattern") == CURRENT_FIELD and field_of("latency_budget") == "latency_budget"


def test_a_table_is_split_into_identity_answers_and_extra_columns(model):
    """Identity, answer and descriptive columns are placed; an unknown one is kept and warned about."""
    columns = ["ID", "Source", "Target", "Latency Budget", "current_pattern", "sub.branching", "technology", "notes"]
    found = layout(columns, model)
    assert found.identity == {"id": "ID", "source": "Source", "target": "Target"}
    assert found.answers == {
        "Latency Budget": "latency_budget",
        "current_pattern": CURRENT_FIELD,
        "sub.branching": "sub.branching",
    }
    assert found.extra == ("technology", "notes")
    assert found.column("latency_budget") == "Latency Budget" and found.column("ordering") is None
    assert found.warnings == ("columns not in the catalog, copied to the report unchanged: 'notes'",)


def test_every_catalog_key_is_an_answer_column(model):
    """Each catalog key, its stated. form and current_pattern may head a column."""
    fields = answer_fields(model)
    assert list(fields)[: len(model.keys)] == list(model.keys)
    assert "current_pattern" in fields and all(f"stated.{k}" in fields for k in model.keys)


@pytest.mark.parametrize(
    ("columns", "where", "what"),
    [
        (
            ["id", "latency_budjet"],
            "inv.csv: column 2",
            "unknown column 'latency_budjet' (did you mean 'latency_budget'?)",
        ),
        (["id", "Owner", "owner "], "inv.csv: column 3", "'owner ' repeats the column 'Owner'"),
        (["name", "source"], "inv.csv: row 1", "no 'id' column (found 'name', 'source')"),
    ],
)
def test_a_misspelt_repeated_or_missing_column_is_named(model, columns, where, what):
    """A near-miss header, a repeated one, or no id column is an InputError naming the column's place."""
    with pytest.raises(InputError) as raised:
        layout(columns, model, where="inv.csv", require_id=True)
    assert (raised.value.where, raised.value.what) == (where, what)
