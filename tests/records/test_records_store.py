"""Saving records: numbering, never overwriting, concurrent saves, folder errors, superseding atomically."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from patternfit import assess
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.records import (
    DecisionRecord,
    RecordMeta,
    build_record,
    check_madr,
    decision_log,
    load_record,
    render_record,
    save_record,
    supersede,
)
from patternfit.records.parse import parse_markdown

from tests.conftest import titled

ROOT = Path(__file__).resolve().parents[2]
THREAD_SAVES = 50
CLI_SAVES = 20  # each is a fresh interpreter (~1 s of imports); 50 forked processes: tests/test_concurrency.py


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_save_numbers_after_the_highest_prefix(record: DecisionRecord, tmp_path: Path) -> None:
    """The next record gets the highest NNNN- prefix plus one; unnumbered and YYYYMMDD- files do not count."""
    (tmp_path / "0007-hand-written.md").write_text("# Old\n", encoding="utf-8")
    (tmp_path / "template.md").write_text("# T\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "20201016-log4brains-dated.md").write_text("# Dated\n", encoding="utf-8")
    path = save_record(record, tmp_path)
    assert path.name == "0008-order-created-fan-out-use-events-topic.md"
    assert save_record(record, tmp_path, "json").name == "0009-order-created-fan-out-use-events-topic.json"
    assert path.read_text(encoding="utf-8") == render_record(record, "madr")


def test_save_never_overwrites_and_leaves_no_temporary_files(record: DecisionRecord, tmp_path: Path) -> None:
    """Saving the same record twice gives two files; no hidden claim or temp files remain."""
    first = save_record(record, tmp_path)
    before = first.read_bytes()
    second = save_record(record, tmp_path)
    assert first != second and first.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, second.name])


def test_default_folder_is_docs_decisions(
    record: DecisionRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a folder the record goes to docs/decisions (created when docs/ exists)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    assert save_record(record) == Path("docs/decisions/0001-order-created-fan-out-use-events-topic.md")


def test_fifty_concurrent_thread_saves_give_fifty_complete_files(record: DecisionRecord, tmp_path: Path) -> None:
    """50 threads saving into one folder at once get 50 distinct numbers and 50 complete files."""
    barrier = threading.Barrier(THREAD_SAVES)
    paths: list[Path] = []
    errors: list[BaseException] = []

    def save(i: int) -> None:
        barrier.wait()
        try:
            paths.append(save_record(titled(record, f"Decision {i:02d}"), tmp_path))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(THREAD_SAVES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _assert_all_complete(tmp_path, paths, THREAD_SAVES)


@pytest.mark.slow  # 20 fresh interpreters at once (~45 s on a busy machine)
def test_twenty_concurrent_process_saves_give_twenty_complete_files(tmp_path: Path) -> None:
    """20 `patternfit record` processes started together into one folder write 20 distinct complete files."""
    example = ROOT / "data" / "examples" / "nightly-reconciliation.yaml"
    command = [sys.executable, "-m", "patternfit.cli", "record", str(example), "--out", str(tmp_path), "--samples", "0"]
    procs = [
        subprocess.Popen(
            [*command, "--title", f"Decision {i:02d}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for i in range(CLI_SAVES)
    ]
    results = [(p.communicate(timeout=240), p.returncode) for p in procs]
    assert [rc for _, rc in results] == [0] * CLI_SAVES, [err for (_, err), _ in results]
    _assert_all_complete(tmp_path, [Path(out.strip()) for (out, _), _ in results], CLI_SAVES)


def _assert_all_complete(folder: Path, paths: list[Path], saves: int) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert len(set(paths)) == saves and sorted(p.name for p in paths) == names
    assert sorted(int(n[:4]) for n in names) == list(range(1, saves + 1))
    titles = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and check_madr(text) == [], path.name
        titles.add(parse_markdown(text, path.name).title)
    assert titles == {f"Decision {i:02d}" for i in range(saves)}


def test_folder_that_is_a_file_is_refused(record: DecisionRecord, tmp_path: Path) -> None:
    """--out pointing at a file gives an InputError naming it, and the file is untouched."""
    target = tmp_path / "decisions"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError) as info:
        save_record(record, target)
    assert info.value.where == str(target) and "is a file" in info.value.what
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_missing_parent_is_refused(record: DecisionRecord, tmp_path: Path) -> None:
    """A folder whose parent does not exist is refused (no tree of folders is invented)."""
    with pytest.raises(InputError) as info:
        save_record(record, tmp_path / "no" / "such" / "decisions")
    assert "parent folder" in info.value.what and not (tmp_path / "no").exists()


def test_unwritable_folder_is_refused(record: DecisionRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that cannot be written gives an InputError naming it (root simulates it: root may write anywhere)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        monkeypatch.setattr("patternfit.records.store.os.access", lambda *_a, **_k: False)
    try:
        with pytest.raises(InputError) as info:
            save_record(record, folder)
        assert info.value.where == str(folder) and "not writable" in info.value.what
    finally:
        folder.chmod(0o755)
    assert list(folder.iterdir()) == []


def test_permission_error_while_writing_becomes_input_error(
    record: DecisionRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write refused by the operating system is reported as bad input and leaves nothing behind."""
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr("patternfit.records.store.os.open", refuse)
    with pytest.raises(InputError, match="not writable"):
        save_record(record, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("old_fmt", "new_fmt"), [("madr", "madr"), ("log4brains", "log4brains"), ("madr", "log4brains"), ("json", "madr")]
)
def test_supersede_marks_the_old_record_and_links_both(
    model: Model, record: DecisionRecord, tmp_path: Path, old_fmt: str, new_fmt: str
) -> None:
    """The old record's status becomes `superseded by ADR-NNNN` and both records link to each other."""
    old = save_record(titled(record, "Use events for orders"), tmp_path, old_fmt)
    new = supersede(tmp_path, 1, titled(record, "Use events for orders, v2"), new_fmt)
    assert new.name.startswith("0002-use-events-for-orders-v2.")
    old_loaded, new_loaded = load_record(old, model), load_record(new, model)
    assert old_loaded.meta.status == "superseded by ADR-0002" and old_loaded.meta.superseded_by == 2
    assert new_loaded.meta.supersedes == 1 and new_loaded.meta.status == "accepted"
    assert new.name in old.read_text(encoding="utf-8") and old.name in new.read_text(encoding="utf-8")
    if old_fmt == "log4brains":
        slug = new.stem
        assert f"* Status: superseded by [{slug}]({new.name})" in old.read_text(encoding="utf-8")
    for path, fmt in ((old, old_fmt), (new, new_fmt)):
        if fmt != "json":
            assert check_madr(path.read_text(encoding="utf-8"), fmt) == [], path.name


