"""Plotly figures built from results (no widgets): one connection, a comparison, an estate."""
