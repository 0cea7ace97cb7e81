"""Organisation profiles: an organisation's own weights and fit values, each change with a reason.

```yaml
name: Acme integration office
version: "1.0"
author: Integration CoE
changes:
  - {weight: consumer_count, to: 3, reason: "fan-out is our main pain"}
  - {fit: ordering, answer: per_key, pattern: batch, to: 0, reason: "our streams keep key order"}
```

Weights may take any finite value ≥ 0; a fit value may move at most ±1 from the reference
model and stays within -2…+2. Anything else is refused with a message naming the change.

A profile may also add technologies to the catalogue (data/technologies.yaml) and name its
standard per pattern and flavour — read by `profile_technologies`, used by the estate review
("not the organisation's standard") and by `model.technologies.standard_for` ("Implement with"):

```yaml
technologies:
  - {name: Solace PubSub+, pattern: events, flavour: topic, aliases: [solace], reason: "our event mesh"}
standards: {events.queue: Azure Service Bus, events.topic: Solace PubSub+, api: REST}
```
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.io import yamlio
from patternfit.model.catalog import PATTERN_KEYS, Model
from patternfit.model.technologies import Technologies, load_technologies, parse_entry, with_profile


class ProfileSummary(TypedDict):
    """The identity of a profile, as an assessment's JSON (`profile`) and reports carry it."""

    name: str
    version: str
    author: str
    changes: int


def profile_summary(info: Mapping[str, Any]) -> ProfileSummary:
    """A profile's identity (`apply_profile`'s second value) as its typed summary."""
    return {
        "name": str(info["name"]),
        "version": str(info["version"]),
        "author": str(info.get("author", "")),
        "changes": int(info["changes"]),
    }


HEADER_KEYS = ("name", "version", "author", "description", "changes", "technologies", "standards")
MAX_FIT_STEP = 1


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a profile, with its reason: a weight (`kind` "weight") or a fit value.

    The characteristic, answer, pattern and value are kept as written: whether they exist and
    stay within bounds depends on the model the profile is applied to (`apply_profile`)."""

    kind: Literal["weight", "fit"]
    characteristic: object
    to: object
    reason: str
    place: str  # "acme.yaml: changes[0]", for messages
    answer: object = None
    pattern: object = None


@dataclass(frozen=True, slots=True)
class Profile:
    """An organisation profile, read and checked for shape once where it enters (`load_profile`).

    `definition` is the profile as written (header, changes, technologies, standards): records
    store it in full, so a reopened record is re-assessed with the very profile it was made with."""

    name: str
    version: str
    author: str
    changes: tuple[Change, ...]
    technologies: tuple[object, ...]  # entries as written; checked by `profile_technologies`
    standards: Mapping[str, str]  # pattern[.flavour] → technology name (checked against the catalogue there)
    where: str  # the file it was read from, or what a mapping was named
    definition: Mapping[str, Any] = field(repr=False, compare=False)

    def info(self) -> dict[str, Any]:
        """The profile's identity for reports and `Assessment.profile`: name, version, author, changes."""
        return {"name": self.name, "version": self.version, "author": self.author, "changes": len(self.changes)}

    def to_dict(self) -> dict[str, Any]:
        """The profile as written (a copy), as a record stores it."""
        return copy.deepcopy(dict(self.definition))


def load_profile(source: Profile | Mapping[str, Any] | str | Path, where: str = "profile") -> Profile:
    """The typed profile from a path (read once) or a mapping, checked for shape; a `Profile` as is.

    `where` names a mapping's origin in messages (a path names itself)."""
    if isinstance(source, Profile):
        return source
    if isinstance(source, (str, Path)):
        where = str(source)
        source = yamlio.load(source, what="profile")
    if not isinstance(source, Mapping):
        raise InputError(where, "must be a mapping with name, version and changes", "see lib/patternfit/profile.py")
    for key in source:
        if key not in HEADER_KEYS:
            raise InputError(
                f"{where}: {key}", f"unknown key{did_you_mean(key, HEADER_KEYS)}", allowed_text(HEADER_KEYS)
            )
    for key in ("name", "version"):
        if not isinstance(source.get(key), (str, int, float)) or not str(source.get(key)).strip():
            raise InputError(f"{where}: {key}", "is missing or empty", f"give the profile a {key}")
    changes = source.get("changes") or []
    if not isinstance(changes, list):
        raise InputError(
            f"{where}: changes", "must be a list of changes", "e.g. - {weight: consumer_count, to: 3, reason: …}"
        )
    raw = source.get("technologies") or []
    if not isinstance(raw, list):
        raise InputError(
            f"{where}: technologies", "must be a list of entries", "e.g. - {name: Solace, pattern: events}"
        )
    standards = source.get("standards") or {}
    if not isinstance(standards, Mapping) or not all(isinstance(v, str) and v.strip() for v in standards.values()):
        raise InputError(
            f"{where}: standards",
            "must map a pattern (or pattern.flavour) to a technology name",
            "e.g. {events.queue: RabbitMQ}",
        )
    return Profile(
        name=str(source["name"]),
        version=str(source["version"]),
        author=str(source.get("author", "")),
        changes=tuple(_change(change, f"{where}: changes[{i}]") for i, change in enumerate(changes)),
        technologies=tuple(raw),
        standards={str(k): str(v).strip() for k, v in standards.items()},
        where=where,
        definition=copy.deepcopy(dict(source)),
    )


