"""The pattern guide: one reference page per pattern, generated from the model (the dashboards and the
MCP server show the same pages)."""

from __future__ import annotations

from patternfit.model.catalog import Model


def _sources(model: Model, ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(ids)


def pattern_page(model: Model, key: str) -> str:
    """Markdown page for one pattern: when to use, when not, profile, checklist, sources."""
    p = model.pattern(key)
    profile = model.profiles[key]
    lines = [f"## {p.label}", "", p.summary, "", "**Use it when**", ""]
    lines += [f"* {item}" for item in p.use_when]
    lines += ["", "**Avoid it when**", ""] + [f"* {item}" for item in p.avoid_when]
    lines += [
        "",
        "**Trade-off profile** (1–5, higher is better for the architect)",
        "",
        "| dimension | score |",
        "| --- | --- |",
    ]
    lines += [
        f"| {d.label} | {'●' * profile[d.key]}{'○' * (5 - profile[d.key])} {profile[d.key]} |" for d in model.dimensions
    ]
    knocked_by = [k for k in model.knockouts if key in k.excludes]
    if knocked_by:
        lines += ["", "**Ruled out when**", ""] + [f"* {k.id}: {k.reason}" for k in knocked_by]
    lines += ["", "**Operational checklist**", ""]
    lines += [f"* [ ] {item.text} ({_sources(model, item.sources)})" for item in model.checklists[key]]
    lines += ["", f"Sources: {_sources(model, p.sources)}", ""]
    return "\n".join(lines)


def guide(model: Model) -> str:
    """The whole guide: the four patterns, then orchestration vs choreography."""
    parts = [f"# Integration pattern guide (model {model.version})", ""]
    parts += [pattern_page(model, p.key) for p in model.patterns]
    coordination = model.coordination
    parts += ["## Orchestration or choreography", ""]
    for key, style in coordination.styles.items():
        parts.append(f"* **{style.get('label', key)}**: {style.get('summary', '')}")
    parts += ["", "| dimension | orchestration | choreography |", "| --- | --- | --- |"]
    orchestration, choreography = coordination.profiles["orchestration"], coordination.profiles["choreography"]
    parts += [f"| {d.label} | {orchestration[d.key]} | {choreography[d.key]} |" for d in coordination.dimensions]
    parts += ["", coordination.counter_view, "", "**Choreography add-ons**", ""]
    parts += [f"* [ ] {item.text}" for item in model.checklists["choreography"]]
    parts += ["", "## Sources", ""]
    parts += [f"* **{sid}**: {entry.get('title', '')}" for sid, entry in model.sources.items()]
    return "\n".join(parts) + "\n"
