"""`assess_table`: the scoring kernel of `assess`, run over a whole inventory at once.

The table is coded column by column (`estate_encode`), then scored in chunks of rows with the
very functions `assess` calls — `kernel.knockouts`, `kernel.scores`, `kernel.winners`,
`rules.coordination`, `rules.add_results`, `rules.pitfalls` — so a row's recommendation and
scores equal those of `assess` on the same connection wherever a pattern is decided (a
property test checks it). An undecided row (`engine.undecided`: too few answers speak, or the
best fits tie) has no `recommended` pattern, runner-up or margin: `undecided` is true,
`undecided_reason` says why and `what_to_ask` names the questions that would separate the
contenders (catalog labels) — the same verdict `assess` gives in `Assessment.undecided`. Its
flavour, pitfalls and checks are found with no pattern recommended. Text columns (knock-outs,
pitfalls, checks, reasons) are built per distinct combination, never per row.

Scores are kept unrounded; `assess` rounds them to 4 decimals for display, so compare with
`round(score, 4)`. Rows with an unreadable cell get no results, only their `error` text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from patternfit import settings
from patternfit.engine import kernel, rules
from patternfit.engine.undecided import NOTHING_OPEN, ask_table, reason_text, undecided
from patternfit.engine.weights import Weights, resolve_weights
from patternfit.errors import InputError
from patternfit.estate.encode import Encoded, encode_table, row_errors
from patternfit.model.catalog import FLAVOURS, STYLES, Model, load_model
from patternfit.model.conditions import Frame
from patternfit.model.profile import Profile, apply_profile

CHUNK = 1 << 16  # rows scored at a time: bounded memory, a progress step per chunk
Progress = Callable[[float, str], None]
Floats = npt.NDArray[np.float64]


def assess_table(
    frame: pd.DataFrame,
    *,
    weights: Weights | Mapping[str, Any] | str | Path | None = None,
    profile: Profile | Mapping[str, Any] | str | Path | None = None,
    samples: int = 0,
    seed: int = 0,
    model: Model | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Assess every row of `frame` (columns: catalog keys, optionally `current_pattern`, …).

    Returns one row of results per input row, same index and order: `recommended`,
    `score_<pattern>` for each pattern (NaN when knocked out), `margin`, `runner_up`,
    `knocked_out`, `knockouts`, `coordination`, `messaging_flavour`, `pitfalls`, `checks`
    (ids of the checks that fire, e.g. a bridge the counterpart needs), `unanswered`,
    `low_confidence`, `undecided`, `undecided_reason`, `what_to_ask` and `error` ('' when the
    row was readable). `samples > 0`
    adds `acceptability` (SMAA first-rank acceptability of the recommendation): one `smaa`
    call per row, measured at about 3 ms a row for 2,000 samples on the 2-core machine
    (against ~0.002 ms a row without), so use it on hundreds or thousands of rows, not millions.
    Raises InputError for a misspelt column or bad weights/profile. (Repeated ids are an
    inventory-file error, raised by `read_inventory`.)
    """
    model, w = prepare(model, weights, profile)
    encoded = encode_table(frame, model)
    return score(encoded, w, model, samples=samples, seed=seed, progress=progress)


def prepare(
    model: Model | None,
    weights: Weights | Mapping[str, Any] | str | Path | None,
    profile: Profile | Mapping[str, Any] | str | Path | None,
) -> tuple[Model, Floats]:
    """The model (with the profile applied) and the weight vector, as `assess` resolves them."""
    model = model or load_model()
    if profile is not None:
        model, _ = apply_profile(profile, model)
    return model, resolve_weights(weights, model)


