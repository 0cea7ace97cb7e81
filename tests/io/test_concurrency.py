"""Saving under pressure: 50 real processes saving into one folder at once, full disks, read-only folders.

Records, workshop files and estate reports: 50 saves to distinct names give 50 complete files;
50 saves to one name give one complete file (never a mix), and a reader watching meanwhile only
ever sees complete versions. Processes are forked, so each starts in milliseconds (the report
writers from a fork server, see `together`).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from patternfit.errors import InputError
from patternfit.estate.review import EstateReview, report_bytes, review, write_report
from patternfit.model.catalog import Model
from patternfit.records import (
    DecisionRecord,
    check_madr,
    decision_log,
    save_record,
    supersede,
)
from patternfit.records.parse import parse_markdown
from patternfit.records.store import CLAIM
from patternfit.workshop.file import Workshop, dump_workshop, load_workshop, save_workshop

from tests.conftest import titled

ROOT = Path(__file__).resolve().parents[2]
SAVES = 50
ROUNDS = 3  # each process saving a workshop to one shared name does it this often, to interleave more

Work = Callable[[int], str]
Disk = tuple[Path, Callable[[], None], Callable[[], None]]  # the small_disk fixture: folder, fill, read_only


def _child(work: Work, i: int, barrier: Any, results: Any, timeout: float) -> None:
    try:
        barrier.wait(timeout)
        out = ("ok", work(i))
    except BaseException as exc:  # reported to the parent, which asserts on it
        out = ("error", f"{type(exc).__name__}: {exc}")
    results.put((i, out))


def together(work: Work, n: int = SAVES, timeout: float = 60.0, *, start: str = "fork") -> list[tuple[str, str]]:
    """Run work(0) … work(n-1) in n processes released at the same moment by a barrier; each
    result is ("ok", value) or ("error", "ErrorType: message"), in index order.

    `start="forkserver"` forks the children from a fresh single-threaded server instead of from
    pytest: needed once pyarrow's thread pool has run in this process (a child forked from it
    can block forever in pyarrow); `work` must then be picklable (a module-level function or a
    partial of one)."""
    ctx = multiprocessing.get_context(start)
    if start == "forkserver":
        ctx.set_forkserver_preload(["patternfit.estate", "pyarrow.csv"])
    barrier = ctx.Barrier(n)
    results: multiprocessing.Queue[tuple[int, tuple[str, str]]] = ctx.Queue()
    procs = [ctx.Process(target=_child, args=(work, i, barrier, results, timeout), daemon=True) for i in range(n)]
    for p in procs:
        p.start()
    got: dict[int, tuple[str, str]] = {}
    try:
        for _ in range(n):
            i, out = results.get(timeout=timeout)
            got[i] = out
    except queue.Empty:
        pytest.fail(f"only {len(got)} of {n} processes reported within {timeout} s")
    finally:
        for p in procs:
            p.join(timeout)
            if p.is_alive():
                p.kill()
        results.close()
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    return [got[i] for i in range(n)]


class Watcher:
    """Reads one file over and over while the processes write it; keeps whatever was not a known version."""

    def __init__(self, path: Path, versions: set[bytes]) -> None:
        self.path, self.versions = path, versions
        self.reads = 0
        self.bad: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                continue
            self.reads += 1
            if data not in self.versions:
                self.bad.append(data[:80] + b"..." + data[-80:])
            time.sleep(0.002)  # leave the cores to the writers

    def __enter__(self) -> Watcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _only(folder: Path) -> list[str]:
    """The names in `folder`, hidden ones (claims, temporary files) included."""
    return sorted(p.name for p in folder.iterdir())


# -- decision records -----------------------------------------------------------------------------


@pytest.mark.parametrize("crashed", [False, True], ids=["clean", "stale-claim-left-by-a-crash"])
def test_fifty_processes_saving_records_give_fifty_complete_numbered_files(
    record: DecisionRecord, tmp_path: Path, crashed: bool
) -> None:
    """50 processes saving a record into one folder at once get numbers 1..50 and 50 complete files, nothing else —
    also when a crashed save left a stale claim on number 1, which exactly one of them takes over."""
    if crashed:
        stale = tmp_path / CLAIM.format("0001")
        stale.touch()
        os.utime(stale, (0, 0))
    results = together(lambda i: str(save_record(titled(record, f"Decision {i:02d}"), tmp_path)))
    assert [status for status, _ in results] == ["ok"] * SAVES, [r for r in results if r[0] != "ok"]
    paths = [Path(value) for _, value in results]
    assert sorted(p.name for p in paths) == _only(tmp_path)
    assert sorted(int(p.name[:4]) for p in paths) == list(range(1, SAVES + 1))
    for i, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        assert check_madr(text) == [] and parse_markdown(text, path.name).title == f"Decision {i:02d}", path.name


def test_fifty_processes_superseding_one_record_leave_exactly_one_successor(
    record: DecisionRecord, tmp_path: Path
) -> None:
    """50 processes superseding record 1 at once: one succeeds, the others are told why, and both files stay whole."""
    first = save_record(record, tmp_path)
    results = together(lambda i: str(supersede(tmp_path, 1, titled(record, f"Successor {i:02d}"))))
    winners = [value for status, value in results if status == "ok"]
    losers = [value for status, value in results if status == "error"]
    assert len(winners) == 1, results
    allowed = ("being superseded by another save", "already superseded", "changed while it was being superseded")
    assert all(v.startswith("InputError") and any(a in v for a in allowed) for v in losers), losers
    assert _only(tmp_path) == sorted([first.name, Path(winners[0]).name])
    log = decision_log(tmp_path)
    assert [e.status for e in log] == ["superseded by ADR-0002", "accepted"]
    assert all(check_madr(p.read_text(encoding="utf-8")) == [] for p in tmp_path.iterdir())


# -- workshop files ---------------------------------------------------------------------------------


def _workshop(i: int) -> Workshop:
    """Workshop i, of a size of its own, so that a mix of two versions could not pass for either."""
    return Workshop(title=f"Workshop {i:02d}", date="2026-11-26", facilitator=f"F{i:02d}-" + "x" * (i * 101))


def test_fifty_processes_saving_workshops_give_fifty_complete_files(model: Model, tmp_path: Path) -> None:
    """50 processes each saving its workshop under its own name: 50 files, each exactly its workshop."""
    results = together(lambda i: str(save_workshop(_workshop(i), tmp_path / f"workshop-{i:02d}.yaml")))
    assert [status for status, _ in results] == ["ok"] * SAVES, results
    assert _only(tmp_path) == [f"workshop-{i:02d}.yaml" for i in range(SAVES)]
    for i in range(SAVES):
        path = tmp_path / f"workshop-{i:02d}.yaml"
        assert path.read_text(encoding="utf-8") == dump_workshop(_workshop(i))
        assert load_workshop(path, model) == _workshop(i)


def test_fifty_processes_saving_one_workshop_name_leave_one_complete_version(tmp_path: Path) -> None:
    """50 processes saving different workshops to one name: readers and the end see one whole version, never a mix."""
    path = tmp_path / "workshop.yaml"
    versions = {dump_workshop(_workshop(i)).encode() for i in range(SAVES)}

    def save_often(i: int) -> str:
        for _ in range(ROUNDS):
            save_workshop(_workshop(i), path)
        return "saved"

    with Watcher(path, versions) as watcher:
        results = together(save_often)
    assert [status for status, _ in results] == ["ok"] * SAVES, results
    assert watcher.bad == [] and watcher.reads > 0
    assert path.read_bytes() in versions and _only(tmp_path) == ["workshop.yaml"]


# -- estate reports -----------------------------------------------------------------------------------


SIZES = (10, 20, 30, 40, 51)  # rows of the example inventory in each of five different reports


@functools.cache
def _review(rows: int) -> EstateReview:
    frame = pd.read_csv(ROOT / "data" / "examples" / "inventory.csv", dtype=str, keep_default_na=False)
    return review(frame.iloc[:rows])


@pytest.fixture(scope="module")
def reviews() -> list[EstateReview]:
    """Five reviews of growing parts of the example inventory: five different reports."""
    return [_review(rows) for rows in SIZES]


def _write_both(folder: Path, shared: Path, i: int) -> str:
    """One process, both writes (a report costs ~50 ms of pandas): its own file, then the shared
    one. The review is made in the child (a review holds the model, which does not pickle)."""
    subject = _review(SIZES[i % 5])
    own = write_report(subject, folder / f"report-{i:02d}.csv")
    write_report(subject, shared)
    return str(own)


@pytest.mark.slow  # the heaviest race: 50 processes writing pandas reports (~150 s on a busy 2-core machine)
def test_fifty_processes_writing_reports_give_complete_reports_only(
    reviews: list[EstateReview], tmp_path: Path
) -> None:
    """50 processes each write a CSV report of its own, then one to a shared name: 50 files byte for byte their
    report, and the shared one — read over and over meanwhile — only ever one whole report, never a mix."""
    shared = tmp_path / "report.csv"
    expected = [report_bytes(r, "csv") for r in reviews]
    assert len(set(expected)) == 5

    with Watcher(shared, set(expected)) as watcher:
        results = together(functools.partial(_write_both, tmp_path, shared), timeout=180, start="forkserver")
    assert [status for status, _ in results] == ["ok"] * SAVES, results
    assert _only(tmp_path) == sorted(["report.csv", *(f"report-{i:02d}.csv" for i in range(SAVES))])
    for i in range(SAVES):
        assert (tmp_path / f"report-{i:02d}.csv").read_bytes() == expected[i % 5], i
    assert watcher.bad == [] and watcher.reads > 0 and shared.read_bytes() in expected


# -- full disk, read-only folder ------------------------------------------------------------------------


def test_record_on_a_full_disk_is_reported_and_leaves_nothing(record: DecisionRecord, small_disk: Disk) -> None:
    """A full disk is one InputError naming the folder; no claim, temporary or partial record is left."""
    folder, fill, _ = small_disk
    fill()
    with pytest.raises(InputError, match=r"could not be written \(No space left on device\)") as info:
        save_record(titled(record, "x" * 40 + " " + "y" * 40), folder)
    assert info.value.where == str(folder)
    assert _only(folder) == [".filler"]


def test_record_in_a_read_only_folder_is_reported(record: DecisionRecord, small_disk: Disk) -> None:
    """A read-only folder is one InputError naming it; the records already there are intact."""
    folder, _, read_only = small_disk
    first = save_record(record, folder)
    before = first.read_bytes()
    read_only()
    with pytest.raises(InputError, match="is not writable") as info:
        save_record(record, folder)
    assert info.value.where == str(folder)
    assert _only(folder) == [first.name] and first.read_bytes() == before


def test_report_on_a_full_disk_is_reported_and_keeps_the_old_report(
    reviews: list[EstateReview], small_disk: Disk
) -> None:
    """A full disk while writing a report is an InputError naming it; the previous report stays whole."""
    folder, fill, _ = small_disk
    path = write_report(reviews[0], folder / "report.csv")
    before = path.read_bytes()
    fill()
    with pytest.raises(InputError, match=r"could not be written \(No space left on device\)"):
        write_report(reviews[-1], path)
    assert path.read_bytes() == before and _only(folder) == [".filler", "report.csv"]


def test_report_in_a_read_only_folder_is_reported(reviews: list[EstateReview], small_disk: Disk) -> None:
    """A read-only folder is an InputError naming the report; the previous report stays whole."""
    folder, _, read_only = small_disk
    path = write_report(reviews[0], folder / "report.csv")
    before = path.read_bytes()
    read_only()
    with pytest.raises(InputError, match=r"could not be written \(Read-only file system\)"):
        write_report(reviews[-1], path)
    assert path.read_bytes() == before


def test_report_gets_normal_permissions(reviews: list[EstateReview], tmp_path: Path) -> None:
    """A report is readable like any file the user writes (0o666 less the umask), not mkstemp's 0o600."""
    old = os.umask(0o022)
    try:
        path = write_report(reviews[0], tmp_path / "report.csv")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_dashboard_save_onto_a_full_disk_keeps_the_record_in_the_page(
    model: Model, small_disk: Disk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard's save on a full disk says which folder and why; answers, record and download stay in the page."""
    from patternfit.apps.decide.app import DecisionApp

    folder, fill, _ = small_disk
    monkeypatch.setenv("PATTERNFIT_DECISIONS", str(folder))
    app = DecisionApp(model)
    app.name.value = "Orders to the warehouse"
    download = app.record.download_md.value
    fill()
    assert app.record.save_to_folder() is None
    assert str(folder) in app.record.saved.value and "No space left on device" in app.record.saved.value
    assert app.name.value == "Orders to the warehouse" and app.record.download_md.value == download
    assert _only(folder) == [".filler"]


def test_workshop_save_into_a_read_only_folder_keeps_the_entries(model: Model, small_disk: Disk) -> None:
    """Saving a workshop on the server into a read-only folder is reported in the banner; the entries stay."""
    from patternfit.apps.workshop import WorkshopApp

    folder, _, read_only = small_disk
    app = WorkshopApp(model, drafts=folder.parent / "drafts", workshops=folder, samples=0)
    assert app.add() is not None
    read_only()
    assert app.save_on_server() is None
    assert "Read-only file system" in app.error.value and str(folder) in app.error.value
    assert len(app.workshop.entries) == 1 and app.download_text() == dump_workshop(app.workshop)
