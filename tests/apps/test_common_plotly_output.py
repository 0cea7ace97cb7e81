"""patternfit.apps.common.plotly_output: every page shows plotly figures as their mime bundle."""

from __future__ import annotations

import os

import plotly.io as pio
import pytest
from patternfit.apps.common.plotly_output import use_plotly_mimetype


def test_plotly_figures_show_as_their_mime_bundle(monkeypatch: pytest.MonkeyPatch):
    """After the call plotly's default renderer is the mime bundle, whatever it was before."""
    monkeypatch.setattr(pio.renderers, "default", "svg")
    monkeypatch.setenv("PLOTLY_RENDERER", "svg")  # so that the variable is restored after the test
    monkeypatch.delenv("PLOTLY_RENDERER")
    use_plotly_mimetype()
    assert pio.renderers.default == "plotly_mimetype"
    assert os.environ["PLOTLY_RENDERER"] == "plotly_mimetype"
