"""Plotly output for every page: ``fig.show()`` emits plotly's mime bundle, which JupyterLab and
Voila render (one small bundle per figure, not a FigureWidget's 5 MB)."""

from __future__ import annotations

import os


def use_plotly_mimetype() -> None:
    """Make ``fig.show()`` emit plotly's mime bundle (JupyterLab and Voila 0.5)."""
    os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype"
