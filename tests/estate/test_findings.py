"""patternfit.estate.findings: what a review finds in an assessed inventory, by the model's own policy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from patternfit.estate import findings as findings_module
from patternfit.estate.encode import encode_table
from patternfit.estate.findings import find
from patternfit.estate.read import read_inventory
from patternfit.estate.score import prepare, score
from patternfit.model.catalog import load_model

DATA = Path(__file__).resolve().parents[2] / "data"
INVENTORY = DATA / "examples" / "inventory.csv"


def assessed(model, **options):
    inventory = read_inventory(INVENTORY, model=model)
    prepared, w = prepare(model, None, None)
    encoded = encode_table(inventory.table, prepared)
    return find(inventory.table, encoded, score(encoded, w, prepared), w, prepared, **options)


def test_the_summary_counts_the_example_inventory(model):
    """51 connections, 3 unreadable rows, 48 assessed; mismatches are listed with their gap and reason."""
    found = assessed(model)
    summary = found.summary
    assert (summary["connections"], summary["rows with errors"], summary["assessed"]) == (51, 3, 48)
    assert summary["mismatch gap threshold"] == model.policy.mismatch_gap
    assert summary["mismatches"] == len(found.mismatches)
    first = found.mismatches.iloc[0]
    assert first["current_pattern"] != first["recommended"] and first["reason"]


def test_a_smaller_gap_finds_at_least_as_many_mismatches(model):
    """Lowering the gap threshold never removes a mismatch; raising it keeps only the ruled-out patterns."""
    low, usual, high = (len(assessed(model, gap=g).mismatches) for g in (0.0, None, 99.0))
    assert low >= usual >= high > 0


def test_the_policy_is_the_models_not_the_one_read_at_import(tmp_path: Path):
    """A model folder whose policy.yaml sets another gap is reviewed with that gap (issue 22)."""
    folder = tmp_path / "model"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("inventory", "examples"))
    text = (folder / "policy.yaml").read_text()
    assert "mismatch_gap: 0.25" in text
    (folder / "policy.yaml").write_text(text.replace("mismatch_gap: 0.25", "mismatch_gap: 0.5"))
    assert assessed(load_model(folder)).summary["mismatch gap threshold"] == 0.5


def test_old_names_are_read_when_asked_and_others_are_refused():
    """MISMATCH_GAP still answers (from the default policy); an unknown name is an AttributeError naming it."""
    assert load_model().policy.mismatch_gap == findings_module.MISMATCH_GAP
    with pytest.raises(AttributeError, match="has no attribute 'NOPE'"):
        findings_module.NOPE  # noqa: B018
