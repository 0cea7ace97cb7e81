"""Workshop files: round trip, autosave across a kernel restart, comparison, bad files."""

from __future__ import annotations

import json
import textwrap

import pytest
from patternfit import assess
from patternfit.connection import load_connection
from patternfit.errors import InputError
from patternfit.workshop import Autosaver, Entry, Workshop, compare, load_workshop, new_id, save_workshop


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
    from patternfit.connection import parse_connection
    from patternfit.workshop import Autosaver, Entry, Workshop
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
            "from patternfit import load_model\nfrom patternfit.workshop import Autosaver\n"
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
    from patternfit.workshop import dump_workshop

    w = sample(model, examples)
    assert load_workshop(dump_workshop(w).encode(), model) == w
    with pytest.raises(InputError, match="binary"):
        load_workshop(b"\x00\x01\x02", model)
