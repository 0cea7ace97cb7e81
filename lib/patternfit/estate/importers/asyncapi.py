"""AsyncAPI 2.x and 3.x → one connection per channel, between its senders and its receivers.

The document describes one application (`info.title`). Per channel it says whether that
application sends or receives:

* 2.x: `subscribe` under a channel holds the messages the application *sends* to it, `publish`
  the messages it *receives* (the 2.x specification's own, client-side naming);
* 3.x: each entry of `operations` has `action: send | receive` and a `channel` `$ref`.

The other side is not named by an AsyncAPI document; it stays blank (a question for the
workshop). Answers: `current_pattern: events` (a channel is messaging), the servers' protocols as
`technology`, and a Kafka message binding with a `key` → `ordering: per_key` (Kafka keeps order
per key within a partition). Only local `$ref`s (`#/…`) are followed; others are listed as not
read.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from patternfit.errors import InputError
from patternfit.estate.importers.base import Extract, Link, check_yaml_size, expect, merge_text
from patternfit.io import yamlio

KIND = "asyncapi"
MAX_REF_DEPTH = 20


def looks_like(head: str) -> bool:
    """YAML or JSON whose first key is `asyncapi`."""
    for line in head.splitlines():
        text = line.strip().lstrip("{").strip()
        if not text or text.startswith("#") or text == "---":
            continue
        return text.startswith(("asyncapi:", '"asyncapi"'))
    return False


def read(data: bytes, where: str, fields: Collection[str] = ()) -> Extract:
    """The channels of an AsyncAPI document as connections."""
    check_yaml_size(data, where)
    doc = yamlio.parse(yamlio.decode(data, where, what="AsyncAPI document"), where)
    if not isinstance(doc, dict) or "asyncapi" not in doc:
        raise InputError(where, "has no `asyncapi` version at the top", "give an AsyncAPI 2.x or 3.x document")
    version = str(doc["asyncapi"])
    info: dict[str, Any] = expect(doc.get("info") or {}, dict, where, "info")
    app = str(info.get("title") or "the application")
    channels = doc.get("channels") or {}
    if not isinstance(channels, dict):
        raise InputError(f"{where}: channels", "must be a mapping of channel names", "fix the document")
    extract = Extract([])
    resolver = _Refs(doc, where, extract)
    servers = expect(doc.get("servers") or {}, dict, where, "servers")
    technology = merge_text(str(s.get("protocol") or "").upper() for s in servers.values() if isinstance(s, dict))
    if version.startswith("2."):
        roles = _roles_2(channels, resolver)
    elif version.startswith("3."):
        roles = _roles_3(doc, channels, resolver, where)
    else:
        raise InputError(
            f"{where}: asyncapi", f"version {version!r} is not read", "give an AsyncAPI 2.x or 3.x document"
        )
    for name, (sends, receives, messages) in roles.items():
        channel = resolver.get(channels.get(name))
        address = str(channel.get("address") or name) if isinstance(channel, dict) else name
        if not sends and not receives:
            extract.not_read.append(f"channel {name!r}: no operation sends or receives on it")
            continue
        link = Link(
            id=f"{KIND}:{name}",
            name=f"{app}: {address}",
            source=app if sends else "",
            target=app if receives else "",
            element=f"channel {name}",
            technology=technology,
            description=merge_text(str(channel.get("description") or "").strip() for _ in [0])
            if isinstance(channel, dict)
            else "",
        )
        link.answer("current_pattern", "events", f"AsyncAPI channel {name!r} (messages on a channel)")
        if not sends:
            link.notes.append("source: the senders on this channel are not named in the document")
        if not receives:
            link.notes.append("target: the receivers on this channel are not named in the document")
        keyed = [m for m in messages if _kafka_key(resolver.get(m))]
        if keyed:
            link.answer("ordering", "per_key", f"Kafka key binding on a message of channel {name!r} (order per key)")
        link.technology = link.technology or ("KAFKA" if keyed else "")
        extract.links.append(link)
    return extract


Roles = dict[str, tuple[bool, bool, list[Any]]]  # channel → (app sends, app receives, messages)


def _roles_2(channels: dict[str, Any], refs: _Refs) -> Roles:
    roles: Roles = {}
    for name, item in channels.items():
        item = refs.get(item)
        if not isinstance(item, dict):
            continue
        sends = isinstance(item.get("subscribe"), dict)  # 2.x: subscribe = the application sends
        receives = isinstance(item.get("publish"), dict)
        messages: list[Any] = []
        for op in ("subscribe", "publish"):
            operation = refs.get(item.get(op))
            if isinstance(operation, dict):
                message = refs.get(operation.get("message"))
                if isinstance(message, dict) and isinstance(message.get("oneOf"), list):
                    messages += message["oneOf"]
                elif message is not None:
                    messages.append(message)
        roles[str(name)] = (sends, receives, messages)
    return roles


def _roles_3(doc: dict[str, Any], channels: dict[str, Any], refs: _Refs, where: str) -> Roles:
    roles: Roles = {str(n): (False, False, []) for n in channels}
    operations = doc.get("operations") or {}
    if not isinstance(operations, dict):
        raise InputError(f"{where}: operations", "must be a mapping", "fix the document")
    for op_name, operation in operations.items():
        operation = refs.get(operation)
        if not isinstance(operation, dict):
            continue
        ref = (operation.get("channel") or {}).get("$ref", "") if isinstance(operation.get("channel"), dict) else ""
        name = str(ref).rpartition("/")[2].replace("~1", "/").replace("~0", "~")
        if not str(ref).startswith("#/channels/") or name not in roles:
            raise InputError(
                f"{where}: operations.{op_name}.channel",
                f"{ref!r} names no channel of the document",
                "point it at #/channels/<name>",
            )
        action = operation.get("action")
        if action not in ("send", "receive"):
            raise InputError(
                f"{where}: operations.{op_name}.action", f"{action!r} is neither send nor receive", "fix it"
            )
        sends, receives, messages = roles[name]
        channel = expect(refs.get(channels.get(name)) or {}, dict, where, f"channels.{name}")
        listed = expect(operation.get("messages") or [], list, where, f"operations.{op_name}.messages")
        if not listed:
            listed = list(expect(channel.get("messages") or {}, dict, where, f"channels.{name}.messages").values())
        roles[name] = (sends or action == "send", receives or action == "receive", messages + list(listed))
    return roles


def _kafka_key(message: Any) -> bool:
    if not isinstance(message, dict):
        return False
    bindings = message.get("bindings")
    kafka = bindings.get("kafka") if isinstance(bindings, dict) else None
    return isinstance(kafka, dict) and kafka.get("key") is not None


class _Refs:
    """Follows local `$ref`s (`#/components/messages/x`); other references are listed as not read."""

    def __init__(self, doc: Any, where: str, extract: Extract) -> None:
        self.doc, self.where, self.extract = doc, where, extract

    def get(self, node: Any, depth: int = 0) -> Any:
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            self.extract.not_read.append(f"$ref {ref!r}: only references inside the document are followed")
            return None
        if depth > MAX_REF_DEPTH:
            raise InputError(self.where, f"$ref {ref!r} refers in a circle", "break the circle of references")
        target: Any = self.doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise InputError(self.where, f"$ref {ref!r} names nothing in the document", "fix the reference")
            target = target[part]
        return self.get(target, depth + 1)
