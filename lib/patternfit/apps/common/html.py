"""HTML fragments shared by the dashboards (question text, downloads, banners, status lines,
the link bar) and the page's CSS. Pure functions over Jinja2 templates (apps/templates/common,
autoescape on) and static files (apps/static), no widgets.

Every piece of text that a user typed or uploaded is escaped before it is put into HTML; model
text is escaped too, so a quote or an angle bracket in data/ can never turn into markup.
"""

from __future__ import annotations

import base64
import html
import json
import logging
from collections.abc import Callable
from typing import Any

from patternfit.apps.common.templates import render, static, style_tag
from patternfit.model.catalog import Model, Question


def esc(text: Any) -> str:
    """Text made inert in HTML (quotes included, for attributes)."""
    return html.escape(str(text), quote=True)


def question_html(q: Question, model: Model) -> str:
    """The label and question, with the help text, one example per answer, what an answer is
    not, and the sources behind a small "?"."""
    sources = [f"{s}: {model.sources.get(s, {}).get('title', '')}" for s in q.sources]
    tip = q.help + (" Sources: " + ", ".join(q.sources) if q.sources else "")
    examples = [(q.value_label(v), text) for v, text in (q.examples or {}).items()]
    not_meant = [(q.value_label(v), text) for v, text in (q.not_meant or {}).items()]
    return render(
        "common/question.html", q=q, sources=sources, tip=tip.strip() or q.label, examples=examples, not_meant=not_meant
    )


def download_html(content: str, filename: str, mime: str, label: str) -> str:
    """An ``<a download>`` with a data URI: downloads straight from the browser (Voila-proof)."""
    payload = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return render("common/download.html", payload=payload, filename=filename, mime=mime, label=label, why="")


def disabled_download_html(label: str, why: str) -> str:
    return render("common/download.html", payload=None, filename="", mime="", label=label, why=why)


def error_html(message: str) -> str:
    return render("common/error.html", message=message)


def show_banner(banner: Any, message: str) -> None:
    """Show `message` (escaped) in an error banner widget (an HTML widget with class pf-error)."""
    banner.value = error_html(message)
    banner.layout.display = None


def hide_banner(banner: Any) -> None:
    banner.value = ""
    banner.layout.display = "none"


def status_html(message: str, *, ok: bool = True) -> str:
    return render("common/status.html", message=message, ok=ok)


def table_box(table: str, label: str) -> str:
    """A table (HTML, already escaped) in a box of its own that scrolls sideways when the table is
    wider than the page (a phone), focusable and named so that a keyboard can scroll it too."""
    return f'<div class="pf-table-box" tabindex="0" role="region" aria-label="{esc(label)}">{table}</div>'


def preview_html(markdown: str) -> str:
    """The record's Markdown, shown as text."""
    return f'<pre class="pf-preview-text" tabindex="0" aria-label="Record preview">{esc(markdown)}</pre>'


DASHBOARDS = (
    ("decide", "Decide one connection"),
    ("workshop", "Workshop"),
    ("calibrate", "Calibrate a profile"),
    ("estate", "Estate review"),
    ("flow", "Decide a flow"),
)


def links_html(current: str, title: str, lead: str = "") -> str:
    """The dashboard's title, links to the other dashboards (relative: under Voila each is
    /voila/render/<name>.ipynb, beside this one) and an optional one-line lead."""
    return render("common/links.html", links=DASHBOARDS, current=current, title=title, lead=lead)


def title_js(title: str) -> str:
    """A script that names the browser tab."""
    return f"document.title = {json.dumps(title)};"


CSS = style_tag("dashboard.css")


# jupyterlab-plotly's renderer (plotly 7.1) draws each new figure, then on lumino's update
# request draws it a second time from scratch (Plotly.redraw) before Plots.resize. For the
# dashboard's charts the first drawing is already complete, so the redraw doubles the cost of
# every update; resize alone keeps what redraw is there for (a changed size). plotly.js sets
# window.Plotly when the extension first loads it; the trap below adjusts that object as it
# arrives (before the first chart is drawn) and only for graphs inside `.pf-chart`.
PLOTLY_PATCH_JS = static("plotly_patch.js")
A11Y_JS = static("a11y.js")  # accessible names ipywidgets leaves out (slider handles, Markdown checkboxes)


def guarded(
    callback: Callable[..., Any], report: Callable[[str], None], kept: str, log: logging.Logger
) -> Callable[..., None]:
    """A widget callback that reports a failure in the page's error banner (and the server log),
    never as a traceback on the page; `kept` says what stays as it was."""

    def run(*args: Any) -> None:
        try:
            callback(*args)
        except Exception as exc:
            log.exception("widget callback failed")
            report(f"Something went wrong ({type(exc).__name__}); {kept}.")

    return run


def first_upload(change: Any) -> tuple[bytes, str] | None:
    """(content, file name) of the first file in a FileUpload change, or None when it was cleared."""
    files = change["new"]
    if not files:
        return None
    return bytes(files[0]["content"]), str(files[0]["name"])
