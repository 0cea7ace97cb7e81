"""The estate dashboard as a person uses it: Voila serving notebooks/estate.ipynb, headless Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import choose_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "inventory.csv"
SLOW = 120_000  # ms: kernel start and first render on a busy 2-core machine

pytestmark = pytest.mark.browser


def open_estate(page: Page, voila_url: str) -> None:
    page.goto(f"{voila_url}/voila/render/estate.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    page.locator(".pf-estate-upload").wait_for(timeout=SLOW)


def upload(page: Page, path: Path, hook: str = ".pf-estate-upload") -> None:
    choose_file(page, hook, path, SLOW)


def download_link(page: Page, suffix: str):
    """The report's download link: the page makes the links when their part comes into view."""
    page.locator(".pf-estate-download").scroll_into_view_if_needed()
    link = page.locator(f".pf-estate-download a[download$='{suffix}']")
    link.wait_for(timeout=SLOW)
    return link


def wait_for_charts(page: Page, names: tuple[str, ...] = ("matrix", "owners", "gaps", "pitfalls")) -> None:
    """The review's charts, each scrolled into view (the page draws a chart when it comes into view)."""
    page.locator(".pf-estate-summary").wait_for(timeout=SLOW)
    for name in names:
        chart = page.locator(f".pf-estate-chart-{name}")
        chart.scroll_into_view_if_needed(timeout=SLOW)
        chart.locator(".js-plotly-plot").wait_for(state="attached", timeout=SLOW)


