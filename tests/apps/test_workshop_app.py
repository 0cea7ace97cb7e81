"""The workshop dashboard at widget level: entries, reopen, compare, save/open, autosave and restore."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import textwrap

import pytest
from patternfit.apps.workshop.app import WorkshopApp, frame_html
from patternfit.charts.compare import compare_scores
from patternfit.workshop.file import MAX_COMPARE, load_workshop

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
    assert len({y for t in bundle["data"] for y in t["y"]}) == MAX_COMPARE
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
        from patternfit.apps.workshop import WorkshopApp
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
    from patternfit.apps.workshop.intro import recommendations_text

    assert recommendations_text().splitlines() == [
        "Checkout price lookup: Synchronous API",
        "Customer onboarding: Workflow orchestration (orchestration)",
        "Nightly bank reconciliation: Batch",
        "Order created fan-out: Events",
        "Shipment dispatched reactions: Events (choreography)",
    ]


VISITOR_A = "0b8a6f1e-4c2d-4e8f-9a1b-2c3d4e5f6a7b"
VISITOR_B = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


@pytest.fixture
def published(tmp_path, model):
    """published() builds a WorkshopApp as Voila serves it: no shared local draft, drafts per visitor."""

    def build(**kw):
        return WorkshopApp(model, drafts=tmp_path / "drafts", workshops=tmp_path / "workshops", samples=0,
                           local_draft=False, **kw)  # fmt: skip

    return build


def arrive(app, visitor):
    """The browser's visitor widget sends its id (what the widget's comm does, on the Python side)."""
    app.visitor_widget.visitor = visitor


def test_two_visitors_keep_separate_drafts(published, tmp_path):
    """Two visitors each get their own draft folder, and a reopened page offers only its visitor's draft."""
    a, b = published(), published()
    arrive(a, VISITOR_A)
    arrive(b, VISITOR_B)
    add_examples(a, EXAMPLES[:2])
    add_examples(b, EXAMPLES[2:3])
    drafts = tmp_path / "drafts"
    assert sorted(p.name for p in drafts.iterdir()) == sorted([VISITOR_A, VISITOR_B])
    assert not list(drafts.glob("*.yaml"))

    again_a, again_b = published(example=None), published(example=None)
    assert again_a.banner.layout.display == "none"  # nothing before the id arrives
    arrive(again_b, VISITOR_B)
    arrive(again_a, VISITOR_A)
    assert again_a.banner.layout.display == "flex" and "2 connections" in again_a.banner_text.value
    assert "1 connection " in again_b.banner_text.value
    assert again_a.restore_draft() and again_b.restore_draft()
    assert again_a.workshop == a.workshop and again_b.workshop == b.workshop
    assert again_b.decision.name.value == "Checkout price lookup"


def test_published_app_writes_nothing_before_the_visitor_is_known(published, tmp_path):
    """Under Voila a change made before the id arrives is held back, then written to that visitor's folder."""
    app = published()
    app.add()
    assert not (tmp_path / "drafts").exists()
    arrive(app, VISITOR_A)
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == [VISITOR_A]
    assert published(visitor=VISITOR_A).draft.entries[0].connection.name == "Order created fan-out"


def test_published_app_never_offers_the_local_draft(make, published):
    """A local draft (from a notebook run without a browser) is never offered on a published page."""
    make().add()
    app = published()
    assert app.banner.layout.display == "none"
    arrive(app, VISITOR_A)
    assert app.banner.layout.display == "none" and app.draft is None


def test_local_draft_stays_on_offer_when_the_visitor_has_none(make):
    """In a notebook (not Voila) the local draft found at start stays on offer when the visitor has none."""
    make().add()
    app = make(example=None)
    arrive(app, VISITOR_A)
    assert app.banner.layout.display == "flex" and app.restore_draft()
    assert len(app.workshop.entries) == 1


@pytest.mark.parametrize(
    "bad",
    ["../x", "../../etc", VISITOR_A.upper(), VISITOR_A + "/..", "x" * 36, f"{VISITOR_A}\n", "", "/tmp"],
)
def test_bad_visitor_id_is_refused(published, tmp_path, bad):
    """An id that is not a lowercase UUID is refused: nothing is written, later changes stay unsaved."""
    app = published()
    assert not app.use_visitor(bad)
    arrive(app, bad)
    app.add()
    assert app.visitor is None
    assert not (tmp_path / "drafts").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_symlinked_visitor_folder_is_refused(published, tmp_path):
    """A visitor folder that is a link (here to a folder outside the drafts) is refused; nothing is written there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / VISITOR_A).symlink_to(outside, target_is_directory=True)
    app = published()
    arrive(app, VISITOR_A)
    assert app.visitor is None and "refused" in app.status_html.value
    app.add()
    assert list(outside.iterdir()) == []


def test_first_visitor_id_wins(published, tmp_path):
    """A second id sent to the same page does not move its drafts to another visitor."""
    app = published()
    arrive(app, VISITOR_A)
    assert not app.use_visitor(VISITOR_B)
    app.add()
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == [VISITOR_A]


def test_unchanged_draft_is_not_written_again(make, tmp_path):
    """An autosave with nothing changed does not rewrite the draft file."""
    app = make()
    app.add()
    path = app.autosaver.path
    before = path.stat().st_mtime_ns
    path.write_text(path.read_text())  # same text, new mtime: a rewrite would change it again
    stamp = path.stat().st_mtime_ns
    app.autosave()
    assert path.stat().st_mtime_ns == stamp and stamp >= before


ACME = {
    "name": "Acme integration office",
    "version": "1.0",
    "changes": [{"weight": "consumer_count", "to": 0, "reason": "fan-out is not our concern"}],
}


def test_entry_keeps_changed_weights_only(make):
    """An entry keeps the dashboard's weights only where they differ from the defaults."""
    app = make()
    assert app.add().weights == {}
    app.decision.set_weight("ordering", 3.0)
    entry = app.add()
    assert entry.weights == {"ordering": 3.0} and entry.profile is None


