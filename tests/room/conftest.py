"""The room tests run against both stores: SQLite in a temp folder and a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from patternfit.room.store import RoomStore

from tests.room.postgres import running_postgres, server_bin


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
