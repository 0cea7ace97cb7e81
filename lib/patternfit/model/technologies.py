"""The technology catalogue: product and protocol names → the pattern (and flavour) they implement.

    catalogue = load_technologies()                 # data/technologies.yaml, cached
    catalogue.match("Apache Kafka 3.7")             # Technology(name='Apache Kafka', pattern='events', …)
    catalogue.match("REST/JSON").pattern            # 'api'
    standard_for("events", "queue", catalogue)      # the organisation's standard, or None

Matching ignores case, spaces, punctuation, version numbers ("Camunda 8", "v2", "3.x") and the
catalogue's `ignore` words ("Apache", "AWS", …). A text naming several technologies
("JSON/HTTPS", "Kafka + REST") is read when every name it contains that the catalogue knows
points to the same pattern; otherwise it is not read (`match` returns None, `explain` says why).
An organisation profile adds entries and names its standards (`with_profile`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patternfit import settings
from patternfit.errors import InputError, ModelError, allowed_text, did_you_mean
from patternfit.io import yamlio
from patternfit.model.catalog import FLAVOURS, PROPOSABLE

FILE = "technologies.yaml"
PATTERNS = tuple(p for p in PROPOSABLE if p != "other")
MESSAGES = ("not_standard", "implement_with", "mixed_owner")
ENTRY_KEYS = ("name", "pattern", "flavour", "aliases", "docs", "reason")
_VERSION = re.compile(r"(?<![a-z0-9])v?\d+(?:\.\d+)*(?:\.x)?(?![a-z0-9])")
_SPLIT = re.compile(r"\s*(?:[/,+;&|()]|\bover\b|\bvia\b|\bwith\b|\band\b)\s*")


@dataclass(frozen=True, slots=True)
class Technology:
    """One product or protocol and the pattern it implements."""

    name: str
    pattern: str  # api, events, batch, workflow or shared_database
    flavour: str | None = None  # queue, topic or stream (events only)
    aliases: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    origin: str = "data/technologies.yaml"  # or the profile that added it

    @property
    def kind(self) -> str:
        """'events (stream)' — the pattern and flavour, as keys."""
        return f"{self.pattern} ({self.flavour})" if self.flavour else self.pattern


@dataclass(frozen=True)
class Technologies:
    """The catalogue: entries, the words matching ignores, the messages, the standards."""

    entries: tuple[Technology, ...]
    ignore: frozenset[str]
    messages: Mapping[str, str]
    standards: Mapping[str, str] = field(default_factory=dict)  # "events.queue" / "api" → technology name
    _index: dict[str, Technology] = field(default_factory=dict, repr=False, compare=False)
    _seen: dict[str, Technology | None] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.entries:  # later entries (a profile's) win
            for text in (entry.name, *entry.aliases):
                key = self.key(text)
                if key:
                    self._index[key] = entry

    def key(self, text: str) -> str:
        """The compact form names are compared in: 'Apache Kafka 3.7' → 'kafka'."""
        words = re.findall(r"[a-z0-9]+", _VERSION.sub(" ", str(text).lower()))
        return "".join(w for w in words if w not in self.ignore)

    def match(self, text: str) -> Technology | None:
        """The technology a text names, or None (unknown, blank, or several patterns at once)."""
        if text not in self._seen:
            self._seen[text] = self._match(text)
        return self._seen[text]

    def _match(self, text: str) -> Technology | None:
        hits = self._hits(text)
        patterns = {(t.pattern, t.flavour) for t in hits}
        if len({p for p, _ in patterns}) != 1:
            return None
        if len(patterns) > 1:  # same pattern, different flavours: keep the pattern, drop the flavour
            first = hits[0]
            return Technology(first.name, first.pattern, None, (), first.docs, first.origin)
        return hits[0]

    def explain(self, text: str) -> str:
        """Why `match` gives None for a text, in words ('' when it matches)."""
        hits = self._hits(text)
        if not hits:
            return f"{text!r} is not in the technology catalogue"
        if len({t.pattern for t in hits}) > 1:
            named = ", ".join(f"{t.name} ({t.pattern})" for t in hits)
            return f"{text!r} names technologies of different patterns: {named}"
        return ""

    def _hits(self, text: str) -> list[Technology]:
        if not str(text).strip():
            return []
        whole = self._index.get(self.key(text))
        if whole is not None:
            return [whole]
        found: list[Technology] = []
        for part in _SPLIT.split(str(text).lower()):
            entry = self._index.get(self.key(part))
            if entry is not None and entry not in found:
                found.append(entry)
        return found

    def named(self, name: str) -> Technology | None:
        """The entry a standard names (by name or alias)."""
        return self._index.get(self.key(name))

    def standard(self, pattern: str, flavour: str | None = None) -> Technology | None:
        """The organisation's standard for a pattern and flavour (the flavour's, else the pattern's)."""
        for slot in ((f"{pattern}.{flavour}",) if flavour else ()) + (pattern,):
            name = self.standards.get(slot)
            if name:
                return self.named(name) or Technology(name, pattern, flavour, origin="profile")
        return None

    def message(self, key: str, **values: Any) -> str:
        return self.messages[key].format(**values)


def standard_for(pattern: str, flavour: str | None = None, technologies: Technologies | None = None) -> str | None:
    """The name of the organisation's standard technology for a pattern (and flavour), or None.

    For the decide dashboard and the records ("Implement with …"): pass the catalogue of the
    organisation's profile, `model.profile.profile_technologies(profile)`, e.g.
    `standard_for("events", "queue", profile_technologies("acme.yaml"))`; the reference
    catalogue names no standards (None)."""
    catalogue = technologies or load_technologies()
    found = catalogue.standard(pattern, flavour)
    return found.name if found else None


