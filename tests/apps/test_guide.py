"""The pattern guide is generated from data/ and complete."""

from __future__ import annotations

from patternfit.apps.common.guide import guide, pattern_page


def test_every_pattern_has_a_page(model):
    """Each pattern page has use/avoid lists, the profile and its checklist."""
    for p in model.patterns:
        page = pattern_page(model, p.key)
        assert page.startswith(f"## {p.label}")
        assert "**Use it when**" in page and "**Avoid it when**" in page
        assert model.checklists[p.key][0].text in page
        assert all(d.label in page for d in model.dimensions)


def test_guide_covers_coordination_and_sources(model):
    """The guide ends with orchestration vs choreography and the source list."""
    text = guide(model)
    assert "## Orchestration or choreography" in text
    assert "**A1**" in text and "{" not in text
