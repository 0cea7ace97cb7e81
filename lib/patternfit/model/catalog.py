"""The decision model, loaded from data/ and validated into typed, frozen objects."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from patternfit import settings
from patternfit.errors import InputError, ModelError, did_you_mean
from patternfit.io import yamlio
from patternfit.model.conditions import Condition, ConditionError, compile_condition
from patternfit.model.scales import Scale, scale_from_data

SCHEMA_VERSION = 1
PATTERN_KEYS = ("api", "events", "batch", "workflow")
PROPOSABLE = (*PATTERN_KEYS, "shared_database", "other")
FLAVOURS = ("queue", "topic", "stream")
STYLES = ("orchestration", "choreography")
MODEL_FILES = (
    "sources.yaml", "patterns.yaml", "characteristics.yaml", "scoring.yaml",
    "rules.yaml", "pitfalls.yaml", "checklists.yaml", "policy.yaml",
)  # fmt: skip
POLICY_WORDING = (
    "settled", "settled_excepted", "open", "flip", "open_tie", "open_tie_order", "open_none",
    "conflict", "conflict_none", "conflict_unfit",
    "weight_out_of_reach", "weight_hinge", "answer_hinge", "answer_hinge_from", "resolution", "conditional",
    "coordination_tie", "tie_by_acceptability", "tie_by_order",
)  # fmt: skip


def data_dir() -> Path:
    """The model folder (see `patternfit.settings.data_dir`)."""
    return settings.data_dir()


@dataclass(frozen=True, slots=True)
class Question:
    """A characteristic, a coordination input or a design fact."""

    key: str
    label: str
    question: str
    help: str
    scale: Scale
    group: str = ""
    value_labels: Mapping[Any, str] | None = None
    phrases: Mapping[Any, str] | None = None
    sources: tuple[str, ...] = ()
    # optional, per answer: a one-line example of a situation with that answer, and what the
    # answer is not (a common misreading), for help texts and the terminal questionnaire
    examples: Mapping[Any, str] | None = None
    not_meant: Mapping[Any, str] | None = None

    def value_label(self, value: Any) -> str:
        if self.value_labels and value in self.value_labels:
            return self.value_labels[value]
        return str(value).lower() if isinstance(value, bool) else str(value)

    def phrase(self, value: Any) -> str:
        """The explanation fragment for an answer ('6 independent consumers need it')."""
        if self.scale.type == "integer":  # a number, or already a level label ('2', '4+') as hinges give
            key = value if isinstance(value, str) and value in self.scale.values else None
            key = key or self.scale.values[self.scale.level_of(value)]
        else:
            key = value
        if self.phrases and key in self.phrases:
            return self.phrases[key].replace("{value}", str(value))
        return f"{self.label.lower()} is {self.value_label(value)}"


@dataclass(frozen=True, slots=True)
class Pattern:
    key: str
    label: str
    short: str
    summary: str
    use_when: tuple[str, ...]
    avoid_when: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    label: str
    description: str
    justification: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Knockout:
    id: str
    when: Condition
    excludes: tuple[str, ...]
    reason: str
    sources: tuple[str, ...]
    flag: str | None = None
    flag_text: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A contradiction, a flavour rule, a flavour note or a coordination signal."""

    id: str
    when: Condition
    text: str
    fix: str = ""
    score: int = 0
    sources: tuple[str, ...] = ()
    conflict: bool = True  # a contradiction that makes the state conflict (false: a gap to record)


@dataclass(frozen=True, slots=True)
class Pitfall:
    id: str
    title: str
    when: Condition | None
    message: str
    fix: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    id: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Coordination:
    applies_when: Condition
    signals: tuple[Rule, ...]
    styles: Mapping[str, Mapping[str, str]]
    dimensions: tuple[Dimension, ...]
    profiles: Mapping[str, Mapping[str, int]]
    tie_text: str
    counter_view: str
    counter_view_sources: tuple[str, ...]
    hybrid_text: str


@dataclass(frozen=True, slots=True)
class Robustness:
    kappa: float
    unsure_stay: float
    low_acceptability: float
    low_margin: float
    tie_break: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """A fact the answers leave unknown that the design must confirm (not a pitfall: nobody
    said the design gets it wrong). Raised when `when` holds."""

    id: str
    when: Condition
    question: str
    why: str
    sources: tuple[str, ...] = ()
    # a bridge check (the recommended pattern needs a capability the counterpart lacks): the
    # bridges that close the gap, e.g. "a webhook subscription"; empty for other checks
    bridges: tuple[str, ...] = ()


BRIDGE_FIELDS = frozenset({"recommended", "counterpart_capability"})  # what a bridge check must read


