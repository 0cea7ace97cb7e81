"""The estate dashboard without a browser: loading, filtering, escaping, charts and downloads."""

from __future__ import annotations

import base64
import csv
import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from patternfit.apps.estate.app import EstateApp
from patternfit.apps.estate.results import ResultsView, pick_options
from patternfit.apps.estate.tables import ROWS_SHOWN, filtered, table_html
from patternfit.charts.estate import estate_charts
from patternfit.estate.review import review

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv"


@pytest.fixture(scope="module")
def app():
    app = EstateApp()
    app.state.load_example()
    return app


def _links(html: str) -> dict[str, bytes]:
    return {
        name: base64.b64decode(data)
        for name, data in re.findall(r'download="([^"]+)" href="data:[^;]+(?:;charset=utf-8)?;base64,([^"]+)"', html)
    }


def test_example_button_loads_the_example(app):
    """'Load the example inventory' reviews data/examples/inventory.csv and shows the results."""
    assert app.state.review is not None and app.state.review.findings.summary["connections"] == 51
    assert app.results_box.layout.display is None and app.error_box.value == ""
    assert "<b>48</b> assessed (<b>1</b> undecided), <b>3</b> with unreadable cells" in app.results.validation.value
    assert "a whole number ≥ 1" in app.results.validation.value
    # the technology catalogue reads `kafka` in current_pattern as Events (issue 14): no longer refused
    assert "kafka" not in app.results.validation.value
    assert app.results.owner.options[0] == "All owners" and "Data &amp; Analytics" not in app.results.owner.options
    assert "Data & Analytics" in app.results.owner.options


def test_views_filter_by_kind_owner_and_search(app):
    """The table shows mismatches, workshop candidates, undecided rows, bridges, error rows or all rows, by owner
    and search text."""
    app.state.set_view("mismatches")
    assert len(app.state.table_frame()) == 18 and app.state.table_frame()["gap"].dropna().is_monotonic_decreasing
    app.state.set_view("mismatches", "Finance")
    assert set(app.state.table_frame()["id"]) == {"INT-015", "INT-016"}
    app.state.set_view("workshop")
    assert app.state.table_frame()["id"].tolist() == ["INT-047", "INT-048"]
    app.state.set_view("undecided")
    frame = app.state.table_frame()
    assert frame["id"].tolist() == ["INT-044"] and frame["reason"].iloc[0] == "Events and Workflow fit equally well"
    assert (
        "<th>what to ask</th>" in app.results.table.value
        and "Events and Workflow fit equally well" in app.results.table.value
    )
    app.state.set_view("bridges")
    assert app.state.table_frame().empty and "No connections match." in app.results.table.value
    app.state.set_view("errors")
    assert app.state.table_frame()["id"].tolist() == ["INT-049", "INT-050", "INT-051"]
    app.state.set_view("all", search="LOYALTY")
    assert set(app.state.table_frame()["id"]) == {"INT-004", "INT-034"}
    assert "INT-034" in app.results.table.value
    app.state.set_view("mismatches")


def test_downloads_hold_the_report(app):
    """The page's CSV and XLSX links carry the full report of the example."""
    links = _links(app.results.downloads.value)
    assert set(links) == {"inventory-report.csv", "inventory-report.xlsx"}
    rows = list(csv.DictReader(io.StringIO(links["inventory-report.csv"].decode("utf-8-sig"))))
    assert len(rows) == 51 and rows[1]["mismatch"] == "true"
    assert openpyxl.load_workbook(io.BytesIO(links["inventory-report.xlsx"])).sheetnames[:2] == ["report", "summary"]


