"""patternfit.flows.file: a flow file read and checked into a Flow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from patternfit.errors import InputError
from patternfit.flows.file import load_flow, parse_flow

from tests.flows.helpers import EXAMPLES, chain, example

CHECKOUT = EXAMPLES / "flows" / "checkout.yaml"


def test_the_checkout_example_reads_into_steps_in_order(model):
    """The shipped checkout flow keeps its name, step order, owners and technologies."""
    flow = load_flow(CHECKOUT, model)
    assert flow.name == "Checkout"
    assert flow.steps[0].id == "checked_out" and flow.steps[0].technology == "Apache Kafka"
    assert flow.step("reserve").next == ("pay", "release")
    assert parse_flow(flow.to_dict(), model).to_dict() == flow.to_dict()


def test_a_step_file_is_read_beside_the_flow(model, tmp_path: Path):
    """`file:` names a connection file in the flow's folder, read as that connection."""
    shutil.copy(EXAMPLES / "checkout-price-lookup.yaml", tmp_path / "price.yaml")
    data = {"name": "Prices", "steps": [{"id": "p", "from": "Shop", "to": "Pricing", "file": "price.yaml"}]}
    (tmp_path / "flow.yaml").write_text(yaml.safe_dump(data))
    flow = load_flow(tmp_path / "flow.yaml", model)
    assert flow.steps[0].connection.name == example("checkout-price-lookup")["name"]


@pytest.mark.parametrize(
    ("edit", "where", "what"),
    [
        (lambda d: d.pop("steps"), "f.yaml: steps", "must be a non-empty list of steps"),
        (lambda d: d["steps"][0].update(conection={}), "f.yaml: steps[0].conection", "did you mean 'connection'?"),
        (lambda d: d["steps"][0].update(next=["zz"]), "f.yaml: steps[0] (c0).next", "'zz' is no step of the flow"),
        (lambda d: d["steps"][1].update(id="c0"), "f.yaml: steps[1].id", "'c0' is used twice"),
        (
            lambda d: d["steps"][0].update(file="../../etc/passwd"),
            "f.yaml: steps[0] (c0).file",
            "lies outside the flow file's folder",
        ),
    ],
)
def test_a_bad_flow_names_the_step_and_the_key(model, tmp_path: Path, edit, where, what):
    """A missing list, a misspelt key, a dangling next, a reused id or an escaping file name is named exactly."""
    data = chain(2)
    for s in data["steps"]:
        s.pop("connection", None)
    edit(data)
    with pytest.raises(InputError) as raised:
        parse_flow(data, model, where="f.yaml", folder=tmp_path)
    assert raised.value.where == where and what in raised.value.what
