"""patternfit.flows.assess: a whole flow assessed — its steps, coordination, findings, state and diagram."""

from __future__ import annotations

import json

import pytest
from patternfit.errors import InputError
from patternfit.flows.assess import assess_flow

from tests.flows.helpers import EXAMPLES, chain

CHECKOUT = EXAMPLES / "flows" / "checkout.yaml"


def test_the_checkout_flow_is_assessed_step_by_step(model):
    """Every step of the checkout flow has its assessment and pattern, and the JSON round-trips."""
    a = assess_flow(CHECKOUT, model=model)
    assert list(a.steps) == [s.id for s in a.flow.steps]
    assert a.patterns["checked_out"] == "events"  # its technology, Kafka
    assert a.state in ("settled", "open", "conflict")
    assert a.diagram.startswith("sequenceDiagram")
    data = json.loads(json.dumps(a.to_dict()))
    assert data["name"] == "Checkout" and set(data["steps"]) == set(a.steps)


def test_a_mapping_and_a_file_give_the_same_outcome(model, tmp_path):
    """A flow handed over as a mapping is assessed as the same flow written to a file."""
    import yaml

    data = chain(4)
    (tmp_path / "f.yaml").write_text(yaml.safe_dump(data))
    by_file, by_mapping = assess_flow(tmp_path / "f.yaml", model=model), assess_flow(data, model=model)
    assert [f.id for f in by_file.findings] == [f.id for f in by_mapping.findings] == ["F-01"]


def test_a_flow_with_no_steps_is_refused(model):
    """A flow without steps is an InputError saying what a step needs."""
    with pytest.raises(InputError) as raised:
        assess_flow({"name": "empty", "steps": []}, model=model)
    assert "steps" in raised.value.where and raised.value.fix == "each with id, from, to"
