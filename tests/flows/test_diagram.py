"""patternfit.flows.diagram: a flow as a mermaid sequence diagram."""

from __future__ import annotations

from patternfit.flows.diagram import DASHED, ORCHESTRATOR, SOLID, UNKNOWN, arrow, coordinator, pattern_label, to_mermaid
from patternfit.flows.file import parse_flow
from patternfit.flows.graph import step_graph

from tests.flows.helpers import chain, saga, step


def test_arrows_tell_a_call_from_a_message_and_from_an_open_pattern():
    """A synchronous call is solid, events/batch/workflow dashed, an unknown pattern an open arrow."""
    assert arrow("api") == SOLID and arrow("shared_database") == SOLID
    assert {arrow(p) for p in ("events", "batch", "workflow")} == {DASHED}
    assert arrow(None) == UNKNOWN


def test_labels_come_from_the_catalog(model):
    """A pattern key reads as its label, a design word as given, an unknown one as 'pattern open'."""
    assert pattern_label(model, "events") == model.pattern("events").label
    assert pattern_label(model, "ftp drop") == "ftp drop"
    assert pattern_label(model, None) == "pattern open"


def test_the_coordinator_is_named_or_the_busiest_participant(model):
    """A named orchestrator wins; else the one starting most work steps; else a new Orchestrator."""
    assert coordinator(parse_flow(saga(owners=("a",), orchestrator="Temporal"), model)) == "Temporal"
    assert coordinator(parse_flow(saga(owners=("a",)), model)) == "Shop"
    assert coordinator(parse_flow(chain(3), model)) == ORCHESTRATOR


def test_the_diagram_numbers_steps_and_escapes_labels(model):
    """Each step is one numbered arrow; a name with mermaid's own characters does not break the source."""
    data = chain(2)
    data["steps"].append(step("c2", "S2", "Billing; #1", {"name": "Bill: now", "proposed": "events"}))
    flow = parse_flow(data, model)
    patterns = {"c0": "api", "c1": "api", "c2": "events"}
    text = to_mermaid(flow, step_graph(flow), patterns, None, model)
    lines = text.splitlines()
    assert lines[0] == "sequenceDiagram"
    arrows = [line for line in lines if SOLID in line or DASHED in line]
    assert len(arrows) == 3 and "1. " in arrows[0] and "3. " in arrows[2]
    assert DASHED in arrows[2] and "Billing; #1" not in text
