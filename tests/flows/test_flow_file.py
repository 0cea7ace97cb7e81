"""The flow file: parsed into frozen values, bad input refused with the file, step and key named."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from patternfit.errors import InputError
from patternfit.flows import Flow, load_flow, parse_flow
from patternfit.model.catalog import Model

from tests.flows.helpers import EXAMPLES, saga, step

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_a_flow_round_trips_through_its_file_form(model: Model) -> None:
    """parse_flow(flow.to_dict()) gives the same flow, and the values are frozen."""
    flow = parse_flow(saga(owners=("a", "b")), model)
    assert parse_flow(flow.to_dict(), model) == flow
    assert [s.id for s in flow.steps] == ["reserve", "pay", "ship", "undo_reserve", "undo_pay"]
    assert flow.step("undo_pay").compensates == "pay"
    with pytest.raises(dataclasses.FrozenInstanceError):
        flow.name = "x"  # type: ignore[misc]


def test_a_step_without_a_connection_is_named_after_its_ends(model: Model) -> None:
    """A bare step is a connection with nothing answered, named 'from → to'."""
    flow = parse_flow({"name": "f", "steps": [step("a", "Shop", "Stock")]}, model)
    assert flow.steps[0].connection.name == "Shop → Stock"
    assert flow.steps[0].connection.source == "Shop" and not flow.steps[0].connection.characteristics


def test_a_step_reads_its_connection_file_beside_the_flow(model: Model, tmp_path: Path) -> None:
    """`file:` is read from the flow file's folder."""
    (tmp_path / "lookup.yaml").write_text((EXAMPLES / "checkout-price-lookup.yaml").read_text(encoding="utf-8"))
    (tmp_path / "flow.yaml").write_text(
        yaml.safe_dump({"name": "f", "steps": [step("a", "A", "B", file="lookup.yaml")]})
    )
    flow = load_flow(tmp_path / "flow.yaml", model)
    assert flow.steps[0].connection.name == "Checkout price lookup"
    assert flow.steps[0].connection.characteristics["latency_budget"] == "subsecond"


@pytest.mark.parametrize("file", ["../outside.yaml", "/etc/passwd", "link.yaml"])
def test_a_connection_file_outside_the_flow_folder_is_refused(model: Model, tmp_path: Path, file: str) -> None:
    """A path or a symbolic link leading out of the flow's folder is refused, naming the step."""
    folder = tmp_path / "flows"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text("name: outside\n")
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (folder / "flow.yaml").write_text(yaml.safe_dump({"name": "f", "steps": [step("a", "A", "B", file=file)]}))
    with pytest.raises(InputError, match=r"steps\[0\] \(a\)\.file.*outside the flow file's folder"):
        load_flow(folder / "flow.yaml", model)


@pytest.mark.parametrize(
    ("flow", "where", "what"),
    [
        ({"name": "f"}, "steps", "non-empty list"),
        ({"steps": [{"id": "a", "from": "A"}]}, r"steps\[0\] \(a\)\.to", "is missing"),
        ({"steps": [{"from": "A", "to": "B"}]}, r"steps\[0\]\.id", "is missing"),
        ({"steps": [step("a", "A", "B"), step("a", "B", "C")]}, r"steps\[1\]\.id", "used twice"),
        ({"steps": [step("a", "A", "B", next=["b"])]}, r"steps\[0\] \(a\)\.next", "'b' is no step"),
        ({"steps": [step("a", "A", "B", compensates="a")]}, r"\(a\)\.compensates", "the step itself"),
        ({"steps": [step("a", "A", "B", nxt=1)]}, r"steps\[0\]\.nxt", "unknown key"),
        ({"steps": [step("a", "A", "B", {"characteristics": {"latency_budget": "soon"}})]}, "latency_budget", "soon"),
        ({"steps": [step("a", "A", "B")], "sub": {"branching": "wild"}}, "sub.branching", "wild"),
        (
            {"steps": [step("a", "A", "B")], "characteristics": {"consumer_count": 3}},
            "consumer_count",
            "not a flow-level",
        ),
        ({"steps": [step("a", "A", "B")], "colour": "red"}, "colour", "unknown key"),
        ({"steps": [step("a", ["A"], "B")]}, r"\(a\)\.from", "must be text"),
        ([1, 2], "flow.yaml", "must be a mapping"),
    ],
)
def test_bad_flows_name_where_and_what(model: Model, tmp_path: Path, flow: object, where: str, what: str) -> None:
    """Each mistake gives one InputError naming the file, the step and the key."""
    path = tmp_path / "flow.yaml"
    path.write_text(yaml.safe_dump(flow))
    with pytest.raises(InputError) as caught:
        load_flow(path, model)
    assert str(path) in caught.value.message
    assert caught.value.message.count("\n") == 0
    import re

    assert re.search(where, caught.value.message), caught.value.message
    assert what in caught.value.message


@pytest.mark.parametrize("name", ["conn-billion-laughs.yaml", "conn-python-tag.yaml", "conn-binary.yaml"])
def test_hostile_yaml_is_refused_by_the_guarded_reader(model: Model, tmp_path: Path, name: str) -> None:
    """The hostile corpus's alias bomb, Python tag and binary file are refused as flow files too."""
    path = tmp_path / "flow.yaml"
    path.write_bytes((CORPUS / name).read_bytes())
    with pytest.raises(InputError) as caught:
        load_flow(path, model)
    assert str(path) in caught.value.message


def test_too_many_steps_are_refused(model: Model) -> None:
    """A flow of more than 500 steps is refused before anything is assessed."""
    steps = [step(f"s{i}", "A", "B") for i in range(501)]
    with pytest.raises(InputError, match="more than 500"):
        parse_flow({"name": "big", "steps": steps}, model)


def test_flow_is_a_frozen_value_type() -> None:
    """Flow and Step are frozen dataclasses."""
    assert Flow.__dataclass_params__.frozen  # type: ignore[attr-defined]