def implement_with(
    pattern: str, flavour: str | None = None, technologies: Technologies | None = None, *, label: str | None = None
) -> str:
    """'Implement with Azure Service Bus (the organisation's standard for Events (queue)).' or ''.

    `label` is the pattern as people read it (the catalog's label); the key is used without one."""
    catalogue = technologies or load_technologies()
    name = standard_for(pattern, flavour, catalogue)
    shown = label or pattern
    kind = f"{shown} ({flavour})" if flavour else shown
    return catalogue.message("implement_with", standard=name, pattern=kind) if name else ""


def load_technologies(directory: str | Path | None = None) -> Technologies:
    """The reference catalogue (data/technologies.yaml), validated; cached per folder."""
    return _load(str(Path(directory) if directory else settings.data_dir()))


@functools.lru_cache(maxsize=8)
def _load(directory: str) -> Technologies:
    where = f"data/{FILE}"
    try:
        doc = yamlio.load(Path(directory) / FILE, what="model file")
    except InputError as exc:
        raise ModelError(where, exc.what, "fix the model data") from None
    if not isinstance(doc, dict):
        raise ModelError(where, "must be a mapping at the top level", "fix the model data")
    try:
        ignore = doc.get("ignore") or []
        if not isinstance(ignore, list) or not all(isinstance(w, str) for w in ignore):
            raise InputError(f"{where}: ignore", "must be a list of words", "e.g. [apache, aws]")
        messages = doc.get("messages")
        if not isinstance(messages, dict) or set(messages) != set(MESSAGES):
            raise InputError(f"{where}: messages", "must hold exactly these texts", allowed_text(MESSAGES))
        raw = doc.get("technologies")
        if not isinstance(raw, list) or not raw:
            raise InputError(f"{where}: technologies", "must be a non-empty list", "fix the model data")
        entries = tuple(parse_entry(item, f"{where}: technologies[{i}]", where) for i, item in enumerate(raw))
    except InputError as exc:
        raise ModelError(exc.where, exc.what, "fix the model data") from None
    return Technologies(entries, frozenset(w.lower() for w in ignore), {k: str(v) for k, v in messages.items()})


def parse_entry(item: Any, place: str, origin: str, *, need_reason: bool = False) -> Technology:
    """One catalogue entry, checked: InputError naming the entry and the key."""
    if not isinstance(item, Mapping):
        raise InputError(place, "must be a mapping", "e.g. {name: Solace, pattern: events, flavour: topic}")
    for key in item:
        if key not in ENTRY_KEYS:
            raise InputError(f"{place}.{key}", f"unknown key{did_you_mean(key, ENTRY_KEYS)}", allowed_text(ENTRY_KEYS))
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{place}.name", "is missing or empty", "name the product or protocol")
    pattern = item.get("pattern")
    if pattern not in PATTERNS:
        raise InputError(
            f"{place}.pattern", f"{pattern!r} is not a pattern{did_you_mean(pattern, PATTERNS)}", allowed_text(PATTERNS)
        )
    flavour = item.get("flavour")
    if flavour is not None and (pattern != "events" or flavour not in FLAVOURS):
        raise InputError(f"{place}.flavour", f"{flavour!r} is not a flavour of {pattern}", allowed_text(FLAVOURS))
    aliases = _texts(item.get("aliases"), f"{place}.aliases")
    docs = _texts(item.get("docs"), f"{place}.docs")
    if need_reason and not str(item.get("reason") or "").strip():
        raise InputError(f"{place}.reason", "every entry a profile adds needs a reason", "say why it is added")
    if not need_reason and not docs:
        raise InputError(f"{place}.docs", "every entry needs its sources", "cite the vendor documentation")
    return Technology(name.strip(), pattern, flavour, aliases, docs, origin)


def _texts(value: Any, place: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(place, "must be a list of texts", "e.g. [kafka, msk]")
    return tuple(v.strip() for v in value)


def with_profile(
    base: Technologies, entries: Iterable[Technology], standards: Mapping[str, str], where: str = "profile"
) -> Technologies:
    """The catalogue with a profile's entries added and its standards named (each checked)."""
    merged = Technologies((*base.entries, *entries), base.ignore, base.messages)
    for slot, name in standards.items():
        pattern, _, flavour = slot.partition(".")
        if pattern not in PATTERNS or (flavour and (pattern != "events" or flavour not in FLAVOURS)):
            slots = (*PATTERNS, *(f"events.{f}" for f in FLAVOURS))
            raise InputError(
                f"{where}: standards.{slot}",
                f"unknown pattern or flavour{did_you_mean(slot, slots)}",
                allowed_text(slots),
            )
        known = merged.named(name)
        if known is None:
            raise InputError(
                f"{where}: standards.{slot}",
                f"{name!r} is not in the technology catalogue",
                "add it under `technologies:` in the profile, or use a catalogue name",
            )
        if known.pattern != pattern or (flavour and known.flavour not in (None, flavour)):
            raise InputError(
                f"{where}: standards.{slot}",
                f"{known.name} implements {known.kind}, not {slot.replace('.', ' (') + (')' if flavour else '')}",
                "name a technology of that pattern",
            )
    return Technologies(merged.entries, merged.ignore, merged.messages, dict(standards))


__all__ = ["Technologies", "Technology", "implement_with", "load_technologies", "standard_for", "with_profile"]