def score(
    encoded: Encoded,
    w: Floats,
    model: Model,
    *,
    samples: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Results for an encoded table (see `assess_table`)."""
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 0:
        raise InputError("samples", f"{samples!r} must be a whole number ≥ 0", "e.g. 2000; 0 skips robustness")
    n = encoded.rows
    out = _Outputs(n, len(model.pattern_keys))
    starts = range(0, n, CHUNK)
    threads = settings.threads()
    if len(starts) > 1 and threads > 1:
        # numpy releases the GIL in the heavy loops, so chunks scored side by side use both
        # cores; every chunk has its own Frame and writes its own rows of `out`
        _ = (model.keys, model.pattern_keys)  # fill the cached properties before the threads
        with ThreadPoolExecutor(threads) as pool:
            jobs = [
                pool.submit(_score_chunk, _slice(encoded.frame, s, min(n, s + CHUNK)), w, model, out, s) for s in starts
            ]
            for done, job in enumerate(as_completed(jobs), start=1):
                job.result()
                if progress is not None:
                    progress(done / len(jobs), "scoring")
    else:
        for start in starts:
            stop = min(n, start + CHUNK)
            _score_chunk(_slice(encoded.frame, start, stop), w, model, out, start)
            if progress is not None:
                progress(stop / n, "scoring")
    good = ~encoded.bad
    result = _assemble(out, good, model, encoded, w)
    if samples > 0:
        result["acceptability"] = _acceptability(encoded, w, model, result, good, samples, seed)
        low_accept = result["acceptability"] < model.robustness.low_acceptability
        result["low_confidence"] = result["low_confidence"] | low_accept.fillna(False).to_numpy(bool)
    return result


class _Outputs:
    """Preallocated per-row results, filled chunk by chunk."""

    def __init__(self, n: int, p: int) -> None:
        self.values = np.full((n, p), np.nan)
        self.winner = np.full(n, -1, np.int8)
        self.runner = np.full(n, -1, np.int8)  # the second in the ranking
        self.knocked = np.zeros(n, np.int64)  # bit i: pattern i knocked out
        self.fired = np.zeros(n, np.int64)  # bit k: knock-out k fired
        self.pitfalls = np.zeros(n, np.int64)  # bit k: pitfall k fired
        self.style = np.full(n, -1, np.int8)
        self.flavour = np.full(n, -1, np.int8)
        self.unanswered = np.zeros(n, np.int16)
        self.checks = np.zeros(n, np.int64)  # bit k: check k fired
        self.reason = np.zeros(n, np.int8)  # engine.undecided reason code (0: decided)
        self.speaking = np.zeros(n, np.int16)
        self.contenders = np.zeros(n, np.int64)  # bit i: pattern i contends (undecided rows)


def _slice(frame: Frame, start: int, stop: int) -> Frame:
    part = Frame(stop - start)
    part.codes = {k: v[start:stop] for k, v in frame.codes.items()}
    part.numbers = {k: v[start:stop] for k, v in frame.numbers.items()}
    return part


def _bits(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Each row's flags as one integer key (bit k = column k)."""
    if mask.shape[1] > 62:
        raise ValueError("too many rules to pack into one 64-bit key")
    powers = np.left_shift(np.int64(1), np.arange(mask.shape[1], dtype=np.int64))
    return np.asarray(np.ascontiguousarray(mask).view(np.uint8) @ powers, dtype=np.int64)


def _score_chunk(frame: Frame, w: Floats, model: Model, out: _Outputs, start: int) -> None:
    """The kernel calls of `assess._assess`, on a chunk of rows."""
    stop = start + frame.rows
    codes = kernel.code_matrix(frame, model)
    knocked, fired = kernel.knockouts(frame, model)
    values = kernel.scores(codes, w, knocked, model)
    winner = kernel.winners(values, model)
    runner = kernel.winners(np.where(np.arange(values.shape[1]) == winner[:, None], np.nan, values), model)
    found = undecided(codes, values, w, model)
    winner = np.where(found.mask, -1, winner)  # no pattern recommended: none for the rules either
    style, _score, _tie, _signals = rules.coordination(frame, model)
    flavour = rules.add_results(frame, model, winner, style)
    hits = rules.pitfalls(frame, model)
    checks = rules.fired(frame, model.checks)
    out.values[start:stop] = values
    out.winner[start:stop] = winner
    out.runner[start:stop] = np.where(winner >= 0, runner, -1)
    out.checks[start:stop] = _bits(checks)
    out.reason[start:stop] = found.reason
    out.speaking[start:stop] = found.speaking
    out.contenders[start:stop] = _bits(found.contenders)
    out.knocked[start:stop] = _bits(knocked)
    out.fired[start:stop] = _bits(fired)
    out.pitfalls[start:stop] = _bits(hits)
    out.style[start:stop] = style
    out.flavour[start:stop] = flavour
    out.unanswered[start:stop] = (codes < 0).sum(axis=1)


def _assemble(out: _Outputs, good: npt.NDArray[np.bool_], model: Model, encoded: Encoded, w: Floats) -> pd.DataFrame:
    patterns = model.pattern_keys
    values = np.where(good[:, None], out.values, np.nan)
    winner = np.where(good, out.winner, -1).astype(np.intp)
    runner = np.where(good, out.runner, -1).astype(np.intp)
    top = np.take_along_axis(values, np.maximum(winner, 0)[:, None], axis=1)[:, 0]
    second = np.take_along_axis(values, np.maximum(runner, 0)[:, None], axis=1)[:, 0]
    margin = np.where((winner >= 0) & (runner >= 0), top - second, np.nan)
    recommended_events = winner == patterns.index("events")
    flavour = np.where(recommended_events & (out.flavour >= 0), out.flavour, -1)
    columns: dict[str, Any] = {"recommended": _category(winner, patterns)}
    for i, pattern in enumerate(patterns):
        columns[f"score_{pattern}"] = values[:, i]
    columns["margin"] = margin
    columns["runner_up"] = _category(runner, patterns)
    columns["knocked_out"] = _texts(np.where(good, out.knocked, 0), patterns)
    columns["knockouts"] = _texts(np.where(good, out.fired, 0), tuple(k.id for k in model.knockouts))
    columns["coordination"] = _category(np.where(good, out.style, -1), STYLES)
    columns["messaging_flavour"] = _category(flavour, FLAVOURS)
    columns["pitfalls"] = _texts(np.where(good, out.pitfalls, 0), tuple(p.id for p in model.pitfalls))
    columns["checks"] = _texts(np.where(good, out.checks, 0), tuple(c.id for c in model.checks))
    columns["unanswered"] = np.where(good, out.unanswered, -1).astype(np.int16)
    low = np.where(np.isnan(margin), False, margin < model.robustness.low_margin)
    columns["low_confidence"] = good & low  # as Assessment.low_confidence (no margin: not low)
    reason = np.where(good, out.reason, 0)
    columns["undecided"] = reason > 0
    columns["undecided_reason"], columns["what_to_ask"] = _undecided_texts(reason, out, encoded, w, model)
    columns["error"] = row_errors(encoded)
    result = pd.DataFrame(columns, index=encoded.index)
    result["unanswered"] = result["unanswered"].astype("Int16").where(good)
    return result


def _category(codes: npt.NDArray[np.integer[Any]], names: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(names))


def _texts(keys: npt.NDArray[np.int64], names: tuple[str, ...]) -> pd.Categorical:
    """'a, b' for the set bits of each key — built once per distinct key."""
    codes, uniques = pd.factorize(keys)
    labels = [", ".join(name for i, name in enumerate(names) if int(key) >> i & 1) for key in uniques.tolist()]
    distinct = list(dict.fromkeys(labels))
    where = {label: i for i, label in enumerate(distinct)}
    remap = np.array([where[label] for label in labels], np.int64)
    return pd.Categorical.from_codes(remap[codes], categories=distinct)


def _undecided_texts(
    reason: npt.NDArray[np.int8], out: _Outputs, encoded: Encoded, w: Floats, model: Model
) -> tuple[pd.Categorical, pd.Categorical]:
    """Why each undecided row is undecided, and what to ask (catalog labels) — each text built once
    per distinct (reason, answers that speak, contenders) and per distinct set of questions to ask."""
    n = len(reason)
    rows = np.flatnonzero(reason > 0)
    if not len(rows):
        blank = pd.Categorical.from_codes(np.zeros(n, np.int64), categories=[""])
        return blank, blank.copy()
    patterns, keys = model.pattern_keys, model.keys
    contenders = np.stack([out.contenders[rows] >> i & 1 for i in range(len(patterns))], axis=1).astype(bool)
    open_keys = np.stack([encoded.frame.code(key)[rows] < 0 for key in keys], axis=1)
    speaking = np.minimum(out.speaking[rows], 255).astype(np.int64)
    why_key = out.contenders[rows] | reason[rows].astype(np.int64) << 8 | speaking << 12

    def why_text(key: int) -> str:
        named = tuple(p for i, p in enumerate(patterns) if key >> i & 1)
        return reason_text(key >> 8 & 0xF, key >> 12 & 0xFF, named, model)

    picked = ask_table(open_keys, contenders, w, model)
    ask_key = np.zeros(len(rows), np.int64)
    for j in range(picked.shape[1]):
        ask_key = ask_key * 64 + (picked[:, j] + 1)

    def ask_text(key: int) -> str:
        found = []
        while key:
            key, c = divmod(key, 64)
            if c:
                found.append(model.question(keys[c - 1]).label)
        return "; ".join(reversed(found)) or NOTHING_OPEN

    return _column(n, rows, why_key, why_text), _column(n, rows, ask_key, ask_text)


def _column(
    n: int, rows: npt.NDArray[np.intp], keys: npt.NDArray[np.int64], text: Callable[[int], str]
) -> pd.Categorical:
    """A categorical of `text(key)` on `rows` ('' elsewhere), one call per distinct key."""
    codes, uniques = pd.factorize(keys)
    texts = [text(int(k)) for k in uniques.tolist()]
    categories = list(dict.fromkeys(["", *texts]))
    where = {t: i for i, t in enumerate(categories)}
    out = np.zeros(n, np.int64)
    out[rows] = np.array([where[t] for t in texts], np.int64)[codes]
    return pd.Categorical.from_codes(out, categories=categories)


def _acceptability(
    encoded: Encoded,
    w: Floats,
    model: Model,
    result: pd.DataFrame,
    good: npt.NDArray[np.bool_],
    samples: int,
    seed: int,
) -> npt.NDArray[np.float64]:
    """SMAA first-rank acceptability of each row's recommendation — one `smaa` call per row."""
    from patternfit.engine.robustness import smaa

    out = np.full(encoded.rows, np.nan)
    recommended = result["recommended"].to_numpy(object)
    for i in np.flatnonzero(good & result["recommended"].notna().to_numpy(bool)):
        row = _slice(encoded.frame, int(i), int(i) + 1)
        codes = kernel.code_matrix(row, model)
        robustness = smaa(codes, row, w, (), model, samples=samples, seed=seed)
        out[i] = robustness.acceptability[str(recommended[i])]
    return out
