"""Shared fixtures (the model, the example connections, a decision record) and small helpers."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from patternfit import assess
from patternfit.model.catalog import Model, load_model
from patternfit.records import DecisionRecord, RecordMeta, build_record
from patternfit.room.store import RoomStore

from tests.room.postgres import running_postgres, server_bin

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "examples"


@pytest.fixture(autouse=True)
def _no_foreign_event_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Outside the browser tests, no event loop runs in the test's thread: Playwright's sync API,
    started by a browser test earlier in the session, leaves its loop registered as running there,
    and a page's code (the drafts' throttle) would take it for a kernel's loop that never runs."""
    loop = asyncio._get_running_loop()
    if loop is None or request.node.get_closest_marker("browser") is not None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.fixture(scope="session")
def model() -> Model:
    return load_model()


@pytest.fixture(scope="session")
def examples() -> dict[str, Path]:
    return {p.stem: p for p in sorted(EXAMPLES.glob("*.yaml"))}


@pytest.fixture(scope="session")
def record(model: Model) -> DecisionRecord:
    """The fan-out example's record, accepted, dated 2026-11-26."""
    a = assess(EXAMPLES / "order-created-fanout.yaml", samples=0, model=model)
    return build_record(a, RecordMeta(date="2026-11-26", status="accepted"), model)


def titled(record: DecisionRecord, title: str) -> DecisionRecord:
    """`record` under another title."""
    return dataclasses.replace(record, title=title, meta=dataclasses.replace(record.meta, title=title))


def all_widgets(root: Any) -> list[Any]:
    """`root` and every widget below it."""
    found, todo = [], [root]
    while todo:
        w = todo.pop()
        found.append(w)
        todo += list(getattr(w, "children", ()))
    return found


@pytest.fixture
def small_disk(tmp_path):
    """A real 64 KiB tmpfs folder (needs root, as on CI): for full-disk and read-only tests.

    yields (folder, fill, read_only): fill() uses up the space, read_only() remounts it read-only."""
    import os
    import subprocess

    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs for the disk tests: {mounted.stderr.decode().strip()}")
        pytest.skip("mounting a tmpfs needs root")

    def fill() -> None:
        try:
            with open(folder / ".filler", "wb", buffering=0) as out:
                while True:
                    out.write(b"\0" * 4096)
        except OSError:
            pass

    def read_only() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)

    try:
        yield folder, fill, read_only
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


# -- the room's stores: every room test runs against SQLite and a real PostgreSQL -------------
@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    if server_bin() is None:
        pytest.skip("PostgreSQL is not installed here: `make postgres` installs Debian's package (make test does)")
    with running_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A rooms store: a fresh SQLite file, or the session's PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "rooms.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_target: str) -> Iterator[RoomStore]:
    s = RoomStore(store_target)
    yield s
    s.close()
