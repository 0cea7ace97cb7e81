"""patternfit.apps.common.templates: the dashboards' one Jinja2 environment and their static files."""

from __future__ import annotations

import pytest
from patternfit.apps.common.templates import environment, render, static, style_tag
from patternfit.errors import InputError


def test_rendering_escapes_every_value():
    """A value with markup is escaped by the shared environment."""
    html = render("common/error.html", message="<script>alert(1)</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_filters_format_numbers_as_the_pages_show_them():
    """signed uses a real minus, pct a whole percentage, and anything not a number shows a dash."""
    env = environment()
    text = env.from_string("{{ a|signed }} {{ b|signed }} {{ c|pct }} {{ d|number }} {{ e|pct }} {{ f|signed }}")
    assert text.render(a=0.5, b=-0.25, c=0.423, d=2.5, e=None, f=True) == "+0.50 −0.25 42% 2.5 — —"


def test_static_files_are_read_and_wrapped_for_an_html_widget():
    """dashboard.css is read from the package and style_tag wraps it in one <style> element."""
    css = static("dashboard.css")
    assert ".pf-" in css
    tag = style_tag("dashboard.css")
    assert tag.startswith("<style>\n") and tag.endswith("\n</style>") and css in tag


def test_a_missing_static_file_says_to_reinstall():
    """A static file that is not there is an InputError naming it and the fix."""
    with pytest.raises(InputError) as raised:
        static("missing.css")
    assert raised.value.where == "patternfit/apps/static/missing.css" and raised.value.fix == "reinstall patternfit"
