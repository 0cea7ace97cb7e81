"""`patternfit check DIR`: each drift kind, the three output formats, exit codes, bad input, and
the shipped pre-commit hook and GitHub Actions example."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from patternfit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
FANOUT = EXAMPLES / "order-created-fanout.yaml"
ONBOARDING = EXAMPLES / "customer-onboarding.yaml"
LOOKUP = EXAMPLES / "checkout-price-lookup.yaml"
INVENTORY = EXAMPLES / "inventory.csv"
FLIP = "name: Availability first\nversion: '2.0'\nchanges:\n  - {weight: temporal_decoupling, to: 50, reason: r}\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _record(capsys: pytest.CaptureFixture[str], folder: Path, source: Path, *flags: str) -> Path:
    code, out, err = _run(capsys, "record", source, "--out", folder, "--samples", "100", "--date", "2026-11-26", *flags)
    assert code == 0, err
    return Path(out.strip())


def _findings(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, list[dict[str, object]]]:
    code, out, err = _run(capsys, "check", *argv, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


@pytest.fixture
def folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Four records in four layouts (MADR, Nygard, HTML, log4brains) and a hand-written ADR."""
    decisions = tmp_path / "decisions"
    decisions.mkdir()
    _record(capsys, decisions, FANOUT, "--id", "INT-100")
    _record(capsys, decisions, ONBOARDING, "--template", "nygard")
    _record(capsys, decisions, LOOKUP, "--format", "html")
    _record(capsys, decisions, EXAMPLES / "nightly-reconciliation.yaml", "--format", "log4brains")
    (decisions / "0009-use-kafka.md").write_text("# Use Kafka\n\nWe chose Kafka.\n", encoding="utf-8")
    return decisions


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_nothing_drifted_exits_0_and_lists_the_foreign_file(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Fresh records in every layout hold (exit 0); a hand-written ADR is listed as not a patternfit record."""
    code, out, err = _run(capsys, "check", folder)
    assert (code, err) == (0, "")
    assert "0009-use-kafka.md: note: not-a-record: not a patternfit record" in out
    assert out.strip().endswith("4 records checked, 0 drifted, 1 files are not patternfit records")


def test_edited_answers_change_the_recommendation(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Editing the stored answers so another pattern wins is drift (exit 1), and the message says they were edited."""
    before = _snapshot(folder)
    record = next(folder.glob("0001-*.md"))
    text = record.read_text(encoding="utf-8").replace("response_expectation: none", "response_expectation: result_now")
    record.write_text(text, encoding="utf-8")
    code, findings = _findings(capsys, folder)
    assert code == 1
    (finding,) = [f for f in findings if f["kind"] == "recommendation-changed"]
    assert finding["record"] == str(record)
    assert "not the chosen Events" in str(finding["message"]) and "stored answers were edited" in str(
        finding["message"]
    )
    assert finding["details"]["answers_edited"] is True  # type: ignore[index]
    after = _snapshot(folder)
    assert after.pop(record.name) != before.pop(record.name) and after == before  # check never writes


def test_edited_answers_that_keep_the_recommendation_are_a_note(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit that leaves the recommendation as it was is reported as answers-edited but does not fail."""
    record = next(folder.glob("0001-*.md"))
    record.write_text(record.read_text(encoding="utf-8").replace("consumer_count: 6", "consumer_count: 7"), "utf-8")
    code, findings = _findings(capsys, folder)
    assert code == 0
    assert [f["kind"] for f in findings if f["record"] == str(record)] == ["answers-edited"]


def test_a_changed_model_version_is_named_as_the_reason(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record decided on an older model whose answer the current model no longer gives names the model change."""
    record = next(folder.glob("0002-*.md"))
    text = record.read_text(encoding="utf-8")
    text = re.sub(r"model_version: '?[0-9.]+'?", "model_version: '2025.01'", text, count=1)
    record.write_text(
        text.replace("recommended: workflow", "recommended: batch").replace("chosen: workflow", "chosen: batch"),
        "utf-8",
    )
    code, findings = _findings(capsys, folder)
    assert code == 1
    (finding,) = [f for f in findings if f["record"] == str(record)]
    assert finding["kind"] == "recommendation-changed"
    assert "the model changed from 2025.01" in str(finding["message"])
    assert "edited" not in str(finding["message"])  # the inputs themselves are untouched


def test_a_new_profile_that_changes_the_decision_is_drift(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--profile re-assesses with the organisation's new profile and names the profile change."""
    profile = tmp_path / "profile.yaml"
    profile.write_text(FLIP, encoding="utf-8")
    code, findings = _findings(capsys, folder, "--profile", profile)
    assert code == 1
    onboarding = [f for f in findings if "0002-" in str(f["record"])]
    assert [f["kind"] for f in onboarding] == ["recommendation-changed"]
    message = str(onboarding[0]["message"])
    assert "the profile changed from the reference model to “Availability first” version 2.0" in message


def test_the_inventory_answers_differently_for_the_same_id(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row with the record's connection_id that answers differently, leading elsewhere, is drift; a match
    by source and target that keeps the recommendation is a note."""
    rows = INVENTORY.read_text(encoding="utf-8").splitlines()
    header = rows[0]
    lookup = next(r for r in rows[1:] if r.startswith("INT-001,"))
    same_as_record = lookup.replace("INT-001,", "INT-100,", 1)  # the fan-out record's id, with lookup answers
    inventory = tmp_path / "inventory.csv"
    inventory.write_text("\n".join([header, same_as_record]) + "\n", encoding="utf-8")
    code, findings = _findings(capsys, folder, "--inventory", inventory)
    assert code == 1
    (finding,) = [f for f in findings if f["kind"] == "inventory-differs"]
    assert "0001-" in str(finding["record"])
    details = finding["details"]
    assert details["matched_by"] == "id INT-100" and details["recommended_with_inventory"] == "api"  # type: ignore[index]
    assert details["answers"]["response_expectation"] == {"record": "none", "inventory": "result_now"}  # type: ignore[index]
    assert "with its answers the recommendation would be Synchronous API" in str(finding["message"])
    others = {str(f["record"]).rsplit("/", 1)[-1][:4]: f["kind"] for f in findings if f["kind"] == "not-in-inventory"}
    assert set(others) == {"0002", "0003", "0004"}


def test_inventory_answers_that_keep_the_recommendation_are_a_note(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Matched by source and target, an inventory that differs in one answer but agrees on the pattern is a note."""
    rows = INVENTORY.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    fanout = yaml.safe_load(FANOUT.read_text(encoding="utf-8"))
    values = {"id": "X-1", "name": "n", "source": fanout["source"], "target": fanout["target"], "owner": "o"}
    values.update({k: str(v).lower() for k, v in fanout["characteristics"].items()})
    values["consumer_count"] = "5"
    line = ",".join(f'"{values.get(h, "")}"' for h in header)
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(",".join(header) + "\n" + line + "\n", encoding="utf-8")
    record = next(folder.glob("0001-*.md"))
    record.write_text(record.read_text(encoding="utf-8").replace("  connection_id: INT-100\n", ""), "utf-8")
    code, findings = _findings(capsys, folder, "--inventory", inventory)
    assert code == 0, findings
    (finding,) = [f for f in findings if f["kind"] == "inventory-differs"]
    assert finding["details"]["matched_by"].startswith("source and target")  # type: ignore[index]
    assert finding["details"]["drift"] is False  # type: ignore[index]
    assert "Receivers: 6 → 5" in str(finding["message"]) and "the recommendation stays Events" in str(
        finding["message"]
    )


def test_a_superseded_record_still_listed_as_current(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two current records for the same connection, and a successor whose predecessor was never marked, both drift."""
    _record(capsys, folder, FANOUT, "--id", "INT-100", "--title", "Fan-out again")
    code, findings = _findings(capsys, folder)
    assert code == 1
    (finding,) = [f for f in findings if f["kind"] == "superseded-still-current"]
    assert "0001-" in str(finding["record"]) and "0010-fan-out-again.md" in str(finding["message"])
    # done properly (--supersedes marks the old one), nothing drifts
    newest = next(folder.glob("0010-*.md"))
    newest.unlink()
    _record(capsys, folder, FANOUT, "--id", "INT-100", "--supersedes", "1")
    code, findings = _findings(capsys, folder)
    assert code == 0, findings
    # a successor whose predecessor was put back to accepted by hand
    old = next(folder.glob("0001-*.md"))
    old.write_text(re.sub(r'status: "superseded by ADR-\d+"', 'status: "accepted"', old.read_text("utf-8")), "utf-8")
    code, findings = _findings(capsys, folder)
    kinds = [(str(f["record"]).rsplit("/", 1)[-1][:4], f["kind"]) for f in findings if f["kind"] != "not-a-record"]
    assert code == 1 and ("0001", "superseded-still-current") in kinds


def test_github_format_prints_workflow_commands(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format github gives ::warning for drift and ::notice for notes, properties escaped."""
    record = next(folder.glob("0001-*.md"))
    record.write_text(
        record.read_text("utf-8").replace("response_expectation: none", "response_expectation: result_now"), "utf-8"
    )
    code, out, _ = _run(capsys, "check", folder, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    warning = next(line for line in lines if line.startswith("::warning "))
    assert warning.startswith(f"::warning file={record},title=patternfit recommendation-changed::the recommendation")
    assert any(line.startswith("::notice file=") and "not-a-record" in line for line in lines)
    assert all(re.match(r"^::(warning|notice) file=[^,]+,title=[^:]+::\S", line) for line in lines)


def test_an_unreadable_block_is_drift_and_named(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record whose block names a model newer than this patternfit cannot be re-assessed: unreadable, exit 1."""
    record = next(folder.glob("0002-*.md"))
    record.write_text(
        re.sub(r"model_version: '?[0-9.]+'?", "model_version: '2999.01'", record.read_text("utf-8")), "utf-8"
    )
    code, findings = _findings(capsys, folder)
    assert code == 1
    (finding,) = [f for f in findings if f["record"] == str(record)]
    assert finding["kind"] == "unreadable" and "2999.01 is newer" in str(finding["message"])


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        (["missing-folder"], "no such folder"),
        (["{folder}", "--inventory", "{tmp}/nope.csv"], "no such file"),
        (["{folder}", "--inventory", "{tmp}/bad.csv"], "no 'id' column"),
        (["{folder}", "--profile", "{tmp}/bad-profile.yaml"], "bad-profile.yaml"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], where: str
) -> None:
    """A missing folder, a missing or unreadable inventory or a broken profile: exit 2 and one line naming it."""
    (tmp_path / "bad.csv").write_text("what,ever\n1,2\n", encoding="utf-8")
    (tmp_path / "bad-profile.yaml").write_text("name: X\nversion: 1\nchanges: 3\n", encoding="utf-8")
    args = [a.format(folder=folder, tmp=tmp_path) for a in argv]
    code, out, err = _run(capsys, "check", *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and where in err and err.startswith("patternfit: ")


def test_a_bug_exits_3(folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected error inside the check is exit 3 (not 1, which CI reads as drift)."""
    import patternfit.records.drift as drift

    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(drift, "check_folder", broken)
    code, _, err = _run(capsys, "check", folder)
    assert code == 3 and "internal error" in err and "ZeroDivisionError" in err


def test_pre_commit_manifest_validates() -> None:
    """The shipped .pre-commit-hooks.yaml passes `pre-commit validate-manifest` and names the hook patternfit-check."""
    manifest = ROOT / ".pre-commit-hooks.yaml"
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pre-commit"), "validate-manifest", str(manifest)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    hooks = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["patternfit-check"]
    assert hooks[0]["entry"] == "patternfit check" and hooks[0]["pass_filenames"] is False


def test_github_actions_example_parses() -> None:
    """docs/ci/patternfit-check.yml is valid YAML with a job that runs `patternfit check … --format github`."""
    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "patternfit-check.yml").read_text(encoding="utf-8"))
    assert workflow["name"] == "patternfit check"
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["check"]["steps"]
    assert workflow["jobs"]["check"]["runs-on"] == "ubuntu-latest"
    run = [s["run"] for s in steps if "run" in s]
    assert any(r.startswith("patternfit check docs/decisions") and "--format github" in r for r in run)
    assert any(s.get("uses", "").startswith("actions/checkout@") for s in steps)


def test_estate_drafts_carry_the_id_and_hold_against_their_inventory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Drafts from `estate --records` store the inventory id; checked against the same inventory they hold,
    and a later inventory that answers differently for that id is reported for the draft."""
    drafts = tmp_path / "drafts"
    code, _, err = _run(
        capsys, "estate", INVENTORY, "--out", tmp_path / "report.csv", "--records", drafts, "--rows", "INT-001,INT-002",
        "--quiet",
    )  # fmt: skip
    assert code == 0, err
    texts = [p.read_text(encoding="utf-8") for p in sorted(drafts.glob("*.md"))]
    assert len(texts) == 2 and "connection_id: INT-001" in texts[0] and "connection_id: INT-002" in texts[1]
    code, findings = _findings(capsys, drafts, "--inventory", INVENTORY)
    assert code == 0 and [f for f in findings if f["kind"] != "not-a-record"] == []
    rows = INVENTORY.read_text(encoding="utf-8").splitlines()
    changed = [rows[0]] + [r.replace(",result_now,", ",none,", 1) if r.startswith("INT-001,") else r for r in rows[1:]]
    later = tmp_path / "later.csv"
    later.write_text("\n".join(changed) + "\n", encoding="utf-8")
    code, findings = _findings(capsys, drafts, "--inventory", later)
    (finding,) = [f for f in findings if f["kind"] == "inventory-differs"]
    assert "INT-001" in str(finding["message"]) and "Response expected" in str(finding["message"])
