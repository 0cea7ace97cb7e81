"""Business flows: the flow file, its assessment (steps, coordination, findings, state, diagram)
and the importers that read flows where architects keep them (EventCatalog, Structurizr)."""

from __future__ import annotations

from patternfit.flows.assess import FlowAssessment, assess_flow
from patternfit.flows.file import Flow, Step, load_flow, parse_flow
from patternfit.flows.findings import Finding

__all__ = ["Finding", "Flow", "FlowAssessment", "Step", "assess_flow", "load_flow", "parse_flow"]