@dataclass(frozen=True, slots=True)
class ConflictIds:
    """The ids the engine gives conflicts no rule file defines (policy.yaml `conflict_ids`)."""

    no_pattern: str  # every pattern is knocked out
    unfit: str  # the best pattern left fits ≤ 0


@dataclass(frozen=True, slots=True)
class Policy:
    """How the engine reads its own numbers (data/policy.yaml, plus the confidence thresholds
    and last-resort tie order of scoring.yaml's robustness section)."""

    default_samples: int
    weight_range: tuple[float, float]
    weight_step: float
    tie_epsilon: float
    fit_range: tuple[float, float]
    fit_label: str
    mismatch_gap: float
    many_unanswered: int
    ask_floor: float
    ask_coordination: float
    wording: Mapping[str, str]
    conflict_ids: ConflictIds
    shared_database_pitfall: str  # the pitfall the estate cites for a shared database (pitfalls.yaml)
    # from scoring.yaml's robustness section: the confidence thresholds and the last-resort tie order
    low_acceptability: float
    low_margin: float
    tie_break: tuple[str, ...]
    min_answers: int  # undecided below this many answers that speak (engine/undecided.py)
    undecided_ask: int  # questions named in an undecided connection's "what to ask"


@dataclass(frozen=True, eq=False)
class Model:
    """The whole decision model. Arrays are indexed [characteristic, level, pattern]."""

    version: str
    directory: Path
    sources: Mapping[str, Mapping[str, str]]
    groups: tuple[tuple[str, str], ...]
    characteristics: tuple[Question, ...]
    sub_inputs: tuple[Question, ...]
    design_facts: tuple[Question, ...]
    patterns: tuple[Pattern, ...]
    dimensions: tuple[Dimension, ...]
    profiles: Mapping[str, Mapping[str, int]]
    weights: npt.NDArray[np.float64]
    fit: npt.NDArray[np.float64]
    fit_sources: Mapping[tuple[str, Any], tuple[str, ...]]
    knockouts: tuple[Knockout, ...]
    contradictions: tuple[Rule, ...]
    flavours: tuple[Rule, ...]
    flavour_notes: tuple[Rule, ...]
    coordination: Coordination
    pitfalls: tuple[Pitfall, ...]
    checklists: Mapping[str, tuple[ChecklistItem, ...]]
    robustness: Robustness
    scales: Mapping[str, Scale]
    policy: Policy
    checks: tuple[Check, ...] = ()

    @functools.cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.characteristics)

    @functools.cached_property
    def pattern_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.patterns)

    def question(self, key: str) -> Question:
        for question in (*self.characteristics, *self.sub_inputs, *self.design_facts):
            if question.key == key:
                return question
        raise KeyError(key)

    def pattern(self, key: str) -> Pattern:
        for pattern in self.patterns:
            if pattern.key == key:
                return pattern
        raise KeyError(f"{key!r} is not a pattern of the model (one of {', '.join(self.pattern_keys)})")

    def default_weights(self) -> dict[str, float]:
        return dict(zip(self.keys, self.weights.tolist(), strict=True))


@functools.cache
def _load_cached(directory: str) -> Model:
    return _Loader(Path(directory)).model()


def load_model(directory: str | Path | None = None) -> Model:
    """Load and validate the model in `directory` (default: data/). Cached per folder."""
    return _load_cached(str(Path(directory) if directory else data_dir()))


@functools.cache
def _policy_cached(directory: str) -> Policy:
    return _Loader(Path(directory)).policy()


def load_policy(directory: str | Path | None = None) -> Policy:
    """Only data/policy.yaml (and scoring.yaml's thresholds), validated: for defaults such as the
    CLI's --samples, read before the rest of the model is needed."""
    return _policy_cached(str(Path(directory) if directory else data_dir()))