def test_entry_keeps_profile_and_reopen_restores_it(make):
    """An entry added under a profile keeps it; reopening it later puts that profile and its weights back."""
    app = make()
    assert app.decision.set_profile(ACME)
    app.decision.set_weight("ordering", 2.5)
    first = app.add()
    assert first.profile == ACME and first.weights == {"ordering": 2.5}  # consumer_count 0 is the profile's
    app.decision.set_profile(None)
    app.decision.load_example("customer-onboarding")
    second = app.add()
    assert second.profile is None and second.weights == {}
    app.entries.value = first.id
    assert app.decision.profile == ACME
    assert app.decision.weights["ordering"] == 2.5 and app.decision.weights["consumer_count"] == 0
    assert app.decision.assessment.weights["consumer_count"] == 0
    app.entries.value = second.id
    assert app.decision.profile is None
    assert app.decision.weights == app.model.default_weights()


def test_compare_assesses_each_entry_with_its_own_weights(make, model):
    """Two entries of the same connection with different weights compare with different scores."""
    app = make()
    plain = app.add()
    app.decision.name.value = "Fan-out, fan-out does not count"
    app.decision.set_weight("consumer_count", 0.0)
    weighted = app.add()
    assert weighted.weights == {"consumer_count": 0.0}
    table = app.state.compare_ids([plain.id, weighted.id]).table
    assert app.state.assess_entry(weighted).weights["consumer_count"] == 0
    row = table.loc["score: " + model.pattern("events").short]
    assert row.iloc[0] != row.iloc[1]
    label = next(q.label for q in model.characteristics if q.key == "consumer_count")
    assert list(table.loc["weights changed"]) == ["—", f"{label} 0"]
    assert "profile" not in table.index  # no entry has one


def test_compare_names_each_entry_profile(make):
    """The compare table says which profile each entry was assessed with."""
    app = make()
    plain = app.add()
    app.decision.name.value = "Under Acme"
    app.decision.set_profile(ACME)
    acme = app.add()
    table = app.state.compare_ids([plain.id, acme.id]).table
    assert list(table.loc["profile"]) == ["—", "Acme integration office 1.0"]
    assert "weights changed" not in table.index  # the profile's own weights are not "changed"
    assert app.state.assess_entry(acme).weights["consumer_count"] == 0


def test_draft_restores_profile_and_weights_on_screen(make):
    """The connection on screen is restored with its profile and weights after a restart."""
    app = make()
    app.decision.set_profile(ACME)
    app.decision.set_weight("ordering", 2.0)
    again = make(example=None)
    assert again.restore_draft()
    assert again.decision.profile == ACME and again.decision.weights["ordering"] == 2.0


def test_next_connection_never_inherits_notes_choice_or_rationale(make):
    """After one entry is added, loading another connection empties the bar: the next entry
    carries only what was entered for it; reopening each gives back its own."""
    app = make()
    app.notes.value = "fan-out to billing"
    app.chosen.value = "api"
    app.rationale.value = "the team knows REST"
    first = app.add()
    assert first is not None and (first.chosen, first.rationale) == ("api", "the team knows REST")
    app.decision.load_example("customer-onboarding")
    assert (app.notes.value, app.chosen.value, app.rationale.value) == ("", "__undecided__", "")
    second = app.add()
    assert second is not None and (second.notes, second.chosen, second.rationale) == ("", None, "")
    app.reopen(first.id)
    assert (app.notes.value, app.chosen.value, app.rationale.value) == (
        "fan-out to billing",
        "api",
        "the team knows REST",
    )
    app.reopen(second.id)
    assert (app.notes.value, app.chosen.value) == ("", "__undecided__")


def test_renamed_connection_starts_an_empty_bar(make):
    """Typing a new name over a reopened entry makes a new connection: its bar starts empty."""
    app = make()
    app.notes.value = "first"
    app.add()
    app.decision.name.value = "Something else"
    assert app.notes.value == "" and app.bar_entry is None
    app.decision.name.value = "Order created fan-out"
    assert app.notes.value == "first"


def test_choice_against_the_recommendation_needs_a_rationale(make):
    """Choosing against the recommendation shows the Rationale field and refuses the entry
    without one, naming both patterns; with a reason it is stored."""
    app = make()
    assert app.decision.assessment.recommended == "events"
    assert app.rationale.layout.display == "none"
    assert dict((v, k) for k, v in app.chosen.options)["events"].endswith("(recommended)")
    app.chosen.value = "api"
    assert app.rationale.layout.display is None
    assert "rationale is required" in app.required.value
    assert app.add() is None
    assert "Synchronous API against the recommendation Events" in app.error.value
    assert app.workshop.entries == ()
    app.rationale.value = "billing wants answers now"
    assert app.required.value == ""
    entry = app.add()
    assert entry is not None and entry.rationale == "billing wants answers now"
    assert app.error.layout.display == "none"


def test_rationale_is_not_kept_when_the_choice_follows_the_recommendation(make):
    """A reason typed for an override is dropped once the room follows the recommendation."""
    app = make()
    app.chosen.value = "batch"
    app.rationale.value = "nightly is enough"
    app.chosen.value = "events"
    assert app.rationale.layout.display == "none"
    entry = app.add()
    assert entry is not None and entry.chosen == "events" and entry.rationale == ""
