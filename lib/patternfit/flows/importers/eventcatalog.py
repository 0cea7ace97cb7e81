"""An EventCatalog folder → one of its flows as a patternfit flow.

EventCatalog keeps resources as folders with an `index.mdx` (YAML front matter): services
(`sends` / `receives` name messages by id, `owners` name teams), messages in `events/`,
`commands/` and `queries/`, containers, and flows whose `steps` each name a `service`, `message`,
`actor`, `container`, `externalSystem`, `flow` or `custom` node, with `next_step` or `next_steps`
(a branch).

A flow's nodes become steps, each a connection between two participants:

* a message node is a step from its sender (the participant just before it, else the service
  that `sends` it) to its receiver (the participant just after it, else a service that
  `receives` it). Its kind answers what the catalog says: an event is a fact notification the
  sender does not wait on; a query wants a result now; a command is a command — whether its
  sender waits is not said, and is asked;
* two participants in a row (a service calling a service, writing to a container) are a step
  about which the catalog says nothing but that it happens: asked;
* a `custom` node of type Compensation is a step compensating the step before it; other custom
  nodes (outcomes, policies, notes) carry the flow on.

Steps follow each other where the catalog's nodes do (through participants and custom nodes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx  # type: ignore[import-untyped]

from patternfit.errors import InputError, did_you_mean
from patternfit.flows.importers.folder import front_matter, walk

KIND = "eventcatalog"
MESSAGE_KINDS = {"events": "event", "commands": "command", "queries": "query"}
PARTICIPANTS = ("service", "actor", "container", "externalSystem", "flow", "user", "data")
ANSWERS: Mapping[str, dict[str, Any]] = {
    "event": {"interaction_intent": "fact_notification", "response_expectation": "none"},
    "command": {"interaction_intent": "command"},
    "query": {"interaction_intent": "query", "response_expectation": "result_now"},
}
MAX_NODES = 500


@dataclass
class Catalog:
    """What the catalog's files say, by id."""

    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (kind, name)
    containers: dict[str, str] = field(default_factory=dict)
    flows: dict[str, tuple[Path, dict[str, Any]]] = field(default_factory=dict)

    def senders(self, message: str) -> list[str]:
        return [k for k, s in self.services.items() if message in _ids(s.get("sends"))]

    def receivers(self, message: str) -> list[str]:
        return [k for k, s in self.services.items() if message in _ids(s.get("receives"))]


def read_catalog(root: Path) -> Catalog:
    """Index the catalog folder (versioned copies left out)."""
    catalog = Catalog()
    for path, text in walk(root, ("index.mdx", "index.md"), skip=("versioned",)):
        kind = path.parent.parent.name
        if kind not in ("services", "flows", "containers", *MESSAGE_KINDS):
            continue
        where = str(path)
        data = front_matter(text, where)
        ident = data.get("id")
        if not isinstance(ident, (str, int)):
            continue
        ident = str(ident)
        name = str(data.get("name") or ident)
        if kind == "services":
            catalog.services.setdefault(ident, data)
        elif kind == "flows":
            catalog.flows.setdefault(ident, (path, data))
            catalog.flows.setdefault(path.parent.name, (path, data))
        elif kind == "containers":
            catalog.containers.setdefault(ident, name)
        else:
            catalog.messages.setdefault(ident, (MESSAGE_KINDS[kind], name))
    return catalog


def read_flow(root: str | Path, flow_id: str) -> dict[str, Any]:
    """The flow `flow_id` (its `id` or its folder's name) of the catalog at `root`, as a flow mapping."""
    root = Path(root)
    catalog = read_catalog(root)
    if flow_id not in catalog.flows:
        known = sorted({str(d.get("id")) for _, d in catalog.flows.values()})
        hint = f"flows in this catalog: {', '.join(known)}" if known else "this folder holds no EventCatalog flow"
        raise InputError(f"{root} --view {flow_id}", f"no such flow{did_you_mean(flow_id, known)}", hint)
    path, data = catalog.flows[flow_id]
    return _Converter(catalog, data, str(path)).flow()


