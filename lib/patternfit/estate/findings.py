"""What an estate review finds: mismatches, pitfalls, the pattern mix, workshop candidates.

Definitions (constants here, so a report can quote them):

* **gap** of a row: score of the recommended pattern − score of the pattern in use. A pattern
  in use that is knocked out, or a shared database (not one of the four patterns, pitfall
  P-07), counts as the worst possible fit: its score is taken as −1, the bottom of the scale.
* **mismatch**: the pattern in use is knocked out, is a shared database, or its gap is at least
  the model's `policy.mismatch_gap` (data/policy.yaml `estate.mismatch_gap`, 0.25 — an eighth of
  the score range −1…+1; on the example inventory it separates
  the deliberate mismatches from close calls). `other` and blank are not judged.
* **workshop candidate** (low confidence): no pattern survives the knock-outs, the margin to the
  runner-up is below the model's `low_confidence.margin` (or, with robustness samples, the
  acceptability is below its threshold), or `policy.many_unanswered` (6, a third of the 18) or
  more questions are blank. The policy is the model's own: read with the model, never at import.
* **off standard**: the row's technology (read through the technology catalogue) is not the
  standard the organisation's profile names for its pattern and flavour — the field guide's
  "every team its own way" pitfall. `technology_mix` lists each owner's technologies per pattern.
* **diversity** per owner: `effective_patterns` = exp(Shannon entropy) of the owner's current
  patterns (1 = everything on one pattern; 6 = all six ways used equally). An estate that
  standardises on a small set of well-understood patterns has few off-menu connections (shared
  database / other) and a low mismatch rate; one pattern for nearly everything together with
  many mismatches suggests the tooling chose the pattern (see `_verdict`). The mismatch rate is
  taken over the connections that are judged (one of the four patterns, or a shared database).

* **undecided** (`engine.undecided`, the policy's `undecided.min_answers`): too few answers tell
  the patterns apart, or the best fits tie. Such a row has no recommended pattern, so it is never a
  mismatch nor a workshop candidate: it is listed in `undecided` with why and what to ask, and
  counted apart in the summary, the pattern mix and the matrix (column `UNDECIDED`).

Everything is computed on integer codes; reasons are written once per distinct combination
(pattern pair, deciding answers), so a million rows cost a few thousand string formats. The
lists and tables are built on first access.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from patternfit.estate.encode import Encoded
from patternfit.model.catalog import PATTERN_KEYS, PROPOSABLE, Model
from patternfit.model.technologies import Technologies

TOOLING_SHARE = 0.75  # one pattern for at least this share of an owner's connections …
TOOLING_MISMATCH = 0.25  # … while at least this share of them are mismatches
OFF_MENU_SHARE = 0.2  # shared database + other at or above this share: bespoke
NOT_GIVEN = "(not given)"
FLOOR = -1.0  # the score a knocked-out pattern or a shared database counts as
REASONS = 2  # answers named in a mismatch reason
CURRENT_LABELS = (*PROPOSABLE, NOT_GIVEN)
UNDECIDED = "(undecided)"  # the mix's row and the matrix's column of the undecided connections
Ints = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]


class Findings:
    """The review's findings. `rows` has one row per inventory row (same index); the lists and
    tables (`mismatches`, `workshop`, `pitfalls`, `mix`, `matrix`, `mix_by_owner`, `owners`,
    `summary`) are built on first access."""

    def __init__(
        self,
        table: pd.DataFrame,
        encoded: Encoded,
        results: pd.DataFrame,
        w: npt.NDArray[np.float64],
        model: Model,
        gap: float,
        technology: pd.DataFrame | None = None,
        technologies: Technologies | None = None,
    ) -> None:
        self.model = model
        self.technologies = technologies
        self._technology = technology
        self.gap_threshold = gap
        self._table = table
        self._results = results
        self.good: Bools = ~encoded.bad
        self.recommended: Ints = _codes(results["recommended"])
        self.decided: Bools = self.good & (self.recommended >= 0)
        self.undecided: Bools = self.good & results["undecided"].to_numpy(bool)
        codes = encoded.frame.codes.get("proposed.pattern")
        self.current: Ints = (
            np.full(len(table), -1, np.intp) if codes is None else np.where(self.good, codes, -1).astype(np.intp)
        )
        self.rows = self._per_row(encoded, w)

    # -- per row ----------------------------------------------------------------------------------

    def _per_row(self, encoded: Encoded, w: npt.NDArray[np.float64]) -> pd.DataFrame:
        results, current, rec = self._results, self.current, self.recommended
        n = len(results)
        scores = results[[f"score_{p}" for p in PATTERN_KEYS]].to_numpy(float)
        rec_score = np.take_along_axis(scores, np.maximum(rec, 0)[:, None], axis=1)[:, 0]
        four = (current >= 0) & (current < len(PATTERN_KEYS))
        cur_score = np.take_along_axis(scores, np.clip(current, 0, len(PATTERN_KEYS) - 1)[:, None], axis=1)[:, 0]
        judged = self.decided & four
        # a pattern in use that is ruled out, or a shared database, fights the connection whatever is
        # recommended: a mismatch on undecided rows too (with no gap: there is no recommendation)
        knocked = (self.decided | self.undecided) & four & np.isnan(cur_score)
        shared = (self.decided | self.undecided) & (current == PROPOSABLE.index("shared_database"))
        gap = np.full(n, np.nan)
        gap[judged] = rec_score[judged] - np.where(knocked[judged], FLOOR, cur_score[judged])
        gap[shared & self.decided] = rec_score[shared & self.decided] - FLOOR
        poor = judged & ~knocked & (gap >= self.gap_threshold - 1e-12)
        kind = np.select([knocked, shared, poor], [1, 2, 3], 0)
        workshop, why = self._workshop_reasons()
        standard, off = self._standards()
        return pd.DataFrame(
            {
                "current_pattern": pd.Categorical.from_codes(
                    np.where(current >= 0, current, len(PROPOSABLE)), categories=[*PROPOSABLE, ""]
                ),
                "gap": gap,
                "mismatch": kind > 0,
                "mismatch_reason": self._mismatch_reasons(kind, encoded, w),
                "workshop": workshop,
                "workshop_reason": why,
                "off_standard": off,
                "standard_reason": standard,
            },
            index=results.index,
        )

    def _standards(self) -> tuple[pd.Categorical, Bools]:
        """Rows whose technology is not the organisation's standard for its pattern (and flavour)."""
        n = len(self._table)
        blank = pd.Categorical.from_codes(np.zeros(n, np.int8), categories=[""])
        tech, catalogue = self._technology, self.technologies
        if tech is None or catalogue is None or not catalogue.standards:
            return blank, np.zeros(n, bool)
        keys = pd.DataFrame(
            {"name": tech["technology_name"].astype(str), "pattern": tech["technology_pattern"].astype(str),
             "flavour": tech["technology_flavour"].astype(str)}
        )  # fmt: skip
        codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
        texts: list[str] = []
        for name, pattern, flavour in uniques:
            found = catalogue.standard(pattern, flavour or None) if name else None
            if found is None or found.name == name:
                texts.append("")
                continue
            kind = f"{pattern} ({flavour})" if flavour else pattern
            texts.append(catalogue.message("not_standard", technology=name, pattern=kind, standard=found.name))
        categories = list(dict.fromkeys(["", *texts]))
        remap = np.array([categories.index(t) for t in texts], np.int64)
        values = remap[codes]
        good = self.good
        values = np.where(good, values, 0)
        return pd.Categorical.from_codes(values, categories=categories), values > 0

    def _mismatch_reasons(
        self, kind: npt.NDArray[np.int_], encoded: Encoded, w: npt.NDArray[np.float64]
    ) -> pd.Categorical:
        """Why the pattern in use fights the connection — one text per distinct case."""
        rows = np.flatnonzero(kind > 0)
        fields = [
            kind[rows],
            self.current[rows],
            self.recommended[rows],
            np.asarray(self._results["knockouts"].cat.codes)[rows],
            np.asarray(self._results["undecided_reason"].cat.codes)[rows],
        ]
        deciding = np.full((len(rows), 2 * REASONS), -1, np.intp)
        poor = np.flatnonzero(kind[rows] == 3)
        if len(poor):
            deciding[poor] = _deciding_answers(rows[poor], self.current, self.recommended, encoded, w, self.model)
        fields += [deciding[:, j] for j in range(2 * REASONS)]
        return _texts_by_key(len(kind), rows, fields, lambda key: self._mismatch_text(key))

    def _mismatch_text(self, key: tuple[int, ...]) -> str:
        model = self.model
        kind, current, rec, knockouts, undecided = key[:5]
        if rec >= 0:
            best = f"{model.pattern(PATTERN_KEYS[rec]).short} fits best."
        else:
            why = str(self._results["undecided_reason"].cat.categories[undecided])
            best = f"No pattern is recommended yet: {why}."
        if kind == 1:
            used = PATTERN_KEYS[current]
            fired = str(self._results["knockouts"].cat.categories[knockouts]).split(", ")
            rules = [k for k in model.knockouts if k.id in fired and used in k.excludes]
            ids = ", ".join(k.id for k in rules)
            return f"{model.pattern(used).short} is ruled out ({ids}): {rules[0].reason} {best}"
        if kind == 2:
            # the model's loader checks that the policy's pitfall id is in pitfalls.yaml
            pitfall = next(p for p in model.pitfalls if p.id == model.policy.shared_database_pitfall)
            return f"A shared database is not an integration pattern ({pitfall.id}): {pitfall.message} {best}"
        used = model.pattern(PATTERN_KEYS[current]).short
        answers = [_phrase(model, key[5 + 2 * r], key[6 + 2 * r]) for r in range(REASONS) if key[5 + 2 * r] >= 0]
        because = f": {' and '.join(answers)}" if answers else ""
        return f"{model.pattern(PATTERN_KEYS[rec]).short} fits clearly better than {used}{because}."

    def _workshop_reasons(self) -> tuple[Bools, pd.Categorical]:
        results, model = self._results, self.model
        no_fit = self.good & ~self.decided & ~self.undecided
        close = self.decided & results["low_confidence"].to_numpy(bool)
        unanswered = results["unanswered"].fillna(0).to_numpy(np.intp)
        sparse = self.good & ~self.undecided & (unanswered >= model.policy.many_unanswered)
        workshop = no_fit | close | sparse
        rows = np.flatnonzero(workshop)
        fields = [
            no_fit[rows],
            close[rows],
            sparse[rows],
            self.recommended[rows],
            _codes(results["runner_up"])[rows],
            np.where(sparse[rows], unanswered[rows], 0),
        ]
        return workshop, _texts_by_key(len(results), rows, fields, lambda key: _workshop_text(key, model))

    # -- lists and tables -------------------------------------------------------------------------

    @functools.cached_property
    def owner(self) -> pd.Categorical:
        """Owner per row ('(not given)' for a blank owner)."""
        if "owner" not in self._table.columns:
            return pd.Categorical.from_codes(np.zeros(len(self._table), np.int64), categories=[NOT_GIVEN])
        column = self._table["owner"]
        values = column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column)
        names = [str(c).strip() or NOT_GIVEN for c in values.categories]
        distinct = list(dict.fromkeys(names))
        remap = np.array([distinct.index(n) for n in names] + [len(distinct)], np.int64)
        if NOT_GIVEN not in distinct:
            distinct.append(NOT_GIVEN)
        codes = np.asarray(values.codes, np.int64)
        return pd.Categorical.from_codes(remap[np.where(codes >= 0, codes, len(names))], categories=distinct)

    def _listing(self, picked: Bools) -> pd.DataFrame:
        positions = np.flatnonzero(picked)
        table = self._table
        out = pd.DataFrame({"row": table.index.to_numpy()[positions]})
        for column in ("id", "name"):
            if column in table.columns:
                out[column] = table[column].iloc[positions].to_numpy()
        out["owner"] = self.owner.take(positions)
        return out

    @functools.cached_property
    def mismatches(self) -> pd.DataFrame:
        """The mismatching rows, largest gap first, with the reason in words."""
        picked = self.rows["mismatch"].to_numpy(bool)
        out = self._listing(picked)
        positions = np.flatnonzero(picked)
        out["current_pattern"] = self.rows["current_pattern"].array.take(positions)
        out["recommended"] = self._results["recommended"].array.take(positions)
        out["gap"] = self.rows["gap"].to_numpy()[positions]
        out["reason"] = self.rows["mismatch_reason"].array.take(positions)
        order = np.argsort(-out["gap"].to_numpy(), kind="stable")
        return out.iloc[order].reset_index(drop=True)

    @functools.cached_property
    def workshop(self) -> pd.DataFrame:
        """Workshop candidates: no pattern fits first, then the closest calls, then the sparsest."""
        picked = self.rows["workshop"].to_numpy(bool)
        out = self._listing(picked)
        positions = np.flatnonzero(picked)
        for column in ("recommended", "runner_up"):
            out[column] = self._results[column].array.take(positions)
        out["margin"] = self._results["margin"].to_numpy()[positions]
        out["unanswered"] = self._results["unanswered"].array.take(positions)
        out["reason"] = self.rows["workshop_reason"].array.take(positions)
        no_fit = self.recommended[positions] < 0
        margin = np.nan_to_num(out["margin"].to_numpy(float), nan=np.inf)
        blank = out["unanswered"].fillna(0).to_numpy(int)
        order = np.lexsort((-blank, margin, ~no_fit))
        return out.iloc[order].reset_index(drop=True)

    @functools.cached_property
    def undecided_rows(self) -> pd.DataFrame:
        """The undecided connections — ties first, then by answers given — with why and what to ask."""
        picked = self.undecided
        out = self._listing(picked)
        positions = np.flatnonzero(picked)
        out["current_pattern"] = self.rows["current_pattern"].array.take(positions)
        out["unanswered"] = self._results["unanswered"].array.take(positions)
        out["reason"] = self._results["undecided_reason"].array.take(positions)
        out["what_to_ask"] = self._results["what_to_ask"].array.take(positions)
        order = np.argsort(out["unanswered"].fillna(0).to_numpy(int), kind="stable")
        return out.iloc[order].reset_index(drop=True)

    @functools.cached_property
    def bridges(self) -> pd.DataFrame:
        """The connections whose recommended pattern needs a capability the counterpart lacks: the
        bridge check and the bridges that close the gap (data/pitfalls.yaml, checks with `bridges`)."""
        column = self._results["checks"]
        named = {c.id: c for c in self.model.checks if c.bridges}
        texts = [[named[i] for i in str(t).split(", ") if i in named] for t in column.cat.categories]
        hit = np.array([bool(t) for t in texts] + [False], bool)
        codes = np.asarray(column.cat.codes, np.intp)
        picked = self.decided & hit[np.where(codes >= 0, codes, len(texts))]
        out = self._listing(picked)
        positions = np.flatnonzero(picked)
        out["recommended"] = self._results["recommended"].array.take(positions)
        checks = [texts[codes[p]] for p in positions]
        out["check"] = [", ".join(c.id for c in found) for found in checks]
        out["bridges"] = ["; ".join(" or ".join(c.bridges) for c in found) for found in checks]
        return out

    @functools.cached_property
    def pitfalls(self) -> pd.DataFrame:
        """How many connections each pitfall fires on, most frequent first."""
        column = self._results["pitfalls"]
        counts = np.bincount(np.asarray(column.cat.codes)[self.good], minlength=len(column.cat.categories))
        total: dict[str, int] = {}
        for text, k in zip(column.cat.categories, counts, strict=True):
            for pid in str(text).split(", "):
                if pid and k:
                    total[pid] = total.get(pid, 0) + int(k)
        order = [p for p in self.model.pitfalls if p.id in total]
        out = pd.DataFrame(
            {
                "id": [p.id for p in order],
                "title": [p.title for p in order],
                "connections": [total[p.id] for p in order],
            }
        )
        out["share"] = out["connections"] / max(int(self.good.sum()), 1)
        return out.sort_values("connections", ascending=False, kind="stable").reset_index(drop=True)

    def _current_index(self) -> Ints:
        return np.where(self.current >= 0, self.current, len(PROPOSABLE))

    @functools.cached_property
    def mix(self) -> pd.DataFrame:
        """Connections per pattern: in use (current) and recommended; the last row, UNDECIDED, counts
        the connections with no recommended pattern yet."""
        current = np.bincount(self._current_index()[self.good], minlength=len(CURRENT_LABELS))
        rec = np.bincount(self.recommended[self.decided], minlength=len(PATTERN_KEYS))
        out = pd.DataFrame(
            {"current": [*current, 0], "recommended": [*rec, 0, 0, 0, int(self.undecided.sum())]},
            index=pd.Index([*CURRENT_LABELS, UNDECIDED], name="pattern"),
        )
        return out.astype(int)

    @functools.cached_property
    def matrix(self) -> pd.DataFrame:
        """Assessed connections by pattern in use (rows) and recommended pattern (columns; the last,
        UNDECIDED, holds the connections with no recommended pattern yet)."""
        width = len(PATTERN_KEYS) + 1
        shown = self.decided | self.undecided
        column = np.where(self.undecided, len(PATTERN_KEYS), self.recommended)
        cells = self._current_index()[shown] * width + column[shown]
        counts = np.bincount(cells, minlength=len(CURRENT_LABELS) * width).reshape(len(CURRENT_LABELS), width)
        return pd.DataFrame(
            counts,
            index=pd.Index(CURRENT_LABELS, name="current"),
            columns=pd.Index([*PATTERN_KEYS, UNDECIDED], name="recommended"),
        )

    def _owner_counts(self, values: Ints, width: int, weights: Bools | None = None) -> npt.NDArray[np.float64]:
        owner = np.asarray(self.owner.codes, np.intp)[self.good]
        cells = owner * width + values[self.good]
        k = len(self.owner.categories)
        extra = None if weights is None else weights[self.good].astype(float)
        return np.bincount(cells, weights=extra, minlength=k * width).reshape(k, width).astype(float)

    @functools.cached_property
    def mix_by_owner(self) -> pd.DataFrame:
        """Readable connections per owner and pattern in use."""
        counts = self._owner_counts(self._current_index(), len(CURRENT_LABELS)).astype(int)
        out = pd.DataFrame(
            counts,
            index=pd.Index([str(c) for c in self.owner.categories], name="owner"),
            columns=pd.Index(CURRENT_LABELS, name="current_pattern"),
        )
        return out[out.sum(axis=1) > 0]

    @functools.cached_property
    def owners(self) -> pd.DataFrame:
        """Per owner, and for the whole estate: pattern diversity, mismatch rate and a verdict."""
        counts = self._owner_counts(self._current_index(), len(CURRENT_LABELS))
        mismatches = self._owner_counts(np.zeros(len(self.current), np.intp), 1, self.rows["mismatch"].to_numpy(bool))[
            :, 0
        ]
        # the judged ones: a pattern in use (or a shared database), and a pattern recommended — or,
        # undecided, a pattern in use that is ruled out or a shared database (a mismatch regardless)
        in_use = (self.current >= 0) & (self.current <= PROPOSABLE.index("shared_database"))
        in_use &= self.decided | self.rows["mismatch"].to_numpy(bool)
        judged = self._owner_counts(np.zeros(len(self.current), np.intp), 1, in_use)[:, 0]
        names = ["(estate)", *(str(c) for c in self.owner.categories)]
        counts = np.vstack([counts.sum(axis=0), counts])
        mismatches = np.concatenate([[mismatches.sum()], mismatches])
        judged = np.concatenate([[judged.sum()], judged])
        records = [
            _diversity(name, c, int(m), int(j))
            for name, c, m, j in zip(names, counts, mismatches, judged, strict=True)
            if c.sum()
        ]
        return pd.DataFrame(records)

    @functools.cached_property
    def technology_mix(self) -> pd.DataFrame:
        """Per owner and pattern in use: the technologies, how many, and the standard if named."""
        columns = ["owner", "pattern", "technologies", "count", "connections", "standard", "note"]
        tech = self._technology
        if tech is None or not (tech["technology_name"].astype(str) != "").any():
            return pd.DataFrame(columns=columns)
        frame = pd.DataFrame(
            {"owner": np.asarray(self.owner.astype(str)), "pattern": tech["technology_pattern"].astype(str).to_numpy(),
             "flavour": tech["technology_flavour"].astype(str).to_numpy(),
             "technology": tech["technology_name"].astype(str).to_numpy()}
        )[self.good & (tech["technology_name"].astype(str) != "").to_numpy(bool)]  # fmt: skip
        records = []
        for (owner, pattern), group in frame.groupby(["owner", "pattern"], sort=True):
            counts = group["technology"].value_counts()
            names = sorted(counts.index, key=lambda t: (-counts[t], t))
            standard = ""
            if self.technologies is not None:
                found = self.technologies.standard(str(pattern))
                standard = found.name if found else ""
            note = ""
            if len(names) > 1 and self.technologies is not None:
                note = self.technologies.message(
                    "mixed_owner", owner=owner, count=len(names), pattern=pattern, technologies=", ".join(names)
                )
            records.append([owner, pattern, ", ".join(names), len(names), len(group), standard, note])
        return pd.DataFrame(records, columns=columns)

    @functools.cached_property
    def off_standard(self) -> pd.DataFrame:
        """The rows whose technology is not the organisation's standard for its pattern."""
        picked = self.rows["off_standard"].to_numpy(bool)
        out = self._listing(picked)
        positions = np.flatnonzero(picked)
        if self._technology is not None:
            out["technology"] = self._technology["technology_name"].array.take(positions)
        out["current_pattern"] = self.rows["current_pattern"].array.take(positions)
        out["reason"] = self.rows["standard_reason"].array.take(positions)
        return out

    @functools.cached_property
    def summary(self) -> dict[str, Any]:
        """Key figures of the review."""
        return {
            "connections": len(self._table),
            "assessed": int(self.good.sum()),
            "with a recommended pattern": int(self.decided.sum()),
            "undecided": int(self.undecided.sum()),
            "rows with errors": int((~self.good).sum()),
            "no pattern fits": int((self.good & ~self.decided & ~self.undecided).sum()),
            "mismatches": int(self.rows["mismatch"].sum()),
            "workshop candidates": int(self.rows["workshop"].sum()),
            "bridges needed": len(self.bridges),
            "current pattern given": int((self.current >= 0).sum()),
            "off-standard technology": int(self.rows["off_standard"].sum()),
            "mismatch gap threshold": self.gap_threshold,
            "model version": self.model.version,
        }


