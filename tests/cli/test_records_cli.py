"""`patternfit record`, `patternfit records` and `patternfit assess RECORD.md`: output, exit codes, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from patternfit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
FANOUT = EXAMPLES / "order-created-fanout.yaml"


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _snapshot(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


@pytest.fixture
def decisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A decisions folder holding records 0001 (MADR) and 0002 (log4brains)."""
    folder = tmp_path / "decisions"
    folder.mkdir()
    for fmt in ("madr", "log4brains"):
        code, _, err = _run(
            capsys, "record", FANOUT, "--out", folder, "--format", fmt, "--samples", "0", "--date", "2026-11-26"
        )
        assert code == 0, err
    return folder


def test_record_prints_the_path_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`patternfit record` writes NNNN-slug.md with every flag applied and prints its path only."""
    code, out, err = _run(
        capsys, "record", FANOUT, "--out", tmp_path, "--status", "Accepted", "--decider", "Ana", "--decider", "Bo",
        "--consulted", "Ops", "--informed", "All", "--title", "Publish order events", "--date", "2026-11-20",
        "--samples", "50",
    )  # fmt: skip
    assert (code, err) == (0, "")
    path = Path(out.strip())
    assert path == tmp_path / "0001-publish-order-events.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        '---\nstatus: "accepted"\ndate: 2026-11-20\ndecision-makers: Ana, Bo\nconsulted: Ops\ninformed: All\n'
    )
    assert "\n---\n# Publish order events\n" in text


def test_record_against_the_recommendation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--chosen with --rationale records the choice; without --rationale it is refused with exit 2."""
    code, _, err = _run(capsys, "record", FANOUT, "--out", tmp_path, "--chosen", "workflow", "--samples", "0")
    assert code == 2 and err.startswith("patternfit: --rationale: ") and "—" in err and list(tmp_path.iterdir()) == []
    code, out, _ = _run(
        capsys,
        "record",
        FANOUT,
        "--out",
        tmp_path,
        "--chosen",
        "workflow",
        "--rationale",
        "audit needs it",
        "--samples",
        "0",
    )
    assert (
        code == 0
        and 'Chosen option: "Workflow orchestration", because audit needs it.' in Path(out.strip()).read_text()
    )


