"""Flows read where they live: EventCatalog's example catalog (5 flows) and Structurizr's
big-bank-plc dynamic view, read in place from ../shared/estates (skipped where absent); hostile
catalogs and workspaces refused or passed over without leaving the folder."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.flows import assess_flow, parse_flow
from patternfit.flows.importers import eventcatalog, structurizr
from patternfit.model.catalog import Model

ESTATES = Path(__file__).resolve().parents[3] / "shared" / "estates"
CATALOG = ESTATES / "eventcatalog" / "default"
BIG_BANK = ESTATES / "structurizr" / "big-bank-plc.workspace.json"
needs_catalog = pytest.mark.skipif(not CATALOG.is_dir(), reason="../shared/estates/eventcatalog absent")
needs_bank = pytest.mark.skipif(not BIG_BANK.is_file(), reason="../shared/estates/structurizr absent")

FLOWS = ["checkout-saga", "place-an-order", "order-cancellation", "review-submission", "product-search-indexing"]


def _nodes(flow_id: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The flow's nodes (id → kind) and edges, read straight from its index.mdx front matter."""
    import yaml

    path = next(p for p in CATALOG.rglob("flows/*/index.mdx") if f"id: {flow_id}\n" in p.read_text(encoding="utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    kinds = {
        str(s["id"]): next(k for k in ("message", "service", "actor", "container", "custom") if k in s)
        for s in data["steps"]
    }
    edges: dict[str, list[str]] = {}
    for s in data["steps"]:
        nxt = s.get("next_steps") or ([s["next_step"]] if s.get("next_step") else [])
        edges[str(s["id"])] = [str(n["id"] if isinstance(n, dict) else n) for n in nxt]
    return kinds, edges


@needs_catalog
def test_the_catalog_holds_five_flows_over_27_services_and_64_messages() -> None:
    """The catalog's index matches its README's counts (versioned copies left out)."""
    catalog = eventcatalog.read_catalog(CATALOG)
    assert len(catalog.services) == 27 and len(catalog.messages) == 64
    assert {str(d["id"]) for _, d in catalog.flows.values()} == set(FLOWS)


@needs_catalog
@pytest.mark.parametrize("flow_id", FLOWS)
def test_every_eventcatalog_flow_imports_with_its_steps_and_branches(model: Model, flow_id: str) -> None:
    """Every message node is a step; every pair of participants in a row is a step; branches sit where
    the catalog's next_steps are; events and queries answer what they say, the rest is asked."""
    kinds, edges = _nodes(flow_id)
    flow = parse_flow(eventcatalog.read_flow(CATALOG, flow_id), model)
    ids = [s.id for s in flow.steps]
    messages = [n for n, k in kinds.items() if k == "message"]
    participants = {"service", "actor", "container"}
    calls = [
        f"{a}-to-{b}"
        for a, nxt in edges.items()
        for b in nxt
        if kinds[a] in participants and kinds.get(b) in participants
    ]
    assert set(messages) | set(calls) <= set(ids)
    assert len(ids) == len(messages) + len(calls) + sum(1 for s in flow.steps if s.compensates)
    for s in flow.steps:
        assert s.source and s.target
    a = assess_flow(flow, model=model)
    catalog_branches = [n for n, nxt in edges.items() if len(nxt) > 1]
    assert len(a.branches) == len(catalog_branches)
    assert a.asks and any("finish" in q for q in a.asks)
    assert a.diagram.startswith("sequenceDiagram")


@needs_catalog
def test_the_checkout_saga_comes_out_orchestrated(model: Model) -> None:
    """CheckoutSaga: cart event, call into the orchestrator, three commands, one compensation of
    reserve_inventory after two branches: orchestration, decided."""
    flow = parse_flow(eventcatalog.read_flow(CATALOG, "checkout-saga"), model)
    assert [s.id for s in flow.steps] == [
        "cart_checked_out", "checkout_api-to-orchestrator", "reserve_inventory", "authorize_payment", "create_order",
        "compensate_release",
    ]  # fmt: skip
    reserve = flow.step("reserve_inventory")
    assert (reserve.source, reserve.target) == ("Checkout Orchestrator", "Inventory Service")
    assert reserve.next == ("authorize_payment", "compensate_release")
    assert flow.step("compensate_release").compensates == "reserve_inventory"
    assert flow.step("cart_checked_out").connection.characteristics["interaction_intent"] == "fact_notification"
    a = assess_flow(flow, model=model)
    assert a.coordination.style == "orchestration" and a.coordination.decided
    assert a.branches == ("reserve_inventory", "authorize_payment")
    assert "participant o0 as Checkout Orchestrator" in a.diagram


@needs_catalog
def test_a_branch_to_an_end_is_kept_as_an_outcome(model: Model) -> None:
    """OrderCancellation: the Order Service either checks eligibility (and goes on) or cannot cancel
    (an end): the step into it is a branch with the end as an outcome."""
    flow = parse_flow(eventcatalog.read_flow(CATALOG, "order-cancellation"), model)
    into = flow.step("cancel_order_command")
    assert (into.target, into.next, into.outcomes) == ("Order Service", ("order_cancelled",), ("Cannot cancel",))
    assert assess_flow(flow, model=model).branches == ("cancel_order_command",)


@needs_catalog
def test_an_unknown_flow_id_lists_the_flows_there() -> None:
    """--view with a near miss: an InputError naming the folder and the flows it holds."""
    with pytest.raises(InputError, match=r"did you mean 'checkout-saga'.*flows in this catalog: checkout-saga"):
        eventcatalog.read_flow(CATALOG, "checkout-sage")


@needs_bank
def test_the_big_bank_sign_in_view_imports_six_steps_with_replies(model: Model) -> None:
    """SignIn: three requests down to the database, three replies back up; the replies make the
    requests synchronous; no call chain beyond the threshold (three deep)."""
    flow = parse_flow(structurizr.read_flow(BIG_BANK, "SignIn"), model)
    assert [s.id for s in flow.steps] == [f"step-{k}" for k in range(1, 7)]
    assert [(s.source, s.target) for s in flow.steps[:3]] == [
        ("Single-Page Application", "Sign In Controller"),
        ("Sign In Controller", "Security Component"),
        ("Security Component", "Database"),
    ]
    assert [s.reply_to for s in flow.steps[3:]] == ["step-3", "step-2", "step-1"]
    assert all(s.connection.characteristics["response_expectation"] == "result_now" for s in flow.steps)
    a = assess_flow(flow, model=model)
    assert a.branches == ()
    assert "F-01" not in [f.id for f in a.findings]
    assert any("owns" in q for q in a.asks)


@needs_bank
def test_an_unknown_view_key_lists_the_dynamic_views() -> None:
    with pytest.raises(InputError, match="dynamic views: SignIn"):
        structurizr.read_flow(BIG_BANK, "Signin")


def _catalog(tmp_path: Path, flow_text: str) -> Path:
    root = tmp_path / "catalog"
    (root / "domains" / "D" / "flows" / "F").mkdir(parents=True)
    (root / "domains" / "D" / "flows" / "F" / "index.mdx").write_text(flow_text, encoding="utf-8")
    return root


FLOW = """---
id: f
name: F
steps:
  - id: a
    service: {id: svc-a}
    next_step: {id: m}
  - id: m
    message: {id: secret}
    next_step: {id: b}
  - id: b
    service: {id: svc-b}
---
"""


def test_a_link_out_of_the_catalog_is_not_followed(tmp_path: Path) -> None:
    """A message file that is a symbolic link to a file outside the folder is not read: the
    message's kind stays unknown and is asked."""
    root = _catalog(tmp_path, FLOW)
    outside = tmp_path / "outside.mdx"
    outside.write_text("---\nid: secret\nname: Stolen name\n---\n")
    (root / "events" / "Secret").mkdir(parents=True)
    (root / "events" / "Secret" / "index.mdx").symlink_to(outside)
    (root / "linked").symlink_to(tmp_path, target_is_directory=True)
    data = eventcatalog.read_flow(root, "f")
    step = next(s for s in data["steps"] if s["id"] == "m")
    assert "Stolen" not in json.dumps(data)
    assert "characteristics" not in step["connection"]
    assert any("m" in q or "secret" in q for q in data["asks"])


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("---\nid: f\nsteps: [\n---\n", "YAML syntax error"),
        ("---\nid: f\nname: x\n", "front matter is not closed"),
        ("---\nid: f\nsteps: 3\n---\n", "steps"),
        ("---\n- a\n- b\n---\n", "not a mapping"),
        (
            "---\n"
            + "a: &a [x]\n"
            + "".join(f"k{i}: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" for i in range(12))
            + "id: f\n---\n",
            "aliases",
        ),
    ],
)
def test_hostile_flow_files_are_refused_naming_the_file(tmp_path: Path, text: str, what: str) -> None:
    """Broken or hostile front matter: one InputError naming the file."""
    root = _catalog(tmp_path, text)
    with pytest.raises(InputError) as caught:
        eventcatalog.read_flow(root, "f")
    assert what in caught.value.message
    assert "index.mdx" in caught.value.message or "catalog" in caught.value.message


