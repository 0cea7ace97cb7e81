"""Real ADR tools reading our records: log4brains 1.1.0 (`adr list --raw`) and markdownlint-cli2 0.24.1.

Both come from package.json (`make npm`). Without node_modules they are skipped with a reason,
unless the environment variable CI is set: in CI a missing tool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from patternfit import assess
from patternfit.model.catalog import Model
from patternfit.records import RecordMeta, build_record, render_record, save_record, supersede

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"
CONFIG = ROOT / "tests" / "golden" / "records" / ".markdownlint.yml"
GOLDEN = ROOT / "tests" / "golden" / "records"

pytestmark = pytest.mark.tools


def _tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI: run `make npm` (npm ci) before the tests")
        pytest.skip(f"{path} is missing: run `make npm` to install the npm ADR tools (required when CI is set)")
    return path


def _run(command: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=180, check=False)


def _meta(**kw: object) -> RecordMeta:
    return RecordMeta(**({"date": "2026-11-26", "decision_makers": ("Ana", "Bo")} | kw))  # type: ignore[arg-type]


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    shutil.copy(CONFIG, folder / ".markdownlint.yml")
    return _run([_tool("markdownlint-cli2"), "*.md"], folder)


def test_markdownlint_accepts_every_example_in_both_flavours(
    model: Model, examples: dict[str, Path], tmp_path: Path
) -> None:
    """markdownlint-cli2 with MADR's own rules finds nothing in any example's MADR or log4brains record."""
    hostile = {"name": "<img src=x onerror=alert(1)> *x* | `y` https://e.example", "description": "- 1. # a@b.example",
               "characteristics": {"consumer_count": 3}}  # fmt: skip
    sources: list[tuple[str, Any]] = [*examples.items(), ("hostile", hostile)]
    for name, source in sources:
        a = assess(source, samples=200, model=model)
        for fmt in ("madr", "log4brains"):
            text = render_record(build_record(a, _meta(title="" if name != "hostile" else hostile["name"]), model), fmt)
            (tmp_path / f"{name}.{fmt}.md").write_text(text, encoding="utf-8")
    for golden in GOLDEN.glob("*.md"):
        shutil.copy(golden, tmp_path / f"golden-{golden.name}")
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Summary: 0 issues" in result.stdout + result.stderr
    assert (
        "Linting: 16 file(s)" in result.stdout + result.stderr or "Linting: 16 files" in result.stdout + result.stderr
    )


def test_markdownlint_rejects_a_broken_record(model: Model, examples: dict[str, Path], tmp_path: Path) -> None:
    """The lint is live: a record with a `-` list and a blank line lost before a heading fails MD004/MD022."""
    a = assess(examples["order-created-fanout"], samples=0, model=model)
    text = render_record(build_record(a, _meta(), model), "madr")
    broken = text.replace("* Batch\n", "- Batch\n").replace("\n\n## Decision Outcome", "\n## Decision Outcome")
    (tmp_path / "broken.md").write_text(broken, encoding="utf-8")
    result = _lint(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "MD004" in output and "MD022" in output


def test_log4brains_reads_title_and_status_of_each_record(
    model: Model, examples: dict[str, Path], tmp_path: Path
) -> None:
    """`log4brains adr list --raw` reads our log4brains flavour: each title, and statuses including superseded."""
    log4brains = _tool("log4brains")
    folder = tmp_path / "docs" / "decisions"
    folder.parent.mkdir()
    (tmp_path / ".log4brains.yml").write_text(
        "project:\n  name: patternfit test\n  tz: Etc/UTC\n  adrFolder: ./docs/decisions\n", encoding="utf-8"
    )
    expected: dict[str, tuple[str, str]] = {}
    for i, path in enumerate(p for _, p in sorted(examples.items())):
        status = ("accepted", "proposed", "rejected", "deprecated", "accepted")[i % 5]
        record = build_record(assess(path, samples=0, model=model), _meta(status=status), model)
        saved = save_record(record, folder, "log4brains")
        expected[saved.stem] = (status.upper(), record.title)
    old = next(slug for slug, (status, _) in expected.items() if status == "ACCEPTED")
    newer = build_record(
        assess(examples["order-created-fanout"], samples=0, model=model), _meta(title="Newer, with a comma"), model
    )
    new = supersede(folder, int(old[:4]), newer, "log4brains")
    expected[old] = ("SUPERSEDED", expected[old][1])
    expected[new.stem] = ("PROPOSED", "Newer, with a comma")

    result = _run([log4brains, "adr", "list", "--raw"], tmp_path)
    assert result.returncode == 0, result.stderr
    # slug,STATUS,package,title — log4brains does not quote the title, so split on the first three commas only
    rows = {
        row[0]: (row[1], row[3]) for row in (line.split(",", 3) for line in result.stdout.splitlines()) if len(row) == 4
    }
    assert rows == expected, result.stdout + result.stderr
