"""The estate page's HTML from its templates (apps/estate/tables.py, fragments.py): words people
read, numbers as shown, and every uploaded text escaped."""

from __future__ import annotations

import math

import pandas as pd
from patternfit.apps.estate.fragments import basis_html, mapping_html, slug
from patternfit.apps.estate.tables import (
    ROWS_SHOWN,
    cell,
    pattern_label,
    problems_html,
    spread_words,
    table_html,
)


def test_cells_show_two_places_and_nothing_for_missing():
    """A gap 0.5 reads 0.50; NaN, None and pandas' NA read as empty cells; text stays as it is."""
    assert cell(0.5) == "0.50" and cell(3) == "3" and cell("INT-1") == "INT-1"
    assert cell(math.nan) == cell(None) == cell(pd.NA) == ""


def test_patterns_and_spreads_read_as_words(model):
    """Pattern keys become labels; shared database, other and not given read as words."""
    assert pattern_label(model, "events") == model.pattern("events").label
    assert pattern_label(model, "shared_database") == "Shared database"
    assert pattern_label(model, None) == "" and pattern_label(model, math.nan) == ""
    assert spread_words(1.2) == "one pattern for nearly everything"
    assert spread_words(3.6) == "spread over about 4 patterns" and spread_words(math.nan) == "no pattern given"


def test_a_table_names_its_columns_in_words_and_escapes_every_cell(model):
    """Headers in words, wrapped text columns marked, markup in any cell shown as text."""
    frame = pd.DataFrame(
        {"id": ["<b>X</b>"], "name": ["<script>alert(1)</script>"], "current_pattern": ["batch"], "gap": [0.25]}
    )
    html = table_html(frame, model)
    assert "<th>connection</th>" in html and "<th>pattern in use</th>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<b>X</b>" not in html
    assert '<td class="pf-wrap">&lt;script&gt;' in html and "<td>0.25</td>" in html
    assert model.pattern("batch").label in html and "1 connections." in html
    assert table_html(frame.iloc[0:0], model) == '<p class="pf-muted">No connections match.</p>'
    assert ROWS_SHOWN == 200


def test_unreadable_cells_are_listed_up_to_a_limit():
    """The first `shown` unreadable cells are listed; the rest are counted."""
    problems = pd.DataFrame(
        {
            "row": [2, 3, 4],
            "column": ["a", "b", "c"],
            "value": ["<i>", "", ""],
            "problem": ["p"] * 3,
            "allowed": [""] * 3,
        }
    )
    html = problems_html(problems, shown=2)
    assert html.count("<tr>") == 3 and "&lt;i&gt;" in html and "… and 1 more in the report." in html
    assert problems_html(problems.iloc[0:0]) == ""


def test_the_page_top_names_the_model_the_profile_and_the_mapping(model):
    """The basis line names the reference model, or the profile (escaped) and its file."""
    assert f"reference model {model.version}" in basis_html(model, None, "")
    info = {"name": "<b>Acme</b>", "version": "2", "changes": 1, "author": "CoE"}
    line = basis_html(model, info, "acme.yaml")
    assert "&lt;b&gt;Acme&lt;/b&gt;" in line and "1 change to the reference model" in line and "by CoE" in line
    assert mapping_html("") == "" and "<code>m&lt;.yaml</code>" in mapping_html("m<.yaml")
    assert slug("Acme <b>office</b> 2.0") == "acme-b-office-b-2.0"