def test_uploaded_text_is_escaped_everywhere():
    """Names, values and the file name from an upload are shown as text, never as markup."""
    app = EstateApp()
    evil = "<img src=x onerror=alert(1)>"
    data = f'id,name,owner,latency_budget\n"<b>evil-id</b>","{evil}","<i>team</i>",{evil}\n'.encode()
    app.state.load_bytes(data, "<script>.csv")
    app.state.set_view("all")
    for html in (
        app.results.validation.value,
        app.results.table.value,
        app.results.summary.value,
        app.results.downloads.value,
    ):
        assert "<img" not in html and "<script>" not in html and "<b>evil-id</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in app.results.table.value
    assert "&lt;script&gt;.csv" in app.results.validation.value


def test_bad_upload_shows_one_error_and_no_results():
    """A file that cannot be read shows its one-line error in the pf-error box; the results are hidden."""
    app = EstateApp()
    app.state.load_example()
    app.state.load_bytes(b"\x00\x01binary", "photo.csv")
    assert "photo.csv: is not a text file" in app.error_box.value and 'class="pf-error-text"' in app.error_box.value
    assert app.state.review is None and app.results_box.layout.display == "none"
    assert app.progress.layout.display == "none"


def test_upload_widget_value_is_consumed():
    """A FileUpload value is reviewed and then cleared, so the same file can be uploaded again."""
    app = EstateApp()
    app.upload_changed({"new": ({"name": "inventory.csv", "content": memoryview(EXAMPLE.read_bytes())},)})
    assert app.state.review is not None and app.state.review.inventory.rows == 51
    assert app.upload.value == ()


def test_charts_are_built_from_the_summaries():
    """The four charts: matrix (48 assessed, 1 undecided), owners (six), gaps (17 at or above 0.25: the 18th
    mismatch, INT-044, is undecided and has no gap), pitfalls (the most frequent first)."""
    result = review(EXAMPLE)
    charts = estate_charts(result)
    assert set(charts) == {"matrix", "owners", "gaps", "pitfalls"}
    assert sum(map(sum, charts["matrix"]["data"][0]["z"])) == 48
    assert charts["matrix"]["data"][0]["x"][-1] == "undecided"
    assert set(charts["owners"]["data"][0]["y"]) == {
        "Commerce",
        "Finance",
        "Logistics",
        "Customer",
        "Data & Analytics",
        "People",
    }
    gaps = charts["gaps"]["data"][0]
    assert sum(y for x, y in zip(gaps["x"], gaps["y"], strict=True) if x >= 0.25) == 17
    assert charts["pitfalls"]["data"][0]["y"][0].startswith(str(result.findings.pitfalls["id"].iloc[0]))


def test_long_tables_are_cut_with_a_note():
    """More than ROWS_SHOWN rows: the first ROWS_SHOWN are drawn and the note says how many there are."""
    result = review(EXAMPLE)
    frame = filtered(result, "all")
    long = frame.loc[frame.index.repeat(10)].reset_index(drop=True)
    html = table_html(long)
    assert html.count("<tr>") == ROWS_SHOWN + 1
    assert f"first {ROWS_SHOWN:,} of {len(long):,}" in html


PROFILE = b"""name: Acme <b>office</b>
version: '2.0'
author: Integration CoE
changes:
  - {weight: coordinated_steps, to: 6, reason: our flows are long}
"""


def _upload_change(data: bytes, name: str) -> dict:
    return {"new": ({"name": name, "content": memoryview(data)},)}


