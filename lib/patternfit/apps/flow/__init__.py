"""The business-flow dashboard (notebooks/flow.ipynb): its state and the page."""

from patternfit.apps.flow.app import FlowApp, build_flow_app
from patternfit.apps.flow.state import FlowState

__all__ = ["FlowApp", "FlowState", "build_flow_app"]
