"""patternfit.settings: every PATTERNFIT_* setting read from the environment when asked for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from patternfit import settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        settings.DATA,
        settings.PROFILE,
        settings.DECISIONS,
        settings.WORKSHOPS,
        settings.DRAFTS,
        settings.THREADS,
        settings.ROOMS_DB,
        settings.ROOM_URL,
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_point_at_the_shipped_model_and_the_checkout():
    """Unset, the model is the one shipped (this checkout's data/) and decisions go under docs/."""
    assert settings.data_dir() == settings.shipped_data_dir()
    assert (settings.data_dir() / "sources.yaml").is_file()
    assert settings.home() == ROOT
    assert settings.decisions_dir() == ROOT / "docs" / "decisions"
    assert settings.profile_path() is None and settings.room_url() == ""
    assert settings.rooms_db() == str((ROOT / "workshops").resolve() / "rooms.sqlite3")


def test_the_environment_is_read_when_asked_not_at_import(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A setting changed after import is seen at the next call (values are stripped, URLs lose their slash)."""
    monkeypatch.setenv(settings.DATA, f" {tmp_path} ")
    monkeypatch.setenv(settings.WORKSHOPS, str(tmp_path / "w"))
    monkeypatch.setenv(settings.ROOM_URL, "http://10.0.0.5:8866/")
    monkeypatch.setenv(settings.THREADS, "3")
    assert settings.data_dir() == tmp_path
    assert settings.shipped_data_dir() != tmp_path
    assert settings.workshops_dir() == tmp_path / "w"
    assert settings.rooms_db() == str((tmp_path / "w").resolve() / "rooms.sqlite3")
    assert settings.room_url() == "http://10.0.0.5:8866"
    assert settings.threads() == 3


@pytest.mark.parametrize("value", ["0", "-2", "many", ""])
def test_a_bad_thread_count_falls_back_to_the_cores(monkeypatch: pytest.MonkeyPatch, value: str):
    """PATTERNFIT_THREADS that is not a positive whole number is ignored, never a crash or zero threads."""
    monkeypatch.setenv(settings.THREADS, value)
    assert settings.threads() == len(os.sched_getaffinity(0)) >= 1
