"""The parts of an `Assessment`, typed: each is the plain mapping `to_dict()` emits, so its keys
are the JSON contract (DESIGN.md) and mypy catches a renamed key between the engine and its
readers (cards, charts, records, estate, CLI).

Keys that are Python keywords (`if`, `from`, `with`) use TypedDict's call form.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

from patternfit.model.profile import ProfileSummary

State = Literal["settled", "open", "conflict"]
"""settled / open / conflict (see patternfit.engine.state for the definitions)."""


class Reason(TypedDict):
    """Why a knock-out rules a pattern out."""

    id: str
    reason: str
    sources: list[str]


Conditional = TypedDict("Conditional", {"id": str, "reason": str, "sources": list[str], "if": list[str]})
"""A knock-out resting only on answers marked unsure; `if` names those answers."""


class PitfallHit(TypedDict):
    """A pitfall the answers raise."""

    id: str
    title: str
    message: str
    fix: str
    sources: list[str]


class ChecklistItem(TypedDict):
    """One line of the recommended pattern's operational checklist."""

    id: str
    text: str
    sources: list[str]


class CheckHit(TypedDict):
    """A fact the answers leave unknown that the design must confirm."""

    id: str
    question: str
    why: str
    sources: list[str]
    bridges: list[str]


class Contradiction(TypedDict):
    """Answers that do not go together (or, `C-ALL`, that leave no pattern)."""

    id: str
    message: str
    fix: str
    sources: list[str]


class Tie(TypedDict):
    """The best fits tie: who, how the tie was broken, and whether any weighting could part them."""

    patterns: list[str]
    acceptability: dict[str, float]
    samples: int
    broken_by: Literal["order", "acceptability"]
    alike: bool


class ConflictItem(TypedDict):
    """Why the state is conflict: a contradiction, no pattern left (`none`), or the best fits ≤ 0."""

    kind: Literal["contradiction", "unfit", "none"]
    id: str
    message: str
    fix: str


AnswerChange = TypedDict(
    "AnswerChange",
    {
        "value": Any,
        "with": NotRequired[dict[str, Any]],
        "recommended": NotRequired[str | None],
        "coordination": NotRequired[str],
    },
)
"""What one value of a next question gives: a pattern (`recommended`) or a coordination style."""


class NextQuestion(TypedDict):
    """A question worth answering next, most valuable first."""

    key: str
    value_of_information: float
    unsure: bool
    changes: list[AnswerChange]


class Flip(TypedDict):
    """While open: a smallest set of answers found that changes the headline, and what it gives."""

    answers: dict[str, Any]
    recommended: str | None
    tie: bool
    messaging_flavour: str | None
    coordination: str | None
    text: str


class UndecidedDetail(TypedDict):
    """Too few answers speak, or the best fits tie (engine/undecided.py)."""

    reason: Literal["few_answers", "tie"]
    message: str
    speaking: int
    needed: int
    patterns: list[str]
    ask: list[str]


class Signal(TypedDict):
    """A coordination signal that fired."""

    id: str
    label: str
    score: int


class _Coordination(TypedDict):
    style: str | None
    score: int
    tie: bool
    signals: list[Signal]
    maps_to: str | None


class CoordinationDetail(_Coordination, total=False):
    """How the coordination style was chosen: the signals, their score, and the notes that apply
    (a class of its own for the optional keys: `NotRequired` is not read at run time under
    postponed annotations)."""

    note: str
    tie_text: str
    counter_view: str
    counter_view_sources: list[str]
    hybrid: str


class FlavourNote(TypedDict):
    """A note on the messaging flavour."""

    id: str
    note: str
    sources: list[str]


class FlavourDetail(TypedDict):
    """Why the messaging flavour: the first rule that holds, and the notes that apply."""

    flavour: str
    reason: str
    sources: list[str]
    notes: list[FlavourNote]


WeightHinge = TypedDict(
    "WeightHinge",
    {"key": str, "from": float, "to": float, "change": float, "winner": str, "within_range": bool},
)
"""The smallest single weight change that changes the winner."""

AnswerHinge = TypedDict(
    "AnswerHinge",
    {"key": str, "from": Any, "to": Any, "distance": int, "winner": str, "fit": float},
)
"""One answer whose change changes the winner."""

Resolution = TypedDict(
    "Resolution",
    {
        "key": str,
        "from": Any,
        "to": Any,
        "winner": str | None,
        "fit": float | None,
        "resolves": list[str],
        "remaining": list[str],
    },
)
"""In a conflict: what changing one answer the conflict rests on would give."""


class Hinges(TypedDict, total=False):
    """What the decision hinges on; empty without robustness samples unless in conflict."""

    weight: WeightHinge | None
    answers: list[AnswerHinge]
    resolutions: list[Resolution]


__all__ = [
    "AnswerChange",
    "AnswerHinge",
    "CheckHit",
    "ChecklistItem",
    "Conditional",
    "ConflictItem",
    "Contradiction",
    "CoordinationDetail",
    "FlavourDetail",
    "FlavourNote",
    "Flip",
    "Hinges",
    "NextQuestion",
    "PitfallHit",
    "ProfileSummary",
    "Reason",
    "Resolution",
    "Signal",
    "State",
    "Tie",
    "UndecidedDetail",
    "WeightHinge",
]
