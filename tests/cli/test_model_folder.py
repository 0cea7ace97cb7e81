"""Policy is read with the model, never at import (issue 22): a model folder's own policy.yaml is used;
a folder without one breaks neither `import patternfit` nor `--help`, and a command that needs the model
exits 2 naming the file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from patternfit import assess
from patternfit.estate.review import review

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
EXAMPLE = DATA / "examples" / "inventory.csv"
CONNECTION = DATA / "examples" / "checkout-price-lookup.yaml"


def _folder(tmp_path: Path, **policy: dict) -> Path:
    """A copy of the shipped model whose policy.yaml sections are updated with `policy` (None: removed)."""
    target = tmp_path / "model"
    shutil.copytree(DATA, target)
    path = target / "policy.yaml"
    doc = yaml.safe_load(path.read_text())
    for section, values in policy.items():
        doc[section] |= values
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    return target


def _run(*args: str, data: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATTERNFIT_DATA": str(data)}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_a_model_folder_without_policy_keeps_import_and_help_working_and_exits_2(tmp_path):
    """`import patternfit`, the estate modules and `--help` work; assess and estate exit 2 naming the file."""
    folder = _folder(tmp_path)
    (folder / "policy.yaml").unlink()
    imported = _run("-c", "import patternfit, patternfit.estate.review, patternfit.cli.main", data=folder, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    for command in (["--help"], ["assess", "--help"], ["estate", "--help"], ["record", "--help"]):
        shown = _run("-m", "patternfit.cli", *command, data=folder, cwd=tmp_path)
        assert shown.returncode == 0 and "usage:" in shown.stdout, (command, shown.stderr)
    for command in (
        ["assess", str(CONNECTION)],
        ["estate", str(EXAMPLE), "--out", str(tmp_path / "r.csv")],
    ):
        failed = _run("-m", "patternfit.cli", *command, data=folder, cwd=tmp_path)
        assert failed.returncode == 2, (command, failed.stderr)
        assert failed.stderr == f"patternfit: {folder}/policy.yaml: no such file — fix the model data\n"
    assert not (tmp_path / "r.csv").exists()


def test_the_estate_reads_the_policy_of_its_model_folder(tmp_path, monkeypatch):
    """Another mismatch gap and unanswered limit in PATTERNFIT_DATA's policy.yaml change the findings."""
    shipped = review(EXAMPLE).findings
    folder = _folder(tmp_path, estate={"mismatch_gap": 1.5, "many_unanswered": 10})
    monkeypatch.setenv("PATTERNFIT_DATA", str(folder))
    findings = review(EXAMPLE).findings
    assert (shipped.gap_threshold, findings.gap_threshold) == (0.25, 1.5)
    assert findings.summary["mismatches"] < shipped.summary["mismatches"]
    assert set(findings.workshop["id"]) == {"INT-048"}  # 11 blanks; INT-047's 9 are below the new limit
    assert set(shipped.workshop["id"]) == {"INT-047", "INT-048"}


@pytest.mark.parametrize(("samples", "robust"), [(0, False), (300, True)])
def test_assess_takes_its_default_samples_from_the_model_folder(tmp_path, monkeypatch, samples, robust):
    """`assess` without samples= runs the model's samples.default (0: no robustness analysis)."""
    folder = _folder(tmp_path, samples={"default": samples})
    monkeypatch.setenv("PATTERNFIT_DATA", str(folder))
    result = assess(CONNECTION)
    assert (result.robustness is not None) == robust
    if robust:
        assert result.robustness is not None and result.robustness.samples == samples