def find(
    table: pd.DataFrame,
    encoded: Encoded,
    results: pd.DataFrame,
    w: npt.NDArray[np.float64],
    model: Model,
    *,
    gap: float | None = None,
    technology: pd.DataFrame | None = None,
    technologies: Technologies | None = None,
) -> Findings:
    """Findings for an assessed inventory (`table` as read, `results` from `assess_table`;
    `technology` the matched technology per row, `technologies` the catalogue with standards; `gap`
    None takes the model's policy)."""
    threshold = model.policy.mismatch_gap if gap is None else gap
    return Findings(table, encoded, results, w, model, threshold, technology, technologies)


def __getattr__(name: str) -> Any:
    """`MISMATCH_GAP` and `MANY_UNANSWERED`, kept for old imports: the default model's policy, read
    when asked for (never at import). A review uses its own model's policy."""
    if name in ("MISMATCH_GAP", "MANY_UNANSWERED"):
        from patternfit.model.catalog import load_policy

        policy = load_policy()
        return policy.mismatch_gap if name == "MISMATCH_GAP" else policy.many_unanswered
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- helpers --------------------------------------------------------------------------------------


def _codes(column: pd.Series) -> Ints:
    """Index into PATTERN_KEYS per row (-1 for none) of a pattern column."""
    values = column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column)
    names = [str(c) for c in values.categories]
    remap = np.array([PATTERN_KEYS.index(n) for n in names] + [-1], np.intp)
    codes = np.asarray(values.codes, np.intp)
    return remap[np.where(codes >= 0, codes, len(names))]


