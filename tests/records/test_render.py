"""patternfit.records.render: one record written in every format and layout, and a user's template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.records.render import check_template, people, record_data, render_record, tidy


def test_every_layout_carries_the_title_and_the_chosen_option(record):
    """madr, madr-minimal, nygard, log4brains and html all name the record and its chosen option."""
    chosen = next(o.label for o in record.options if o.key == record.chosen)
    for fmt, template in [("madr", "madr"), ("madr", "madr-minimal"), ("madr", "nygard"), ("log4brains", "madr")]:
        text = render_record(record, fmt, template=template, number=3)
        assert record.title in text and chosen in text, (fmt, template)
    assert "# 3. " in render_record(record, "madr", template="nygard", number=3)
    html = render_record(record, "html")
    assert html.lstrip().lower().startswith("<!doctype html") and 'id="patternfit"' in html


def test_json_is_the_record_as_data(record):
    """The JSON form holds the title, the chosen option and the stored inputs to reopen it."""
    data = json.loads(render_record(record, "json"))
    assert data == record_data(record)
    assert data["title"] == record.title
    assert data["patternfit"]["inputs"] == dict(record.stored["inputs"])


def test_a_users_template_is_rendered_and_must_keep_the_patternfit_block(record, tmp_path: Path):
    """A template file sees the record as `r`; one that drops the patternfit block is refused, saying what to add."""
    md = tmp_path / "short.md.j2"
    md.write_text("# {{ r.title }}\n\nChosen: {{ r.chosen }}\n\n{{ patternfit_comment }}\n")
    text = render_record(record, "madr", template=md)
    assert text.startswith(f"# {record.title}\n\nChosen: {record.chosen}\n\n<!-- patternfit")
    md.write_text("# {{ r.title }}\n")
    with pytest.raises(InputError) as raised:
        render_record(record, "madr", template=md)
    assert "writes no patternfit block" in raised.value.what and "{{ patternfit_comment }}" in raised.value.fix
    with pytest.raises(InputError) as raised:
        check_template(tmp_path / "missing.j2")
    assert raised.value.what == "no such template file" and "madr, madr-minimal, nygard" in raised.value.fix


def test_bad_format_and_layout_pairs_are_refused(record):
    """An unknown format, and nygard with --format log4brains, each say what to use instead."""
    with pytest.raises(InputError, match="unknown record format 'pdf'"):
        render_record(record, "pdf")
    with pytest.raises(InputError) as raised:
        check_template("nygard", "log4brains")
    assert raised.value.fix == "use it with --format madr"


def test_tidy_and_people_write_markdown_as_linters_want():
    """Trailing spaces and runs of blank lines go, one newline ends the text; names are one comma list."""
    assert tidy("# T  \n\n\n\nbody\t\n\n") == "# T\n\nbody\n"
    assert people(("Ada", "Bo")) == "Ada, Bo" and people(()) == ""
