"""Connection files: loose YAML/JSON in, a validated `Connection` out (or one clear error)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.io import yamlio
from patternfit.model.catalog import PROPOSABLE, Model, Question

TOP_KEYS = ("name", "description", "source", "target", "characteristics", "sub", "stated", "proposed", "unsure")
UNNAMED = "Unnamed connection"


@dataclass(frozen=True, slots=True)
class Connection:
    """One connection between systems and what the team knows about it."""

    name: str = UNNAMED
    description: str = ""
    source: str = ""
    target: str = ""
    characteristics: Mapping[str, Any] = field(default_factory=dict)
    sub: Mapping[str, Any] = field(default_factory=dict)
    stated: Mapping[str, Any] = field(default_factory=dict)
    proposed: Mapping[str, Any] = field(default_factory=dict)
    unsure: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The connection-file form (only the parts that are set)."""
        out: dict[str, Any] = {"name": self.name}
        for key in ("description", "source", "target"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        out["characteristics"] = dict(self.characteristics)
        for key in ("sub", "stated", "proposed"):
            if getattr(self, key):
                out[key] = dict(getattr(self, key))
        if self.unsure:
            out["unsure"] = list(self.unsure)
        return out


def load_connection(path: str | Path, model: Model) -> Connection:
    """Read a connection file (YAML or JSON)."""
    data = yamlio.load(path, what="connection file")
    return parse_connection(data, model, where=str(path))


def parse_connection(data: Any, model: Model, *, where: str = "connection") -> Connection:
    """Validate a connection mapping; InputError names the key, the value and what is allowed."""
    if data is None:
        raise InputError(where, "is empty", "write a connection: name, characteristics, …")
    if not isinstance(data, Mapping):
        raise InputError(where, f"must be a mapping of keys, got {_kind(data)}", "see data/examples/")
    for key in data:
        if key not in TOP_KEYS:
            raise InputError(f"{where}: {key}", f"unknown key{did_you_mean(key, TOP_KEYS)}", allowed_text(TOP_KEYS))
    characteristics = _answers(data.get("characteristics"), model.characteristics, where, "characteristics")
    sub = _answers(data.get("sub"), model.sub_inputs, where, "sub")
    unsure = _unsure(data.get("unsure"), characteristics | {f"sub.{k}": v for k, v in sub.items()}, where)
    return Connection(
        name=_text(data, "name", where) or UNNAMED,
        description=_text(data, "description", where),
        source=_text(data, "source", where),
        target=_text(data, "target", where),
        characteristics=characteristics,
        sub=sub,
        stated=_answers(data.get("stated"), model.characteristics, where, "stated"),
        proposed=_proposed(data.get("proposed"), model, where),
        unsure=unsure,
    )


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"{where}: {key}", f"must be text, got {_kind(value)}", "write plain text")
    return str(value).strip()


def _answers(raw: Any, questions: tuple[Question, ...], where: str, section: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InputError(
            f"{where}: {section}",
            f"must be a mapping of key: value, got {_kind(raw)}",
            "write one `key: value` per line",
        )
    by_key = {q.key: q for q in questions}
    answers: dict[str, Any] = {}
    for key, value in raw.items():
        question = by_key.get(key)
        if question is None:
            raise InputError(
                f"{where}: {section}.{key}",
                f"unknown key{did_you_mean(key, by_key)}",
                allowed_text(by_key),
            )
        if value is None:
            continue
        answers[key] = coerce_answer(question, value, f"{where}: {section}.{key}")
    return answers


def coerce_answer(question: Question, value: Any, where: str, *, lenient: bool = False) -> Any:
    """One answer in its canonical form, or InputError with what the question allows."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(where, f"{value!r} is not a value", question.scale.describe())
    try:
        return question.scale.coerce(value, lenient=lenient)
    except ValueError as exc:
        text = str(exc)
        hint = "" if "allowed" in text else question.scale.describe()
        raise InputError(where, text, hint) from None


def _unsure(raw: Any, answers: Mapping[str, Any], where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError(f"{where}: unsure", f"must be a list of keys, got {_kind(raw)}", "e.g. [freshness_value]")
    result = []
    for key in raw:
        if key not in answers:
            raise InputError(
                f"{where}: unsure",
                f"{key!r} is not an answered characteristic or coordination input{did_you_mean(key, answers)}",
                "list only keys answered under characteristics, or sub.<key> for one answered under sub",
            )
        if key not in result:
            result.append(str(key))
    return tuple(result)


def _proposed(raw: Any, model: Model, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        raw = {"pattern": raw}
    if not isinstance(raw, Mapping):
        raise InputError(
            f"{where}: proposed",
            f"must be a pattern name or a mapping, got {_kind(raw)}",
            f"e.g. `proposed: events`; {allowed_text(PROPOSABLE)}",
        )
    facts = {q.key: q for q in model.design_facts}
    result: dict[str, Any] = {}
    for key, value in raw.items():
        place = f"{where}: proposed.{key}"
        if key == "pattern":
            if value not in PROPOSABLE:
                raise InputError(
                    place, f"unknown pattern {value!r}{did_you_mean(value, PROPOSABLE)}", allowed_text(PROPOSABLE)
                )
            result["pattern"] = value
        elif key in facts:
            if value is not None:
                result[key] = coerce_answer(facts[key], value, place)
        else:
            keys = ["pattern", *facts]
            raise InputError(place, f"unknown design fact{did_you_mean(key, keys)}", allowed_text(keys))
    return result
