"""patternfit.records.check: the structural MADR 4.0 check of a record's text."""

from __future__ import annotations

from patternfit.records.check import check_madr
from patternfit.records.render import render_record


def test_what_patternfit_writes_passes_in_both_flavours(record):
    """A MADR record and a log4brains record as rendered have no structural problem."""
    assert check_madr(render_record(record, "madr")) == []
    assert check_madr(render_record(record, "log4brains"), "log4brains") == []


def test_a_missing_section_and_a_numbered_title_are_found(record):
    """Dropping `## Considered Options` and numbering the H1 are each reported."""
    text = render_record(record, "madr")
    head, _, rest = text.partition("## Considered Options")
    broken = head.replace(f"# {record.title}", f"# 7. {record.title}") + rest.split("## Decision Outcome", 1)[0]
    broken += "## Decision Outcome" + text.split("## Decision Outcome", 1)[1]
    problems = check_madr(broken)
    assert any("must not carry the record number" in p for p in problems)
    assert any("Considered Options" in p for p in problems)


def test_text_without_front_matter_says_so():
    """Plain Markdown with no front matter is reported, not crashed on."""
    problems = check_madr("# A decision\n\nWe chose events.\n")
    assert "no YAML front matter between `---` lines" in problems