def test_profile_upload_reruns_the_review_and_names_it():
    """An uploaded profile re-runs the review with it; the summary, the downloads and the report name it."""
    app = EstateApp()
    app.state.load_example()
    before = app.state.review.results["recommended"].astype(object).tolist()
    app.profile_changed(_upload_change(PROFILE, "acme.yaml"))
    assert app.profile_upload.value == () and app.error_box.value == ""
    expected = review(EXAMPLE, profile=yaml.safe_load(PROFILE)).results["recommended"].astype(object).tolist()
    after = app.state.review.results["recommended"].astype(object).tolist()
    assert after == expected and after != before  # the weight flips at least one connection
    assert app.state.review.profile["name"] == "Acme <b>office</b>"
    label = "Acme &lt;b&gt;office&lt;/b&gt;, version 2.0"
    assert label in app.results.summary.value and label in app.basis.value and "acme.yaml" in app.basis.value
    assert "<b>office</b>" not in app.results.summary.value + app.basis.value + app.results.downloads.value
    links = _links(app.results.downloads.value)
    assert set(links) == {"inventory-report-acme-b-office-b-2.0.csv", "inventory-report-acme-b-office-b-2.0.xlsx"}
    rows = list(csv.DictReader(io.StringIO(links["inventory-report-acme-b-office-b-2.0.csv"].decode("utf-8-sig"))))
    assert {r["profile"] for r in rows} == {"Acme <b>office</b>, version 2.0"}
    assert [r["recommended"] or None for r in rows] == [v if isinstance(v, str) else None for v in expected]
    app.state.clear_profile()
    assert (
        app.state.review.profile is None and app.state.review.results["recommended"].astype(object).tolist() == before
    )
    assert "reference model" in app.basis.value and app.profile_clear.layout.display == "none"


def test_profile_before_inventory_is_used_for_it():
    """A profile uploaded before any inventory is kept and used when the inventory arrives."""
    app = EstateApp()
    assert app.state.load_profile_bytes(PROFILE, "acme.yaml") and app.state.review is None
    assert app.results_box.layout.display == "none" and "Acme" in app.basis.value
    app.state.load_example()
    assert app.state.review.profile["version"] == "2.0"


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (
            b"name: X\nversion: 1\nchanges:\n  - {weight: latency_budjet, to: 2, reason: r}\n",
            "bad.yaml: changes[0].weight: unknown characteristic &#39;latency_budjet&#39; (did you mean",
        ),
        (b"name: X\nversion: 1\ncolour: red\n", "bad.yaml: colour: unknown key"),
        (b"name: X\nversion: [1\n", "bad.yaml, line 3: YAML syntax error"),
        (b"\x00\x01binary", "bad.yaml: looks like a binary file, not a profile"),
    ],
)
def test_bad_profile_shows_one_banner_and_keeps_the_page(content, shown):
    """A bad profile: one line in the error banner naming the file and key; review, profile and page stay."""
    app = EstateApp()
    app.state.load_example()
    assert app.state.load_profile_bytes(PROFILE, "acme.yaml")
    kept = app.state.review
    assert not app.state.load_profile_bytes(content, "bad.yaml")
    assert shown in app.error_box.value and 'class="pf-error-text"' in app.error_box.value
    assert app.error_box.value.count("<div") == 1 and "Traceback" not in app.error_box.value
    assert app.state.review is kept and app.results_box.layout.display is None
    assert app.state.profile_file == "acme.yaml" and "Acme" in app.basis.value
    app.state.load_example()  # the next good action clears the banner
    assert app.error_box.value == "" and app.state.review.profile["name"].startswith("Acme")


WORKSPACE = b"""{"name": "Shop", "model": {"softwareSystems": [
  {"id": "1", "name": "Shop", "relationships": [{"id": "r1", "sourceId": "1", "destinationId": "2",
     "description": "Sends order created events", "technology": "Apache Kafka", "interactionStyle": "Asynchronous"}]},
  {"id": "2", "name": "Billing <b>", "relationships": [{"id": "r2", "sourceId": "2", "destinationId": "1",
     "description": "Asks for prices", "technology": "REST/JSON", "interactionStyle": "Synchronous"}]}]}}"""


