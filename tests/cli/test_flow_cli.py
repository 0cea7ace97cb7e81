"""`patternfit flow` as a user runs it: a real process, real files, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))
EXAMPLE = ROOT / "data" / "examples" / "flows" / "checkout.yaml"
ESTATES = ROOT.parent / "shared" / "estates"
CATALOG = ESTATES / "eventcatalog" / "default"
BIG_BANK = ESTATES / "structurizr" / "big-bank-plc.workspace.json"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PATTERNFIT, "flow", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_json_has_the_contract_keys() -> None:
    """--format json: steps by id (each as assess gives it), coordination with reasons, findings with
    their steps and fix, a mermaid diagram."""
    result = run(str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data["steps"]) == ["checked_out", "reserve", "pay", "create", "release"]
    reserve = data["steps"]["reserve"]
    assert reserve["pattern"] == "events" and reserve["technology"] == "RabbitMQ" and reserve["recommended"]
    assert reserve["state"] in ("open", "settled", "conflict") and reserve["next"] == ["pay", "release"]
    assert data["coordination"] == "orchestration" and data["coordination_detail"]["decided"] is True
    assert data["coordination_detail"]["signals"] and all(s["label"] for s in data["coordination_detail"]["signals"])
    assert [(f["id"], f["steps"]) for f in data["findings"]] == [("F-05", ["checked_out", "reserve"])]
    assert data["findings"][0]["fix"]
    assert data["diagram"].startswith("sequenceDiagram") and data["state"] == "open"


def test_text_and_markdown_read_like_a_report() -> None:
    """Text names the state, the coordination and its reasons, the steps and the findings; Markdown
    carries the diagram in a mermaid fence."""
    text = run(str(EXAMPLE)).stdout
    assert "State:        Open:" in text and "Coordination: orchestration, decided" in text
    assert "2. reserve: Checkout → Inventory — Events (open); then pay or release" in text
    assert "F-05 One pattern, several technologies" in text
    markdown = run(str(EXAMPLE), "--format", "markdown").stdout
    assert "```mermaid\nsequenceDiagram" in markdown and "## Findings" in markdown


@pytest.mark.skipif(not CATALOG.is_dir(), reason="../shared/estates/eventcatalog absent")
def test_an_eventcatalog_flow_from_the_command_line() -> None:
    result = run(str(CATALOG), "--from", "eventcatalog", "--view", "checkout-saga", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["coordination"] == "orchestration" and "EventCatalog flow checkout-saga" in data["origin"]
    assert any("finish" in q for q in data["ask"])


@pytest.mark.skipif(not BIG_BANK.is_file(), reason="../shared/estates/structurizr absent")
def test_a_structurizr_dynamic_view_from_the_command_line() -> None:
    result = run(str(BIG_BANK), "--from", "structurizr", "--view", "SignIn")
    assert result.returncode == 0, result.stderr
    assert "6. step-6: Sign In Controller → Single-Page Application" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "missing.yaml: no such file"),
        ([str(EXAMPLE), "--view", "x"], "--view: needs --from eventcatalog or --from structurizr"),
        ([".", "--from", "eventcatalog"], "--from eventcatalog: needs --view"),
        (["data", "--from", "eventcatalog", "--view", "x"], "holds no EventCatalog flow"),
        ([str(EXAMPLE), "--from", "structurizr", "--view", "K"], "JSON syntax error"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    """Bad input: exit 2, one line on stderr naming where and what, nothing on stdout."""
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_a_bad_step_names_the_file_and_the_step(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(
        "name: f\nsteps:\n  - {id: a, from: A, to: B, connection: {characteristics: {consumer_count: -3}}}\n"
    )
    result = run(str(path))
    assert result.returncode == 2
    assert f"{path}: steps[0] (a).connection: characteristics.consumer_count" in result.stderr
