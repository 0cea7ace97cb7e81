"""patternfit.model.flows: data/flows.yaml read into the flow model, checked on load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from patternfit.errors import ModelError
from patternfit.model.flows import FINDINGS, load_flow_model

DATA = Path(__file__).resolve().parents[2] / "data"


def model_folder(tmp_path: Path, edit) -> Path:
    """A copy of flows.yaml and sources.yaml with `edit` applied to the flows document."""
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(DATA / "sources.yaml", folder)
    doc = yaml.safe_load((DATA / "flows.yaml").read_text())
    edit(doc)
    (folder / "flows.yaml").write_text(yaml.safe_dump(doc))
    return folder


def test_the_shipped_flow_model_has_every_finding_and_its_thresholds():
    """data/flows.yaml gives the five findings with sources, and the thresholds the file states."""
    flows = load_flow_model(DATA)
    assert tuple(flows.findings) == FINDINGS
    assert flows.sync_chain_max == 3 and flows.sprawl_owners == 2
    assert "minutes" in flows.fast_durations and "days" not in flows.fast_durations
    assert all(f.sources and f.title and f.fix for f in flows.findings.values())
    assert load_flow_model(DATA) is flows  # cached per folder


def test_a_changed_threshold_in_another_folder_is_read(tmp_path: Path):
    """A model folder with its own threshold gives that threshold, not the shipped one."""
    folder = model_folder(tmp_path, lambda d: d["thresholds"].update(sync_chain_max=5))
    assert load_flow_model(folder).sync_chain_max == 5


@pytest.mark.parametrize(
    ("edit", "where", "what"),
    [
        (lambda d: d["thresholds"].update(sync_chain_max=0), "thresholds.sync_chain_max", "whole number ≥ 1"),
        (lambda d: d["thresholds"].update(fast_durations=["soon"]), "thresholds.fast_durations", "must list"),
        (lambda d: d["findings"].pop("F-05"), "findings", "exactly these findings"),
        (lambda d: d["findings"]["F-01"].update(sources=["NOPE"]), "findings.F-01.sources", "'NOPE' is not"),
    ],
)
def test_a_broken_flow_model_is_a_model_error_naming_the_key(tmp_path: Path, edit, where, what):
    """A bad value in flows.yaml stops loading with a ModelError naming the file, the key and the problem."""
    with pytest.raises(ModelError) as raised:
        load_flow_model(model_folder(tmp_path, edit))
    assert raised.value.where == f"data/flows.yaml: {where}"
    assert what in raised.value.what
    assert raised.value.fix == "fix the model data"
