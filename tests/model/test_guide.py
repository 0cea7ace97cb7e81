"""patternfit.model.guide: the pattern guide generated from the model."""

from __future__ import annotations

from patternfit.model.guide import guide, pattern_page


def test_a_pattern_page_has_its_label_profile_checklist_and_sources(model):
    """The events page shows the catalog's label, one profile row per dimension and every checklist item."""
    page = pattern_page(model, "events")
    p = model.pattern("events")
    assert page.startswith(f"## {p.label}\n")
    for d in model.dimensions:
        assert f"| {d.label} | " in page
    for item in model.checklists["events"]:
        assert f"* [ ] {item.text}" in page
    assert f"Sources: {', '.join(p.sources)}" in page


def test_a_page_lists_the_knockouts_that_rule_its_pattern_out(model):
    """Every knock-out excluding a pattern appears under 'Ruled out when' on that pattern's page."""
    for p in model.patterns:
        page = pattern_page(model, p.key)
        ruling = [k for k in model.knockouts if p.key in k.excludes]
        assert ("**Ruled out when**" in page) == bool(ruling)
        for k in ruling:
            assert f"* {k.id}: {k.reason}" in page


def test_the_guide_holds_every_pattern_then_coordination_then_sources(model):
    """The guide names the model version, each pattern in catalog order, and every source id."""
    text = guide(model)
    assert text.startswith(f"# Integration pattern guide (model {model.version})")
    positions = [text.index(f"## {p.label}\n") for p in model.patterns]
    assert positions == sorted(positions)
    assert text.index("## Orchestration or choreography") > positions[-1]
    for sid in model.sources:
        assert f"* **{sid}**:" in text
