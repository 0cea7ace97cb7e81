"""The ipywidgets dashboards: the only Jupyter-aware layer."""
