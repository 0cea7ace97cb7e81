"""patternfit.model.examples: the example connections the dashboards offer."""

from __future__ import annotations

import shutil
from pathlib import Path

from patternfit.model.catalog import load_model
from patternfit.model.examples import examples

DATA = Path(__file__).resolve().parents[2] / "data"


def test_every_shipped_example_is_offered_by_its_name_in_file_order(model):
    """Each data/examples/*.yaml is offered under its stem, with the name its file gives."""
    found = examples(model)
    assert list(found) == sorted(p.stem for p in (DATA / "examples").glob("*.yaml"))
    name, path = found["order-created-fanout"]
    assert name == "Order created fan-out"
    assert path == DATA / "examples" / "order-created-fanout.yaml"


def test_a_broken_example_is_left_out_not_raised(tmp_path: Path):
    """A model folder with one unreadable example still offers the others."""
    folder = tmp_path / "model"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("inventory", "flows"))
    (folder / "examples" / "aaa-broken.yaml").write_text("characteristics: [not, a, mapping\n")
    found = examples(load_model(folder))
    assert "aaa-broken" not in found
    assert "order-created-fanout" in found
