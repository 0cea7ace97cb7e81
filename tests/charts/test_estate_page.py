"""patternfit.charts.estate_page: the estate as a map, SVG charts and one self-contained HTML page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from patternfit.charts.estate_page import (
    bar_data,
    estate_map_svg,
    map_data,
    matrix_data,
    report_html,
    write_html_report,
)
from patternfit.errors import InputError
from patternfit.estate.review import review

INVENTORY = Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv"


@pytest.fixture(scope="module")
def example():
    return review(INVENTORY)


def test_the_map_has_a_node_per_system_and_an_edge_per_pair(example):
    """Every system named as a source or target is a node; edges carry counts adding up to the connections."""
    data = map_data(example)
    table = example.inventory.table
    assert data["systems"] == len(set(table["source"]) | set(table["target"])) == len(data["nodes"])
    assert sum(e["count"] for e in data["edges"]) == data["connections"] == 51
    labels = {"API", "Events", "Batch", "Workflow", "Shared database", "Other", "(not given)"}
    assert {e["pattern"] for e in data["edges"]} <= labels


def test_a_large_estate_shows_its_busiest_systems_and_says_how_many(example):
    """With a limit of 3 only 3 systems are drawn, and the data still counts all of them."""
    data = map_data(example, limit=3)
    assert (data["shown"], data["systems"]) == (3, 62) and len(data["nodes"]) == 3
    ET.fromstring(estate_map_svg(example, limit=3))  # well-formed SVG


def test_the_pattern_mix_counts_match_the_review(example):
    """The bars count each assessed connection once in use and once recommended, labelled by the catalog."""
    bars = bar_data(example)
    assert sum(b["current"] for b in bars) == sum(b["recommended"] for b in bars) == example.assessed == 48
    assert [b["label"] for b in bars][:4] == ["API", "Events", "Batch", "Workflow"]
    assert matrix_data(example)["columns"] == ["API", "Events", "Batch", "Workflow", "Undecided"]


def test_the_page_fetches_nothing_and_escapes_the_estate(tmp_path: Path):
    """The page forbids every fetch by its CSP, and a system named with markup shows as text."""
    csv = tmp_path / "inv.csv"
    csv.write_text("id,name,source,target,current_pattern\nC-1,x,<script>alert(1)</script>,Ledger,api\n")
    page = report_html(review(csv))
    assert "default-src 'none'" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    written = write_html_report(review(csv), tmp_path / "report.html")
    assert written.read_text() == page


def test_writing_into_a_missing_folder_says_to_create_it(example, tmp_path: Path):
    """A target in a folder that is not there, or not an .html file, is an InputError saying what to do."""
    with pytest.raises(InputError) as raised:
        write_html_report(example, tmp_path / "nowhere" / "report.html")
    assert raised.value.what == f"the folder '{tmp_path / 'nowhere'}' does not exist"
    assert raised.value.fix == "create it first"
    with pytest.raises(InputError, match=r"is not an \.html file"):
        write_html_report(example, tmp_path / "report.pdf")
