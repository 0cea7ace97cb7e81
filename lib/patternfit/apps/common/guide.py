"""The pattern guide: one reference page per pattern (built in `patternfit.model.guide`, which the
MCP server shares without the dashboards' stack)."""

from __future__ import annotations

from patternfit.model.guide import guide, pattern_page

__all__ = ["guide", "pattern_page"]
