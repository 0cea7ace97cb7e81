"""patternfit.apps.common.visitor: one visitor's drafts folder, and telling a published page from a notebook."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from patternfit.apps.common.visitor import VisitorId, under_voila, visitor_folder
from patternfit.errors import InputError


def test_a_visitor_id_gives_a_folder_inside_the_drafts(tmp_path: Path):
    """A UUID names its own folder inside the drafts folder, not made until a draft is saved."""
    visitor = str(uuid.uuid4())
    assert visitor_folder(tmp_path, visitor) == tmp_path / visitor
    assert not (tmp_path / visitor).exists()
    assert VisitorId().visitor == ""  # filled in by the browser


@pytest.mark.parametrize("visitor", ["../../etc", "", None, "x" * 500, "0" * 36])
def test_anything_but_a_uuid_is_refused(tmp_path: Path, visitor):
    """A path, an empty or missing id, or a long string is refused, quoting at most 60 characters."""
    with pytest.raises(InputError) as raised:
        visitor_folder(tmp_path, visitor)
    assert raised.value.where == "visitor id" and len(raised.value.what) < 100
    assert raised.value.fix == "expected a UUID from the browser"


def test_a_linked_folder_is_refused(tmp_path: Path):
    """A visitor folder that is a symbolic link (to anywhere) is refused, naming it."""
    visitor = str(uuid.uuid4())
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / visitor)
    with pytest.raises(InputError, match="is a link"):
        visitor_folder(tmp_path, visitor)


def test_voila_is_recognised_by_its_environment(monkeypatch: pytest.MonkeyPatch):
    """Under Voila's server software or its kernel variables the page is published; otherwise it is not."""
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_REQUEST_URL"):
        monkeypatch.delenv(name, raising=False)
    assert not under_voila()
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.8")
    assert under_voila()
    monkeypatch.setenv("SERVER_SOFTWARE", "jupyter_server")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    assert under_voila()
