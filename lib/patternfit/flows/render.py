"""A flow assessment as text (a terminal) or Markdown (a pull request, a wiki)."""

from __future__ import annotations

from patternfit.flows.assess import FlowAssessment
from patternfit.flows.diagram import pattern_label
from patternfit.model.catalog import Model
from patternfit.model.flows import FlowModel


def headline(a: FlowAssessment, rules: FlowModel) -> str:
    """The flow's state in one line (the word settled only when the state is settled)."""
    words = rules.wording
    if a.state == "conflict":
        steps = [i for i, s in a.steps.items() if s.state == "conflict"]
        return words["conflict"].format(steps=", ".join(steps))
    if a.state == "settled":
        return words["settled"].format(style=a.coordination.style or words["not_applicable"])
    still = [i for i, s in a.steps.items() if s.state != "settled"]
    return words["open"].format(steps=len(still), total=len(a.steps), coordination=coordination_line(a, rules))


def coordination_line(a: FlowAssessment, rules: FlowModel) -> str:
    c, words = a.coordination, rules.wording
    if not c.applies:
        return words["not_applicable"]
    if c.style is None:
        return words["tie"]
    if c.decided:
        return words["decided"].format(style=c.style)
    return words["undecided"].format(style=c.style, keys=", ".join(c.open_labels) or "—")


def step_lines(a: FlowAssessment, model: Model) -> list[str]:
    out = []
    for n, step in enumerate(a.flow.steps, 1):
        pattern = a.patterns[step.id]
        shown = pattern_label(model, pattern)
        extra = (
            f", compensates {step.compensates}"
            if step.compensates
            else f", reply to {step.reply_to}"
            if step.reply_to
            else ""
        )
        after = [*a.next_of[step.id], *step.outcomes]
        then = f"; then {' or '.join(after)}" if len(after) > 1 else ""
        out.append(f"{n}. {step.id}: {step.source} → {step.target} — {shown} ({a.steps[step.id].state}{extra}){then}")
    return out


def render_text(a: FlowAssessment, model: Model, rules: FlowModel) -> str:
    out = [a.flow.name, "=" * min(len(a.flow.name), 78), f"State:        {headline(a, rules)}"]
    out.append(f"Coordination: {coordination_line(a, rules)}")
    out += [f"  * {s['label']} ({s['score']:+d})" for s in a.coordination.signals]
    if a.coordination.note:
        out.append(f"  {a.coordination.note}")
    out += ["", "Steps"] + [f"  {line}" for line in step_lines(a, model)]
    if a.findings:
        out += ["", "Findings"]
        for f in a.findings:
            out += [f"  * {f.id} {f.title} [{', '.join(f.steps)}]: {f.message}", f"    Fix: {f.fix}"]
    if a.asks:
        out += ["", "Ask"] + [f"  * {q}" for q in a.asks]
    return "\n".join(out) + "\n"


def render_markdown(a: FlowAssessment, model: Model, rules: FlowModel) -> str:
    out = [f"# {_md(a.flow.name)}", "", f"**State:** {headline(a, rules)}", ""]
    out += [f"**Coordination:** {coordination_line(a, rules)}", ""]
    out += [f"- {s['label']} ({s['score']:+d})" for s in a.coordination.signals]
    out += ["", "## Steps", ""] + [f"- {_md(line)}" for line in step_lines(a, model)]
    out += ["", "## Diagram", "", "```mermaid", a.diagram, "```"]
    if a.findings:
        out += ["", "## Findings", ""]
        out += [f"- **{f.id} {f.title}** ({', '.join(f.steps)}): {_md(f.message)} *Fix:* {f.fix}" for f in a.findings]
    if a.asks:
        out += ["", "## To ask", ""] + [f"- {_md(q)}" for q in a.asks]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """User text inert in Markdown: HTML and emphasis characters escaped."""
    return "".join(f"\\{ch}" if ch in "\\`*_[]<>#|" else ch for ch in text)