def test_upload_inventory_see_charts_and_table_download_report(page: Page, voila_url: str, shot, tmp_path):
    """Upload the example inventory: validation, four charts, the findings table, CSV and XLSX downloads."""
    open_estate(page, voila_url)
    shot(page, "01-open")
    upload(page, EXAMPLE)
    wait_for_charts(page)
    validation = page.locator(".pf-estate-validation")
    expect(validation).to_contain_text("48 assessed (1 undecided), 3 with unreadable cells")
    expect(validation).not_to_contain_text("kafka")  # read as Events through the technology catalogue
    table = page.locator(".pf-estate-table")
    expect(table).to_contain_text("INT-002")
    expect(table).to_contain_text("Batch is ruled out (KO-1, KO-2)")
    expect(table).to_contain_text("18 connections")
    heatmap = page.evaluate(
        "() => document.querySelector('.pf-estate-chart-matrix .js-plotly-plot')"
        ".data[0].z.flat().reduce((a, b) => a + b, 0)"
    )
    assert heatmap == 48
    page.locator(".pf-estate-chart-gaps").scroll_into_view_if_needed()
    shot(page, "02-reviewed")

    page.locator(".pf-estate-filter-owner select").select_option("Finance")
    expect(table).to_contain_text("2 connections")
    expect(table).not_to_contain_text("INT-002")
    table.scroll_into_view_if_needed()
    shot(page, "03-finance")
    page.locator(".pf-estate-filter-owner select").select_option("All owners")
    page.locator(".pf-estate-filter-view select").select_option(label="Undecided: what to ask")
    expect(table).to_contain_text("Events and Workflow fit equally well")  # INT-044: a tie, no pattern shown
    expect(table).to_contain_text("what to ask")
    expect(page.locator(".pf-estate-summary")).to_contain_text("undecided")

    with page.expect_download(timeout=SLOW) as info:
        download_link(page, ".csv").click()
    download = info.value
    assert download.suggested_filename == "inventory-report.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 51
    by_id = {r["id"]: r for r in rows}
    assert by_id["INT-002"]["recommended"] == "api" and by_id["INT-002"]["mismatch"] == "true"
    assert by_id["INT-044"]["recommended"] == "" and by_id["INT-044"]["undecided"] == "true"
    assert by_id["INT-050"]["error"].startswith("consumer_count: 'many'")

    with page.expect_download(timeout=SLOW) as info:
        download_link(page, ".xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames == ["report", "summary", "mismatches", "workshop", "undecided", "problems"]
    assert book["report"].max_row == 52


def test_example_button_and_a_bad_upload(page: Page, voila_url: str, shot, tmp_path):
    """The example button fills the page without an upload; a binary file then shows one error, no results."""
    open_estate(page, voila_url)
    page.locator(".pf-estate-example").click()
    wait_for_charts(page)
    expect(page.locator(".pf-estate-summary")).to_contain_text("mismatches")
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\x00\x00\x00binary")
    upload(page, bad)
    error = page.locator(".pf-error")
    expect(error).to_contain_text("photo.csv: is not a text file")
    expect(page.locator(".pf-estate-table")).to_be_hidden()
    shot(page, "04-bad-upload")


def test_uploaded_markup_is_shown_as_text(page: Page, voila_url: str, tmp_path):
    """A name holding HTML is displayed literally: no element is created from it."""
    inventory = tmp_path / "evil.csv"
    inventory.write_text('id,name,owner,latency_budget\nX1,"<img id=pwned src=x onerror=alert(1)>",Ops,hours\n')
    open_estate(page, voila_url)
    upload(page, inventory)
    wait_for_charts(page)
    page.locator(".pf-estate-filter-view select").select_option(label="All rows")
    expect(page.locator(".pf-estate-table")).to_contain_text("<img id=pwned src=x onerror=alert(1)>")
    assert page.locator("#pwned").count() == 0


def test_profile_upload_reruns_and_names_it_a_bad_one_is_refused(page: Page, voila_url: str, shot, tmp_path):
    """Upload a profile: the review re-runs and the page and CSV name it; a bad profile shows one banner line."""
    profile = tmp_path / "acme.yaml"
    profile.write_text(
        "name: Acme integration office\nversion: '2.0'\nchanges:\n"
        "  - {weight: coordinated_steps, to: 6, reason: our flows are long}\n"
    )
    open_estate(page, voila_url)
    expect(page.locator(".pf-estate-basis")).to_contain_text("reference model")
    page.locator(".pf-estate-example").click()
    wait_for_charts(page)
    summary = page.locator(".pf-estate-summary")
    expect(summary).to_contain_text("Assessed with the reference model")
    upload(page, profile, ".pf-estate-profile-upload")
    expect(summary).to_contain_text("Assessed with the profile Acme integration office, version 2.0", timeout=SLOW)
    expect(page.locator(".pf-estate-basis")).to_contain_text("acme.yaml")
    shot(page, "05-profile")

    with page.expect_download(timeout=SLOW) as info:
        download_link(page, ".csv").click()
    assert info.value.suggested_filename == "inventory-report-acme-integration-office-2.0.csv"
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert {r["profile"] for r in rows} == {"Acme integration office, version 2.0"}
    assert {r["id"]: r["recommended"] for r in rows}["INT-044"] == "workflow"  # events under the reference model

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nversion: 1\nchanges:\n  - {weight: latency_budjet, to: 2, reason: r}\n")
    upload(page, bad, ".pf-estate-profile-upload")
    error = page.locator(".pf-error")
    expect(error).to_contain_text("bad.yaml: changes[0].weight: unknown characteristic 'latency_budjet'")
    expect(summary).to_contain_text("profile Acme integration office, version 2.0")
    expect(page.locator(".pf-estate-table")).to_be_visible()
    shot(page, "06-bad-profile")


WORKSPACE = """{"name": "Shop", "model": {"softwareSystems": [
  {"id": "1", "name": "Shop", "relationships": [{"id": "r1", "sourceId": "1", "destinationId": "2",
     "description": "Sends order created events", "technology": "Apache Kafka", "interactionStyle": "Asynchronous"}]},
  {"id": "2", "name": "Billing", "relationships": [{"id": "r2", "sourceId": "2", "destinationId": "1",
     "description": "Asks for prices", "technology": "REST/JSON", "interactionStyle": "Synchronous"}]}]}}"""


def test_template_download_and_a_mismatch_opened_in_decide(page: Page, voila_url: str, shot, tmp_path):
    """The template is a download button (the server refuses data/); a mismatch row becomes a
    connection file that the decide dashboard opens pre-filled."""
    open_estate(page, voila_url)
    with page.expect_download(timeout=SLOW) as info:
        page.locator(".pf-estate-template a[download$='.xlsx']").click()
    assert info.value.suggested_filename == "inventory-template.xlsx"
    assert Path(info.value.path()).read_bytes() == (ROOT / "data" / "inventory" / "template.xlsx").read_bytes()
    page.locator(".pf-estate-example").click()
    table = page.locator(".pf-estate-table")
    expect(table).to_contain_text("18 connections", timeout=SLOW)
    expect(table.locator("th", has_text="pattern in use")).to_have_count(1)
    expect(table).not_to_contain_text("shared_database")
    page.locator(".pf-estate-open-pick select").select_option(index=1)
    link = page.locator(".pf-estate-open a[download]")
    expect(link).to_be_visible(timeout=SLOW)
    with page.expect_download(timeout=SLOW) as info:
        link.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    expect(page.locator(".pf-estate-open a[href='decide.ipynb']")).to_have_count(1)
    shot(page, "01-open-in-decide")

    page.goto(f"{voila_url}/voila/render/decide.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    expect(page.locator(".pf-recommendation .pf-pattern")).to_be_visible(timeout=SLOW)
    choose_file(page, ".pf-upload", saved, SLOW)
    expect(page.locator(".pf-name input")).to_have_value("Order placed: loyalty points", timeout=SLOW)
    expect(page.locator(".pf-recommendation .pf-pattern")).to_have_text("Events", timeout=SLOW)
    shot(page, "02-decide")


def test_an_architecture_model_is_reviewed(page: Page, voila_url: str, shot, tmp_path):
    """A Structurizr workspace uploads like an inventory: its relationships become connections."""
    open_estate(page, voila_url)
    workspace = tmp_path / "workspace.json"
    workspace.write_text(WORKSPACE, encoding="utf-8")
    upload(page, workspace)
    expect(page.locator(".pf-estate-validation")).to_contain_text("Read 2 connections", timeout=SLOW)
    page.locator(".pf-estate-filter-view select").select_option(label="All rows")
    expect(page.locator(".pf-estate-table")).to_contain_text("Shop → Billing", timeout=SLOW)
    shot(page, "01-structurizr")
