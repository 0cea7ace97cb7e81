"""patternfit.apps.common.html: the dashboards' shared HTML fragments, every user text escaped."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re

import ipywidgets as widgets
from patternfit.apps.common.html import (
    DASHBOARDS,
    download_html,
    error_html,
    first_upload,
    guarded,
    hide_banner,
    links_html,
    preview_html,
    question_html,
    show_banner,
    status_html,
    table_box,
    title_js,
)

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
HOSTILE = '<img src=x onerror="alert(1)">'


def test_user_text_never_becomes_markup():
    """A hostile string in an error, a status, a table label, a preview or a file name stays text."""
    for fragment in (
        error_html(HOSTILE),
        status_html(HOSTILE, ok=False),
        table_box("<table></table>", HOSTILE),
        preview_html(HOSTILE),
        download_html("x", HOSTILE, "text/plain", HOSTILE),
    ):
        assert "<img" not in fragment and "&lt;img" in fragment, fragment
    assert 'class="pf-warn"' in status_html("x", ok=False) and 'class="pf-ok"' in status_html("x")
    assert title_js('a"; alert(1); "') == 'document.title = "a\\"; alert(1); \\"";'


def test_a_download_carries_the_content_in_its_data_uri():
    """The link's base64 payload decodes to the content, UTF-8 kept."""
    link = download_html("naïve — ok", "r.md", "text/markdown", "Download")
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", link)
    assert payload and base64.b64decode(payload.group(1)).decode("utf-8") == "naïve — ok"
    assert 'download="r.md"' in link


def test_the_link_bar_marks_the_current_page_and_links_the_others():
    """The current dashboard is not a link (aria-current); each other one links to its notebook."""
    bar = links_html("estate", "Estate review", lead="Every connection at once")
    assert 'aria-current="page">Estate review<' in bar
    assert all(f'href="{name}.ipynb"' in bar for name, _ in DASHBOARDS if name != "estate")
    assert 'href="estate.ipynb"' not in bar and "Every connection at once" in bar


def test_a_question_shows_its_label_and_sources(model):
    """The question block shows the catalog's label and names each source id."""
    q = model.question("latency_budget")
    block = question_html(q, model)
    assert q.label in block and all(s in block for s in q.sources)


def test_a_banner_shows_and_hides_on_a_real_widget():
    """show_banner fills and shows an HTML widget; hide_banner empties and hides it."""
    banner = widgets.HTML()
    show_banner(banner, HOSTILE)
    assert "&lt;img" in banner.value and banner.layout.display is None
    hide_banner(banner)
    assert banner.value == "" and banner.layout.display == "none"


def test_a_failing_callback_is_reported_not_raised(caplog):
    """guarded turns an exception into one sentence for the banner and a logged traceback."""
    reported: list[str] = []

    def broken(_change: object) -> None:
        raise KeyError("latency_budget")

    with caplog.at_level(logging.ERROR):
        guarded(broken, reported.append, "your answers are kept", logging.getLogger("pf-test"))({"new": 1})
    assert reported == ["Something went wrong (KeyError); your answers are kept."]
    assert "widget callback failed" in caplog.text


def test_first_upload_reads_a_real_file_upload_value():
    """The first file of a FileUpload change gives its bytes and name; a cleared upload gives None."""
    upload = widgets.FileUpload()
    upload.value = ({"name": "c.yaml", "type": "", "size": 3, "content": memoryview(b"a: 1"), "last_modified": NOW},)
    assert first_upload({"new": upload.value}) == (b"a: 1", "c.yaml")
    assert first_upload({"new": ()}) is None