def _texts_by_key(n: int, rows: Ints, fields: list[npt.NDArray[Any]], text: Any) -> pd.Categorical:
    """A categorical of texts for `rows` (others ''), one `text(key)` call per distinct key."""
    codes = np.full(n, -1, np.int64)
    categories: list[str] = []
    if len(rows):
        key = np.zeros(len(rows), np.int64)
        for field in fields:  # mixed radix: every field is a small integer ≥ -1
            values = np.asarray(field, np.int64) + 1
            key = key * (int(values.max()) + 1) + values
        which, _ = pd.factorize(key)
        first = np.unique(which, return_index=True)[1]  # a row of each distinct key
        texts = [text(tuple(int(np.asarray(f)[i]) for f in fields)) for i in first]
        categories = list(dict.fromkeys(texts))
        remap = np.array([categories.index(t) for t in texts], np.int64)
        codes[rows] = remap[which]
    return pd.Categorical.from_codes(codes + 1, categories=["", *categories])


def _deciding_answers(
    rows: Ints, current: Ints, rec: Ints, encoded: Encoded, w: npt.NDArray[np.float64], model: Model
) -> Ints:
    """(characteristic, level) pairs of the answers that favour the recommendation most."""
    codes = np.stack([encoded.frame.code(k)[rows] for k in model.keys], axis=1).astype(np.intp)
    c = np.arange(len(model.keys))[None, :]
    level = np.maximum(codes, 0)
    diff = w[None, :] * (model.fit[c, level, rec[rows][:, None]] - model.fit[c, level, current[rows][:, None]])
    diff = np.where((codes >= 0) & (diff > 0), diff, 0.0)
    order = np.argsort(-diff, axis=1, kind="stable")[:, :REASONS]
    out = np.full((len(rows), 2 * REASONS), -1, np.intp)
    for r in range(REASONS):
        pick = order[:, r]
        positive = np.take_along_axis(diff, pick[:, None], axis=1)[:, 0] > 0
        out[:, 2 * r] = np.where(positive, pick, -1)
        out[:, 2 * r + 1] = np.where(positive, np.take_along_axis(codes, pick[:, None], axis=1)[:, 0], -1)
    return out