def test_supersede_links_survive_a_second_supersede_in_the_chain(
    model: Model, record: DecisionRecord, tmp_path: Path
) -> None:
    """1 ← 2 ← 3: record 2 keeps its `Supersedes` link and gains a `Superseded by` link in the same list."""
    save_record(record, tmp_path)
    second = supersede(tmp_path, 1, record)
    supersede(tmp_path, 2, record)
    text = second.read_text(encoding="utf-8")
    assert "* Supersedes [ADR-0001](0001-" in text and "* Superseded by [ADR-0003](0003-" in text
    assert text.count("Related decisions:") == 1 and check_madr(text) == []
    assert [e.status for e in decision_log(tmp_path)] == [
        "superseded by ADR-0002",
        "superseded by ADR-0003",
        "accepted",
    ]


def test_supersede_refuses_missing_duplicate_and_already_superseded(record: DecisionRecord, tmp_path: Path) -> None:
    """Superseding a number that is absent, used twice or already superseded fails and changes nothing."""
    save_record(record, tmp_path)
    supersede(tmp_path, 1, record)
    (tmp_path / "0002-copy-made-by-hand.md").write_text("# copy\n", encoding="utf-8")
    before = _snapshot(tmp_path)
    for number, expected in ((9, "no record numbered 0009"), (2, "used by several files"), (1, "already superseded")):
        with pytest.raises(InputError, match=expected):
            supersede(tmp_path, number, record)
        assert _snapshot(tmp_path) == before


def test_supersede_rolls_back_when_the_old_record_cannot_be_replaced(
    record: DecisionRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If replacing the old record fails, the new record is removed again: neither file changes."""
    save_record(record, tmp_path)
    before = _snapshot(tmp_path)

    def fail(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("patternfit.records.store.os.replace", fail)
    with pytest.raises(InputError, match="not writable"):
        supersede(tmp_path, 1, record)
    assert _snapshot(tmp_path) == before


def test_supersede_refuses_when_the_old_record_changed_meanwhile(
    record: DecisionRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit to the old record between reading and replacing it aborts the supersede without losing the edit."""
    old = save_record(record, tmp_path)
    import importlib

    # the package exports a function of that name
    records_supersede = importlib.import_module("patternfit.records.supersede")

    real = records_supersede.mark_superseded

    def edit_meanwhile(*args: object) -> str:
        text = real(*args)  # type: ignore[arg-type]
        old.write_text(old.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        return text

    monkeypatch.setattr("patternfit.records.store.mark_superseded", edit_meanwhile)
    with pytest.raises(InputError, match="changed while"):
        supersede(tmp_path, 1, record)
    assert old.read_text(encoding="utf-8").endswith("Edited.\n") and len(list(tmp_path.iterdir())) == 1


def test_meta_supersedes_is_used_by_save(model: Model, record: DecisionRecord, tmp_path: Path) -> None:
    """A record whose metadata says `supersedes=1` supersedes record 1 when saved."""
    save_record(record, tmp_path)
    a = assess(ROOT / "data" / "examples" / "order-created-fanout.yaml", samples=0, model=model)
    newer = build_record(a, RecordMeta(date="2026-11-27", supersedes=1), model)
    path = save_record(newer, tmp_path)
    assert load_record(path, model).meta.supersedes == 1
    assert decision_log(tmp_path)[0].status == "superseded by ADR-0002"


def test_a_stale_claim_is_reclaimed_and_a_fresh_one_respected(record: DecisionRecord, tmp_path: Path) -> None:
    """A claim older than STALE_SECONDS (a crashed save) frees its number; a fresh claim makes the save skip it."""
    from patternfit.records.store import CLAIM, STALE_SECONDS

    stale = tmp_path / CLAIM.format("0001")
    stale.touch()
    os.utime(stale, (0, 0))
    assert save_record(record, tmp_path).name.startswith("0001-")
    fresh = tmp_path / CLAIM.format("0002")
    fresh.touch()
    os.utime(fresh, (os.path.getmtime(fresh) - STALE_SECONDS / 2,) * 2)
    assert save_record(record, tmp_path).name.startswith("0003-")
    assert fresh.exists() and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [fresh.name]


def test_a_stale_claim_being_reclaimed_by_another_save_is_left_to_it(record: DecisionRecord, tmp_path: Path) -> None:
    """While another save holds `<claim>.reclaim`, the stale claim is not removed here: this save skips the number."""
    from patternfit.records.store import CLAIM

    stale = tmp_path / CLAIM.format("0001")
    stale.touch()
    os.utime(stale, (0, 0))
    reclaim = tmp_path / f"{stale.name}.reclaim"
    reclaim.touch()
    assert save_record(record, tmp_path).name.startswith("0002-")
    assert stale.exists() and reclaim.exists()
