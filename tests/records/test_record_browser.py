"""Records in a real browser (Debian chromium, as the browser tests launch it): every ```mermaid block
parses and renders with mermaid itself (npm `mermaid`), hostile labels included; the HTML record opens
with the network blocked, sends no request and shows the diagram and the charts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from patternfit import assess
from patternfit.model.catalog import Model
from patternfit.records import RecordMeta, build_record, render_record, save_record
from patternfit.records.diagram import diagram, to_mermaid

from tests.mermaid import HOSTILE, launch, render

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"```mermaid\n(.*?)\n```", re.DOTALL)

pytestmark = [pytest.mark.tools, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    yield from launch(playwright)


def _sources(model: Model, examples: dict[str, Path]) -> list[str]:
    """The mermaid block of every example's record in every Markdown layout, and every pattern,
    flavour and coordination drawn between hostile names."""
    found = []
    for path in examples.values():
        record = build_record(assess(path, samples=0, model=model), RecordMeta(date="2026-11-26"), model)
        for fmt, template in (("madr", "madr"), ("madr", "madr-minimal"), ("madr", "nygard"), ("log4brains", "madr")):
            blocks = FENCE.findall(render_record(record, fmt, template=template, number=1))
            assert len(blocks) == 1, (path.name, template)
            found += blocks
    hostile = {"source": HOSTILE, "target": HOSTILE + " end", "characteristics": {"coordinated_steps": 7}}
    for pattern, flavour, style in [
        ("api", None, None), ("events", "queue", None), ("events", "topic", None), ("events", "stream", None),
        ("events", None, None), ("batch", None, None), ("workflow", None, "orchestration"),
        ("workflow", None, "choreography"), ("workflow", None, None),
    ]:  # fmt: skip
        found.append(to_mermaid(diagram(hostile, pattern, flavour, style)))
        found.append(to_mermaid(diagram({}, pattern, flavour, style)))
    return found


def test_every_mermaid_block_parses_and_renders_in_mermaid(
    browser: Any, model: Model, examples: dict[str, Path]
) -> None:
    """mermaid.parse() accepts every block and mermaid.render() draws it; hostile names come out as text."""
    sources = _sources(model, examples)
    results = render(browser, sources)
    failed = [(s, r) for s, r in zip(sources, results, strict=True) if not r["ok"]]
    assert not failed, failed[:2]
    assert all(r["img"] == 0 for r in results)
    hostile = [r for s, r in zip(sources, results, strict=True) if "onerror" in s]
    assert hostile and all("<img src=x onerror=alert(1)>" in r["text"] and "Zürich" in r["text"] for r in hostile)
    kinds = {r["kind"] for r in results}
    assert {"sequence", "flowchart-v2"} <= kinds, kinds


def test_html_record_opens_offline_with_diagram_and_charts(
    browser: Any, model: Model, examples: dict[str, Path], tmp_path: Path
) -> None:
    """The HTML record of each example, opened from disk with every non-file request aborted: no request
    leaves, the diagram and both charts are drawn and visible, user text is shown as text."""
    for name, path in examples.items():
        hostile = {**yaml.safe_load(path.read_text(encoding="utf-8")), "source": HOSTILE}
        record = build_record(assess(hostile, samples=200, model=model), RecordMeta(date="2026-11-26"), model)
        saved = save_record(record, tmp_path / name, "html")
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        context.on("request", lambda r, seen=requests: seen.append(r.url))

        def route(r: Any) -> None:
            (r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())

        context.route("**/*", route)
        page = context.new_page()
        page.goto(saved.as_uri())
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == [], name
        assert requests == [saved.as_uri()], requests
        for selector in ("svg.pf-diagram", "svg.pf-chart-fit", "svg.pf-chart-acceptability"):
            box = page.locator(selector).bounding_box()
            assert box and box["width"] > 100 and box["height"] > 40, (name, selector)
        assert page.locator("svg.pf-chart-fit rect.pf-bar").count() >= 1
        assert page.locator("img").count() == 0
        assert "<img src=x" in (page.locator("svg.pf-diagram").text_content() or "")
        assert "between <img src=x onerror=alert(1)>" in page.locator("main").inner_text()
        assert page.locator("h1").inner_text() == f"1. {record.title}"
        assert page.locator(".pf-status").inner_text() == "proposed"
        context.close()
