"""The README's commands run exactly as written.

Every command in a fenced shell code block (bash, sh, shell, console) of README.md that starts with `patternfit` or
`.venv/bin/patternfit` (backslash continuations joined, trailing comments dropped) is run, in
README order, with bash in a temporary copy of the checkout's context: `data/` and `.venv/` linked
from the repository, an empty `docs/` as a fresh checkout has. Each must exit 0; a comment line
right after a command that names a path (`# docs/decisions/0001-….md`) is the output the README
promises, and must be what the command prints.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(?:bash|sh|shell|console)\n(.*?)^```", re.DOTALL | re.MULTILINE)
PROMISED = re.compile(r"^#\s+(\S+\.(?:md|json|html|csv|xlsx))\s*$")


def readme_commands(text: str) -> list[tuple[str, str | None]]:
    """(command, promised output or None) for each patternfit command in the README's code blocks."""
    found: list[tuple[str, str | None]] = []
    for block in FENCE.findall(text):
        lines = block.replace("\\\n", " ").splitlines()
        for i, line in enumerate(lines):
            if not line.lstrip().startswith(("patternfit ", ".venv/bin/patternfit ")):
                continue
            words = shlex.split(line, comments=True)
            nxt = PROMISED.match(lines[i + 1].strip()) if i + 1 < len(lines) else None
            found.append((shlex.join(words), nxt.group(1) if nxt else None))
    return found


def test_readme_lists_patternfit_commands() -> None:
    """The README shows at least the assess, record, records and reopen commands."""
    commands = [c for c, _ in readme_commands(README.read_text(encoding="utf-8"))]
    assert any(" assess " in f" {c} " for c in commands) and any(" record " in f" {c} " for c in commands)
    assert len(commands) >= 4, commands


def test_readme_commands_run_as_written(tmp_path: Path) -> None:
    """Each README command exits 0 in a fresh copy of the checkout's context, and prints what the README says."""
    for name in ("data", ".venv"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    (tmp_path / "docs").mkdir()
    bash = shutil.which("bash") or "/bin/bash"
    for command, promised in readme_commands(README.read_text(encoding="utf-8")):
        result = subprocess.run(
            [bash, "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        if promised is not None:
            assert result.stdout.strip() == promised, f"{command} printed {result.stdout.strip()!r}"
