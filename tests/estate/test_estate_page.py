"""The HTML report and the estate map: one self-contained page, labels escaped, mismatches marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from patternfit.charts.estate_page import estate_map_svg, map_data, report_html, write_html_report
from patternfit.errors import InputError
from patternfit.estate.review import read_inventory_bytes, review

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "inventory.csv"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def example():
    return review(EXAMPLE)


def test_map_has_a_node_per_system_and_coloured_marked_edges(example):
    """Systems are nodes, connections edges coloured by the pattern in use; pairs with a mismatch are dashed."""
    data = map_data(example)
    table = example.inventory.table
    systems = set(table["source"].astype(str)) | set(table["target"].astype(str))
    assert data["systems"] == len(systems) == len(data["nodes"])
    assert sum(e["count"] for e in data["edges"]) == 51
    assert sum(e["mismatches"] for e in data["edges"]) == 18
    svg = estate_map_svg(example)
    assert svg.count('class="pf-edge pf-mismatch"') == sum(1 for e in data["edges"] if e["mismatches"])
    assert ('stroke="#0072B2"' in svg and "Synchronous API" in svg) or "API" in svg
    assert all(0 <= n["x"] <= data["width"] and 0 <= n["y"] <= data["height"] for n in data["nodes"])


def test_large_estates_show_the_busiest_systems_only():
    """A map of more systems than MAP_NODES keeps the busiest and says how many."""
    rows = "".join(f"R{i},S{i % 400},T{i % 7},api\n" for i in range(2000))
    result = review(read_inventory_bytes(("id,source,target,current_pattern\n" + rows).encode(), "big.csv"))
    data = map_data(result, limit=50)
    assert data["shown"] == 50 and data["systems"] == 407
    assert {f"T{i}" for i in range(7)} <= {n["name"] for n in data["nodes"]}


def test_page_is_self_contained_and_escapes_estate_text():
    """No script, link or remote URL; a CSP forbids fetching; a name with markup stays text."""
    result = review(FIXTURES / "structurizr" / "workspace.json")
    page = report_html(result)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "Carrier &lt;Hub&gt; &amp; Co" in page and "Carrier <Hub>" not in page
    assert "What to ask, per connection" in page and "Works when receiver is down" in page
    assert "&#39;c9&#39; names no element" in page  # not read, listed (escaped)


def test_page_lists_mismatches_with_labels_not_keys(example, tmp_path):
    """The findings table names patterns as people read them; the page is written atomically."""
    path = write_html_report(example, tmp_path / "report.html")
    page = path.read_text()
    assert "Mismatches (18)" in page and "INT-002" in page
    table = page[page.index('class="pf-mismatches"') :]
    assert "<td>Batch</td>" in table and "<td>batch</td>" not in table
    assert page.count("<svg") == 3  # map, mix, matrix


@pytest.mark.parametrize(("name", "what"), [("r.pdf", "not an .html file"), ("no/such/r.html", "does not exist")])
def test_bad_page_targets(example, tmp_path, name, what):
    """A wrong suffix or a missing folder: InputError, nothing written."""
    with pytest.raises(InputError, match=what):
        write_html_report(example, tmp_path / name)


def test_technology_chart_stacks_each_owners_technologies():
    """One trace per technology, one bar per owner; an estate without technologies says so."""
    from patternfit.charts.estate import technology_chart

    text = "id,owner,technology\nA,Shop,RabbitMQ\nB,Shop,Amazon SQS\nC,Billing,REST\nD,Shop,RabbitMQ\n"
    chart = technology_chart(review(read_inventory_bytes(text.encode(), "inv.csv")))
    traces = {t["name"]: dict(zip(t["x"], t["y"], strict=True)) for t in chart["data"]}
    assert traces["RabbitMQ"] == {"Billing": 0, "Shop": 2} and traces["REST"]["Billing"] == 1
    assert technology_chart(review(read_inventory_bytes(b"id\nA\n", "x.csv")))["data"] == []


def test_page_lists_the_undecided_with_what_to_ask_and_the_bridges_to_build():
    """A blank row is undecided (no recommendation, the questions to ask first); an events row whose
    counterpart offers only APIs is listed with the bridges that would close the gap."""
    text = (
        "id,name,response_expectation,interaction_intent,consumer_count,temporal_decoupling,counterpart_capability\n"
        "A,<b>blank</b>,,,,,\n"
        "B,Order created,none,fact_notification,4,true,api\n"
    )
    result = review(read_inventory_bytes(text.encode(), "inv.csv"))
    assert result.results["recommended"].astype(object).tolist()[1] == "events"
    page = report_html(result)
    assert "Undecided (1)" in page and "no answer tells the patterns apart yet" in page
    assert "&lt;b&gt;blank&lt;/b&gt;" in page and "<b>blank</b>" not in page
    assert re.search(r"<td>Response expected; [^<]+; [^<]+</td>", page)
    assert "Bridges to build (1)" in page and "K-BRIDGE-EVENTS-API" in page
    assert "a webhook subscription or an adapter that polls the API" in page
    assert "<title>Undecided: 1 with no pattern recommended yet</title>" in page
