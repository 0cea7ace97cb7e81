"""Importers of flows from where architects keep them: EventCatalog folders and Structurizr dynamic views."""

from __future__ import annotations

from patternfit.flows.importers import eventcatalog, structurizr

__all__ = ["eventcatalog", "structurizr"]