class _Converter:
    def __init__(self, catalog: Catalog, data: dict[str, Any], where: str) -> None:
        self.catalog, self.data, self.where = catalog, data, where
        self.asks: list[str] = []
        raw = data.get("steps")
        if not isinstance(raw, list) or not raw:
            raise InputError(f"{where}: steps", "is missing or empty", "give the flow a list of steps")
        if len(raw) > MAX_NODES:
            raise InputError(f"{where}: steps", f"has more than {MAX_NODES} steps", "split the flow")
        self.nodes: dict[str, dict[str, Any]] = {}
        for i, node in enumerate(raw):
            if not isinstance(node, dict) or not isinstance(node.get("id"), (str, int)):
                raise InputError(f"{where}: steps[{i}]", "has no id", "give every step an id")
            self.nodes.setdefault(str(node["id"]), node)
        self.graph = nx.DiGraph()
        self.graph.add_nodes_from(self.nodes)
        for ident, node in self.nodes.items():
            for target in _next(node):
                if target in self.nodes:
                    self.graph.add_edge(ident, target)
        self.flow_services = [self._ref(n, "service") for n in self.nodes.values() if self._kind(n) == "service"]

    def flow(self) -> dict[str, Any]:
        steps: dict[str, dict[str, Any]] = {}  # step id → step mapping, in the flow's order
        node_of: dict[str, str] = {}  # graph node (subdivided) → step id
        graph = self.graph.copy()
        for ident, node in self.nodes.items():
            kind = self._kind(node)
            if kind == "message":
                steps[ident] = self._message_step(ident, node)
                node_of[ident] = ident
            for target in list(self.graph.successors(ident)):
                if target == ident:  # a participant handing on to itself is no connection
                    continue
                if kind in PARTICIPANTS and self._kind(self.nodes[target]) in PARTICIPANTS:
                    step_id = f"{ident}-to-{target}"
                    steps[step_id] = self._call_step(step_id, ident, target)
                    graph.remove_edge(ident, target)
                    graph.add_edges_from([(ident, step_id), (step_id, target)])
                    node_of[step_id] = step_id
        for ident, node in self.nodes.items():
            if self._kind(node) == "compensation":
                step = self._compensation(ident, node, graph, node_of, steps)
                if step is not None:
                    steps[ident] = step
                    node_of[ident] = ident
        order = [n for n in self._order(graph) if n in node_of]
        for ident in order:
            steps[ident]["next"], ends = self._following(ident, graph, node_of)
            if ends:
                steps[ident]["outcomes"] = ends
        self.asks.append("How quickly must the whole flow finish?")
        owners = {s.get("owner") for s in steps.values()}
        if None in owners:
            self.asks.append("Who owns the steps whose services name no owner?")
        return {
            "name": str(self.data.get("name") or self.data.get("id") or "EventCatalog flow"),
            "description": " ".join(str(self.data.get("summary") or "").split()),
            "steps": [{k: v for k, v in steps[i].items() if v is not None} for i in order],
            "asks": list(dict.fromkeys(self.asks)),
            "origin": f"EventCatalog flow {self.data.get('id')} ({self.where})",
        }

    # -- nodes -------------------------------------------------------------------------------

    def _kind(self, node: Mapping[str, Any]) -> str:
        if "message" in node:
            return "message"
        if "custom" in node:
            custom = node.get("custom")
            kind = str(custom.get("type", "")) if isinstance(custom, dict) else ""
            return "compensation" if kind.lower() == "compensation" else "custom"
        return next((k for k in PARTICIPANTS if k in node), "custom")

    def _ref(self, node: Mapping[str, Any], key: str) -> str:
        value = node.get(key)
        if isinstance(value, dict):
            return str(value.get("id") or value.get("name") or node.get("title") or node.get("id"))
        return str(value or node.get("title") or node.get("id"))

    def _name(self, node_id: str) -> str:
        node = self.nodes[node_id]
        kind = self._kind(node)
        ref = self._ref(node, kind)
        if kind == "service" and ref in self.catalog.services:
            return self._service_name(ref)
        if kind == "container":
            return self.catalog.containers.get(ref, str(node.get("title") or ref))
        return str(node.get("title") or ref)

    def _service_name(self, service: str) -> str:
        return str(self.catalog.services.get(service, {}).get("name") or service)

    def _owner(self, service: str | None) -> str | None:
        owners = _ids(self.catalog.services.get(service or "", {}).get("owners"))
        return owners[0] if owners else None

    # -- steps -------------------------------------------------------------------------------

    def _message_step(self, ident: str, node: Mapping[str, Any]) -> dict[str, Any]:
        message = self._ref(node, "message")
        kind, name = self.catalog.messages.get(message, ("", message))
        title = str(node.get("title") or name)
        before = [p for p in self.graph.predecessors(ident) if self._kind(self.nodes[p]) in PARTICIPANTS]
        after = [p for p in self.graph.successors(ident) if self._kind(self.nodes[p]) in PARTICIPANTS]
        sender_service = self._end(before, self.catalog.senders(message))
        target_service = self._end(after, self.catalog.receivers(message))
        source = self._end_name(before, sender_service)
        target = self._end_name(after, target_service)
        if not source:
            source = "(sender not named)"
            self.asks.append(f"Who sends {title}?")
        if not target:
            target = "(receiver not named)"
            self.asks.append(f"Who receives {title}?")
        answers = dict(ANSWERS.get(kind, {}))
        if kind in ("", "command"):
            self.asks.append(
                f"How does {title} reach its target: does the sender wait for a result (a call) or carry on"
                " (a message)?"
            )
        return {
            "id": ident,
            "title": f"{title} ({kind})" if kind else title,
            "from": source,
            "to": target,
            "owner": self._owner(target_service or "") or self._owner(sender_service or ""),
            "connection": {"name": title, "characteristics": answers} if answers else {"name": title},
        }

    def _call_step(self, step_id: str, a: str, b: str) -> dict[str, Any]:
        source, target = self._name(a), self._name(b)
        node_b, node_a = self.nodes[b], self.nodes[a]
        owner = None
        for node in (node_b, node_a):
            if "service" in node:
                owner = owner or self._owner(self._ref(node, "service"))
        label = next(iter(_labels(self.nodes[a]).get(b, [])), "")
        title = label or f"{source} → {target}"
        self.asks.append(
            f"How does {source} reach {target}: does it wait for a result (a call) or carry on (a message)?"
        )
        return {
            "id": step_id,
            "title": title,
            "from": source,
            "to": target,
            "owner": owner,
            "connection": {"name": title},
        }

    def _compensation(
        self,
        ident: str,
        node: Mapping[str, Any],
        graph: nx.DiGraph,
        node_of: Mapping[str, str],
        steps: Mapping[str, dict[str, Any]],
    ) -> dict[str, Any] | None:
        undone = self._steps_before(ident, graph, node_of)
        if not undone:
            return None
        first = steps[undone[0]]
        custom = node.get("custom") if isinstance(node.get("custom"), dict) else {}
        title = str(node.get("title") or (custom or {}).get("title") or ident)
        return {
            "id": ident,
            "title": title,
            "from": first["from"],
            "to": first["to"],
            "owner": first.get("owner"),
            "compensates": undone[0],
            "connection": {"name": title},
        }

    def _end(self, beside: list[str], services: list[str]) -> str | None:
        """The service at one end of a message: the flow's neighbour if the catalog names it (or
        names no one and the neighbour is a service), else one of the flow's services the catalog
        names, else any the catalog names."""
        near = [self._ref(self.nodes[n], "service") for n in beside if self._kind(self.nodes[n]) == "service"]
        for service in near:
            if service in services or not services:
                return service
        return self._pick(services)

    def _end_name(self, beside: list[str], service: str | None) -> str:
        """The participant at one end: the service found, else the flow's neighbour (an actor, a
        container, …), else '' (not named)."""
        if service is not None:
            return self._service_name(service)
        return self._name(beside[0]) if beside else ""

    def _pick(self, services: list[str]) -> str | None:
        """The service of the flow among those the catalog names, else the first named."""
        return next((s for s in services if s in self.flow_services), services[0] if services else None)

    def _steps_before(self, ident: str, graph: nx.DiGraph, node_of: Mapping[str, str]) -> list[str]:
        """The nearest steps before a node (through nodes that are not steps)."""
        return self._following(ident, graph.reverse(copy=False), node_of)[0]

    def _following(self, ident: str, graph: nx.DiGraph, node_of: Mapping[str, str]) -> tuple[list[str], list[str]]:
        """The nearest steps after a step (through nodes that are not steps), and the ends (nodes
        after which nothing follows) reached on the way."""
        found: list[str] = []
        ends: list[str] = []
        seen = {ident}
        frontier = list(graph.successors(ident))
        while frontier:
            node = frontier.pop(0)
            if node in seen:
                continue
            seen.add(node)
            if node in node_of:
                found.append(node)
                continue
            after = list(graph.successors(node))
            if not after and node in self.nodes:
                ends.append(self._name(node))
            frontier += after
        return found, ends

    def _order(self, graph: nx.DiGraph) -> list[str]:
        """Nodes in the catalog's order, call steps right after the node they leave."""
        out: list[str] = []
        for ident in self.nodes:
            out.append(ident)
            out += [s for s in graph.successors(ident) if s not in self.nodes]
        return out


def _next(node: Mapping[str, Any]) -> list[str]:
    out = []
    for key in ("next_step", "next_steps"):
        value = node.get(key)
        items = value if isinstance(value, list) else [value] if value is not None else []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("id"), (str, int)):
                out.append(str(item["id"]))
            elif isinstance(item, (str, int)) and not isinstance(item, bool):
                out.append(str(item))
    return out


def _labels(node: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in ("next_step", "next_steps"):
        value = node.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and item.get("label") and isinstance(item.get("id"), (str, int)):
                out.setdefault(str(item["id"]), []).append(str(item["label"]))
    return out


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("id"), (str, int)):
            out.append(str(item["id"]))
        elif isinstance(item, str):
            out.append(item)
    return out