class _Loader:
    """Reads the model files, naming file, key and value in every complaint."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        # complaints name `data/FILE` for the shipped model, the folder's own path for any other
        self.prefix = "data" if directory.resolve() == settings.shipped_data_dir().resolve() else str(directory)
        self.docs: dict[str, dict[str, Any]] = {}
        self.version = ""
        self.source_ids: set[str] = set()
        self.scales: dict[str, Scale] = {}

    # -- plumbing ---------------------------------------------------------------------------
    def fail(self, file: str, key: str, what: str) -> ModelError:
        where = f"{self.prefix}/{file}"
        return ModelError(f"{where}: {key}" if key else where, what, "fix the model data")

    def doc(self, file: str) -> dict[str, Any]:
        if file in self.docs:
            return self.docs[file]
        try:
            raw = yamlio.load(self.directory / file, what="model file")
        except InputError as exc:
            where = exc.where.replace(str(self.directory / file), f"{self.prefix}/{file}")
            raise ModelError(where, exc.what, "fix the model data") from None
        if not isinstance(raw, dict):
            raise self.fail(file, "", "must be a mapping at the top level")
        if raw.get("schema_version") != SCHEMA_VERSION:
            raise self.fail(file, "schema_version", f"{raw.get('schema_version')!r}, expected {SCHEMA_VERSION}")
        version = raw.get("model_version")
        if not isinstance(version, str) or not version:
            raise self.fail(file, "model_version", f"{version!r} must be a non-empty string")
        if self.version and version != self.version:
            raise self.fail(file, "model_version", f"{version!r} differs from {self.version!r} in other files")
        self.version = version
        self.docs[file] = raw
        if file != "sources.yaml":
            self.check_sources(file, "sources", raw.get("sources", []))
        return raw

    def get(self, file: str, mapping: Any, key: str, path: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise self.fail(file, path, f"missing key {key!r}")
        value = mapping[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
            raise self.fail(file, f"{path}.{key}", f"{value!r} has the wrong type")
        return value

    def text(self, file: str, mapping: Any, key: str, path: str, default: str | None = None) -> str:
        if default is not None and isinstance(mapping, dict) and key not in mapping:
            return default
        value = self.get(file, mapping, key, path, str)
        if not value.strip():
            raise self.fail(file, f"{path}.{key}", "must not be empty")
        return str(value)

    def check_sources(self, file: str, path: str, ids: Any) -> tuple[str, ...]:
        if not isinstance(ids, list):
            raise self.fail(file, path, f"{ids!r} must be a list of source ids")
        for source in ids:
            if self.source_ids and source not in self.source_ids:
                raise self.fail(file, path, f"unknown source {source!r}{did_you_mean(source, self.source_ids)}")
        return tuple(str(s) for s in ids)

    def sources_of(self, file: str, item: Any, path: str) -> tuple[str, ...]:
        return self.check_sources(file, f"{path}.sources", item.get("sources", []))

    def condition(self, file: str, spec: Any, path: str) -> Condition:
        try:
            return compile_condition(spec, self.scales)
        except ConditionError as exc:
            raise self.fail(file, f"{path}.when", str(exc)) from None

    # -- sections ---------------------------------------------------------------------------
    def model(self) -> Model:
        catalog = self.get("sources.yaml", self.doc("sources.yaml"), "catalog", "", dict)
        self.source_ids = {str(k) for k in catalog}
        for file in MODEL_FILES:
            self.doc(file)
            self.check_sources(file, "sources", self.docs[file].get("sources", []))
        patterns, dimensions, profiles, coordination_doc = self.patterns()
        groups, characteristics, sub_inputs, facts = self.questions()
        self.scales = self.field_scales(characteristics, sub_inputs, facts)
        weights, fit, fit_sources, robustness = self.scoring(characteristics)
        rules = self.doc("rules.yaml")
        policy = self.policy(robustness)
        pitfalls = self.pitfalls()
        if policy.shared_database_pitfall not in {p.id for p in pitfalls}:
            where = "estate.shared_database_pitfall"
            raise self.fail("policy.yaml", where, f"{policy.shared_database_pitfall!r} is no pitfall in pitfalls.yaml")
        return Model(
            version=self.version,
            directory=self.directory,
            sources={str(k): dict(v) for k, v in catalog.items()},
            groups=groups,
            characteristics=characteristics,
            sub_inputs=sub_inputs,
            design_facts=facts,
            patterns=patterns,
            dimensions=dimensions,
            profiles=profiles,
            weights=weights,
            fit=fit,
            fit_sources=fit_sources,
            knockouts=self.knockouts(rules),
            contradictions=self.rules("rules.yaml", rules, "contradictions", "message", "id"),
            flavours=self.flavours(rules),
            flavour_notes=self.rules("rules.yaml", rules, "flavour_notes", "note", "id"),
            coordination=self.coordination(rules, coordination_doc),
            pitfalls=pitfalls,
            checklists=self.checklists(),
            robustness=robustness,
            scales=self.scales,
            policy=policy,
            checks=self.checks(),
        )

    def policy(self, robustness: Robustness | None = None) -> Policy:
        """data/policy.yaml, validated; the thresholds and tie order come from `robustness`
        (scoring.yaml, read here when not given)."""
        file = "policy.yaml"
        doc = self.doc(file)
        robustness = robustness or self.robustness()
        samples = self.get(file, doc, "samples", "", dict)
        default = self.get(file, samples, "default", "samples", int)
        if default < 0:
            raise self.fail(file, "samples.default", f"{default!r} must be a whole number ≥ 0")
        scale = self.get(file, doc, "fit_scale", "", dict)
        fit_range = tuple(float(self.get(file, scale, k, "fit_scale", (int, float))) for k in ("min", "max"))
        if fit_range != (-1.0, 1.0):
            raise self.fail(file, "fit_scale", f"{list(fit_range)}: the engine's fit runs from -1 to 1")
        low, high, step = self.policy_weights(file, doc)
        gap, many, shared_database = self.policy_estate(file, doc)
        undecided = self.get(file, doc, "undecided", "", dict)
        floor, coordination = self.policy_ask(file, doc)
        return Policy(
            default_samples=int(default),
            weight_range=(float(low), float(high)),
            weight_step=float(step),
            tie_epsilon=self.policy_epsilon(file, doc),
            fit_range=(fit_range[0], fit_range[1]),
            fit_label=self.text(file, scale, "label", "fit_scale"),
            mismatch_gap=float(gap),
            many_unanswered=int(many),
            ask_floor=float(floor),
            ask_coordination=float(coordination),
            wording=self.policy_wording(file, doc),
            conflict_ids=self.policy_conflict_ids(file, doc),
            shared_database_pitfall=shared_database,
            low_acceptability=robustness.low_acceptability,
            low_margin=robustness.low_margin,
            tie_break=robustness.tie_break,
            min_answers=self.policy_count(file, undecided, "min_answers"),
            undecided_ask=self.policy_count(file, undecided, "ask"),
        )

    def policy_weights(self, file: str, doc: Any) -> tuple[float, float, float]:
        weights = self.get(file, doc, "weights", "", dict)
        low, high, step = (self.get(file, weights, k, "weights", (int, float)) for k in ("min", "max", "step"))
        if not (math.isfinite(low) and math.isfinite(high) and 0 <= low < high):
            raise self.fail(file, "weights", f"min {low!r} and max {high!r} must be finite with 0 ≤ min < max")
        if not (math.isfinite(step) and 0 < step <= high - low):
            raise self.fail(file, "weights.step", f"{step!r} must be > 0 and fit in the range")
        return low, high, step

    def policy_epsilon(self, file: str, doc: Any) -> float:
        ties = self.get(file, doc, "ties", "", dict)
        epsilon = self.get(file, ties, "epsilon", "ties", (int, float))
        if not (math.isfinite(epsilon) and 0 <= epsilon < 0.01):
            raise self.fail(file, "ties.epsilon", f"{epsilon!r} must be in [0, 0.01)")
        if self.get(file, ties, "break_by", "ties", str) != "acceptability":
            raise self.fail(file, "ties.break_by", "only `acceptability` is supported")
        return float(epsilon)

    def policy_estate(self, file: str, doc: Any) -> tuple[float, int, str]:
        estate = self.get(file, doc, "estate", "", dict)
        gap = self.get(file, estate, "mismatch_gap", "estate", (int, float))
        if not (math.isfinite(gap) and 0 < gap <= 2):
            raise self.fail(file, "estate.mismatch_gap", f"{gap!r} must be in (0, 2]")
        many = self.get(file, estate, "many_unanswered", "estate", int)
        if many < 1:
            raise self.fail(file, "estate.many_unanswered", f"{many!r} must be a whole number ≥ 1")
        # checked against pitfalls.yaml's ids once the pitfalls are read (`model`)
        return float(gap), int(many), self.text(file, estate, "shared_database_pitfall", "estate")

    def policy_count(self, file: str, undecided: Any, key: str) -> int:
        value = self.get(file, undecided, key, "undecided", int)
        if not 1 <= value <= 18:
            raise self.fail(file, f"undecided.{key}", f"{value!r} must be a whole number from 1 to 18")
        return int(value)

    def policy_ask(self, file: str, doc: Any) -> tuple[float, float]:
        ask = self.get(file, doc, "ask", "", dict)
        floor, coordination = (self.get(file, ask, k, "ask", (int, float)) for k in ("floor", "coordination"))
        for key, value in (("floor", floor), ("coordination", coordination)):
            if not (math.isfinite(value) and 0 < value <= 1):
                raise self.fail(file, f"ask.{key}", f"{value!r} must be in (0, 1]")
        return float(floor), float(coordination)

    def policy_wording(self, file: str, doc: Any) -> dict[str, str]:
        wording_doc = self.get(file, doc, "wording", "", dict)
        wording = {key: self.text(file, wording_doc, key, "wording") for key in POLICY_WORDING}
        extra = set(wording_doc) - set(POLICY_WORDING)
        if extra:
            name = sorted(extra)[0]
            raise self.fail(file, f"wording.{name}", f"unknown text{did_you_mean(name, POLICY_WORDING)}")
        return wording

    def policy_conflict_ids(self, file: str, doc: Any) -> ConflictIds:
        ids = self.get(file, doc, "conflict_ids", "", dict)
        for key in ids:
            if key not in ("no_pattern", "unfit"):
                raise self.fail(
                    file, f"conflict_ids.{key}", f"unknown id{did_you_mean(str(key), ('no_pattern', 'unfit'))}"
                )
        found = ConflictIds(*(self.text(file, ids, k, "conflict_ids") for k in ("no_pattern", "unfit")))
        if found.no_pattern == found.unfit:
            raise self.fail(file, "conflict_ids", f"{found.no_pattern!r} is given twice: each id must differ")
        return found

    def checks(self) -> tuple[Check, ...]:
        file = "pitfalls.yaml"
        result = []
        seen: set[str] = set()
        for i, item in enumerate(self.doc(file).get("checks", []) or []):
            path = f"checks[{i}]"
            cid = self.text(file, item, "id", path)
            path = f"checks.{cid}"
            if cid in seen:
                raise self.fail(file, path, "appears twice")
            seen.add(cid)
            when = self.condition(file, item.get("when"), path)
            result.append(
                Check(
                    id=cid,
                    when=when,
                    question=self.text(file, item, "question", path),
                    why=self.text(file, item, "why", path),
                    sources=self.sources_of(file, item, path),
                    bridges=self.bridges(file, item, path, when),
                )
            )
        return tuple(result)

    def bridges(self, file: str, item: Any, path: str, when: Condition) -> tuple[str, ...]:
        """A bridge check's bridges: a non-empty list of texts, on a check that reads the recommended
        pattern and the counterpart's capability, with at least one source."""
        if "bridges" not in item:
            return ()
        bridges = item["bridges"]
        if not isinstance(bridges, list) or not bridges or not all(isinstance(b, str) and b.strip() for b in bridges):
            raise self.fail(file, f"{path}.bridges", f"{bridges!r} must be a non-empty list of texts")
        missing = sorted(BRIDGE_FIELDS - when.fields)
        if missing:
            raise self.fail(file, f"{path}.when", f"a bridge check must read {' and '.join(missing)}")
        if not item.get("sources"):
            raise self.fail(file, f"{path}.sources", "a bridge check needs at least one source id")
        return tuple(str(b) for b in bridges)

    def patterns(self) -> tuple[tuple[Pattern, ...], tuple[Dimension, ...], dict[str, dict[str, int]], Any]:
        file = "patterns.yaml"
        doc = self.doc(file)
        patterns = []
        for i, item in enumerate(self.get(file, doc, "patterns", "", list)):
            path = f"patterns[{i}]"
            patterns.append(
                Pattern(
                    key=self.text(file, item, "key", path),
                    label=self.text(file, item, "label", path),
                    short=self.text(file, item, "short", path, default=str(item.get("label", ""))),
                    summary=self.text(file, item, "summary", path),
                    use_when=tuple(item.get("use_when", [])),
                    avoid_when=tuple(item.get("avoid_when", [])),
                    sources=self.sources_of(file, item, path),
                )
            )
        keys = tuple(p.key for p in patterns)
        if keys != PATTERN_KEYS:
            raise self.fail(file, "patterns", f"keys {list(keys)}, expected {list(PATTERN_KEYS)}")
        dimensions = self.dimensions(file, self.get(file, doc, "dimensions", "", list), "dimensions")
        profiles = self.profiles(file, doc.get("profiles"), "profiles", keys, dimensions)
        return tuple(patterns), dimensions, profiles, self.get(file, doc, "coordination", "", dict)

    def dimensions(self, file: str, items: list[Any], path: str) -> tuple[Dimension, ...]:
        result = []
        for i, item in enumerate(items):
            where = f"{path}[{i}]"
            result.append(
                Dimension(
                    key=self.text(file, item, "key", where),
                    label=self.text(file, item, "label", where),
                    description=self.text(file, item, "description", where, default=""),
                    justification=self.text(file, item, "justification", where, default=""),
                    sources=self.sources_of(file, item, where),
                )
            )
        return tuple(result)

    def profiles(
        self, file: str, doc: Any, path: str, keys: tuple[str, ...], dims: tuple[Dimension, ...]
    ) -> dict[str, dict[str, int]]:
        if not isinstance(doc, dict) or set(doc) != set(keys):
            raise self.fail(file, path, f"needs exactly the keys {list(keys)}")
        result: dict[str, dict[str, int]] = {}
        for key in keys:
            row = doc[key]
            if not isinstance(row, dict) or set(row) != {d.key for d in dims}:
                raise self.fail(file, f"{path}.{key}", f"needs one score per dimension {[d.key for d in dims]}")
            for dim, score in row.items():
                if isinstance(score, bool) or score not in (1, 2, 3, 4, 5):
                    raise self.fail(file, f"{path}.{key}.{dim}", f"{score!r} is not a whole number 1–5")
            result[key] = {d.key: int(row[d.key]) for d in dims}
        return result

    def questions(
        self,
    ) -> tuple[tuple[tuple[str, str], ...], tuple[Question, ...], tuple[Question, ...], tuple[Question, ...]]:
        file = "characteristics.yaml"
        doc = self.doc(file)
        groups = tuple(
            (self.text(file, g, "key", f"groups[{i}]"), self.text(file, g, "label", f"groups[{i}]"))
            for i, g in enumerate(self.get(file, doc, "groups", "", list))
        )
        group_keys = [g[0] for g in groups]
        characteristics = self.question_list(file, doc, "characteristics", group_keys)
        sub_inputs = self.question_list(file, doc, "sub_inputs", group_keys)
        facts = self.question_list(file, doc, "design_facts", None)
        return groups, characteristics, sub_inputs, facts

    def question_list(
        self, file: str, doc: dict[str, Any], section: str, groups: list[str] | None
    ) -> tuple[Question, ...]:
        result = []
        seen: set[str] = set()
        for i, item in enumerate(self.get(file, doc, section, "", list)):
            path = f"{section}[{i}]"
            key = self.text(file, item, "key", path)
            path = f"{section}.{key}"
            if key in seen:
                raise self.fail(file, path, "appears twice")
            seen.add(key)
            try:
                scale = scale_from_data(item.get("scale"))
            except ValueError as exc:
                raise self.fail(file, f"{path}.scale", str(exc)) from None
            group = ""
            if groups is not None:
                group = self.text(file, item, "group", path)
                if group not in groups:
                    raise self.fail(file, f"{path}.group", f"unknown group {group!r}; allowed: {', '.join(groups)}")
            result.append(
                Question(
                    key=key,
                    label=self.text(file, item, "label", path),
                    question=self.text(file, item, "question", path),
                    help=self.text(file, item, "help", path, default=""),
                    scale=scale,
                    group=group,
                    value_labels=self.value_map(file, item.get("value_labels"), f"{path}.value_labels", scale),
                    phrases=self.value_map(file, item.get("phrases"), f"{path}.phrases", scale),
                    sources=self.sources_of(file, item, path),
                    examples=self.value_map(file, item.get("examples"), f"{path}.examples", scale),
                    not_meant=self.value_map(file, item.get("not"), f"{path}.not", scale),
                )
            )
        return tuple(result)

    def value_map(self, file: str, raw: Any, path: str, scale: Scale) -> dict[Any, str] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise self.fail(file, path, "must be a mapping of value to text")
        result: dict[Any, str] = {}
        for value, text in raw.items():
            key = self.scale_key(file, f"{path}.{value}", scale, value)
            if not isinstance(text, str):
                raise self.fail(file, f"{path}.{value}", f"{text!r} must be text")
            result[key] = text
        return result

    def scale_key(self, file: str, path: str, scale: Scale, value: Any) -> Any:
        """A mapping key in data/ as a canonical scale value (integer scales: bucket label)."""
        if scale.type == "integer":
            if str(value) not in scale.values:
                raise self.fail(file, path, f"unknown bucket {value!r}; allowed: {', '.join(scale.values)}")
            return str(value)
        if scale.type == "boolean" and isinstance(value, str):
            value = {"true": True, "false": False}.get(value.lower(), value)
        try:
            return scale.coerce(value)
        except ValueError as exc:
            raise self.fail(file, path, str(exc)) from None

    def field_scales(
        self, chars: tuple[Question, ...], subs: tuple[Question, ...], facts: tuple[Question, ...]
    ) -> dict[str, Scale]:
        pattern_scale = Scale("enum", PATTERN_KEYS)
        scales: dict[str, Scale] = {q.key: q.scale for q in chars}
        scales |= {f"stated.{q.key}": q.scale for q in chars}
        scales |= {f"sub.{q.key}": q.scale for q in subs}
        scales |= {f"proposed.{q.key}": q.scale for q in facts}
        scales["proposed.pattern"] = Scale("enum", PROPOSABLE)
        scales |= {"recommended": pattern_scale, "pattern": pattern_scale}
        scales["flavour"] = Scale("enum", FLAVOURS)
        scales["coordination"] = Scale("enum", STYLES)
        return scales

    def scoring(
        self, chars: tuple[Question, ...]
    ) -> tuple[Any, Any, dict[tuple[str, Any], tuple[str, ...]], Robustness]:
        file = "scoring.yaml"
        doc = self.doc(file)
        weights_doc = self.get(file, doc, "weights", "", dict)
        keys = [q.key for q in chars]
        unknown = set(weights_doc) - set(keys)
        if unknown:
            name = sorted(unknown)[0]
            raise self.fail(file, f"weights.{name}", f"unknown characteristic{did_you_mean(name, keys)}")
        weights = np.zeros(len(keys))
        for i, key in enumerate(keys):
            value = self.get(file, weights_doc, key, "weights", (int, float))
            if not math.isfinite(value) or value < 0:
                raise self.fail(file, f"weights.{key}", f"{value!r} must be a finite number ≥ 0")
            weights[i] = value
        fit = np.zeros((len(keys), max(q.scale.levels for q in chars), len(PATTERN_KEYS)))
        fit_sources: dict[tuple[str, Any], tuple[str, ...]] = {}
        fit_doc = self.get(file, doc, "fit", "", dict)
        for name, rows in fit_doc.items():
            if name not in keys:
                raise self.fail(file, f"fit.{name}", f"unknown characteristic{did_you_mean(name, keys)}")
            q = chars[keys.index(name)]
            if not isinstance(rows, dict):
                raise self.fail(file, f"fit.{name}", "must map values to fits")
            for value, cell in rows.items():
                path = f"fit.{name}.{value}"
                canonical = self.scale_key(file, path, q.scale, value)
                level = q.scale.values.index(canonical)
                if not isinstance(cell, dict):
                    raise self.fail(file, path, "must map patterns to fits")
                for pattern, score in cell.items():
                    if pattern == "sources":
                        continue
                    if pattern not in PATTERN_KEYS:
                        raise self.fail(
                            file, f"{path}.{pattern}", f"unknown pattern{did_you_mean(pattern, PATTERN_KEYS)}"
                        )
                    if isinstance(score, bool) or score not in (-2, -1, 0, 1, 2):
                        raise self.fail(file, f"{path}.{pattern}", f"{score!r} is not a fit in -2…+2")
                    fit[keys.index(name), level, PATTERN_KEYS.index(pattern)] = score
                fit_sources[(name, canonical)] = self.sources_of(file, cell, path)
        return weights, fit, fit_sources, self.robustness()

    def robustness(self) -> Robustness:
        """scoring.yaml's robustness section: SMAA's settings, the confidence thresholds, the tie order."""
        file = "scoring.yaml"
        rob = self.get(file, self.doc(file), "robustness", "", dict)
        low = self.get(file, rob, "low_confidence", "robustness", dict)
        tie = tuple(self.get(file, rob, "tie_break", "robustness", list))
        if sorted(tie) != sorted(PATTERN_KEYS):
            raise self.fail(file, "robustness.tie_break", f"{list(tie)} must order all four patterns")
        robustness = Robustness(
            kappa=float(self.positive(file, rob, "kappa", "robustness")),
            unsure_stay=float(self.get(file, rob, "unsure_stay", "robustness", (int, float))),
            low_acceptability=float(self.get(file, low, "acceptability", "robustness.low_confidence", (int, float))),
            low_margin=float(self.get(file, low, "margin", "robustness.low_confidence", (int, float))),
            tie_break=tie,
        )
        if not 0 <= robustness.unsure_stay < 1:
            raise self.fail(file, "robustness.unsure_stay", "must be in [0, 1)")
        return robustness

    def flag(self, file: str, mapping: Any, key: str, path: str, default: bool = True) -> bool:
        value = mapping.get(key, default) if isinstance(mapping, dict) else default
        if not isinstance(value, bool):
            raise self.fail(file, f"{path}.{key}", f"{value!r} must be true or false")
        return value

    def positive(self, file: str, mapping: Any, key: str, path: str) -> float:
        value = self.get(file, mapping, key, path, (int, float))
        if not math.isfinite(value) or value <= 0:
            raise self.fail(file, f"{path}.{key}", f"{value!r} must be a number > 0")
        return float(value)

    def knockouts(self, doc: dict[str, Any]) -> tuple[Knockout, ...]:
        file = "rules.yaml"
        result = []
        for i, item in enumerate(self.get(file, doc, "knockouts", "", list)):
            path = f"knockouts[{i}]"
            ko_id = self.text(file, item, "id", path)
            path = f"knockouts.{ko_id}"
            excludes = tuple(self.get(file, item, "excludes", path, list))
            for pattern in excludes:
                if pattern not in PATTERN_KEYS:
                    raise self.fail(
                        file, f"{path}.excludes", f"unknown pattern {pattern!r}{did_you_mean(pattern, PATTERN_KEYS)}"
                    )
            result.append(
                Knockout(
                    id=ko_id,
                    when=self.condition(file, item.get("when"), path),
                    excludes=excludes,
                    reason=self.text(file, item, "reason", path),
                    sources=self.sources_of(file, item, path),
                    flag=item.get("flag"),
                    flag_text=item.get("flag_text"),
                )
            )
        return tuple(result)

    def rules(self, file: str, doc: dict[str, Any], section: str, text_key: str, id_key: str) -> tuple[Rule, ...]:
        result = []
        for i, item in enumerate(self.get(file, doc, section, "", list)):
            path = f"{section}[{i}]"
            rule_id = self.text(file, item, id_key, path)
            path = f"{section}.{rule_id}"
            result.append(
                Rule(
                    id=rule_id,
                    when=self.condition(file, item.get("when"), path),
                    text=self.text(file, item, text_key, path),
                    fix=self.text(file, item, "fix", path, default=""),
                    score=int(item.get("score", 0)),
                    sources=self.sources_of(file, item, path),
                    conflict=self.flag(file, item, "conflict", path),
                )
            )
        return tuple(result)

    def flavours(self, doc: dict[str, Any]) -> tuple[Rule, ...]:
        rules = self.rules("rules.yaml", doc, "flavours", "reason", "flavour")
        for rule in rules:
            if rule.id not in FLAVOURS:
                raise self.fail("rules.yaml", f"flavours.{rule.id}", f"unknown flavour; allowed: {', '.join(FLAVOURS)}")
        if rules and rules[-1].when.spec not in (None, {}):
            raise self.fail("rules.yaml", "flavours", "the last rule must apply always (`when: {}`)")
        return rules

    def coordination(self, rules: dict[str, Any], profile_doc: dict[str, Any]) -> Coordination:
        file = "rules.yaml"
        doc = self.get(file, rules, "coordination", "", dict)
        styles = {}
        for i, item in enumerate(self.get("patterns.yaml", profile_doc, "styles", "coordination", list)):
            key = self.text("patterns.yaml", item, "key", f"coordination.styles[{i}]")
            styles[key] = {k: str(v) for k, v in item.items()}
        if tuple(styles) != STYLES:
            raise self.fail("patterns.yaml", "coordination.styles", f"expected {list(STYLES)}")
        dims = self.dimensions(
            "patterns.yaml",
            self.get("patterns.yaml", profile_doc, "dimensions", "coordination", list),
            "coordination.dimensions",
        )
        return Coordination(
            applies_when=self.condition(file, doc.get("applies_when"), "coordination.applies_when"),
            signals=self.rules(file, doc, "signals", "label", "id"),
            styles=styles,
            dimensions=dims,
            profiles=self.profiles("patterns.yaml", profile_doc.get("profiles"), "coordination.profiles", STYLES, dims),
            tie_text=self.text(file, doc, "tie_text", "coordination"),
            counter_view=self.text(file, doc, "counter_view", "coordination"),
            counter_view_sources=self.check_sources(
                file, "coordination.counter_view_sources", doc.get("counter_view_sources", [])
            ),
            hybrid_text=self.text(file, doc, "hybrid_text", "coordination"),
        )

    def pitfalls(self) -> tuple[Pitfall, ...]:
        file = "pitfalls.yaml"
        result = []
        for i, item in enumerate(self.get(file, self.doc(file), "pitfalls", "", list)):
            path = f"pitfalls[{i}]"
            pid = self.text(file, item, "id", path)
            path = f"pitfalls.{pid}"
            result.append(
                Pitfall(
                    id=pid,
                    title=self.text(file, item, "title", path),
                    when=self.condition(file, item["when"], path) if "when" in item else None,
                    message=self.text(file, item, "message", path),
                    fix=self.text(file, item, "fix", path),
                    sources=self.sources_of(file, item, path),
                )
            )
        return tuple(result)

    def checklists(self) -> dict[str, tuple[ChecklistItem, ...]]:
        file = "checklists.yaml"
        doc = self.get(file, self.doc(file), "checklists", "", dict)
        expected = (*PATTERN_KEYS, "choreography")
        if set(doc) != set(expected):
            raise self.fail(file, "checklists", f"needs exactly {list(expected)}")
        result = {}
        for key in expected:
            items = []
            for i, item in enumerate(doc[key]):
                path = f"checklists.{key}[{i}]"
                items.append(
                    ChecklistItem(
                        id=self.text(file, item, "id", path),
                        text=self.text(file, item, "text", path),
                        sources=self.sources_of(file, item, path),
                    )
                )
            result[key] = tuple(items)
        return result