def _phrase(model: Model, c: int, level: int) -> str:
    question = model.characteristics[c]
    value = question.scale.values[level]
    if question.scale.type == "integer":
        text = (question.phrases or {}).get(value)
        return text.replace("{value}", str(value)) if text else f"{question.label.lower()} is {value}"
    return question.phrase(value)


def _workshop_text(key: tuple[int, ...], model: Model) -> str:
    no_fit, close, sparse, rec, runner, blank = key
    parts = []
    if no_fit:
        parts.append("every pattern is knocked out — the answers ask for things no pattern gives together")
    if close:
        first = model.pattern(PATTERN_KEYS[rec]).short
        second = model.pattern(PATTERN_KEYS[runner]).short if runner >= 0 else "the runner-up"
        parts.append(f"a close call between {first} and {second}")
    if sparse:
        parts.append(f"{blank} of {len(model.keys)} questions unanswered")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _diversity(name: str, counts: npt.NDArray[np.float64], mismatches: int, judged: int) -> dict[str, Any]:
    connections = int(counts.sum())
    given = counts[: len(PROPOSABLE)]
    total = float(given.sum())
    share = given / total if total else given
    nonzero = share[share > 0]
    effective = float(np.exp(-(nonzero * np.log(nonzero)).sum())) if total else np.nan
    off_menu = float(share[len(PATTERN_KEYS) :].sum()) if total else np.nan
    dominant = PROPOSABLE[int(given.argmax())] if total else ""
    dominant_share = float(share.max()) if total else np.nan
    rate = mismatches / judged if judged else np.nan
    return {
        "owner": name,
        "connections": connections,
        "with_current": int(total),
        "patterns_used": int((given > 0).sum()),
        "effective_patterns": effective,
        "dominant": dominant,
        "dominant_share": dominant_share,
        "off_menu_share": off_menu,
        "mismatches": mismatches,
        "mismatch_rate": rate,
        "verdict": _verdict(int(total), effective, dominant, dominant_share, off_menu, rate),
    }


def _verdict(given: int, effective: float, dominant: str, dominant_share: float, off_menu: float, rate: float) -> str:
    """One line: bespoke, one tool for everything, many poor fits, or a standard set that fits?"""
    if not given:
        return "current patterns not recorded"
    if np.isnan(rate):
        return "not judged yet: no pattern is recommended for the connections whose pattern in use is known"
    if off_menu >= OFF_MENU_SHARE:
        return f"bespoke: {off_menu:.0%} of connections use a shared database or another non-standard way"
    if given >= 4 and dominant_share >= TOOLING_SHARE and rate >= TOOLING_MISMATCH:
        return (
            f"{dominant} for {dominant_share:.0%} of connections, {rate:.0%} of them poor fits"
            " — tooling may be choosing the pattern"
        )
    if rate >= TOOLING_MISMATCH:
        return f"{rate:.0%} of the connections fight their characteristics"
    extra = f"; {off_menu:.0%} shared database or other" if off_menu > 0 else ""
    return f"standard patterns, mostly fitting ({effective:.1f} in effective use{extra})"
