"""Workshop files: round trip, autosave across a kernel restart, comparison, bad files."""

from __future__ import annotations

import dataclasses
import json
import textwrap

import pytest
from patternfit import assess
from patternfit.errors import InputError
from patternfit.model.connection import load_connection
from patternfit.workshop.file import Autosaver, Entry, Workshop, compare, load_workshop, new_id, save_workshop


def sample(model, examples) -> Workshop:
    w = Workshop(title="Payments workshop", date="2026-11-26", facilitator="Jane")
    for name, chosen in (("order-created-fanout", "events"), ("checkout-price-lookup", None)):
        c = load_connection(examples[name], model)
        w = w.put(Entry(new_id(c.name, [e.id for e in w.entries]), c, notes=f"notes on {name}", chosen=chosen))
    return w


def test_round_trip(tmp_path, model, examples):
    """Save then load gives back the same workshop, answers, notes and choices."""
    w = sample(model, examples)
    path = save_workshop(w, tmp_path / "payments.yaml")
    assert load_workshop(path, model) == w


def test_put_replaces_in_place(model, examples):
    """Putting an entry with an existing id replaces it where it was."""
    w = sample(model, examples)
    first = w.entries[0]
    w2 = w.put(Entry(first.id, first.connection, notes="changed"))
    assert [e.id for e in w2.entries] == [e.id for e in w.entries]
    assert w2.entry(first.id).notes == "changed"
    assert len(w2.remove(first.id).entries) == 1