def test_record_json_and_records_log(decisions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON record joins the folder, and `patternfit records` lists all three with pattern and date."""
    code, out, _ = _run(
        capsys, "record", EXAMPLES / "nightly-reconciliation.yaml", "--out", decisions, "--format", "json"
    )
    assert code == 0 and out.strip().endswith("0003-nightly-bank-reconciliation-use-batch.json")
    code, out, err = _run(capsys, "records", decisions)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["number", "title", "status", "pattern", "date", "file", "note"]
    assert lines[1].startswith("0001    Order created fan-out: use Events (topic)") and "events" in lines[1]
    assert "batch" in lines[3] and lines[3].rstrip().endswith(".json")
    code, out, _ = _run(capsys, "records", decisions, "--format", "json")
    assert [e["pattern"] for e in json.loads(out)] == ["events", "events", "batch"]


def test_records_lists_foreign_files_without_touching_them(decisions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hand-written ADRs, template.md and README.md are listed with what can be read and never rewritten."""
    (decisions / "0003-use-kafka.md").write_text('---\nstatus: "accepted"\ndate: 2025-01-02\n---\n# Use Kafka\n')
    (decisions / "0004-old-style.md").write_text("# Use REST\n\n* Status: deprecated\n* Date: 2024-05-06\n")
    (decisions / "template.md").write_text("---\nstatus: {proposed | accepted}\ndate: {YYYY-MM-DD}\n---\n# {title}\n")
    (decisions / "README.md").write_text("Our decisions.\n")
    (decisions / "0005-broken.md").write_text("---\nstatus: [\n")
    before = _snapshot(decisions)
    code, out, err = _run(capsys, "records", decisions)
    assert (code, err) == (0, "") and _snapshot(decisions) == before
    rows = {line.split()[-1] if "not a patternfit" not in line else line: line for line in out.splitlines()[1:]}
    text = "\n".join(rows.values())
    assert "0003    Use Kafka" in text and "accepted" in text and "2025-01-02" in text
    assert "0004    Use REST" in text and "deprecated" in text and "2024-05-06" in text
    assert "template.md" in text and "README.md" in text
    assert "0005-broken.md" in text and "unreadable" in text


def test_assess_reopens_a_record_and_reports_changes(decisions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`patternfit assess RECORD.md` re-assesses the stored inputs and reports a changed recommendation on stderr."""
    for path in sorted(decisions.iterdir()):
        code, out, err = _run(capsys, "assess", path, "--format", "json", "--samples", "0")
        data = json.loads(out)
        assert (code, err, data["recommended"]) == (0, "", "events")
        assert data["reopened"]["message"] == "" and data["inputs"]["name"] == "Order created fan-out"
    first = decisions / "0001-order-created-fan-out-use-events-topic.md"
    first.write_text(first.read_text().replace("recommended: events", "recommended: batch"))
    code, out, err = _run(capsys, "assess", first, "--samples", "0")
    assert code == 0 and "Recommended: Events" in out
    assert err == (
        "patternfit: 0001-order-created-fan-out-use-events-topic.md: the recommendation changed from Batch to Events"
        " (the team chose Events)\n"
    )


def test_assess_reopen_uses_stored_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record made with --weights re-assesses with those weights unless --weights is given again."""
    weights = tmp_path / "w.yaml"
    weights.write_text("temporal_decoupling: 35\n")
    onboarding = EXAMPLES / "customer-onboarding.yaml"
    _, out, _ = _run(capsys, "record", onboarding, "--out", tmp_path, "--weights", weights, "--samples", "0")
    path = Path(out.strip())
    _, out, _ = _run(capsys, "assess", path, "--format", "json", "--samples", "0")
    assert json.loads(out)["recommended"] == "events"
    weights.write_text("temporal_decoupling: 2\n")
    _, out, _ = _run(capsys, "assess", path, "--format", "json", "--samples", "0", "--weights", weights)
    assert json.loads(out)["recommended"] == "workflow"


def test_record_supersedes_from_the_command_line(decisions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--supersedes N marks record N superseded (MADR and log4brains) and the log shows it."""
    first = decisions / "0001-order-created-fan-out-use-events-topic.md"
    code, out, err = _run(
        capsys, "record", first, "--out", decisions, "--supersedes", "1", "--status", "accepted", "--samples", "0"
    )
    assert code == 0 and out.strip().endswith("0003-order-created-fan-out-use-events-topic.md")
    assert err == "patternfit: record 0001 is now superseded by 0003-order-created-fan-out-use-events-topic.md\n"
    code, *_ = _run(capsys, "record", FANOUT, "--out", decisions, "--supersedes", "ADR-0002", "--format", "log4brains")
    assert code == 0
    _, out, _ = _run(capsys, "records", decisions, "--format", "json")
    statuses = [e["status"] for e in json.loads(out)]
    assert statuses == ["superseded by ADR-0003", "superseded by ADR-0004", "accepted", "proposed"]


# -- bad input: exit 2, one line on stderr, nothing written, nothing changed -------------------------------------


def _bad_records(folder: Path) -> dict[str, Path]:
    files = {
        "broken front matter": "---\nstatus: accepted\n# Title without closing\n",
        "front matter syntax": '---\nstatus: "accepted\n---\n# T\n',
        "no patternfit block": '---\nstatus: "accepted"\ndate: 2025-01-02\n---\n# Use Kafka\n',
        "unknown model version": None,
        "model version from the future": None,
    }
    out = {}
    good = (folder / "0001-order-created-fan-out-use-events-topic.md").read_text()
    version = good.split("model_version: ")[1].split("\n")[0]
    files["unknown model version"] = good.replace(f"model_version: {version}", "model_version: 'latest'")
    files["model version from the future"] = good.replace(f"model_version: {version}", "model_version: '2999.12'")
    for i, (kind, text) in enumerate(files.items(), start=10):
        path = folder / f"{i:04d}-{kind.replace(' ', '-')}.md"
        path.write_text(text or "")
        out[kind] = path
    return out


def _assert_refused(code: int, out: str, err: str, expected: str) -> None:
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("patternfit: ") and "Traceback" not in err
    assert expected in err


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("broken front matter", "front matter is not closed"),
        ("front matter syntax", "YAML syntax error"),
        ("no patternfit block", "no patternfit block"),
        ("unknown model version", "'latest' is not a model version"),
        ("model version from the future", "newer than"),
    ],
)
def test_bad_records_exit_2_and_change_nothing(
    decisions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, expected: str
) -> None:
    """Reopening or re-recording a broken record exits 2 with one line, and no file in the folder changes."""
    path = _bad_records(decisions)[kind]
    before = _snapshot(decisions)
    for argv in (("assess", path), ("record", path, "--out", decisions)):
        _assert_refused(*_run(capsys, *argv), expected)
        assert _snapshot(decisions) == before


def test_folder_that_is_a_file_exits_2(decisions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--out naming a file exits 2 naming it; the file keeps its bytes."""
    target = decisions / "0001-order-created-fan-out-use-events-topic.md"
    before = _snapshot(decisions)
    _assert_refused(*_run(capsys, "record", FANOUT, "--out", target, "--samples", "0"), f"{target}: is a file")
    _assert_refused(*_run(capsys, "records", target), "is a file")
    assert _snapshot(decisions) == before


def test_unwritable_folder_exits_2(
    decisions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unwritable --out exits 2 naming the folder; nothing is written."""
    before = _snapshot(decisions)
    decisions.chmod(0o555)
    monkeypatch.setattr("patternfit.records.store.os.access", lambda *_a, **_k: False)  # root may write anyway
    try:
        _assert_refused(*_run(capsys, "record", FANOUT, "--out", decisions, "--samples", "0"), "is not writable")
    finally:
        decisions.chmod(0o755)
    assert _snapshot(decisions) == before


def test_missing_parent_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--out under a folder that does not exist exits 2 and creates nothing."""
    _assert_refused(*_run(capsys, "record", FANOUT, "--out", tmp_path / "nope" / "decisions"), "parent folder")
    assert list(tmp_path.iterdir()) == []


def test_duplicate_number_made_by_hand(decisions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A number used twice is reported by `records` (exit 2 after the log) and refused by --supersedes."""
    first = decisions / "0001-order-created-fan-out-use-events-topic.md"
    shutil.copy(first, decisions / "0001-copy-made-by-hand.md")
    before = _snapshot(decisions)
    code, out, err = _run(capsys, "records", decisions)
    assert code == 2 and "duplicate number 0001 (also 0001-order" in out
    assert err.startswith("patternfit: ") and "number 0001 is used by 2 files" in err and err.count("\n") == 1
    _assert_refused(*_run(capsys, "record", FANOUT, "--out", decisions, "--supersedes", "1"), "used by several files")
    assert _snapshot(decisions) == before


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--status", "maybe"), "--status: unknown status 'maybe'"),
        (("--date", "26.11.2026"), "--date: '26.11.2026' is not a date"),
        (("--chosen", "event"), "--chosen: unknown pattern 'event' (did you mean 'events'?)"),
        (("--decider", " "), "--decider"),
        (("--supersedes", "9"), "no record numbered 0009"),
        (("--supersedes", "x"), "is not a whole number"),
        (("--format", "nygard"), "invalid choice"),
    ],
)
def test_bad_flags_exit_2_and_write_nothing(
    decisions: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], expected: str
) -> None:
    """Every bad flag exits 2 with a message naming it, and the folder is unchanged."""
    before = _snapshot(decisions)
    try:
        code = main(["record", str(FANOUT), "--out", str(decisions), "--samples", "0", *flags])
    except SystemExit as exc:  # argparse's own refusals
        code = int(exc.code or 0)
    _, err = capsys.readouterr()
    assert code == 2 and expected in err and "Traceback" not in err
    assert _snapshot(decisions) == before


def test_superseding_an_already_superseded_record_exits_2(decisions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second supersede of the same record is refused and changes no file."""
    assert _run(capsys, "record", FANOUT, "--out", decisions, "--supersedes", "1", "--samples", "0")[0] == 0
    before = _snapshot(decisions)
    _assert_refused(
        *_run(capsys, "record", FANOUT, "--out", decisions, "--supersedes", "1"), "already superseded by ADR-0003"
    )
    assert _snapshot(decisions) == before
