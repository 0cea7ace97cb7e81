"""axe-core in a served page: `axe_findings(page)` injects node_modules/axe-core/axe.min.js into
the page Playwright has open and returns the findings at the impacts asked for (serious and
critical by default), each as a short dict; `describe(findings)` turns them into an assertion
message that says which rule, how bad, and which elements.

    from tests.browser.axe import axe_findings, describe
    found = axe_findings(page)
    assert not found, describe(found)

`exclude` takes CSS selectors axe should skip (e.g. third-party widgets a test cannot fix);
`rules` limits the run to those rule ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pytest

from tests.voila_proc import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BAD = ("serious", "critical")

_RUN = """async ([exclude, rules]) => {
  const context = exclude.length ? {include: [document], exclude: exclude.map((s) => [s])} : document;
  const options = {resultTypes: ['violations']};
  if (rules.length) options.runOnly = {type: 'rule', values: rules};
  const result = await window.axe.run(context, options);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300)})),
  }));
}"""


def axe_findings(
    page: Any,
    *,
    impacts: Sequence[str] = BAD,
    exclude: Sequence[str] = (),
    rules: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Run axe-core on what `page` shows now; the violations whose impact is in `impacts`."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `make npm` to install axe-core")
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(_RUN, [list(exclude), list(rules)])
    return [v for v in found if v.get("impact") in impacts]


def count_nodes(findings: Iterable[dict[str, Any]]) -> int:
    """How many elements the findings name (axe groups elements by rule)."""
    return sum(len(v["nodes"]) for v in findings)


def describe(findings: Iterable[dict[str, Any]], *, per_rule: int = 5) -> str:
    """A readable summary: one line per rule, then the first elements it names."""
    lines: list[str] = []
    for v in findings:
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])} elements)")
        lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"][:per_rule]]
    return "\n".join(lines) or "no findings"
