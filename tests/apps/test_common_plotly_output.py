"""patternfit.apps.common.plotly_output: every page shows plotly figures as their mime bundle."""

from __future__ import annotations

import plotly.io as pio
import pytest
from patternfit.apps.common.plotly_output import plotly_output, use_plotly_mimetype


def test_plotly_figures_show_as_their_mime_bundle(monkeypatch: pytest.MonkeyPatch):
    """With plotly.io imported, the call makes the mime bundle plotly's default renderer, whatever it was."""
    monkeypatch.setattr(pio.renderers, "default", "svg")
    use_plotly_mimetype()
    assert pio.renderers.default == "plotly_mimetype"


def test_a_figure_spec_becomes_one_plotly_mime_bundle():
    """plotly_output gives one display_data output whose bundle is the figure's plotly JSON."""
    (out,) = plotly_output({"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"title": {"text": "T"}}})
    assert out["output_type"] == "display_data"
    figure = out["data"]["application/vnd.plotly.v1+json"]
    assert figure["data"][0]["type"] == "bar" and figure["layout"]["title"]["text"] == "T"
