"""Plotly output for every page: ``fig.show()`` emits plotly's mime bundle, which JupyterLab and
Voila render (one small bundle per figure, not a FigureWidget's 5 MB)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import Any


def use_plotly_mimetype() -> None:
    """Make ``fig.show()`` emit plotly's mime bundle (JupyterLab and Voila 0.5). ``plotly.io`` is
    not imported for this: importing it imports nbformat and jsonschema, seconds of a page's
    start (issue 22); until something imports it, the variable it reads on import names the renderer."""
    pio = sys.modules.get("plotly.io")
    if pio is None:
        os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"
    else:
        pio.renderers.default = "plotly_mimetype"


def plotly_output(spec: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The outputs of an ``Output`` widget showing the figure `spec`: the same mime bundle as
    ``fig.show()`` under the plotly_mimetype renderer, made without plotly's renderers (importing
    them loads nbformat and jsonschema, 5 s on this machine) and without a kernel's output hook."""
    import plotly.graph_objects as go
    from plotly.io.json import to_json_plotly

    bundle = {"application/vnd.plotly.v1+json": json.loads(to_json_plotly(go.Figure(spec).to_plotly_json()))}
    return ({"output_type": "display_data", "data": bundle, "metadata": {}},)
