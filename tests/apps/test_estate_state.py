"""The estate page's state without widgets: what it reads, keeps, refuses and says (apps/estate/state.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from patternfit.apps.common.limits import INVENTORY_BYTES, SMALL_FILE_BYTES
from patternfit.apps.estate.filters import ALL_OWNERS
from patternfit.apps.estate.state import EstateState

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "inventory.csv"
PROFILE = b"name: Acme\nversion: '2.0'\nchanges:\n  - {weight: coordinated_steps, to: 6, reason: our flows are long}\n"


@pytest.fixture()
def state(model):
    return EstateState(model)


def test_the_example_is_read_and_reviewed(state):
    """Loading the example fills source, review and the owners; the filter starts at mismatches, all owners."""
    assert state.review is None and state.table_frame().empty and state.owners() == []
    assert state.load_example()
    assert state.source == "inventory.csv" and state.error == "" and state.progress == -1.0
    assert state.review.findings.summary["connections"] == 51
    assert state.view == "mismatches" and state.owner == ALL_OWNERS
    assert "Data & Analytics" in state.owners() and len(state.table_frame()) == 18


def test_observers_see_each_change(state):
    """Widgets observe the traits: a review, a filter change and a chosen connection each notify once."""
    seen: list[str] = []
    state.observe(lambda change: seen.append(change["name"]), names=["review", "view", "owner", "chosen"])
    state.load_example()
    state.set_view("workshop", "Finance")
    state.choose("INT-047")
    assert seen == ["review", "view", "owner", "chosen"]
    state.set_view("workshop", "Finance")  # unchanged: nothing to redraw
    assert seen == ["review", "view", "owner", "chosen"]


def test_a_new_review_resets_the_owner_and_the_choice(state):
    """Another inventory: the owner filter goes back to all owners and no connection stays chosen."""
    state.load_example()
    state.set_view("mismatches", "Finance")
    state.choose("INT-015")
    state.load_example()
    assert state.owner == ALL_OWNERS and state.chosen == ""


def test_a_bad_upload_says_what_and_forgets_the_review(state):
    """A file that cannot be read: one message naming it; no review is shown for it."""
    state.load_example()
    assert not state.load_bytes(b"\x00\x01binary", "photo.csv")
    assert state.error.startswith("photo.csv: is not a text file")
    assert state.review is None and state.progress == -1.0


def test_the_upload_limits_are_the_shared_ones(state, monkeypatch):
    """The limits are apps/common/limits.py's: a profile over SMALL_FILE_BYTES and an inventory over
    INVENTORY_BYTES are refused with their size, before anything is read."""
    assert not state.load_profile_bytes(b"#" * (SMALL_FILE_BYTES + 1), "big.yaml")
    assert state.error.startswith(f"big.yaml: is {SMALL_FILE_BYTES + 1:,} bytes, larger than the {SMALL_FILE_BYTES:,}")
    assert state.profile is None
    monkeypatch.setattr("patternfit.apps.estate.state.INVENTORY_BYTES", 100)
    assert not state.load_bytes(b"id,name\n" + b"x" * 200, "big.csv")
    assert "big.csv: is 208 bytes, larger than the 100 a page accepts" in state.error
    assert INVENTORY_BYTES == 200_000_000


def test_a_profile_is_kept_and_a_failed_review_puts_the_old_one_back(state, monkeypatch):
    """A profile is in force for the next review; when the review with it fails, the previous stays."""
    assert state.load_profile_bytes(PROFILE, "acme.yaml") and state.profile_file == "acme.yaml"
    state.load_example()
    assert state.review.profile["name"] == "Acme"
    kept = state.review

    def broken(*_args, **_kwargs):
        from patternfit.errors import InputError

        raise InputError("profile", "cannot be applied", "fix it")

    monkeypatch.setattr("patternfit.estate.review.review", broken)
    assert not state.clear_profile()
    assert state.profile_file == "acme.yaml" and state.review is kept
    assert state.error == "profile: cannot be applied — fix it"


def test_a_connection_file_and_what_is_still_to_ask(state):
    """A readable row becomes a connection file; the questions its source left open are named by
    label (a Structurizr relationship says little: most questions stay open)."""
    state.load_example()
    text = state.connection_file("INT-002")
    assert text.startswith("name:") and "characteristics:" in text
    workspace = (
        b'{"name": "Shop", "model": {"softwareSystems": [{"id": "1", "name": "Shop", "relationships": '
        b'[{"id": "r1", "sourceId": "1", "destinationId": "2", "description": "Sends orders", '
        b'"technology": "Apache Kafka"}]}, {"id": "2", "name": "Billing"}]}}'
    )
    assert state.load_bytes(workspace, "workspace.json"), state.error
    ident = str(state.review.inventory.table["id"].iloc[0])
    labels = state.still_to_ask(ident)
    assert len(labels) > 3 and all("_" not in label for label in labels)
