"""HTML fragments, CSS and small scripts of the dashboards as files: Jinja2 templates in
``patternfit/apps/templates/`` and static files in ``patternfit/apps/static/`` (package data).

``render(name, **context)`` renders a template with autoescape on: every value put in with
``{{ ... }}`` is escaped, so text a user typed or uploaded (or model text) can never become
markup. Use ``|safe`` only on fragments another template rendered. ``static(name)`` reads a
static file (CSS, JS) as text; both are cached after the first read.

Filters available in every template: ``pct`` (0.42 → "42 %"... see `_pct`), ``signed``
("+0.42"), ``number`` (3 → "3", 2.5 → "2.5").
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import jinja2

from patternfit.errors import InputError
from patternfit.io.bidi import isolate_bidi

PACKAGE = "patternfit.apps"


def _signed(value: Any, digits: int = 2) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:+.{digits}f}".replace("-", "−")
    return "—"


def _number(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value)


def _pct(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.0%}"
    return "—"


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of the dashboards (autoescape on; a missing optional field is empty)."""
    env = jinja2.Environment(
        finalize=isolate_bidi,  # bidirectional text cannot leak into what follows
        loader=jinja2.PackageLoader(PACKAGE, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # the templates ship with the package: no stat() per render
    )
    env.filters["signed"] = _signed
    env.filters["number"] = _number
    env.filters["pct"] = _pct
    env.globals["static"] = static
    return env


def render(name: str, /, **context: Any) -> str:
    """Render the template `name` (e.g. ``"decide/card.html"``) with `context`, escaped."""
    return environment().get_template(name).render(**context).strip()


@functools.lru_cache(maxsize=64)
def static(name: str) -> str:
    """The text of the static file `name` (e.g. ``"dashboard.css"``)."""
    try:
        return resources.files(PACKAGE).joinpath("static", *name.split("/")).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise InputError(f"patternfit/apps/static/{name}", "is not there", "reinstall patternfit") from exc


def style_tag(*names: str) -> str:
    """``<style>`` with the static CSS files `names`, for an ``HTML`` widget."""
    return "<style>\n" + "\n".join(static(n) for n in names) + "\n</style>"
