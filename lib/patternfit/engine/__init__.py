"""Scoring a connection: the vectorised kernel, rules, robustness, weights, and `assess`.

The typed parts of an `Assessment` (engine/results.py) are its face: each is the mapping its JSON
carries."""

from patternfit.engine.results import (
    AnswerChange,
    AnswerHinge,
    CheckHit,
    ChecklistItem,
    Conditional,
    ConflictItem,
    Contradiction,
    CoordinationDetail,
    FlavourDetail,
    FlavourNote,
    Flip,
    Hinges,
    NextQuestion,
    PitfallHit,
    ProfileSummary,
    Reason,
    Resolution,
    Signal,
    State,
    Tie,
    UndecidedDetail,
    WeightHinge,
)

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
