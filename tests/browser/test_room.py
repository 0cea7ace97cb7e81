"""The room as a workshop uses it: the facilitator's workshop page in Voila opens a room; several
real Chromium pages answer as phones (no kernel each: the phone page is served by Voila's own
tornado); answers stay hidden until the reveal; the facilitator reveals, settles a dispute, puts
the room's answers on the dashboard and downloads a record that carries the room."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from patternfit.room.store import RoomStore
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import axe_findings, describe
from tests.voila_proc import ROOT, free_port, start_voila, stop

SLOW = 120_000
WORKSHOP = "/voila/render/workshop.ipynb"
FANOUT = yaml.safe_load((ROOT / "data" / "examples" / "order-created-fanout.yaml").read_text())["characteristics"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def room_voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A Voila of its own over a fresh rooms store: (base URL, store path)."""
    store = str(tmp_path_factory.mktemp("rooms") / "rooms.sqlite3")
    port = free_port()
    proc = start_voila("notebooks", port, log=ROOT / "artifacts" / "voila-room.log", env={"PATTERNFIT_ROOMS_DB": store})
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        stop(proc)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """new_page(width, height, phone=False): a page in a browser context of its own (own storage)."""
    made: list[BrowserContext] = []

    def make(width: int, height: int, *, phone: bool = False) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                      has_touch=phone, accept_downloads=True)  # fmt: skip
        made.append(context)
        return context.new_page()

    yield make
    for context in made:
        context.close()


def answer(phone: Page, answers: dict[str, Any], role: str) -> None:
    """Answer as a person does: type the role, tick each answer."""
    phone.locator("#pf-role").fill(role)
    phone.locator("#pf-role").dispatch_event("change")
    for key, value in answers.items():  # each option's value is the answer as JSON
        phone.locator(f"input[name='{key}'][value='{json.dumps(value)}']").check()


def test_the_room_join_answer_reveal_settle_and_record(
    new_page: Callable[..., Page], room_voila: tuple[str, str]
) -> None:
    """Three phones answer; the count rises with nothing shown; the reveal names the dispute and who
    would flip it; settling moves on; the record downloaded carries the room."""
    url, store_path = room_voila
    facilitator = new_page(1440, 1000)
    facilitator.goto(f"{url}{WORKSHOP}", wait_until="domcontentloaded", timeout=SLOW)
    expect(facilitator.locator(".pf-recommendation .pf-pattern")).to_have_text("Events", timeout=SLOW)
    facilitator.locator(".pf-room-open").click()
    link = facilitator.locator(".pf-room-join a").first
    expect(link).to_have_attribute("href", _starts(f"{url}/room/"), timeout=SLOW)
    room_url = str(link.get_attribute("href"))
    expect(facilitator.locator(".pf-room-qr svg")).to_be_attached()

    people = [
        ("development", FANOUT),
        ("development", FANOUT),
        ("ops", {**FANOUT, "counterpart_capability": "file_only"}),
    ]
    phones = []
    for role, answers in people:
        phone = new_page(390, 844, phone=True)
        phone.goto(room_url)
        answer(phone, answers, role)
        expect(phone.locator("#pf-status")).to_contain_text("Saved: 18 of 18", timeout=10_000)
        phones.append(phone)

    expect(facilitator.locator(".pf-room-answered")).to_have_text("3", timeout=5_000)
    assert facilitator.locator(".pf-room-result").inner_text().strip() == ""
    assert "Files only" not in facilitator.locator(".pf-room").inner_text()

    phones[0].reload()  # the phone keeps its id and answers across a reload
    expect(phones[0].locator("input[name='counterpart_capability'][value='\"messaging\"']")).to_be_checked()
    expect(phones[0].locator("#pf-status")).to_contain_text("Saved: 18 of 18", timeout=10_000)
    assert len(RoomStore(store_path).answer_sets(room_url.rsplit("/", 1)[1])) == 3

    facilitator.locator(".pf-room-reveal-button").click()
    dispute = facilitator.locator(".pf-room-dispute").first
    expect(dispute).to_contain_text("Counterpart capability", timeout=SLOW)
    expect(dispute).to_contain_text("if ops is right about counterpart capability")
    found = axe_findings(facilitator)  # the panel open and revealed: link, QR code, disputes, settle
    assert not found, describe(found)
    facilitator.locator(".pf-room-settle-value select").select_option(label="Messaging")
    facilitator.locator(".pf-room-settle").click()
    expect(facilitator.locator(".pf-room-settled")).to_contain_text("Counterpart capability = Messaging", timeout=SLOW)

    facilitator.locator(".pf-room-apply").click()
    facilitator.locator(".pf-record").last.scroll_into_view_if_needed()  # the record is prepared in view
    expect(facilitator.locator(".pf-record").last).to_contain_text("3 people answered in the room", timeout=SLOW)
    expect(facilitator.locator(".pf-download-md a")).to_have_count(1, timeout=SLOW)
    with facilitator.expect_download(timeout=SLOW) as info:
        facilitator.locator(".pf-download-md a").last.click()
    record = Path(info.value.path()).read_text(encoding="utf-8")
    assert "3 people answered in the room (development 2, ops 1)." in record
    assert "Counterpart capability — answers: Messaging 2, Files only 1; settled: Messaging." in record

    facilitator.locator(".pf-room-close").click()
    expect(facilitator.locator(".pf-room-count")).to_contain_text("Room closed", timeout=SLOW)
    phones[1].reload()
    expect(phones[1].locator("h1")).to_have_text("This room is closed")


def test_the_phone_page_is_accessible_and_fits_a_phone(new_page: Callable[..., Page],
                                                        room_voila: tuple[str, str]) -> None:  # fmt: skip
    """axe-core finds nothing serious on the phone page; at 360 and 414 px nothing scrolls sideways."""
    url, store_path = room_voila
    room = RoomStore(store_path).create("Orders", {"name": "Orders", "characteristics": {}}, list(FANOUT))
    for width in (360, 414):
        phone = new_page(width, 800, phone=True)
        phone.goto(f"{url}{room.path}")
        expect(phone.locator("#pf-status")).to_contain_text("Saved: 0 of 18", timeout=10_000)
        found = axe_findings(phone)
        assert not found, describe(found)
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= width


def _starts(prefix: str) -> Any:
    import re

    return re.compile("^" + re.escape(prefix))
