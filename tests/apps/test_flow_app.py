"""The business-flow page without a browser: the state builds, assesses and reports; the page is
drawn from the state and escapes what was typed."""

from __future__ import annotations

from patternfit.apps.flow.app import FlowApp
from patternfit.apps.flow.state import FlowState

XSS = '<img src=x onerror="alert(1)">'


def test_the_state_builds_a_flow_and_assesses_it() -> None:
    """Steps added one by one are assessed; a compensation names an earlier step; removing undoes."""
    state = FlowState()
    assert state.result is None
    state.add_step("Shop", "Stock", "events", owner="inv")
    state.add_step("Shop", "Pay", "api")
    state.add_step("Shop", "Stock", "", compensates="s1")
    assert [s.id for s in state.result.flow.steps] == ["s1", "s2", "s3"]
    assert state.result.flow.step("s3").compensates == "s1"
    state.remove_last()
    assert len(state.result.flow.steps) == 2 and state.error == ""


def test_the_example_loads_and_the_page_escapes_typed_text() -> None:
    """The example shows its coordination; a typed name with markup is shown as text in the page."""
    app = FlowApp()
    app.state.load_example()
    assert "orchestration, decided" in app.result.value and "pf-download-md" in app.downloads.value
    app.name.value = XSS
    app.source.value, app.target.value = XSS, "B"
    app._add(None)
    assert XSS not in app.result.value and "&lt;img" in app.result.value


def test_a_step_without_its_ends_is_refused_in_the_banner() -> None:
    app = FlowApp()
    app._add(None)
    assert "From and To" in app.banner.value and app.state.flow["steps"] == []
