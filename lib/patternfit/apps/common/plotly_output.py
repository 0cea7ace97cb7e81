"""Plotly output for every page: ``fig.show()`` emits plotly's mime bundle, which JupyterLab and
Voila render (one small bundle per figure, not a FigureWidget's 5 MB)."""

from __future__ import annotations

import os
import sys


def use_plotly_mimetype() -> None:
    """Make ``fig.show()`` emit plotly's mime bundle (JupyterLab and Voila 0.5). ``plotly.io`` is
    not imported for this: importing it imports nbformat and jsonschema, seconds of a page's
    start (issue 22); until something imports it, the variable it reads on import names the renderer."""
    pio = sys.modules.get("plotly.io")
    if pio is None:
        os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    else:
        pio.renderers.default = "plotly_mimetype"
