"""Real ADR tools reading our records: log4brains 1.1.0 (`adr list --raw`) and markdownlint-cli2 0.24.1.

Both come from package.json (`make npm`). Without node_modules they are skipped with a reason,
unless the environment variable CI is set: in CI a missing tool is a failure.
"""

from __future__ import annotations

import json
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
LAYOUTS = [("madr", "madr"), ("madr", "madr-minimal"), ("madr", "nygard"), ("log4brains", "madr")]


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
    """markdownlint-cli2 with MADR's own rules finds nothing in any example's record in every Markdown layout
    (MADR, MADR minimal, Nygard, log4brains), a hostile name included."""
    hostile = {"name": "<img src=x onerror=alert(1)> *x* | `y` https://e.example", "description": "- 1. # a@b.example",
               "characteristics": {"consumer_count": 3}}  # fmt: skip
    sources: list[tuple[str, Any]] = [*examples.items(), ("hostile", hostile)]
    for name, source in sources:
        a = assess(source, samples=200, model=model)
        record = build_record(a, _meta(title="" if name != "hostile" else hostile["name"]), model)
        for fmt, template in LAYOUTS:
            text = render_record(record, fmt, template=template, number=3)
            (tmp_path / f"{name}.{fmt}.{template}.md").write_text(text, encoding="utf-8")
    for golden in GOLDEN.glob("*.md"):
        shutil.copy(golden, tmp_path / f"golden-{golden.name}")
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Summary: 0 issues" in result.stdout + result.stderr
    files = (len(sources) * len(LAYOUTS)) + len(list(GOLDEN.glob("*.md")))
    assert (
        f"Linting: {files} file(s)" in result.stdout + result.stderr
        or f"Linting: {files} files" in result.stdout + result.stderr
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


def test_backstage_reads_status_date_and_title_of_every_layout(
    model: Model, examples: dict[str, Path], tmp_path: Path
) -> None:
    """Backstage's ADR plugin (@backstage/plugin-adr-common: madrFilePathFilter, parseMadrWithFrontmatter) lists
    every Markdown record and reads status, date and title from MADR, MADR minimal and log4brains records,
    a superseded status included; Nygard records give it the title only (Backstage reads no `## Status`
    section), and HTML/JSON records are not ADR files to it."""
    node = shutil.which("node")
    common = ROOT / "node_modules" / "@backstage" / "plugin-adr-common"
    if node is None or not common.exists():
        if os.environ.get("CI"):
            pytest.fail("node or node_modules/@backstage/plugin-adr-common is missing in CI: run `make npm`")
        pytest.skip("needs node and node_modules/@backstage/plugin-adr-common (make npm)")
    folder = tmp_path / "docs" / "decisions"
    folder.parent.mkdir()
    layouts = [("madr", "madr"), ("madr", "madr-minimal"), ("log4brains", "madr"), ("madr", "nygard"),
               ("html", "madr"), ("json", "madr")]  # fmt: skip
    expected: dict[str, tuple[bool, str | None, str | None, str | None]] = {}
    fanout = assess(examples["order-created-fanout"], samples=0, model=model)
    for i, (fmt, template) in enumerate(layouts):
        status = ("accepted", "proposed", "rejected", "deprecated", "accepted", "accepted")[i]
        record = build_record(
            fanout, _meta(status=status, date=f"2026-11-{10 + i}", title=f"Record {i} {template}"), model
        )
        path = save_record(record, folder, fmt, template)
        if fmt in ("html", "json"):
            expected[path.name] = (False, None, None, None)
        elif template == "nygard":
            expected[path.name] = (True, f"{i + 1}. {record.title}", None, None)
        else:
            expected[path.name] = (True, record.title, status, f"2026-11-{10 + i}")
    newer = build_record(fanout, _meta(title="Record 6 newer"), model)
    new = supersede(folder, 1, newer)  # the MADR record 0001 becomes superseded
    first = next(name for name in expected if name.startswith("0001-"))
    expected[first] = (True, "Record 0 madr", "superseded by ADR-0007", "2026-11-10")
    expected[new.name] = (True, "Record 6 newer", "proposed", "2026-11-26")
    script = ROOT / "tests" / "records" / "backstage_adr.cjs"
    files = sorted(str(p) for p in folder.iterdir())
    result = subprocess.run([node, str(script), *files], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False, env={**os.environ, "NODE_PATH": str(ROOT / "node_modules")})  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    got = {r["file"]: (r["listed"], r.get("title"), r.get("status"), r.get("date")) for r in rows}
    assert got == expected
