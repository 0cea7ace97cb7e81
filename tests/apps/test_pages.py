"""patternfit.apps.pages: the header every dashboard page starts with, and its upload buttons."""

from __future__ import annotations

import json

import pytest
from patternfit.apps.common.html import DASHBOARDS
from patternfit.apps.pages import keep_title_js, page_header, script_output, title, upload_button


def test_every_dashboard_has_the_title_its_link_shows():
    """title() gives the link bar's label for each notebook stem; an unknown stem is refused."""
    assert [title(stem) for stem, _ in DASHBOARDS] == [label for _, label in DASHBOARDS]
    with pytest.raises(KeyError):
        title("nope")


def test_the_header_links_the_other_pages_and_names_the_tab():
    """The estate header marks itself current, links the others, and its script names the tab."""
    header = page_header("estate", lead="Every connection <b>at once</b>")
    html, script = header.children
    assert 'aria-current="page">Estate review<' in html.value and 'href="decide.ipynb"' in html.value
    assert "&lt;b&gt;at once&lt;/b&gt;" in html.value
    js = script.outputs[0]["data"]["application/javascript"]
    assert json.dumps("Estate review — patternfit") in js and "pf-page-header" in header._dom_classes


def test_the_tab_title_is_quoted_as_a_javascript_string():
    """A title with quotes and a closing script tag stays one JSON string in the script."""
    js = keep_title_js('Say "hi" </script>')
    assert json.dumps('Say "hi" </script>') in js
    out = script_output("1 + 1")
    assert out.layout.display == "none" and out.outputs[0]["data"]["application/javascript"] == "1 + 1"


def test_an_upload_button_takes_one_file_and_says_what_it_opens():
    """The button accepts one file of the given kinds, with its label and tooltip as given."""
    button = upload_button(".yaml,.yml", "Open a connection", "A connection file (YAML)")
    assert (button.accept, button.multiple, button.description) == (".yaml,.yml", False, "Open a connection")
    assert button.tooltip == "A connection file (YAML)" and button.layout.width == "auto"