def test_a_structurizr_upload_opens_in_the_decide_dashboard(model):
    """An architecture model is read like an inventory; a chosen connection becomes a connection
    file the decide dashboard opens pre-filled (name, the answers the source gave, the pattern in use)."""
    from patternfit.apps.decide.app import DecisionApp

    estate = EstateApp(model)
    estate.state.load_bytes(WORKSPACE, "workspace.json")
    assert estate.error_box.value == "" and estate.state.review is not None
    assert estate.state.review.findings.summary["connections"] == 2
    estate.state.set_view("all")
    ids = [v for _, v in estate.results.open_pick.options if v]
    assert len(ids) == 2
    estate.results.open_pick.value = ids[0]
    assert "<b>" not in estate.results.open_link.value.replace("<b>Open", "")  # the system name is escaped
    files = _links(estate.results.open_link.value)
    assert len(files) == 1 and "decide.ipynb" in estate.results.open_link.value
    decide = DecisionApp(model, example=None, samples=0)
    assert decide.load_file(next(iter(files.values())), next(iter(files)))
    assert decide.name.value == "Shop → Billing <b>"
    assert decide.proposed.get("pattern") == "events"
    assert decide.connection.characteristics.get("temporal_decoupling") is True


def test_a_spreadsheet_with_its_own_columns_is_read_through_a_mapping(model):
    """An EA tool's export with its own headers is read once a column mapping is uploaded; a bad
    mapping is refused in the banner."""
    export = (
        b"Interface Name,Provider Application,Consumer Application,Technology,Frequency,Owner Team\n"
        b"Price feed,ERP,Shop,SFTP,Daily,Commerce\nStock lookup,WMS,Shop,REST,Real-time,Logistics\n"
    )
    mapping = (
        b"columns: {Interface Name: name, Provider Application: source, Consumer Application: target,\n"
        b"          Technology: technology, Frequency: latency_budget, Owner Team: owner}\n"
        b"values: {latency_budget: {Real-time: seconds, Daily: days}}\n"
    )
    estate = EstateApp(model)
    assert not estate.state.load_mapping_bytes(b"just: text\n", "bad.yaml")
    assert "bad.yaml" in estate.error_box.value
    assert estate.state.load_mapping_bytes(mapping, "mapping.yaml")
    assert "mapping.yaml" in estate.mapping_line.value
    estate.state.load_bytes(export, "export.csv")
    assert estate.error_box.value == "", estate.error_box.value
    assert estate.state.review is not None and estate.state.review.findings.summary["connections"] == 2
    table = estate.state.review.inventory.table
    assert set(table["owner"]) == {"Commerce", "Logistics"}
    assert list(table["current_pattern"]) == ["batch", "api"]


def test_people_read_labels_in_the_tables(app, model):
    """Patterns by their labels, headers in words, the owners' spread in words: no internal keys."""
    app.state.set_view("mismatches")
    table = app.results.table.value
    assert "Shared database" in table and model.pattern("events").label in table
    for key in ("shared_database", "current_pattern", "runner_up", ">api<", ">events<"):
        assert key not in table, key
    app.state.set_view("workshop")
    assert "runner-up" in app.results.table.value and "runner_up" not in app.results.table.value
    summary = app.results.summary.value
    assert "effective use</th>" not in summary and "spread over about" in summary
    app.state.set_view("mismatches")


def test_the_template_is_a_download_not_a_folder(model):
    """The blank inventory comes as download buttons (the server refuses data/)."""
    estate = EstateApp(model)
    files = _links(estate.template.value)
    folder = model.directory / "inventory"
    assert files == {
        "inventory-template.xlsx": (folder / "template.xlsx").read_bytes(),
        "inventory-template.csv": (folder / "template.csv").read_bytes(),
    }


def test_a_script_in_an_owner_name_or_description_is_text_in_every_table(model):
    """<script> in an owner, a name and a description (a Structurizr workspace) is escaped in the
    connections table, the owners table, the choice to open and the open link."""
    script = "<script>alert(1)</script>"
    workspace = (
        '{"name": "Shop", "model": {"softwareSystems": ['
        f'{{"id": "1", "name": "Shop {script}", "relationships": [{{"id": "r1", "sourceId": "1", '
        f'"destinationId": "2", "description": "Sends {script}", "technology": "Apache Kafka"}}]}},'
        f'{{"id": "2", "name": "Billing"}}]}}}}'
    ).encode()
    inventory = f'id,name,owner,latency_budget\nX1,"{script}","{script}",hours\n'.encode()
    for data, name in ((inventory, "inventory.csv"), (workspace, "workspace.json")):
        app = EstateApp(model)
        assert app.state.load_bytes(data, name), app.state.error
        app.state.set_view("all")
        app.state.choose(next(v for _, v in app.results.open_pick.options if v))
        pages = (app.results.table.value, app.results.summary.value, app.results.open_link.value)
        for html in pages:
            assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in app.results.table.value


