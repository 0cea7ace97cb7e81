"""The `patternfit` command as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PATTERNFIT, *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=60)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, "Recommended: none yet — undecided: no answer tells the patterns apart yet\n"),
        ({"response_expectation": "none"}, "leading for now: Events (topic)"),
    ],
)
def test_an_undecided_connection_names_no_recommended_pattern(tmp_path, answers, expected):
    """With too few answers that speak, text and Markdown say undecided instead of naming a pattern
    picked by the model's order (a tie of four zeros is no recommendation)."""
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"name": "early", "characteristics": answers}))
    for fmt, line in (("text", "Recommended: "), ("markdown", "**Recommended:** ")):
        out = run("assess", str(path), "--samples", "0", "--format", fmt).stdout
        recommended = next(x for x in out.splitlines() if x.startswith(line))
        assert "none yet — undecided" in recommended, recommended
        assert expected.strip().removeprefix("Recommended: ") in recommended
    assert json.loads(run("assess", str(path), "--samples", "0", "--format", "json").stdout)["undecided"]


def test_text_output_reads_like_a_report(examples):
    """Text output names the recommendation, why, what was excluded and how sure."""
    result = run("assess", str(examples["order-created-fanout"]), "--samples", "500")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Recommended: Events (topic)" in out
    assert "Why" in out and "ruled out (KO-5)" in out
    assert "How sure:" in out and "of 500 weightings" in out
    assert "[ ] EVT-1" in out


def test_json_output_is_the_assessment(examples):
    """--format json prints Assessment.to_dict()."""
    from patternfit import assess

    result = run(
        "assess", str(examples["nightly-reconciliation"]), "--format", "json", "--samples", "300", "--seed", "3"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(assess(examples["nightly-reconciliation"], samples=300, seed=3).to_dict()))


def test_markdown_output(examples):
    """--format markdown prints a Markdown summary with a score table."""
    result = run("assess", str(examples["customer-onboarding"]), "--format", "markdown", "--samples", "200")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Customer onboarding")
    assert "| Workflow orchestration |" in result.stdout


def test_weights_file_is_used(tmp_path, examples):
    """--weights reads a YAML mapping of weights."""
    weights = tmp_path / "w.yaml"
    weights.write_text("consumer_count: 0\ninteraction_intent: 0\nresponse_expectation: 0\n")
    result = run(
        "assess", str(examples["order-created-fanout"]), "--format", "json", "--samples", "0", "--weights", str(weights)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["weights"]["consumer_count"] == 0


BAD_FILES = {
    "unknown-key.yaml": (
        "characteristics:\n  consumer_cnt: 3\n",
        ["characteristics.consumer_cnt", "did you mean 'consumer_count'"],
    ),
    "bad-value.yaml": (
        "characteristics:\n  latency_budget: weekly\n",
        ["latency_budget", "'weekly'", "allowed: subsecond"],
    ),
    "negative.yaml": ("characteristics:\n  consumer_count: -3\n", ["consumer_count", "minimum"]),
    "nan.yaml": ("characteristics:\n  consumer_count: .nan\n", ["consumer_count", "nan"]),
    "list.yaml": ("characteristics:\n  - consumer_count\n", ["characteristics", "must be a mapping"]),
    "empty.yaml": ("", ["is empty"]),
    "syntax.yaml": ("name: x\n  characteristics: {\n", ["line", "YAML syntax error"]),
    "syntax.json": ('{"name": "x",,}', ["line 1", "JSON syntax error"]),
    "proposed.yaml": ("proposed: kafka\n", ["proposed.pattern", "allowed: api, events"]),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_connection_file_exits_2_with_one_line(tmp_path, name):
    """Bad input: exit 2, one line on stderr naming file, key and value, no traceback."""
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(content)
    result = run("assess", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"patternfit: {path}")
    for text in expected:
        assert text in lines[0]
    assert "Traceback" not in result.stderr


def test_binary_and_missing_files_exit_2(tmp_path):
    """A binary file or a missing one: exit 2, one line."""
    binary = tmp_path / "photo.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    for path, what in ((binary, "binary"), (tmp_path / "missing.yaml", "no such file")):
        result = run("assess", str(path))
        assert result.returncode == 2
        assert what in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "what"),
    [("consumer_count: -1\n", "≥ 0"), ("consumer_count: .nan\n", "≥ 0"), ("consumer_count: x\n", "not a number")],
)
def test_bad_weights_file_exits_2(tmp_path, examples, content, what):
    """Negative, NaN and non-numeric weights: exit 2 naming the weights file and key."""
    weights = tmp_path / "w.yaml"
    weights.write_text(content)
    result = run("assess", str(examples["order-created-fanout"]), "--weights", str(weights))
    assert result.returncode == 2
    assert f"{weights}: consumer_count" in result.stderr and what in result.stderr


def test_bad_arguments_exit_2():
    """A negative --samples or an unknown format is a usage error, exit 2."""
    assert run("assess", "x.yaml", "--samples", "-5").returncode == 2
    assert run("assess", "x.yaml", "--format", "html").returncode == 2