def _change(change: object, place: str) -> Change:
    """One change checked for shape: a mapping with a reason, a weight or a fit, known keys."""
    if not isinstance(change, Mapping):
        raise InputError(place, "must be a mapping", "e.g. {weight: consumer_count, to: 3, reason: …}")
    reason = change.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(f"{place}.reason", "every change needs a reason", "say why the organisation differs")
    if "weight" in change:
        _check_keys(change, ("weight", "to", "reason"), place)
        return Change("weight", change["weight"], change.get("to"), reason, place)
    if "fit" in change:
        _check_keys(change, ("fit", "answer", "pattern", "to", "reason"), place)
        return Change(
            "fit", change["fit"], change.get("to"), reason, place, change.get("answer"), change.get("pattern")
        )
    raise InputError(place, "is neither a weight nor a fit change", "start it with `weight:` or `fit:`")


def apply_profile(
    source: Profile | Mapping[str, Any] | str | Path, model: Model, *, where: str = "profile"
) -> tuple[Model, dict[str, Any]]:
    """A copy of `model` with the profile's changes, and the profile's identity for reports.

    Takes the `Profile` read at the edge; a mapping or a path is read here (`load_profile`, where
    `where` names a mapping's origin in messages)."""
    profile = load_profile(source, where)
    weights = model.weights.copy()
    fit = model.fit.copy()
    for change in profile.changes:
        if change.kind == "weight":
            _weight(change, model, weights)
        else:
            _fit(change, model, fit)
    if not weights.any():
        raise InputError(f"{profile.where}: changes", "leaves every weight at zero", "keep at least one weight above 0")
    return dataclasses.replace(model, weights=weights, fit=fit), profile.info()


def _check_keys(change: Mapping[str, Any], allowed: tuple[str, ...], place: str) -> None:
    for key in change:
        if key not in allowed:
            raise InputError(f"{place}.{key}", f"unknown key{did_you_mean(key, allowed)}", allowed_text(allowed))


def _number(value: Any, place: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(place, f"{value!r} is not a finite number", "use a number")
    return float(value)


def _weight(change: Change, model: Model, weights: Any) -> None:
    place, key = change.place, change.characteristic
    if key not in model.keys:
        raise InputError(
            f"{place}.weight",
            f"unknown characteristic {key!r}{did_you_mean(key, model.keys)}",
            allowed_text(model.keys),
        )
    value = _number(change.to, f"{place}.to")
    if value < 0:
        raise InputError(f"{place}.to", f"{value:g} is negative", "weights are ≥ 0")
    weights[model.keys.index(key)] = value


def _fit(change: Change, model: Model, fit: Any) -> None:
    place, key = change.place, change.characteristic
    if key not in model.keys:
        raise InputError(
            f"{place}.fit", f"unknown characteristic {key!r}{did_you_mean(key, model.keys)}", allowed_text(model.keys)
        )
    c = model.keys.index(key)
    scale = model.characteristics[c].scale
    answer = change.answer
    if scale.type == "integer":
        if str(answer) not in scale.values:
            raise InputError(f"{place}.answer", f"{answer!r} is not a bucket of {key}", allowed_text(scale.values))
        level = scale.values.index(str(answer))
    else:
        try:
            level = scale.level_of(scale.coerce(answer))
        except ValueError as exc:
            raise InputError(f"{place}.answer", str(exc)) from None
    pattern = change.pattern
    if pattern not in PATTERN_KEYS:
        raise InputError(
            f"{place}.pattern",
            f"unknown pattern {pattern!r}{did_you_mean(pattern, PATTERN_KEYS)}",
            allowed_text(PATTERN_KEYS),
        )
    p = PATTERN_KEYS.index(pattern)
    value = _number(change.to, f"{place}.to")
    reference = model.fit[c, level, p]
    if not value.is_integer() or abs(value - reference) > MAX_FIT_STEP or abs(value) > 2:
        raise InputError(
            f"{place}.to",
            f"{value:g} is outside the allowed range for {key}={answer}, {pattern}",
            f"use a whole number within ±{MAX_FIT_STEP} of the reference {reference:+g} and within -2…+2",
        )
    fit[c, level, p] = value


def profile_technologies(
    source: Profile | Mapping[str, Any] | str | Path | None, base: Technologies | None = None, *, where: str = "profile"
) -> Technologies:
    """The technology catalogue with a profile's `technologies` added and its `standards` named."""
    base = base or load_technologies()
    if source is None:
        return base
    profile = load_profile(source, where)
    where = profile.where
    entries = [
        parse_entry(item, f"{where}: technologies[{i}]", where, need_reason=True)
        for i, item in enumerate(profile.technologies)
    ]
    return with_profile(base, entries, profile.standards, where)


__all__ = ["HEADER_KEYS", "Change", "Profile", "apply_profile", "load_profile", "profile_technologies"]
