"""Importers: each format's fixture → inventory rows with provenance; what a source does not say stays open."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.estate.importers import detect, read_source
from patternfit.estate.review import review

FIXTURES = Path(__file__).parent / "fixtures"


def _rows(inventory):
    return {r["id"]: r for r in inventory.table.to_dict("records")}


def test_structurizr_reads_cross_system_pairs_and_folds_implied_relationships():
    """Three system pairs; the container Kafka link and its implied system copy are one row; links inside a
    system or from a person are not read."""
    inventory = read_source(FIXTURES / "structurizr" / "workspace.json")
    assert inventory.kind == "structurizr" and inventory.rows == 3
    rows = _rows(inventory)
    prices, orders, carrier = rows["structurizr:r2"], rows["structurizr:r4"], rows["structurizr:r7"]
    assert (prices["source"], prices["target"], prices["current_pattern"]) == ("Shop", "Pricing", "api")
    assert prices["response_expectation"] == "result_now" and "interactionStyle Synchronous" in prices["provenance"]
    assert orders["current_pattern"] == "events" and orders["temporal_decoupling"] == "true"
    assert orders["element"] == "relationships r5, r4" and orders["technology"] == "Apache Kafka"
    assert carrier["current_pattern"] == "" and "'SNMP' is not in the technology catalogue" in carrier["provenance"]
    assert carrier["target"] == "Carrier <Hub> & Co"
    assert any("'c9' names no element" in item for item in inventory.not_read)


def test_what_the_source_does_not_say_is_asked_not_guessed():
    """Unstated keys stay blank and are listed, heaviest weight first, with the catalog's labels."""
    inventory = read_source(FIXTURES / "structurizr" / "workspace.json")
    asked = inventory.questions[1]
    assert "response_expectation" not in asked and len(asked) == 17
    assert asked[0] in ("latency_budget", "freshness_value", "interaction_intent")  # weight 2 after the answered 3
    assert inventory.table.loc[1, "latency_budget"] == "" if "latency_budget" in inventory.table else True
    assert "Response expected" not in inventory.table.loc[1, "to_ask"]
    assert "Works when receiver is down" in inventory.table.loc[1, "to_ask"]


def test_backstage_folder_follows_locations_inside_it_only():
    """Consumer → provider per consumed API; cycle, outside path, URLs and a missing API are listed, not read."""
    inventory = read_source(FIXTURES / "backstage")
    assert inventory.kind == "backstage" and inventory.rows == 3
    rows = {(r["source"], r["target"]): r for r in inventory.table.to_dict("records")}
    assert rows[("Checkout", "Pricing")]["current_pattern"] == "api"
    assert rows[("Checkout", "Stock")]["current_pattern"] == "api"  # graphql
    events = rows[("Checkout", "Orders")]
    assert events["current_pattern"] == "events" and events["ordering"] == "per_key"  # $text to a local AsyncAPI
    assert {r["owner"] for r in rows.values()} == {"team-shop"}
    text = "\n".join(inventory.not_read)
    assert "Location cycle loop/a.yaml → loop/b.yaml → loop/a.yaml" in text
    assert "'../outside.yaml' leads out of the folder" in text
    assert "'https://example.com/catalog-info.yaml' is a URL" in text
    assert "$text 'https://example.com/stock.graphql' is a URL; not read" in text
    assert "'missing-api', which names no API" in text


def test_backstage_upload_reads_no_local_file(tmp_path):
    """Bytes of a catalog (an upload) follow no Location and read no $text file."""
    data = (FIXTURES / "backstage" / "components" / "components.yaml").read_bytes()
    data += b"\n---\n" + (FIXTURES / "backstage" / "apis" / "apis.yaml").read_bytes()
    inventory = read_source(data, name="catalog.yaml")
    assert inventory.rows == 3
    assert any("an upload has no folder" in item for item in inventory.not_read)
    assert "ordering" not in inventory.table.columns or set(inventory.table["ordering"].astype(str)) == {""}


def test_archimate_relationships_with_direction_and_properties():
    """Serving turned round (the served side calls); an interface stands for its component; properties answer."""
    inventory = read_source(FIXTURES / "archimate" / "model.xml")
    rows = _rows(inventory)
    assert set(rows) == {"archimate:r-serve", "archimate:r-flow", "archimate:r-trig"}
    serve, flow = rows["archimate:r-serve"], rows["archimate:r-flow"]
    assert (serve["source"], serve["target"], serve["name"]) == ("Web shop", "Pricing", "Price lookup")
    assert serve["response_expectation"] == "result_now" and serve["current_pattern"] == "api"
    assert (flow["source"], flow["target"], flow["owner"]) == ("Web shop", "Ledger", "Finance")
    assert flow["latency_budget"] == "days" and flow["current_pattern"] == "batch"
    assert flow["description"] == "Nightly sales file" and "Cost centre" not in flow["provenance"]
    assert any("'zz' names no element" in item for item in inventory.not_read)


