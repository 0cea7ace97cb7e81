"""Browser tests: a real Voila serving the real notebooks, driven in Debian's chromium.

`voila_url` starts one Voila for the session (from the repository root, so the committed
voila.json applies) and yields its base URL; `shot(page, name)` keeps a screenshot of each
step under artifacts/screenshots/ to look at.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from patternfit.apps.common.visitor import ID_PATTERN, STORAGE_KEY

from tests.voila_proc import ROOT, free_port, start_voila, stop, wait_for_port

__all__ = ["ROOT", "free_port", "start_voila", "stop", "wait_for_port"]  # other helpers import these from here

ARTIFACTS = ROOT / "artifacts" / "screenshots"
DRAFTS = ROOT / "notebooks" / ".patternfit-drafts"  # the served notebooks' kernels run in notebooks/
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }  # fmt: skip


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1000}, "accept_downloads": True}


@pytest.fixture(scope="session")
def voila_url() -> Iterator[str]:
    """Base URL of a Voila serving notebooks/ with the committed voila.json."""
    port = free_port()
    proc = start_voila("notebooks", port, log=ROOT / "artifacts" / "voila.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@contextlib.contextmanager
def whole_page(page: Any) -> Iterator[None]:
    """Voila's lab template scrolls inside #rendered_cells, so a full-page screenshot would stop
    at the window: grow the viewport to the content for the shot, then restore it."""
    size = page.viewport_size
    height = page.evaluate(
        "() => { const c = document.querySelector('#rendered_cells');"
        " return c ? Math.ceil(c.getBoundingClientRect().top + c.scrollHeight) + 20 : 0; }"
    )
    grow = bool(size and height > size["height"])
    if grow:
        page.set_viewport_size({"width": size["width"], "height": min(int(height), 16000)})
        page.wait_for_timeout(400)  # let responsive charts settle at the new size
    try:
        yield
    finally:
        if grow:
            page.set_viewport_size(size)


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """shot(page, "03-knockout") saves a full-page screenshot for this test."""
    folder: Path = ARTIFACTS / str(request.node.name).replace("/", "_")
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = folder / f"{name}.png"
        with whole_page(page):
            page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def no_drafts() -> Iterator[Callable[[Any], str]]:
    """visitor(page) reads the visitor id the page's browser keeps (waiting for it); the drafts
    folders of the visitors read this way are removed after the test."""
    seen: set[str] = set()

    def visitor(page: Any) -> str:
        page.wait_for_function(f"() => localStorage.getItem({STORAGE_KEY!r})", timeout=120_000)
        found = str(page.evaluate(f"() => localStorage.getItem({STORAGE_KEY!r})"))
        assert ID_PATTERN.fullmatch(found), found
        seen.add(found)
        return found

    yield visitor
    for found in seen:
        shutil.rmtree(DRAFTS / found, ignore_errors=True)


def wait_for_draft(path: Path, text: str, within: float) -> float:
    """Seconds until the draft file at `path` holds `text`; fails after `within` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        try:
            if text in path.read_text(encoding="utf-8"):
                return time.monotonic() - start
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"{path} did not hold {text!r} within {within} s")


def choose_file(page: Any, hook: str, path: Path, timeout: float = 120_000) -> None:
    """Choose `path` with the upload button matching `hook`. ipywidgets 8 keeps its <input
    type=file> out of the DOM, so the file is set on the chooser the click opens rather than
    with set_input_files."""
    with page.expect_file_chooser(timeout=timeout) as chooser:
        page.locator(hook).click()
    chooser.value.set_files(str(path))
