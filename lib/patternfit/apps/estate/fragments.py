"""The estate page's HTML above its results: which model the review uses, the column mapping, the
progress line, download buttons (the blank inventory). Rendered from the Jinja2 templates in
``apps/templates/estate/`` (autoescape on: a file name from an upload is shown as text). No widgets,
and nothing of the review's stack is imported here: the page opens without it."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

from patternfit.apps.common.templates import render
from patternfit.model.catalog import Model

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def basis_html(model: Model, info: Mapping[str, Any] | None, filename: str) -> str:
    """The line beside the profile upload: which model the review uses."""
    if info is None:
        return render("estate/basis.html", info=None, version=model.version)
    from patternfit.estate.report import profile_label  # a profile is in force: the review's stack is needed

    changes = int(info["changes"])
    return render(
        "estate/basis.html",
        info=info,
        label=profile_label(info),
        changes=changes,
        version=model.version,
        filename=filename,
    )


def template_html(model: Model) -> str:
    """Download buttons for the blank inventory (the server does not serve data/)."""
    folder = model.directory / "inventory"
    links = [
        link_html(path.read_bytes(), f"inventory-{filename}", mime, label)
        for filename, mime, label in (
            ("template.xlsx", XLSX, "Download the inventory template (XLSX, with drop-downs and a legend)"),
            ("template.csv", "text/csv", "Download the template (CSV, header row only)"),
        )
        if (path := folder / filename).is_file()
    ]
    return render("estate/template_links.html", links=links)


def mapping_html(filename: str) -> str:
    """The line beside the mapping upload ("" when spreadsheets are read by our own column names)."""
    return render("estate/mapping.html", filename=filename)


def progress_html(stage: str) -> str:
    return render("estate/progress.html", stage=stage)


def link_html(data: bytes, filename: str, mime: str, label: str) -> str:
    """An ``<a download>`` button carrying `data` (binary: an XLSX) as a data URI."""
    payload = base64.b64encode(data).decode("ascii")
    return render("estate/link.html", payload=payload, filename=filename, mime=mime, label=label)


def slug(text: str) -> str:
    """A file-name part: letters, digits, dots and dashes only."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-.").lower()[:60] or "profile"
