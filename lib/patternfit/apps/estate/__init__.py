"""The estate page: an inventory or architecture model reviewed against the model.

`state` holds what the page shows (`EstateState`, widget-free), `fragments` its HTML (Jinja2
templates in ``apps/templates/estate/``), `results` the results' widgets (built at the first
review, drawn in view), `app` the page (`EstateApp`, `build_estate_app`)."""

from __future__ import annotations

from patternfit.apps.estate.app import EstateApp, build_estate_app
from patternfit.apps.estate.fragments import ROWS_SHOWN, table_html
from patternfit.apps.estate.state import ALL_OWNERS, EstateState, example_inventory, filtered

__all__ = [
    "ALL_OWNERS",
    "ROWS_SHOWN",
    "EstateApp",
    "EstateState",
    "build_estate_app",
    "example_inventory",
    "filtered",
    "table_html",
]
