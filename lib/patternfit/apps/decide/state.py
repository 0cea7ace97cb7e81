"""The decision dashboard's state, without widgets: what is answered, what is unsure, the
coordination inputs, what was asked for and proposed, the weights, the organisation profile in
force and the assessment of all that.

Widgets bind to it (they write through the setters and observe the traits to show them); the
workshop and calibrate dashboards observe it too::

    app.state.observe(callback, "assessment")   # called after every recomputation

Every setter checks the one value it is given (``coerce_answer``: the question's scale), so a
recomputation never re-reads widgets nor re-validates the whole connection as if it were a
file. Traits are replaced, never mutated in place, so every change notifies observers.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import traitlets as t

from patternfit.apps.decide.files import ProfileRead
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.errors import InputError, PatternfitError
from patternfit.model.catalog import PROPOSABLE, Model
from patternfit.model.connection import UNNAMED, Connection, coerce_answer, parse_connection
from patternfit.model.profile import profile_summary

SUB_PREFIX = "sub."


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a visitor typed or chose for one connection, as the state holds it (the weights
    included, the profile not: it belongs to the page)."""

    name: str = ""
    description: str = ""
    source: str = ""
    target: str = ""
    answers: Mapping[str, Any] = field(default_factory=dict)
    unsure: tuple[str, ...] = ()
    sub: Mapping[str, Any] = field(default_factory=dict)
    stated: Mapping[str, Any] = field(default_factory=dict)
    proposed: Mapping[str, Any] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)

    @property
    def blank(self) -> bool:
        """Nothing typed nor answered (the weights aside)."""
        return not (
            self.name.strip() or self.description.strip() or self.source.strip() or self.target.strip()
            or self.answers or self.sub or self.stated or self.proposed
        )  # fmt: skip


def several_steps(answers: Mapping[str, Any]) -> bool:
    """The orchestration-vs-choreography questions apply from two coordinated steps on."""
    steps = answers.get("coordinated_steps")
    return isinstance(steps, int) and not isinstance(steps, bool) and steps >= 2


@functools.lru_cache(maxsize=8)
def sub_unsure_supported(model: Model) -> bool:
    """Whether the engine takes ``sub.<key>`` in ``unsure`` (issue 12 item 8)."""
    sub = model.sub_inputs[0] if model.sub_inputs else None
    if sub is None:
        return False
    data = {
        "characteristics": {"coordinated_steps": 3},
        "sub": {sub.key: sub.scale.values[0] if sub.scale.values else 1},
        "unsure": [SUB_PREFIX + sub.key],
    }
    try:
        parse_connection(data, model, where="probe")
    except InputError:
        return False
    return True


