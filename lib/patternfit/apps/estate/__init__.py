"""The estate page: an inventory or architecture model reviewed against the model.

`state` holds what the page shows (`EstateState`, widget-free); `fragments` (the page's top) and
`tables` (the results, and which rows the table shows) its HTML, from the Jinja2 templates in
``apps/templates/estate/``; `results` the results' widgets (built at the first review, drawn in
view); `app` the page (`EstateApp`, `build_estate_app`). Only what the page shows at open is
imported here: the review's stack (pandas, the importers, the charts) loads with the first review."""

from __future__ import annotations

from typing import Any

from patternfit.apps.estate.app import EstateApp, build_estate_app
from patternfit.apps.estate.filters import ALL_OWNERS
from patternfit.apps.estate.state import EstateState, example_inventory

__all__ = [
    "ALL_OWNERS",
    "EstateApp",
    "EstateState",
    "build_estate_app",
    "example_inventory",
]


def __getattr__(name: str) -> Any:
    """The results' HTML (`tables`: ``problems_html``, ``table_html``, …), loaded when first asked for."""
    from patternfit.apps.estate import tables

    try:
        return getattr(tables, name)
    except AttributeError:
        raise AttributeError(f"module 'patternfit.apps.estate' has no attribute {name!r}") from None
