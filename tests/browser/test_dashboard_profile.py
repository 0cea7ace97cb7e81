"""Organisation profiles and the pattern guide in the published dashboard: Voila serving
notebooks/decide.ipynb, a visitor uploading a real profile file in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import choose_file
from tests.browser.test_dashboard import SLOW, Shot, card, choose, open_dashboard, settle

pytestmark = pytest.mark.browser

# Orchestrating every multi-step flow turns the shipment example (Events) into Workflow orchestration.
ACME = """\
name: Acme <integration office>
version: "2.1"
author: Integration CoE
changes:
  - {weight: coordinated_steps, to: 10, reason: "our choreographies <b>fail silently</b>"}
  - {fit: coordinated_steps, answer: "3", pattern: workflow, to: 2, reason: we run Temporal}
  - {fit: coordinated_steps, answer: "3", pattern: events, to: -1, reason: hard to follow}
"""


def open_panel(page: Page, css: str) -> None:
    """Open an accordion of the page by clicking its title."""
    page.locator(f"{css} .jupyter-widget-Collapse-header").first.click()


def upload_profile(page: Page, path: Path) -> None:
    """Choose a file with the profile panel's upload button, once the panel shows it."""
    expect(page.locator(".pf-profile-upload")).to_be_visible(timeout=SLOW)
    choose_file(page, ".pf-profile-upload", path, SLOW)


def test_upload_a_profile_then_read_the_guide(page: Page, voila_url: str, shot: Shot, tmp_path: Path) -> None:
    """A profile file flips the recommendation and is named on the card; the guide opens on it."""
    open_dashboard(page, voila_url)
    choose(page, ".pf-examples", "Shipment dispatched reactions")
    expect(card(page)).to_have_text("Events")
    expect(page.locator(".pf-card-profile")).to_have_count(0)

    profile = tmp_path / "acme.yaml"
    profile.write_text(ACME, encoding="utf-8")
    open_panel(page, ".pf-profile-panel")
    upload_profile(page, profile)
    expect(card(page)).to_have_attribute("data-pattern", "workflow", timeout=SLOW)  # (low confidence)
    expect(page.locator(".pf-card-profile")).to_have_text("Organisation profile: Acme <integration office> version 2.1")
    changes = page.locator(".pf-profile-changes li")
    expect(changes).to_have_count(3)
    expect(changes.first).to_contain_text("Why: our choreographies <b>fail silently</b>")  # shown as text
    expect(page.locator(".pf-profile-panel")).to_contain_text("“Acme <integration office>” version 2.1")
    expect(page.locator(".pf-error")).to_be_hidden()
    settle(page)
    shot(page, "01-profile-applied")

    open_panel(page, ".pf-guide")
    current = page.locator(".pf-guide-tabs .lm-TabBar-tab.lm-mod-current")
    expect(current).to_have_text("★ Workflow orchestration", timeout=SLOW)  # short: longer titles were cut off
    label = current.locator(".lm-TabBar-tabLabel")
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the tab title is cut off"
    expect(page.locator(".pf-guide-workflow strong").first).to_have_text("Use it when")  # rendered Markdown
    expect(page.locator(".pf-guide-workflow table")).to_have_count(1)
    expect(page.locator(".pf-guide-workflow")).to_contain_text("Operational checklist")
    page.locator(".pf-guide-tabs .lm-TabBar-tab", has_text="Batch").click()
    expect(page.locator(".pf-guide-batch")).to_contain_text("Avoid it when")
    shot(page, "02-guide")

    page.locator(".pf-profile-reset").click()
    expect(card(page)).to_have_text("Events", timeout=SLOW)
    expect(page.locator(".pf-card-profile")).to_have_count(0)
    expect(page.locator(".pf-guide-tabs .lm-TabBar-tab", has_text="★ Events")).to_have_count(1)


def test_a_bad_profile_shows_the_banner(page: Page, voila_url: str, shot: Shot, tmp_path: Path) -> None:
    """A profile moving a fit value too far is refused in the banner; the recommendation stays."""
    open_dashboard(page, voila_url)
    bad = tmp_path / "too-far.yaml"
    bad.write_text(ACME.replace("to: 2", "to: 3"), encoding="utf-8")
    open_panel(page, ".pf-profile-panel")
    upload_profile(page, bad)
    banner = page.locator(".pf-error")
    expect(banner).to_be_visible(timeout=SLOW)
    expect(banner).to_contain_text("too-far.yaml: changes[1].to: 3 is outside")
    expect(card(page)).to_have_text("Events")
    expect(page.locator(".pf-card-profile")).to_have_count(0)
    shot(page, "03-bad-profile")
