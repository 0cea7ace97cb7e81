"""A Structurizr workspace (JSON) → one of its dynamic views as a patternfit flow.

A dynamic view lists relationships of the model in order (`relationships`: id, description,
order, response). Each becomes a step from the relationship's source to its destination; a
`response: true` entry is the reply to the earlier request over the same relationship, drawn
back from destination to source (`reply_to`), and tells that the request waited for it
(`response_expectation: result_now`). The relationship's `interactionStyle` answers the same
question where the view does not (Synchronous: the caller waits; Asynchronous: the sender does
not), and its `technology` names what implements the step. Steps follow each other in order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from patternfit.errors import InputError, did_you_mean
from patternfit.io import yamlio

KIND = "structurizr"
MAX_BYTES = 50_000_000
MAX_STEPS = 500
LEVELS = ("people", "softwareSystems", "containers", "components", "deploymentNodes", "infrastructureNodes")


def read_flow(path: str | Path, key: str) -> dict[str, Any]:
    """The dynamic view `key` of the workspace at `path`, as a flow mapping."""
    path = Path(path)
    where = str(path)
    doc = yamlio.parse(yamlio.read_text(path, what="Structurizr workspace", max_bytes=MAX_BYTES), where, json_only=True)
    if not isinstance(doc, dict) or not isinstance(doc.get("model"), dict):
        raise InputError(where, "has no `model` object", "give a Structurizr workspace JSON (File → Export → JSON)")
    views: dict[str, Any] = doc["views"] if isinstance(doc.get("views"), dict) else {}
    dynamic = [v for v in (views.get("dynamicViews") or []) if isinstance(v, dict)]
    keys = [str(v.get("key")) for v in dynamic]
    if key not in keys:
        hint = f"dynamic views: {', '.join(keys)}" if keys else "this workspace has no dynamic view"
        raise InputError(f"{where} --view {key}", f"no such dynamic view{did_you_mean(key, keys)}", hint)
    view = dynamic[keys.index(key)]
    names, relationships = _index(doc["model"])
    return _flow(view, names, relationships, where)


def _index(model: dict[str, Any]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Element id → name and relationship id → relationship, over every level of the model."""
    names: dict[str, str] = {}
    rels: dict[str, dict[str, Any]] = {}
    stack: list[Any] = [model]
    seen = 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > 1_000_000:
            raise InputError("workspace", "has more than a million elements", "give a smaller workspace")
        if not isinstance(node, dict):
            continue
        ident = node.get("id")
        if isinstance(ident, (str, int)) and "name" in node:
            names.setdefault(str(ident), str(node.get("name")))
        for rel in node.get("relationships") or []:
            if isinstance(rel, dict) and isinstance(rel.get("id"), (str, int)):
                rels.setdefault(str(rel["id"]), rel)
        for level in (*LEVELS, "children"):
            children = node.get(level)
            if isinstance(children, list):
                stack.extend(children)
    return names, rels


def _order(entry: dict[str, Any], position: int) -> tuple[int, ...]:
    numbers = re.findall(r"\d+", str(entry.get("order") or ""))
    return tuple(int(n) for n in numbers[:8]) or (position + 1,)


def _flow(view: dict[str, Any], names: dict[str, str], rels: dict[str, dict[str, Any]], where: str) -> dict[str, Any]:
    entries = [e for e in (view.get("relationships") or []) if isinstance(e, dict)]
    if not entries:
        raise InputError(f"{where}: view {view.get('key')}", "has no relationships", "give a dynamic view with steps")
    if len(entries) > MAX_STEPS:
        raise InputError(f"{where}: view {view.get('key')}", f"has more than {MAX_STEPS} steps", "split the view")
    ordered = sorted(enumerate(entries), key=lambda item: (_order(item[1], item[0]), item[0]))
    steps: list[dict[str, Any]] = []
    asks: list[str] = []
    requests: dict[str, dict[str, Any]] = {}  # relationship id → its latest request step
    for position, (_, entry) in enumerate(ordered, 1):
        rel = rels.get(str(entry.get("id")))
        place = f"{where}: view {view.get('key')}, step {entry.get('order') or position}"
        if rel is None:
            raise InputError(
                place,
                f"names relationship {entry.get('id')!r}, which is not in the model",
                "export the workspace again",
            )
        source = names.get(str(rel.get("sourceId")), str(rel.get("sourceId")))
        target = names.get(str(rel.get("destinationId")), str(rel.get("destinationId")))
        text = " ".join(str(entry.get("description") or rel.get("description") or f"{source} → {target}").split())
        step: dict[str, Any] = {"id": f"step-{position}", "title": text}
        answers: dict[str, Any] = {}
        style = str(rel.get("interactionStyle") or "").lower()
        if style == "synchronous":
            answers["response_expectation"] = "result_now"
        elif style == "asynchronous":
            answers["temporal_decoupling"] = True
        request = requests.get(str(entry.get("id")))
        if entry.get("response") is True and request is not None:
            step |= {"from": target, "to": source, "reply_to": request["id"]}
            request["connection"]["characteristics"]["response_expectation"] = "result_now"
            answers["response_expectation"] = "result_now"
        else:
            step |= {"from": source, "to": target}
        technology = " ".join(str(rel.get("technology") or "").split())
        if technology:
            step["technology"] = technology
        step["connection"] = {"name": text, "characteristics": answers}
        if entry.get("response") is not True:
            requests[str(entry.get("id"))] = step
        steps.append(step)
    for step in steps:
        if not step["connection"]["characteristics"] and not step.get("technology") and not step.get("reply_to"):
            asks.append(
                f"How does {step['from']} reach {step['to']} ({step['title']}): does it wait for a result or carry on?"
            )
    asks += ["Who owns each step? (Structurizr names no owners)", "How quickly must the whole flow finish?"]
    return {
        "name": str(view.get("title") or view.get("key")),
        "description": " ".join(str(view.get("description") or "").split()),
        "steps": steps,
        "asks": asks,
        "origin": f"Structurizr dynamic view {view.get('key')} ({where})",
    }
