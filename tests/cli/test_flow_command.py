"""patternfit.cli.flow: `patternfit flow` run in process on the shipped checkout flow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from patternfit.cli import flow
from patternfit.errors import InputError

from tests.cli.parsing import run

CHECKOUT = Path(__file__).resolve().parents[2] / "data" / "examples" / "flows" / "checkout.yaml"


def test_a_flow_file_gives_its_steps_in_json(capsys):
    """The checkout flow's JSON names the flow and assesses its steps (the Kafka step recommends events)."""
    assert run(flow, "flow", str(CHECKOUT), "--format", "json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["name"] == "Checkout"
    assert out["steps"]["checked_out"]["technology"] == "Apache Kafka"
    assert out["steps"]["checked_out"]["recommended"] == "events"


def test_record_writes_each_step_and_the_flow_record_linking_them(tmp_path: Path, capsys):
    """--record writes one record per step and a last one that links each of them by file name."""
    assert run(flow, "flow", str(CHECKOUT), "--record", str(tmp_path), "--date", "2026-12-01") == 0
    files = sorted(tmp_path.glob("*.md"))
    last = files[-1].read_text()
    assert len(files) >= 4
    assert all(f.name in last for f in files[:-1])


@pytest.mark.parametrize(
    ("kind", "view", "where"),
    [
        (None, "checkout", "--view"),
        ("eventcatalog", None, "--from eventcatalog"),
        ("structurizr", None, "--from structurizr"),
    ],
)
def test_a_source_without_its_partner_option_is_refused(kind, view, where):
    """--view without --from, or --from without --view, says which option to add."""
    with pytest.raises(InputError) as raised:
        flow.read_source(CHECKOUT, kind, view)
    assert raised.value.where == where