@pytest.mark.parametrize("name", ["orders-2.yaml", "orders-3.yaml"])
def test_asyncapi_one_row_per_channel_with_kafka_key_ordering(name):
    """2.x subscribe / 3.x send: the application sends; the other side stays blank; a Kafka key: per-key order."""
    inventory = read_source(FIXTURES / "asyncapi" / name)
    records = inventory.table.to_dict("records")
    assert len(records) == 2 and {r["current_pattern"] for r in records} == {"events"}
    sent = next(r for r in records if r["name"].endswith("orders/created"))
    got = next(r for r in records if r["name"].endswith("payments/received"))
    assert (sent["source"], sent["target"], sent["ordering"]) == ("Order service", "", "per_key")
    assert (got["source"], got["target"], got["ordering"]) == ("", "Order service", "")
    assert "receivers on this channel are not named" in sent["provenance"]


def test_spreadsheet_through_a_column_mapping_reviews_readable_rows():
    """Headers and wording mapped; technologies read; the unmapped 'Weekly' row is listed, the others assessed."""
    result = review(FIXTURES / "mapping" / "export.csv", columns=FIXTURES / "mapping" / "mapping.yaml")
    table = result.inventory.table
    assert list(table["current_pattern"].astype(str)) == ["api", "batch", "events", ""]
    assert list(table["latency_budget"].astype(str)) == ["seconds", "days", "hours", "Weekly"]
    assert result.assessed == 3 and result.problems[["row", "column", "value"]].values.tolist() == [
        [5, "latency_budget", "Weekly"]
    ]


@pytest.mark.parametrize(
    ("mapping", "what"),
    [
        ({"columns": {"Frequency": "latency_budjet"}}, "did you mean 'latency_budget'"),
        ({"columns": {"Frequency": "latency_budget"}, "values": {"latency_budget": {"Daily": "dayz"}}}, "days"),
        ({"columns": {"Frequency": "latency_budget"}, "values": {"ordering": {"x": "none"}}}, "no header is mapped"),
        ({"colums": {}}, "did you mean 'columns'"),
    ],
)
def test_mapping_naming_unknown_keys_or_values_is_refused(mapping, what):
    """A mapping naming an unknown column or value: one InputError naming the entry."""
    with pytest.raises(InputError, match="column mapping") as caught:
        read_source(FIXTURES / "mapping" / "export.csv", columns=mapping)
    assert what in caught.value.message


def test_format_detected_from_content_and_overridable():
    """Content decides the format, whatever the file name; --from forces one."""
    assert detect((FIXTURES / "structurizr" / "workspace.json").read_bytes(), "x") == "structurizr"
    assert detect((FIXTURES / "archimate" / "model.xml").read_bytes(), "x") == "archimate"
    assert detect((FIXTURES / "asyncapi" / "orders-3.yaml").read_bytes(), "x") == "asyncapi"
    assert detect((FIXTURES / "backstage" / "catalog-info.yaml").read_bytes(), "x") == "backstage"
    assert detect(b"id,name\nA,b\n", "x") == "inventory"
    with pytest.raises(InputError, match="JSON syntax error"):
        read_source(FIXTURES / "asyncapi" / "orders-3.yaml", kind="structurizr")
    with pytest.raises(InputError, match="did you mean 'asyncapi'"):
        read_source(FIXTURES / "asyncapi" / "orders-3.yaml", kind="asyncap")


def test_imported_rows_are_reviewed_with_provenance_in_the_report():
    """A workspace goes through the whole review; the report keeps technology, provenance and to_ask."""
    result = review(FIXTURES / "structurizr" / "workspace.json")
    report = result.report()
    # one answer each (the relationship's style): too few to tell the patterns apart, so undecided
    assert len(report) == 3 and report["recommended"].isna().all() and report["undecided"].all()
    assert report["what_to_ask"].str.len().gt(0).all()
    assert {"technology", "provenance", "to_ask", "element"} <= set(report.columns)
    assert not any("copied to the report unchanged" in w for w in result.inventory.warnings)


def test_xlsx_export_through_a_column_mapping(tmp_path):
    """An EA tool's XLSX export reads through the same mapping as its CSV."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in (FIXTURES / "mapping" / "export.csv").read_text().splitlines():
        sheet.append(line.split(","))
    book.save(tmp_path / "export.xlsx")
    inventory = read_source(tmp_path / "export.xlsx", columns=FIXTURES / "mapping" / "mapping.yaml")
    assert inventory.kind == "xlsx" and list(inventory.table["name"]) == [
        "Prices",
        "Sales file",
        "Stock feed",
        "Legacy",
    ]
    assert list(inventory.table["latency_budget"].astype(str)) == ["seconds", "days", "hours", "Weekly"]
    assert list(inventory.table["id"]) == ["row 2", "row 3", "row 4", "row 5"]


def test_mapping_warns_about_mapped_headers_the_sheet_lacks(tmp_path):
    """A mapped header missing from the sheet is named in a warning, not an error."""
    mapping = {"columns": {"Interface Name": "name", "Criticality": "delivery_criticality"}}
    inventory = read_source(FIXTURES / "mapping" / "export.csv", columns=mapping)
    assert any("'criticality' is not in" in w for w in inventory.warnings)
