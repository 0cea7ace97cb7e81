"""The flow model (data/flows.yaml): thresholds and texts of the findings across a flow's steps."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patternfit import settings
from patternfit.errors import InputError, ModelError, allowed_text
from patternfit.io import yamlio

FILE = "flows.yaml"
FINDINGS = ("F-01", "F-02", "F-03", "F-04", "F-05")
ASKS = ("pattern", "owner", "visibility", "change_pattern", "timing")
WORDING = ("settled", "open", "conflict", "decided", "undecided", "tie", "not_applicable")
DURATIONS = ("subsecond", "seconds", "minutes", "hours", "days", "days_weeks")


@dataclass(frozen=True, slots=True)
class FindingText:
    """One finding across steps: its id, title, message template, fix and sources."""

    id: str
    title: str
    message: str
    fix: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FlowModel:
    """Thresholds, finding texts and the questions to ask where a source is silent."""

    version: str
    sync_chain_max: int
    branching_complex: int
    fast_durations: tuple[str, ...]
    sprawl_owners: int
    findings: Mapping[str, FindingText]
    asks: Mapping[str, str]
    wording: Mapping[str, str]


def load_flow_model(directory: str | Path | None = None) -> FlowModel:
    """data/flows.yaml, validated; cached per folder."""
    return _load(str(Path(directory) if directory else settings.data_dir()))


@functools.lru_cache(maxsize=8)
def _load(directory: str) -> FlowModel:
    where = f"data/{FILE}"
    try:
        doc = yamlio.load(Path(directory) / FILE, what="model file")
        sources = yamlio.load(Path(directory) / "sources.yaml", what="model file")
        known = set((sources or {}).get("catalog") or {})
        return _parse(doc, where, known)
    except InputError as exc:
        raise ModelError(exc.where, exc.what, "fix the model data") from None


def _parse(doc: Any, where: str, known: set[str]) -> FlowModel:
    if not isinstance(doc, Mapping):
        raise InputError(where, "must be a mapping at the top level")
    limits = _mapping(doc, "thresholds", where)
    fast = limits.get("fast_durations")
    if not isinstance(fast, list) or not fast or any(d not in DURATIONS for d in fast):
        raise InputError(f"{where}: thresholds.fast_durations", f"must list durations, {allowed_text(DURATIONS)}")
    raw = _mapping(doc, "findings", where)
    if set(raw) != set(FINDINGS):
        raise InputError(f"{where}: findings", "must hold exactly these findings", allowed_text(FINDINGS))
    findings = {key: _finding(key, raw[key], f"{where}: findings.{key}", known) for key in FINDINGS}
    asks = _mapping(doc, "asks", where)
    if set(asks) != set(ASKS) or not all(isinstance(v, str) and v for v in asks.values()):
        raise InputError(f"{where}: asks", "must hold exactly these texts", allowed_text(ASKS))
    wording = _mapping(doc, "wording", where)
    if set(wording) != set(WORDING) or not all(isinstance(v, str) and v for v in wording.values()):
        raise InputError(f"{where}: wording", "must hold exactly these texts", allowed_text(WORDING))
    return FlowModel(
        version=str(doc.get("model_version", "")),
        sync_chain_max=_count(limits, "sync_chain_max", where),
        branching_complex=_count(limits, "branching_complex", where),
        fast_durations=tuple(fast),
        sprawl_owners=_count(limits, "sprawl_owners", where),
        findings=findings,
        asks={k: str(v) for k, v in asks.items()},
        wording={k: str(v) for k, v in wording.items()},
    )


def _mapping(doc: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = doc.get(key)
    if not isinstance(value, Mapping):
        raise InputError(f"{where}: {key}", "must be a mapping")
    return value


def _count(limits: Mapping[str, Any], key: str, where: str) -> int:
    value = limits.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{where}: thresholds.{key}", f"{value!r} must be a whole number ≥ 1")
    return value


def _finding(key: str, item: Any, where: str, known: set[str]) -> FindingText:
    if not isinstance(item, Mapping):
        raise InputError(where, "must be a mapping of title, message, fix, sources")
    texts = {}
    for part in ("title", "message", "fix"):
        text = item.get(part)
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{where}.{part}", "must be a text")
        texts[part] = text
    sources = item.get("sources")
    if not isinstance(sources, list) or not sources:
        raise InputError(f"{where}.sources", "must list source ids of data/sources.yaml")
    unknown = [s for s in sources if s not in known]
    if unknown:
        raise InputError(f"{where}.sources", f"{unknown[0]!r} is not in data/sources.yaml")
    return FindingText(key, texts["title"], texts["message"], texts["fix"], tuple(str(s) for s in sources))