def test_an_oversized_catalog_file_is_refused(tmp_path: Path) -> None:
    """A catalog file over the budget is refused before it is parsed."""
    root = _catalog(tmp_path, FLOW + "x" * 1_100_000)
    with pytest.raises(InputError, match="larger than"):
        eventcatalog.read_flow(root, "f")


def test_a_folder_that_is_no_catalog_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no EventCatalog flow"):
        eventcatalog.read_flow(tmp_path, "f")
    with pytest.raises(InputError, match="is not a folder"):
        eventcatalog.read_flow(tmp_path / "missing", "f")


@pytest.mark.parametrize(
    ("doc", "what"),
    [
        ("{", "JSON syntax error"),
        ('{"model": 3}', "has no `model`"),
        (
            '{"model": {}, "views": {"dynamicViews": [{"key": "K", "relationships": [{"id": "9", "order": "1"}]}]}}',
            "not in the model",
        ),
        ('{"model": {}, "views": {"dynamicViews": [{"key": "K", "relationships": []}]}}', "has no relationships"),
        ('{"model": {}, "x": NaN}', "NaN"),
    ],
)
def test_bad_workspaces_are_refused_naming_the_file(tmp_path: Path, doc: str, what: str) -> None:
    path = tmp_path / "w.json"
    path.write_text(doc)
    with pytest.raises(InputError) as caught:
        structurizr.read_flow(path, "K")
    assert what in caught.value.message and str(path) in caught.value.message


@needs_bank
def test_a_copied_workspace_reads_the_same(tmp_path: Path) -> None:
    """The reader depends on the file only (a copy elsewhere gives the same flow, origin aside)."""
    copy = tmp_path / "bank.json"
    shutil.copy(BIG_BANK, copy)
    a, b = structurizr.read_flow(BIG_BANK, "SignIn"), structurizr.read_flow(copy, "SignIn")
    assert a["steps"] == b["steps"] and re.search("SignIn", b["origin"])
