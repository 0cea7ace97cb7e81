"""How sure is the recommendation? SMAA-2 over the weights and the answers marked unsure.

Weights are sampled from a Dirichlet distribution centred on the current weights
(concentration κ from data/scoring.yaml); each "unsure" answer keeps its value with
probability `unsure_stay` and otherwise moves to a neighbouring level (ordered scales) or any
other value (unordered). Knocked-out patterns rank last in every sample. Definitions follow
Lahdelma & Salminen (2001) and the R package smaa (S1, S2, S3).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from patternfit.engine import kernel, rules, whatif
from patternfit.engine.results import AnswerHinge, WeightHinge
from patternfit.model.catalog import STYLES, Model
from patternfit.model.conditions import Frame

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Robustness:
    """SMAA results: rank acceptability, central weights, confidence, pairwise winning."""

    samples: int
    seed: int
    kappa: float
    unsure: tuple[str, ...]
    rank_acceptability: dict[str, list[float]]
    central_weights: dict[str, dict[str, float] | None]
    confidence: dict[str, float | None]
    pairwise: dict[str, dict[str, float]]
    coordination: dict[str, float] | None = None  # share of samples per style (and "tie"), when it applies

    @property
    def acceptability(self) -> dict[str, float]:
        return {p: ranks[0] for p, ranks in self.rank_acceptability.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "seed": self.seed,
            "kappa": self.kappa,
            "unsure": list(self.unsure),
            "rank_acceptability": self.rank_acceptability,
            "central_weights": self.central_weights,
            "confidence": self.confidence,
            "pairwise": self.pairwise,
            "coordination": self.coordination,
        }


def smaa(
    codes: kernel.Codes,
    frame: Frame,
    weights: Floats,
    unsure: tuple[str, ...],
    model: Model,
    *,
    samples: int,
    seed: int,
    ruled_out: npt.NDArray[np.bool_] | None = None,
) -> Robustness:
    """SMAA-2 for one connection (`codes` and `frame` of one row).

    `ruled_out` (one row × patterns) marks the patterns ruled out whatever the unsure answers
    are: they rank last in every sample. Other knock-outs are evaluated per sample, so a
    knock-out resting on an unsure answer rules out only in the samples where it holds. Exact
    ties within a sample are broken at random (never by the order of the patterns), so two
    patterns that always tie share the first rank."""
    rng = np.random.default_rng(seed)
    columns = [model.keys.index(k) for k in unsure if k in model.keys]
    subs = [k for k in unsure if k.startswith("sub.")]
    sampled_codes = np.repeat(codes, samples, axis=0) if columns else codes
    for c in columns:
        sampled_codes[:, c] = _perturb(
            int(codes[0, c]), model.characteristics[c].scale, samples, model.robustness.unsure_stay, rng
        )
    sample_frame = None
    if columns or subs:
        sample_frame = kernel.frame_from_codes(np.repeat(codes, samples, axis=0) if not columns else sampled_codes,
                                               frame, model)  # fmt: skip
        for name in subs:
            level = int(frame.code(name)[0])
            sample_frame.codes[name] = _perturb(level, model.scales[name], samples, model.robustness.unsure_stay, rng)
    if columns:
        assert sample_frame is not None
        knocked, _ = kernel.knockouts(sample_frame, model)
    else:
        knocked = np.repeat(kernel.knockouts(frame, model)[0], samples, axis=0)
    if ruled_out is not None:
        knocked = knocked | ruled_out
    answered = np.asarray((sampled_codes >= 0).any(axis=0), bool)
    w = sample_weights(weights, answered, model.robustness.kappa, samples, rng)
    # with fixed answers one fit matrix serves every weight sample
    values = kernel.numerators(sampled_codes, w, model) if columns else w @ kernel.fits(codes, model)[0]
    values = np.where(knocked, np.nan, values)
    rank = random_ranks(values, rng)
    patterns = model.pattern_keys
    n = len(patterns)
    acceptability = {p: [float(np.mean(rank[:, i] == r)) for r in range(n)] for i, p in enumerate(patterns)}
    central: dict[str, dict[str, float] | None] = {}
    confidence: dict[str, float | None] = {}
    for i, p in enumerate(patterns):
        first = rank[:, i] == 0
        if not first.any():
            central[p], confidence[p] = None, None
            continue
        centre = w[first].mean(axis=0)
        central[p] = {k: round(float(v), 4) for k, v in zip(model.keys, centre, strict=True)}
        if columns:
            at_centre = np.where(knocked, np.nan, kernel.numerators(sampled_codes, centre, model))
            confidence[p] = float(np.mean(kernel.winners(at_centre, model) == i))
        else:
            confidence[p] = None
    pairwise = {
        p: {q: float(np.mean(rank[:, i] < rank[:, j])) for j, q in enumerate(patterns) if j != i}
        for i, p in enumerate(patterns)
    }
    coordination = None
    if sample_frame is not None and bool(model.coordination.applies_when(frame)[0]):
        styles = rules.coordination(sample_frame, model)[0]
        coordination = {s: float(np.mean(styles == k)) for k, s in enumerate(STYLES)}
        coordination["tie"] = float(np.mean(styles < 0))
    return Robustness(
        samples, seed, model.robustness.kappa, unsure, acceptability, central, confidence, pairwise, coordination
    )


def random_ranks(values: Floats, rng: np.random.Generator) -> npt.NDArray[np.intp]:
    """rows × patterns rank (0 = first): higher scores first, knocked-out (NaN) last, exact ties
    in random order. Counted pairwise (a handful of patterns): rank = how many beat it."""
    filled = np.nan_to_num(values, nan=-np.inf)
    noise = rng.random(values.shape)
    n = values.shape[1]
    rank = np.zeros(values.shape, np.intp)
    for i in range(n):
        for j in range(n):
            if i != j:
                level = filled[:, j] == filled[:, i]
                rank[:, i] += (filled[:, j] > filled[:, i]) | (level & (noise[:, j] > noise[:, i]))
    return rank


def sample_weights(
    weights: Floats, answered: npt.NDArray[np.bool_], kappa: float, samples: int, rng: np.random.Generator
) -> Floats:
    """Dirichlet(κ·w/Σw) samples over the answered, positively weighted characteristics,
    scaled to the same total as `weights` (so central weights read on the user's scale)."""
    active = answered & (weights > 0)
    out = np.zeros((samples, weights.size))
    if not active.any():
        return out
    total = weights[active].sum()
    alpha = kappa * weights[active] / total
    # Dirichlet via normalised gammas: the same distribution as rng.dirichlet, several times
    # faster for the small concentrations used here
    gammas = _standard_gammas(alpha, samples, rng)
    sums = gammas.sum(axis=1, keepdims=True)
    out[:, active] = gammas / np.where(sums > 0, sums, 1.0) * total
    return out


_GAMMAS: OrderedDict[tuple[Any, ...], tuple[Floats, Mapping[str, Any]]] = OrderedDict()
_GAMMAS_LOCK = threading.Lock()
GAMMA_CACHE = 8  # draws kept: a dashboard re-assesses with the same weights on every answer


def _standard_gammas(alpha: Floats, samples: int, rng: np.random.Generator) -> Floats:
    """``rng.standard_gamma(alpha, size=(samples, len(alpha)))``, remembered: the same generator
    state, shapes and sample count give the same draws, so a repeat (another answer with the
    same weights and the same questions answered) takes them, and the generator's state after
    them, from the cache instead of drawing again. The results are bit for bit the same."""
    state = rng.bit_generator.state
    inner = state.get("state")
    if not isinstance(inner, dict):  # not PCG64-like: nothing cheap to key on
        return rng.standard_gamma(alpha, size=(samples, alpha.size))
    key = (state.get("bit_generator"), inner.get("state"), inner.get("inc"), state.get("has_uint32"),
           state.get("uinteger"), samples, alpha.tobytes())  # fmt: skip
    with _GAMMAS_LOCK:
        hit = _GAMMAS.get(key)
        if hit is not None:
            _GAMMAS.move_to_end(key)
    if hit is not None:
        rng.bit_generator.state = hit[1]
        return hit[0]
    gammas = rng.standard_gamma(alpha, size=(samples, alpha.size))
    gammas.setflags(write=False)
    with _GAMMAS_LOCK:
        _GAMMAS[key] = (gammas, rng.bit_generator.state)
        while len(_GAMMAS) > GAMMA_CACHE:
            _GAMMAS.popitem(last=False)
    return gammas


def _perturb(level: int, scale: Any, samples: int, stay: float, rng: np.random.Generator) -> kernel.Codes:
    levels = scale.levels
    u = rng.random(samples)
    if scale.ordered:
        step = np.where(u < stay + (1 - stay) / 2, -1, 1)
        step = np.where(level + step < 0, 1, np.where(level + step >= levels, -1, step))
        moved = level + step
    else:
        other = rng.integers(0, levels - 1, samples)
        moved = other + (other >= level)
    return np.where(u < stay, level, moved).astype(np.int16)


def weight_hinge(
    codes: kernel.Codes, weights: Floats, knocked: npt.NDArray[np.bool_], model: Model
) -> WeightHinge | None:
    """The smallest change of one weight that changes the winner (exact: scores are linear in
    each weight and the normaliser is common to all patterns). A change that keeps the weight
    within the policy's slider range is preferred; `within_range` says whether one exists."""
    fit = kernel.fits(codes, model)[0]  # characteristics × patterns
    base = np.where(knocked[0], np.nan, (fit * weights[:, None]).sum(axis=0))
    winner: int = int(kernel.winners(base[None, :], model)[0])
    if winner < 0:
        return None
    low, high = model.policy.weight_range
    candidates: list[tuple[bool, float, int, float, int]] = []
    for c in map(int, np.flatnonzero(codes[0] >= 0)):
        for p in range(len(model.pattern_keys)):
            gap = fit[c, p] - fit[c, winner]
            if p == winner or knocked[0, p] or gap == 0:
                continue
            threshold = weights[c] + (base[winner] - base[p]) / gap
            if threshold < 0 or not np.isfinite(threshold):
                continue
            outside = not (low <= threshold <= high)
            candidates.append((outside, float(abs(threshold - weights[c])), c, float(threshold), p))
    for outside, _, key, threshold, _ in sorted(candidates):
        nudged = _flip_value(codes, weights, knocked, model, key, threshold, winner)
        if nudged is None:
            continue
        new_winner = int(kernel.winners(_rescore(codes, weights, knocked, model, key, nudged), model)[0])
        return {
            "key": model.keys[key],
            "from": float(weights[key]),
            "to": round(nudged, 3),
            "change": round(nudged - float(weights[key]), 3),
            "winner": model.pattern_keys[new_winner],
            "within_range": not outside and low <= nudged <= high,
        }
    return None


def _rescore(codes: kernel.Codes, weights: Floats, knocked: Any, model: Model, c: int, value: float) -> Floats:
    changed = weights.copy()
    changed[c] = value
    return np.where(knocked, np.nan, kernel.numerators(codes, changed, model))


def _flip_value(
    codes: kernel.Codes, weights: Floats, knocked: Any, model: Model, c: int, threshold: float, winner: int
) -> float | None:
    """A round weight just past the threshold that really flips the winner, if there is one."""
    direction = 1.0 if threshold >= weights[c] else -1.0
    for step in (0.0, 0.001, 0.01, 0.05):
        candidate = max(0.0, round(threshold + direction * step, 3))
        if int(kernel.winners(_rescore(codes, weights, knocked, model, c, candidate), model)[0]) != winner:
            return candidate
    return None


def answer_hinges(
    codes: kernel.Codes,
    frame: Frame,
    weights: Floats,
    model: Model,
    unsure: tuple[str, ...],
    limit: int = 5,
    *,
    winner: int | None = None,
) -> list[AnswerHinge]:
    """Single answer changes that change the winner, smallest first (one level before two;
    answers marked unsure before others). The changed answer counts as given; knock-outs that
    rest on the other unsure answers alone stay conditional (see whatif). `winner` is the
    current winner (default: the best score, ties to the simpler pattern)."""
    variants: list[tuple[int, int]] = []
    for c, question in enumerate(model.characteristics):
        current = int(codes[0, c])
        for level in range(question.scale.levels):
            if level != current:
                variants.append((c, level))
    if not variants:
        return []
    rows = np.repeat(codes, len(variants), axis=0)
    keep = np.empty(len(variants), np.intp)
    for r, (c, level) in enumerate(variants):
        rows[r, c] = level
        keep[r] = c
    variant_frame = kernel.frame_from_codes(rows, frame, model)
    connection_unsure = [model.keys.index(k) for k in unsure if k in model.keys]
    subs = [k for k in unsure if k.startswith("sub.")]
    _, firm = whatif.firm_fired(rows, variant_frame, model, connection_unsure, subs, keep)
    knocked = whatif.excluded(firm, model)
    if winner is None:
        _, base_firm = whatif.firm_fired(codes, frame, model, connection_unsure, subs)
        base_knocked = whatif.excluded(base_firm, model)
        winner = int(kernel.winners(kernel.scores(codes, weights, base_knocked, model), model)[0])
    values = kernel.scores(rows, weights, knocked, model)
    new = kernel.winners(values, model)
    found = []
    for r, (c, level) in enumerate(variants):
        if new[r] == winner or new[r] < 0:
            continue
        question = model.characteristics[c]
        current = int(codes[0, c])
        distance = abs(level - current) if current >= 0 and question.scale.ordered else 1
        found.append((distance, question.key not in unsure, c, level, int(new[r]), float(values[r, new[r]])))
    found.sort()
    result: list[AnswerHinge] = []
    for distance, _, c, level, w, fit in found[:limit]:
        question = model.characteristics[c]
        current = int(codes[0, c])
        result.append(
            {
                "key": question.key,
                "from": None if current < 0 else _value(question, current, frame),
                "to": _value(question, level, None),
                "distance": distance,
                "winner": model.pattern_keys[w],
                "fit": round(fit, 4),
            }
        )
    return result


def _value(question: Any, level: int, frame: Frame | None) -> Any:
    scale = question.scale
    if scale.type == "integer":
        if frame is not None and not np.isnan(frame.number(question.key)[0]):
            return int(frame.number(question.key)[0])
        return scale.values[level]
    return scale.values[level]
