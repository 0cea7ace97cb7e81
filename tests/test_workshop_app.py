"""The workshop dashboard at widget level: entries, reopen, compare, save/open, autosave and restore."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import textwrap

import pytest
from patternfit.compare_chart import compare_scores
from patternfit.workshop import MAX_COMPARE, load_workshop
from patternfit.workshop_app import WorkshopApp, frame_html

EXAMPLES = ("order-created-fanout", "customer-onboarding", "checkout-price-lookup",
            "nightly-reconciliation", "shipment-reaction-chain")  # fmt: skip


@pytest.fixture
def make(tmp_path, model):
    """make() builds a WorkshopApp whose drafts and saved workshops stay in tmp_path."""

    def build(**kw):
        return WorkshopApp(model, drafts=tmp_path / "drafts", workshops=tmp_path / "workshops", samples=0, **kw)

    return build


def add_examples(app, names=EXAMPLES):
    for name in names:
        app.decision.load_example(name)
        assert app.add() is not None


def test_add_entry_stores_connection_notes_and_choice(make):
    """Adding stores the connection on screen with the room's notes and chosen option."""
    app = make()
    app.notes.value = "billing wants it <b>now</b>"
    app.chosen.value = "events"
    entry = app.add()
    assert entry is not None and entry.connection.name == "Order created fan-out"
    assert app.workshop.entries == (entry,)
    assert entry.notes == "billing wants it <b>now</b>" and entry.chosen == "events"
    assert entry.connection.characteristics == app.decision.connection.characteristics


def test_add_same_name_updates_in_place(make):
    """Adding a connection with a name already in the workshop updates that entry."""
    app = make()
    app.add()
    app.decision.set_answer("consumer_count", 1)
    app.add()
    assert len(app.workshop.entries) == 1
    assert app.workshop.entries[0].connection.characteristics["consumer_count"] == 1


def test_select_entry_reopens_it(make):
    """Selecting an entry in the list puts its connection and notes back on screen."""
    app = make()
    app.notes.value = "first"
    first = app.add()
    app.decision.load_example("customer-onboarding")
    app.notes.value = "second"
    app.add()
    app.entries.value = first.id
    assert app.decision.name.value == "Order created fan-out"
    assert app.notes.value == "first"
    assert app.decision.assessment.recommended == "events"


def test_compare_up_to_six(make):
    """Comparing up to six entries gives a table and a chart; a seventh is refused in the banner."""
    app = make()
    add_examples(app)
    app.decision.load_example("order-created-fanout")
    app.decision.name.value = "Order <script>x</script>"
    app.add()
    app.decision.name.value = "Seventh"
    app.add()
    ids = [e.id for e in app.workshop.entries]
    assert len(ids) == MAX_COMPARE + 1
    app.pick.value = tuple(ids[:MAX_COMPARE])
    assert app.show_compare()
    assert "recommended" in app.compare_table.value
    assert "<script>" not in app.compare_table.value and "&lt;script&gt;" in app.compare_table.value
    bundle = app.compare_chart.outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert len({x for t in bundle["data"] for x in t["x"]}) == MAX_COMPARE
    app.pick.value = tuple(ids)
    assert not app.show_compare()
    assert "at most 6" in app.error.value


def test_compare_chart_marks_knocked_out(model, examples):
    """A pattern ruled out for a connection is drawn as a ✕ bar, not a score."""
    from patternfit import assess

    a = assess(examples["nightly-reconciliation"], samples=0, model=model)
    ruled = [k for k, v in a.scores.items() if v is None]
    assert ruled, "the example should rule a pattern out"
    spec = compare_scores([a], model)
    marks = [t for t in spec["data"] if t["name"].endswith("ruled out")]
    assert {t["offsetgroup"] for t in marks} == set(ruled)
    assert all(t["text"] == ["✕"] for t in marks)


def test_download_round_trips_with_load_workshop(make, model):
    """The download link carries the workshop file, which load_workshop reads back unchanged."""
    app = make()
    app.title.value = "Payments workshop"
    app.notes.value = "keep <this>"
    add_examples(app, EXAMPLES[:2])
    href = re.search(r'href="data:[^;]+;charset=utf-8;base64,([^"]+)"', app.download.value).group(1)
    loaded = load_workshop(base64.b64decode(href), model)
    assert loaded == app.workshop
    assert loaded.title == "Payments workshop" and len(loaded.entries) == 2


def test_save_on_server_and_open_upload(make, model):
    """A workshop saved on the server opens again through the upload, in a fresh app."""
    app = make()
    add_examples(app, EXAMPLES[:3])
    path = app.save_on_server()
    assert path is not None and path.exists()
    other = make(name="other")
    assert other.open_bytes(path.read_bytes(), path.name)
    assert other.workshop == app.workshop
    assert len(other.entries.options) == 3


def test_bad_workshop_upload_is_refused(make):
    """A broken workshop file is refused in the banner, escaped, and nothing changes."""
    app = make()
    app.add()
    before = app.workshop
    assert not app.open_bytes(b"entries:\n  - {id: x, connection: {characteristics: {nope<b>: 1}}}\n", "bad.yaml")
    assert app.workshop == before
    assert "nope&lt;b&gt;" in app.error.value and app.error.layout.display is None


def test_autosave_then_new_app_restores(make):
    """After a change, a new app finds the draft and restores the entries and the connection on screen."""
    app = make()
    add_examples(app, EXAMPLES[:2])
    app.decision.load_example("checkout-price-lookup")
    again = make(example=None)
    assert again.banner.layout.display == "flex"
    assert again.restore_draft()
    assert again.workshop == app.workshop
    assert again.decision.name.value == "Checkout price lookup"
    assert again.banner.layout.display == "none"


def test_autosave_survives_a_kernel_restart(tmp_path, make):
    """A workshop built in another Python process (a kernel that then died) is restored here."""
    script = textwrap.dedent(
        f"""
        from patternfit.workshop_app import WorkshopApp
        app = WorkshopApp(drafts={str(tmp_path / "drafts")!r}, workshops={str(tmp_path)!r}, samples=0)
        app.add()
        app.decision.load_example("customer-onboarding")
        app.add()
        app.decision.set_answer("consumer_count", 4)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    app = make(example=None)
    assert app.restore_draft()
    assert [e.connection.name for e in app.workshop.entries] == ["Order created fan-out", "Customer onboarding"]
    assert app.decision.connection.characteristics["consumer_count"] == 4


def test_no_draft_no_banner(make):
    """A first start shows no restore banner."""
    app = make()
    assert app.banner.layout.display == "none"
    assert not app.restore_draft()


def test_frame_html_escapes():
    """The compare table escapes column names and cells."""
    import pandas as pd

    html = frame_html(pd.DataFrame({"<i>a</i>": ["<b>x</b>"]}, index=["<q>"]))
    assert "<b>" not in html and "&lt;i&gt;" in html and "&lt;q&gt;" in html


def test_examples_recommendations_text():
    """The workshop notebook's deterministic examples cell prints these five recommendations."""
    from patternfit.workshop_app import recommendations_text

    assert recommendations_text().splitlines() == [
        "Checkout price lookup: Synchronous API",
        "Customer onboarding: Workflow orchestration (orchestration)",
        "Nightly bank reconciliation: Batch",
        "Order created fan-out: Events",
        "Shipment dispatched reactions: Events (choreography)",
    ]
