"""The ipywidgets dashboards: the only Jupyter-aware layer.

They need the ``dashboards`` extra (Voila, JupyterLab, ipywidgets, plotly, anywidget); the engine,
records, estate review and CLI do not."""

import importlib.util

_MISSING = [name for name in ("ipywidgets", "plotly", "anywidget") if importlib.util.find_spec(name) is None]
if _MISSING:
    raise ImportError(
        f"the patternfit dashboards need {', '.join(_MISSING)}: install them with pip install 'patternfit[dashboards]'"
    )