def test_full_disk_keeps_the_old_file(small_disk, model, examples):
    """On a full disk the save fails with a clear message; the previous file is intact and no
    temporary file is left behind."""
    folder, fill, _ = small_disk
    w = sample(model, examples)
    path = save_workshop(w, folder / "w.yaml")
    before = path.read_bytes()
    fill()
    bigger = w.put(Entry("more", w.entries[0].connection, notes="x" * 100_000))
    with pytest.raises(InputError, match="could not be written"):
        save_workshop(bigger, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [".filler", "w.yaml"]


def test_read_only_folder_is_reported(small_disk, model, examples):
    """A read-only folder is reported by name; the previous file is intact."""
    folder, _, read_only = small_disk
    w = sample(model, examples)
    path = save_workshop(w, folder / "w.yaml")
    before = path.read_bytes()
    read_only()
    with pytest.raises(InputError, match=r"w.yaml: could not be written \(Read-only file system\)"):
        save_workshop(w.remove(w.entries[0].id), path)
    assert path.read_bytes() == before


AUTOSAVE_CELL = textwrap.dedent(
    """
    from patternfit import load_model
    from patternfit.model.connection import parse_connection
    from patternfit.workshop.file import Autosaver, Entry, Workshop
    model = load_model()
    saver = Autosaver({folder!r}, "kernel test")
    w = Workshop(title="kernel test")
    for value in ["none", "ack_only", "result_now"]:   # three answers, each autosaved
        c = parse_connection({{"name": "Lookup", "characteristics": {{"response_expectation": value}}}}, model)
        w = w.put(Entry("lookup", c))
        saver.save(w)
    """
)


def test_autosave_survives_a_kernel_restart(tmp_path):
    """A real kernel autosaves each answer; after a restart a new kernel restores the last one."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        reply = kc.execute_interactive(AUTOSAVE_CELL.format(folder=str(tmp_path)), timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=60)
        outputs: list[str] = []
        code = (
            "from patternfit import load_model\nfrom patternfit.workshop.file import Autosaver\n"
            f"w = Autosaver({str(tmp_path)!r}, 'kernel test').restore(load_model())\n"
            "import json; print(json.dumps(dict(w.entry('lookup').connection.characteristics)))"
        )
        reply = kc.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: outputs.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        assert json.loads("".join(outputs)) == {"response_expectation": "result_now"}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_autosaver_without_draft(tmp_path, model):
    """No draft yet: restore gives None; discard removes a draft."""
    saver = Autosaver(tmp_path / "drafts", "x")
    assert saver.restore(model) is None
    saver.save(Workshop(title="x"))
    assert saver.restore(model).title == "x"
    saver.discard()
    assert saver.restore(model) is None


def test_compare_up_to_six(model, examples):
    """The comparison table has one column per connection and the recommendation row."""
    assessments = [assess(p, samples=0, model=model) for p in examples.values()]
    table = compare(assessments, model)
    assert list(table.columns) == [a.connection.name for a in assessments]
    assert table.loc["recommended", "Checkout price lookup"] == "Synchronous API"
    assert "profile" not in table.index and "weights changed" not in table.index
    with pytest.raises(InputError, match="at most 6"):
        compare(assessments * 2, model)
    with pytest.raises(InputError, match="no connections"):
        compare([], model)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("", "is empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("title: x\nentrys: []\n", "did you mean 'entries'"),
        ("workshop: 7\n", "format 7 is not supported"),
        ("entries: {a: 1}\n", "must be a list"),
        (
            "entries:\n  - id: a\n    connection: {characteristics: {human_step: maybe}}\n",
            "entries[0].connection: characteristics.human_step",
        ),
        ("entries:\n  - {id: a}\n  - {id: a}\n", "used twice"),
        ("entries:\n  - {id: a, chosen: eventz}\n", "did you mean 'events'"),
        ("entries:\n  - {id: a, colour: red}\n", "entries[0].colour"),
    ],
)
def test_bad_workshop_files(tmp_path, model, text, what):
    """A broken workshop file is refused with where and what."""
    path = tmp_path / "w.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_workshop(path, model)
    assert what in info.value.message


def test_upload_bytes(model, examples):
    """A workshop uploaded as bytes loads the same as from disk."""
    from patternfit.workshop.file import dump_workshop

    w = sample(model, examples)
    assert load_workshop(dump_workshop(w).encode(), model) == w
    with pytest.raises(InputError, match="binary"):
        load_workshop(b"\x00\x01\x02", model)


ACME = {
    "name": "Acme integration office",
    "version": "1.0",
    "author": "Integration CoE",
    "changes": [{"weight": "consumer_count", "to": 3, "reason": "fan-out is our main pain"}],
}


def test_round_trip_keeps_entry_weights_and_profile(tmp_path, model, examples):
    """An entry's own weights and profile are saved and read back unchanged."""
    w = sample(model, examples)
    first = w.entries[0]
    w = w.put(dataclasses.replace(first, weights={"ordering": 0.0, "consumer_count": 2.5}, profile=ACME))
    path = save_workshop(w, tmp_path / "w.yaml")
    text = path.read_text()
    assert "weights:" in text and "Acme integration office" in text
    loaded = load_workshop(path, model)
    assert loaded == w
    assert loaded.entries[0].weights == {"ordering": 0.0, "consumer_count": 2.5}
    assert loaded.entries[0].profile == ACME
    assert loaded.entries[1].weights == {} and loaded.entries[1].profile is None


def test_file_without_weights_or_profile_loads(tmp_path, model):
    """A workshop file written before entries kept weights and profiles still loads."""
    path = tmp_path / "old.yaml"
    path.write_text(
        "workshop: 1\ntitle: Old\ndate: 2026-01-01\nentries:\n"
        "  - id: a\n    connection: {name: A, characteristics: {response_expectation: none}}\n    chosen: events\n"
    )
    entry = load_workshop(path, model).entry("a")
    assert entry.weights == {} and entry.profile is None and entry.chosen == "events"


ENTRY = "entries:\n  - id: fanout\n    connection: {name: A, characteristics: {consumer_count: 3}}\n"


@pytest.mark.parametrize(
    ("extra", "what"),
    [
        ("    weights: {consumer_cout: 2}\n", "w.yaml: entries[0].weights: consumer_cout: unknown characteristic"),
        ("    weights: {ordering: -1}\n", "entries[0].weights: ordering: -1 is not a finite number ≥ 0"),
        ("    weights: {ordering: .nan}\n", "entries[0].weights: ordering: nan is not a finite number"),
        ("    weights: {ordering: .inf}\n", "entries[0].weights: ordering: inf is not a finite number"),
        ("    weights: {ordering: lots}\n", "entries[0].weights: ordering: 'lots' is not a number"),
        ("    weights: [1, 2]\n", "entries[0].weights: must be a mapping"),
        ("    profile: Acme\n", "entries[0].profile: must be a mapping"),
        ("    profile: {version: 1, changes: []}\n", "entries[0].profile: name: is missing"),
        ("    profile: {name: x, version: 1, colour: red}\n", "entries[0].profile: colour: unknown key"),
        (
            "    profile: {name: x, version: 1, changes: [{weight: ordering, to: -2, reason: r}]}\n",
            "w.yaml: entries[0].profile: changes[0].to: -2 is negative",
        ),
        (
            "    profile: {name: x, version: 1, changes: [{fit: ordering, answer: none, pattern: api, to: 9,"
            " reason: r}]}\n",
            "entries[0].profile: changes[0].to: 9 is outside the allowed range",
        ),
    ],
)
def test_bad_entry_weights_or_profile_refused(tmp_path, model, extra, what):
    """Bad weights or a bad profile in an entry are refused naming the file, the entry and the key."""
    path = tmp_path / "w.yaml"
    path.write_text(ENTRY + extra)
    with pytest.raises(InputError) as info:
        load_workshop(path, model)
    assert what in info.value.message


def test_entry_weights_override_its_profile(tmp_path, model):
    """An entry's weights apply on top of its profile's: a weight set to zero wins over the profile."""
    path = tmp_path / "w.yaml"
    path.write_text(
        ENTRY + "    profile: {name: x, version: 1, changes: [{weight: consumer_count, to: 0, reason: r}]}\n"
        "    weights: {consumer_count: 4}\n"
    )
    entry = load_workshop(path, model).entry("fanout")
    a = assess(entry.connection, weights=dict(entry.weights), profile=entry.profile, samples=0, model=model)
    assert a.weights["consumer_count"] == 4
    assert a.profile is not None and a.profile["name"] == "x"