def test_the_served_page_draws_charts_and_downloads_only_in_view(model):
    """As served (lazy), the results' charts and downloads wait, marked pf-stale, until the browser
    says they are in view; then they are drawn, and a new review redraws what is in view at once."""
    app = EstateApp(model, lazy=True)
    assert app.results is None  # nothing below the uploads until a review
    app.state.load_example()
    view = app.results
    assert isinstance(view, ResultsView) and app.results_box.layout.display is None
    assert view.stale == {"matrix", "owners", "gaps", "pitfalls", "download"}
    assert "download links are made when you scroll here" in view.downloads.value
    assert all(out.outputs == () for out in view.charts.values())
    assert "<b>48</b> assessed" in view.validation.value and "18 connections" in view.table.value
    view.inview.seen = ["pf-estate-matrix", "pf-estate-owners"]
    assert len(view.charts["matrix"].outputs) == 1 and view.charts["gaps"].outputs == ()
    assert view.stale == {"gaps", "pitfalls", "download"}
    view.inview.seen = ["pf-estate-download"]
    assert "inventory-report.csv" in view.downloads.value
    app.state.load_bytes(EXAMPLE.read_bytes(), "again.csv")
    assert "again-report.csv" in view.downloads.value  # in view: redrawn at once
    assert view.stale == {"matrix", "owners", "gaps", "pitfalls"}  # out of view now: they wait


def test_a_bug_shows_in_the_banner_not_as_a_traceback(model, monkeypatch):
    """An unexpected failure while reading (a bug) is one line in the error banner; the upload
    button is cleared and the page keeps working."""

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    app = EstateApp(model)
    monkeypatch.setattr("patternfit.estate.importers.read_source", broken)
    content = EXAMPLE.read_bytes()
    app.upload.value = (  # as the browser sends a chosen file
        {"name": "inventory.csv", "type": "text/csv", "size": len(content), "content": memoryview(content),
         "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},
    )  # fmt: skip
    assert "Something went wrong (RuntimeError)" in app.error_box.value and "Traceback" not in app.error_box.value
    assert app.state.review is None and app.upload.value == () and app.progress.layout.display == "none"
    monkeypatch.undo()
    assert app.state.load_example() and app.error_box.value == ""


def test_the_page_opens_without_the_reviews_stack():
    """Building the served page loads neither pandas, the importers, plotly nor plotly's renderers
    (nbformat, jsonschema: 5 s here): they load with the first review (issue 22: open fast)."""
    code = (
        "import sys\n"
        "from patternfit.apps.estate import build_estate_app\n"
        "build_estate_app()\n"
        "heavy = ('pandas', 'plotly', 'nbformat', 'patternfit.estate.importers', 'patternfit.apps.estate.results')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_connections_offered_to_open_are_the_tables_first_rows(app):
    """The choice to open in decide lists each id the table shows once, with its name, up to ROWS_SHOWN."""
    frame = app.state.table_frame()
    options = pick_options(frame)
    assert options[0] == ("— choose a connection —", "") and len(options) == len(set(frame["id"])) + 1
    assert options[1] == (f"{frame['id'][0]}: {frame['name'][0]}", frame["id"][0])
    long = frame.loc[frame.index.repeat(20)].reset_index(drop=True)
    long["id"] = [f"X{i}" for i in range(len(long))]
    assert len(pick_options(long)) == ROWS_SHOWN + 1
