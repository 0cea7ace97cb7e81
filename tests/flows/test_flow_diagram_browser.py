"""Every flow diagram parses and renders in mermaid itself (npm `mermaid`, Debian chromium), as
record diagrams do: the five EventCatalog flows, the SignIn view, the example flow, crafted flows
and one whose names are hostile; solid arrows for calls, dashed for asynchronous steps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from patternfit.flows import assess_flow
from patternfit.flows.importers import eventcatalog, structurizr
from patternfit.model.catalog import Model

from tests.flows.helpers import chain, saga, step
from tests.mermaid import HOSTILE, launch, render

ROOT = Path(__file__).resolve().parents[2]
ESTATES = ROOT.parent / "shared" / "estates"

pytestmark = [pytest.mark.tools, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    yield from launch(playwright)


def _flows() -> list[Any]:
    flows: list[Any] = [
        ROOT / "data" / "examples" / "flows" / "checkout.yaml",
        chain(5, async_at=2),
        saga(owners=("a", "b"), orchestrator="Camunda"),
        {
            "name": HOSTILE,
            "steps": [
                step("a", HOSTILE, HOSTILE + " end", {"proposed": "api"}, next=["b", "c"], title=HOSTILE),
                step("b", HOSTILE + " end", "participant", {"proposed": "events"}),
                step("c", "Note over", HOSTILE, compensates="a"),
            ],
        },
    ]
    catalog = ESTATES / "eventcatalog" / "default"
    if catalog.is_dir():
        for flow_id in (
            "checkout-saga",
            "place-an-order",
            "order-cancellation",
            "review-submission",
            "product-search-indexing",
        ):
            flows.append(eventcatalog.read_flow(catalog, flow_id))
    bank = ESTATES / "structurizr" / "big-bank-plc.workspace.json"
    if bank.is_file():
        flows.append(structurizr.read_flow(bank, "SignIn"))
    return flows


def test_every_flow_diagram_parses_and_renders_in_mermaid(browser: Any, model: Model) -> None:
    """mermaid.parse() accepts every diagram and mermaid.render() draws a sequence diagram; hostile
    names come out as text, never as markup."""
    sources = [assess_flow(f, model=model).diagram for f in _flows()]
    assert any("->>" in s for s in sources) and any("-->>" in s for s in sources)
    results = render(browser, sources)
    failed = [(s, r) for s, r in zip(sources, results, strict=True) if not r["ok"]]
    assert not failed, failed[:2]
    assert {r["kind"] for r in results} == {"sequence"}
    assert all(r["img"] == 0 for r in results)
    hostile = results[3]
    assert "<img src=x onerror=alert(1)>" in hostile["text"] and "Zürich" in hostile["text"]
    assert hostile["solid"] >= 1 and hostile["dashed"] >= 1  # the call solid, the event dashed
