"""The flow file: loose YAML in, a validated `Flow` of `Step`s out (or one error naming file and key).

    name: Checkout
    orchestrator: Checkout orchestrator     # optional: the coordinator the design has
    characteristics: {visibility: end_to_end, process_duration: minutes}   # optional, the flow's own
    sub: {change_pattern: change_sequence}                                  # optional, the whole flow's
    steps:
      - id: reserve
        from: Orchestrator
        to: Inventory
        owner: inventory-team          # optional
        technology: RabbitMQ           # optional
        connection: {characteristics: {response_expectation: ack_only}}     # or  file: reserve.yaml
        next: [pay, release]           # where the flow branches; without it, the next step listed
      - {id: release, from: Orchestrator, to: Inventory, compensates: reserve}

A step without `next` leads to the following step in the list (a compensation step, or the step
before one, leads nowhere by default); `next: []` ends a branch; `outcomes: [texts]` names ends
the flow can reach after the step besides its next steps (one next step and an outcome: a branch).
`reply_to: id` marks a reply to an earlier request (an importer's dynamic view has them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.io import yamlio
from patternfit.model.catalog import Model
from patternfit.model.connection import Connection, coerce_answer, parse_connection

TOP_KEYS = ("name", "description", "orchestrator", "characteristics", "sub", "steps", "asks", "origin")
STEP_KEYS = (
    "id", "title", "from", "to", "owner", "technology", "connection", "file", "next", "outcomes", "compensates",
    "reply_to",
)  # fmt: skip
FLOW_CHARACTERISTICS = ("visibility", "consistency", "human_step", "process_duration", "latency_budget")
MAX_STEPS = 500
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a flow: a connection between two participants."""

    id: str
    source: str
    target: str
    connection: Connection
    title: str = ""
    owner: str = ""
    technology: str = ""
    next: tuple[str, ...] | None = None  # None: the following step in the list
    compensates: str = ""
    reply_to: str = ""
    file: str = ""  # the connection file it came from, as written
    outcomes: tuple[str, ...] = ()  # ends the flow can reach after this step, besides its next steps

    @property
    def label(self) -> str:
        """What a person reads: the title, else the connection's name."""
        return self.title or self.connection.name

    def to_dict(self) -> dict[str, Any]:
        """The flow-file form of the step (the connection inline)."""
        out: dict[str, Any] = {"id": self.id, "from": self.source, "to": self.target}
        for key in ("title", "owner", "technology", "compensates", "reply_to"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        out["connection"] = self.connection.to_dict()
        if self.next is not None:
            out["next"] = list(self.next)
        if self.outcomes:
            out["outcomes"] = list(self.outcomes)
        return out


@dataclass(frozen=True, slots=True)
class Flow:
    """A business flow: ordered steps, branches, compensations and the flow's own answers."""

    name: str
    steps: tuple[Step, ...]
    description: str = ""
    orchestrator: str = ""
    characteristics: Mapping[str, Any] = field(default_factory=dict)
    sub: Mapping[str, Any] = field(default_factory=dict)
    asks: tuple[str, ...] = ()  # what the source did not say (importers), to ask the flow's owner
    origin: str = ""  # where it was read from ('EventCatalog flow checkout-saga in DIR')

    def step(self, ident: str) -> Step:
        return next(s for s in self.steps if s.id == ident)

    def to_dict(self) -> dict[str, Any]:
        """The flow-file form: `parse_flow(flow.to_dict())` gives the same flow."""
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.orchestrator:
            out["orchestrator"] = self.orchestrator
        if self.characteristics:
            out["characteristics"] = dict(self.characteristics)
        if self.sub:
            out["sub"] = dict(self.sub)
        out["steps"] = [s.to_dict() for s in self.steps]
        if self.asks:
            out["asks"] = list(self.asks)
        if self.origin:
            out["origin"] = self.origin
        return out


def load_flow(path: str | Path, model: Model) -> Flow:
    """Read a flow file; a step's `file:` is read from the flow file's folder, never outside it."""
    path = Path(path)
    data = yamlio.load(path, what="flow file")
    return parse_flow(data, model, where=str(path), folder=path.parent)


def parse_flow(data: Any, model: Model, *, where: str = "flow", folder: Path | None = None) -> Flow:
    """Validate a flow mapping; InputError names the key (and the step), the value and what is allowed."""
    if not isinstance(data, Mapping):
        kind = "nothing" if data is None else type(data).__name__
        raise InputError(where, f"must be a mapping with name and steps, got {kind}", "see docs/flows.md")
    for key in data:
        if key not in TOP_KEYS:
            raise InputError(f"{where}: {key}", f"unknown key{did_you_mean(key, TOP_KEYS)}", allowed_text(TOP_KEYS))
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise InputError(f"{where}: steps", "must be a non-empty list of steps", "each with id, from, to")
    if len(raw_steps) > MAX_STEPS:
        raise InputError(f"{where}: steps", f"has {len(raw_steps)} steps, more than {MAX_STEPS}", "split the flow")
    steps = tuple(_step(item, model, f"{where}: steps[{i}]", folder) for i, item in enumerate(raw_steps))
    _check_links(steps, where)
    flow = Flow(
        name=_text(data, "name", where) or "Unnamed flow",
        description=_text(data, "description", where),
        orchestrator=_text(data, "orchestrator", where),
        characteristics=_flow_answers(data.get("characteristics"), model, where),
        sub=_sub(data.get("sub"), model, where),
        steps=steps,
        asks=_texts(data.get("asks"), f"{where}: asks"),
        origin=_text(data, "origin", where),
    )
    return flow


def _step(item: Any, model: Model, where: str, folder: Path | None) -> Step:
    if not isinstance(item, Mapping):
        raise InputError(where, "must be a mapping", "e.g. {id: reserve, from: Orchestrator, to: Inventory}")
    for key in item:
        if key not in STEP_KEYS:
            raise InputError(f"{where}.{key}", f"unknown key{did_you_mean(key, STEP_KEYS)}", allowed_text(STEP_KEYS))
    ident = _text(item, "id", where)
    if not ident:
        raise InputError(f"{where}.id", "is missing", "give every step a short id, e.g. reserve")
    where = f"{where} ({ident})"
    source, target = _text(item, "from", where), _text(item, "to", where)
    for key, value in (("from", source), ("to", target)):
        if not value:
            raise InputError(f"{where}.{key}", "is missing", "name the participant (a system or service)")
    if "connection" in item and "file" in item:
        raise InputError(where, "has both connection and file", "give the connection inline or as a file, not both")
    file = _text(item, "file", where)
    if file:
        connection = _connection_file(file, model, where, folder)
    else:
        raw = item.get("connection") or {}
        connection = parse_connection(raw, model, where=f"{where}.connection") if raw else Connection()
    named = connection.name if "name" in (item.get("connection") or {}) or file else f"{source} → {target}"
    connection = replace(connection, name=named, source=connection.source or source, target=connection.target or target)
    nxt = item.get("next")
    if nxt is not None and (not isinstance(nxt, list) or not all(isinstance(n, (str, int)) for n in nxt)):
        raise InputError(f"{where}.next", "must be a list of step ids", "e.g. next: [pay, release]")
    return Step(
        id=ident,
        source=source,
        target=target,
        connection=connection,
        title=_text(item, "title", where),
        owner=_text(item, "owner", where),
        technology=_text(item, "technology", where),
        next=None if nxt is None else tuple(dict.fromkeys(str(n) for n in nxt)),
        compensates=_text(item, "compensates", where),
        reply_to=_text(item, "reply_to", where),
        file=file,
        outcomes=_texts(item.get("outcomes"), f"{where}.outcomes"),
    )


def _connection_file(file: str, model: Model, where: str, folder: Path | None) -> Connection:
    """A step's connection file, which must lie inside the flow file's folder."""
    if folder is None:
        raise InputError(f"{where}.file", "a connection file needs a flow file to be read from", "inline it")
    base = folder.resolve()
    path = (base / file).resolve()
    if not path.is_relative_to(base):
        raise InputError(f"{where}.file", f"{file!r} lies outside the flow file's folder", "keep it beside the flow")
    data = yamlio.load(path, what="connection file")
    return parse_connection(data, model, where=f"{where}.file {file}")


def _check_links(steps: tuple[Step, ...], where: str) -> None:
    ids: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step.id in ids:
            raise InputError(f"{where}: steps[{i}].id", f"{step.id!r} is used twice", "give every step its own id")
        ids[step.id] = i
    for i, step in enumerate(steps):
        place = f"{where}: steps[{i}] ({step.id})"
        for key, targets in (
            ("next", step.next or ()),
            ("compensates", (step.compensates,)),
            ("reply_to", (step.reply_to,)),
        ):
            for target in targets:
                if target and target not in ids:
                    raise InputError(f"{place}.{key}", f"{target!r} is no step of the flow{did_you_mean(target, ids)}")
                if target == step.id:
                    raise InputError(f"{place}.{key}", "names the step itself", "name another step")


def _flow_answers(raw: Any, model: Model, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: characteristics", "must be a mapping of key: value")
    out = {}
    for key, value in raw.items():
        if key not in FLOW_CHARACTERISTICS:
            hint = allowed_text(FLOW_CHARACTERISTICS)
            raise InputError(
                f"{where}: characteristics.{key}",
                f"is not a flow-level answer{did_you_mean(key, FLOW_CHARACTERISTICS)}",
                hint,
            )
        if value is not None:
            out[key] = coerce_answer(model.question(key), value, f"{where}: characteristics.{key}")
    return out


def _sub(raw: Any, model: Model, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: sub", "must be a mapping of key: value")
    keys = [q.key for q in model.sub_inputs]
    out = {}
    for key, value in raw.items():
        if key not in keys:
            raise InputError(f"{where}: sub.{key}", f"unknown key{did_you_mean(key, keys)}", allowed_text(keys))
        if value is not None:
            out[key] = coerce_answer(model.question(key), value, f"{where}: sub.{key}")
    return out


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(
            f"{where}.{key}" if "steps[" in where else f"{where}: {key}", "must be text", "write plain text"
        )
    text = " ".join(str(value).split())
    if len(text) > MAX_TEXT:
        raise InputError(f"{where}: {key}", f"is longer than {MAX_TEXT} characters", "shorten it")
    return text


def _texts(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise InputError(where, "must be a list of texts")
    return tuple(raw)