class DecisionState(t.HasTraits):
    """What the decide page shows, as plain values. `assessment` is None while nothing is
    answered; `error` holds the message of the last failed recomputation ('' when it worked)."""

    model = t.Instance(Model)  # the model in force (a profiled copy while a profile is)
    name = t.Unicode("")
    description = t.Unicode("")
    source = t.Unicode("")
    target = t.Unicode("")
    answers = t.Dict()
    unsure = t.List(t.Unicode())
    sub = t.Dict()
    stated = t.Dict()
    proposed = t.Dict()
    weights = t.Dict()
    profile = t.Any(None, allow_none=True)  # the profile's identity (name, version …)
    assessment = t.Instance(Assessment, allow_none=True)
    revision = t.Int(0)  # counts recomputations that produced a (new) assessment
    error = t.Unicode("")

    def __init__(self, model: Model, *, samples: int = 2000, seed: int = 0) -> None:
        super().__init__(model=model, weights=model.default_weights())
        self.samples = samples
        self.seed = seed
        self.profile_key = ""  # identity of the profile definition, for the recomputation cache
        self._key: Any = None
        self._hold = 0
        self._told = -1
        self.profile_read: ProfileRead | None = None  # the organisation profile in force, as checked
        self.kept: Snapshot | None = None  # the connection as last loaded or kept (None: typed)
        self.started_blank = False  # started as a new, blank connection and nothing answered since

    # -- what is typed and kept nowhere else ----------------------------------------------
    def mark_kept(self) -> None:
        """What is on screen now is kept elsewhere (an example, a file, a workshop entry)."""
        self.kept = self.snapshot()

    def unsaved(self) -> bool:
        """Whether answers or text were typed that are kept nowhere else."""
        now = self.snapshot()
        return now != self.kept and not (now.blank and self.kept is None)

    # -- setters: each checks one value -------------------------------------------------
    def set_answer(self, key: str, value: Any, *, unsure: bool | None = None) -> None:
        """Answer a characteristic or a coordination input (None: not answered)."""
        m = self.model
        with self.held():
            if key in m.keys:
                self.answers = _put(self.answers, key, self._coerce(key, value, "characteristics"))
                flag = key
            elif key in {q.key for q in m.sub_inputs}:
                self.sub = _put(self.sub, key, self._coerce(key, value, "sub"))
                flag = SUB_PREFIX + key
            else:
                raise KeyError(key)
            if unsure is not None or value is None:
                self.set_unsure(flag, bool(unsure) and value is not None)
        self.recompute()

    def set_unsure(self, key: str, unsure: bool) -> None:
        """Mark an answer (``key`` or ``sub.<key>``) as one the team is not sure of."""
        now = [k for k in self.unsure if k != key] + ([key] if unsure else [])
        if now != list(self.unsure):
            self.unsure = now
            self.recompute()

    def set_stated(self, key: str, value: Any) -> None:
        """What was asked for (None clears it)."""
        if key not in self.model.keys:
            raise KeyError(key)
        self.stated = _put(self.stated, key, self._coerce(key, value, "stated"))
        self.recompute()

    def set_proposed(self, key: str, value: Any) -> None:
        """What was proposed: ``pattern`` or a design fact (None clears it)."""
        if key == "pattern":
            if value is not None and value not in PROPOSABLE:
                raise InputError("dashboard: proposed.pattern", f"unknown pattern {value!r}", ", ".join(PROPOSABLE))
            checked = value
        elif key in {q.key for q in self.model.design_facts}:
            checked = self._coerce(key, value, "proposed")
        else:
            raise KeyError(key)
        self.proposed = _put(self.proposed, key, checked)
        self.recompute()

    def set_weight(self, key: str, value: float) -> None:
        if key not in self.weights:
            raise KeyError(key)
        self.weights = {**self.weights, key: float(value)}
        self.recompute()

    def set_weights(self, weights: Mapping[str, float]) -> None:
        self.weights = {**self.weights, **{k: float(v) for k, v in weights.items() if k in self.weights}}
        self.recompute()

    def set_text(self, **fields: str) -> None:
        """name, description, source, target: the numbers stand, only the names change."""
        with self.hold_trait_notifications():
            for key, value in fields.items():
                if key not in ("name", "description", "source", "target"):
                    raise KeyError(key)
                setattr(self, key, str(value))
        self.recompute()

    def use_model(self, model: Model, profile: Mapping[str, Any] | None, profile_key: str) -> None:
        """Put a (profiled) model in force: the weights become its defaults."""
        self.model = model
        self.profile_key = profile_key
        self.profile = dict(profile) if profile else None
        self.weights = model.default_weights()
        self.recompute()

    def use_profile(self, read: ProfileRead | None, reference: Model) -> None:
        """Put a checked organisation profile in force (None: the `reference` model)."""
        self.profile_read = read
        if read is None:
            self.use_model(reference, None, "")
        else:
            self.use_model(read.model, read.info, read.key)

    @property
    def definition(self) -> dict[str, Any] | None:
        """The profile in force as loaded (None: the reference model)."""
        return self.profile_read.definition if self.profile_read is not None else None

    def apply(self, c: Connection, *, weights: Mapping[str, float] | None = None) -> None:
        """Show a whole connection (an example, an uploaded file or record) at once."""
        with self.held():
            self.name, self.description, self.source, self.target = c.name, c.description, c.source, c.target
            self.answers = dict(c.characteristics)
            self.sub = dict(c.sub)
            self.stated = dict(c.stated)
            self.proposed = dict(c.proposed)
            self.unsure = list(c.unsure)
            self.weights = {**self.model.default_weights(), **{k: float(v) for k, v in (weights or {}).items()}}
        self.recompute()

    def snapshot(self) -> Snapshot:
        """What is typed and chosen now, as one value (equal snapshots: nothing changed)."""
        return Snapshot(
            self.name, self.description, self.source, self.target, dict(self.answers), tuple(self.unsure),
            dict(self.sub), dict(self.stated), dict(self.proposed), dict(self.weights),
        )  # fmt: skip

    def put(self, snap: Snapshot) -> None:
        """Show a snapshot taken earlier (of this model: its values were checked when typed)."""
        with self.held():
            self.name, self.description = snap.name, snap.description
            self.source, self.target = snap.source, snap.target
            self.answers, self.unsure, self.sub = dict(snap.answers), list(snap.unsure), dict(snap.sub)
            self.stated, self.proposed = dict(snap.stated), dict(snap.proposed)
            self.weights = {**self.model.default_weights(), **{k: float(v) for k, v in snap.weights.items()}}
        self.recompute()

    # -- the connection and its assessment ------------------------------------------------
    def connection(self) -> Connection:
        """The connection the state describes (already checked value by value)."""
        several = several_steps(self.answers)
        sub_ok = several and sub_unsure_supported(self.model)
        unsure = tuple(
            k
            for k in self.unsure
            if k in self.answers or (sub_ok and k.startswith(SUB_PREFIX) and k[len(SUB_PREFIX) :] in self.sub)
        )
        return Connection(
            name=self.name.strip() or UNNAMED,
            description=self.description.strip(),
            source=self.source.strip(),
            target=self.target.strip(),
            characteristics=dict(self.answers),
            sub=dict(self.sub) if several else {},
            stated=dict(self.stated),
            proposed=dict(self.proposed),
            unsure=unsure,
        )

    def connection_dict(self) -> dict[str, Any]:
        """The connection-file form of the state."""
        return self.connection().to_dict() | {
            "description": self.description.strip(),
            "source": self.source.strip(),
            "target": self.target.strip(),
        }

    def recompute(self) -> Assessment | None:
        """Assess again when an input the numbers depend on changed; a change of names only
        replaces the connection in the assessment. Observers of `assessment` are told."""
        if self._hold:
            return self.assessment
        c = self.connection()
        key = self.cache_key(c)
        try:
            if not c.characteristics:
                fresh: Assessment | None = None
            elif key != self._key or self.assessment is None:
                fresh = assess_connection(
                    c, weights=self.weights, samples=self.samples, seed=self.seed, model=self.model
                )
                if self.profile:
                    fresh = dataclasses.replace(fresh, profile=profile_summary(self.profile))
            else:
                fresh = dataclasses.replace(self.assessment, connection=c)
        except PatternfitError as exc:
            self.error = exc.message
            return self.assessment
        self._key = key
        self.error = ""
        self.revision += 1
        # the revision first: observers of `assessment` see the number that goes with it;
        # they are told even when the new assessment equals the old one
        old = self.assessment
        self.assessment = fresh
        if self._told != self.revision:
            self.notify_change(t.Bunch(name="assessment", old=old, new=fresh, owner=self, type="change"))
        return fresh

    @t.observe("assessment")
    def _assessment_told(self, _change: Any) -> None:
        self._told = self.revision

    def cache_key(self, c: Connection) -> Any:
        return (
            tuple(sorted(c.characteristics.items())),
            tuple(sorted(c.sub.items())),
            tuple(sorted(c.stated.items())),
            tuple(sorted(c.proposed.items())),
            c.unsure,
            tuple(sorted(self.weights.items())),
            self.profile_key,
        )

    def held(self) -> _Held:
        """``with state.held():`` several changes, one recomputation (by the caller) after."""
        return _Held(self)

    def _coerce(self, key: str, value: Any, section: str) -> Any:
        if value is None:
            return None
        return coerce_answer(self.model.question(key), value, f"dashboard: {section}.{key}")


class _Held:
    def __init__(self, state: DecisionState) -> None:
        self.state = state

    def __enter__(self) -> DecisionState:
        self.state._hold += 1
        return self.state

    def __exit__(self, *_: Any) -> None:
        self.state._hold -= 1


def _put(target: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of `target` with `key` set (None: removed), so the trait sees a new value."""
    out = {k: v for k, v in target.items() if k != key}
    if value is not None:
        out[key] = value
    return out
