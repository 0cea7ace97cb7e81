"""Hostile uploads in the published dashboards (Voila, headless Chromium): the files of the
hostile corpus (tests/io/test_hostile.py) are refused on the page with what was wrong, and the
visitor's kernel stays up — the next action still works."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import choose_file
from tests.browser.test_dashboard import SLOW, card, choose, open_dashboard
from tests.browser.test_estate_dashboard import open_estate, wait_for_charts
from tests.io.test_hostile import BOMB, EXAMPLE, _cell_bomb, _row_bomb

pytestmark = pytest.mark.browser


def test_decide_refuses_an_expansion_bomb_and_stays_up(page: Page, voila_url: str, tmp_path: Path) -> None:
    """A 4 KB connection whose aliases describe 2^45 items: the banner names it; an example still loads."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(EXAMPLE.read_text(encoding="utf-8") + BOMB + "x: *a45\n", encoding="utf-8")
    open_dashboard(page, voila_url)
    choose_file(page, ".pf-upload", bomb, SLOW)
    banner = page.locator(".pf-error")
    expect(banner).to_be_visible(timeout=SLOW)
    expect(banner).to_contain_text("bomb.yaml")
    expect(banner).to_contain_text("aliases expand to more than")
    choose(page, ".pf-examples", "Shipment dispatched reactions")
    expect(card(page)).to_have_text("Events", timeout=SLOW)


def test_estate_refuses_a_zip_bomb_and_stays_up(page: Page, voila_url: str, tmp_path: Path) -> None:
    """A workbook whose one cell unpacks to 300 million characters: refused with its numbers; the
    example still reviews afterwards."""
    args = _cell_bomb(tmp_path)
    workbook = Path(args[1])
    open_estate(page, voila_url)
    choose_file(page, ".pf-estate-upload", workbook, SLOW)
    error = page.locator(".pf-error")
    expect(error).to_contain_text("inventory.xlsx: unpacks to", timeout=SLOW)
    page.locator(".pf-estate-example").click()
    wait_for_charts(page)
    expect(page.locator(".pf-estate-summary")).to_contain_text("mismatches")


def test_calibrate_refuses_a_bomb_profile_and_a_row_bomb_and_stays_up(
    page: Page, voila_url: str, tmp_path: Path
) -> None:
    """A profile with an expansion bomb, then a workbook of four million empty rows: each refused on the
    page by name; the example inventory is still read afterwards."""
    page.goto(f"{voila_url}/voila/render/calibrate.ipynb", wait_until="domcontentloaded", timeout=SLOW)
    expect(page.locator(".pf-calibrate-effect")).to_contain_text("recommendations change", timeout=SLOW)
    profile = tmp_path / "acme.yaml"
    profile.write_text("name: Acme\nversion: 1\n" + BOMB + "changes: *a45\n", encoding="utf-8")
    choose_file(page, ".pf-calibrate-profile-upload", profile, SLOW)
    banner = page.locator(".pf-calibrate .pf-error")
    expect(banner).to_contain_text("aliases expand to more than", timeout=SLOW)
    workbook = Path(_row_bomb(tmp_path)[1])
    choose_file(page, ".pf-calibrate-inventory-upload", workbook, SLOW)
    expect(banner).to_contain_text("rows (Excel's limit)", timeout=SLOW)
    choose_file(page, ".pf-calibrate-inventory-upload", EXAMPLE.with_name("inventory.csv"), SLOW)
    box = page.locator(".pf-calibrate-inventory")
    expect(box).to_contain_text("inventory.csv: 51 connections, 48 assessed", timeout=SLOW)
