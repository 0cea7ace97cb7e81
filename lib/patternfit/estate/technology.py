"""Technologies in an inventory, read through the technology catalogue.

* A `current_pattern` cell that is not a pattern but names a technology the catalogue knows
  (`kafka`, `Camunda 8`) is read as that technology's pattern; the technology is kept in the
  `technology` column (added when the table has none; an existing cell is not overwritten).
* A blank `current_pattern` beside a known `technology` is filled from it.
* Every row's technology is matched once per distinct text, so a million rows cost a few
  hundred lookups; `Technology` columns (`name`, `pattern`, `flavour`) feed the findings
  ("not the organisation's standard", the mix per owner).

A text the catalogue does not know leaves the cell as it is: `current_pattern` then fails
validation as before (listed with its row), and an unknown `technology` is only not matched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from patternfit.estate.columns import CURRENT, TECHNOLOGY
from patternfit.model.catalog import PROPOSABLE, Model
from patternfit.model.technologies import Technologies

MATCHED = ("technology_name", "technology_pattern", "technology_flavour")


def read_technologies(
    table: pd.DataFrame, model: Model, technologies: Technologies
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the table with technologies read into current_pattern, the matched technology per row)."""
    if CURRENT not in table.columns and TECHNOLOGY not in table.columns:
        return table, _empty(table.index)
    scale = model.scales["proposed.pattern"]
    changed = False
    if CURRENT in table.columns:
        codes, uniques = _factorize(table[CURRENT])
        named = {}
        for i, value in enumerate(uniques):
            if value.strip() and not _is_pattern(value, scale):
                found = technologies.match(value)
                if found is not None:
                    named[i] = found.pattern
        if named:
            table, changed = table.copy(), True
            hit = np.isin(codes, list(named))
            if TECHNOLOGY in table.columns:
                t_codes, t_uniques = _factorize(table[TECHNOLOGY])
                tech = np.array(t_uniques, object)[t_codes]
                blank = np.array([not u.strip() for u in t_uniques], bool)[t_codes]
            else:
                tech, blank = np.full(len(table), "", object), np.ones(len(table), bool)
            tech = np.where(hit & blank, np.array(uniques, object)[codes], tech)
            table[TECHNOLOGY] = pd.Categorical(tech)
            relabelled = np.array([named.get(i, v) for i, v in enumerate(uniques)], object)
            table[CURRENT] = pd.Categorical(relabelled[codes])
    if TECHNOLOGY not in table.columns:
        return table, _empty(table.index)
    codes, uniques = _factorize(table[TECHNOLOGY])
    entries = [technologies.match(u) for u in uniques]
    names = np.array(["" if e is None else e.name for e in entries], object)[codes]
    patterns = np.array(["" if e is None else e.pattern for e in entries], object)[codes]
    flavours = np.array(["" if e is None or e.flavour is None else e.flavour for e in entries], object)[codes]
    matched = pd.DataFrame(
        {MATCHED[0]: pd.Categorical(names), MATCHED[1]: pd.Categorical(patterns), MATCHED[2]: pd.Categorical(flavours)},
        index=table.index,
    )
    if CURRENT in table.columns:
        c_codes, c_uniques = _factorize(table[CURRENT])
        current = np.array(c_uniques, object)[c_codes]
        blank = np.array([not u.strip() for u in c_uniques], bool)[c_codes]
    else:
        current, blank = np.full(len(table), "", object), np.ones(len(table), bool)
    fill = blank & (patterns != "")
    if fill.any():
        if not changed:
            table = table.copy()
        table[CURRENT] = pd.Categorical(np.where(fill, patterns, current))
    return table, matched


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes and distinct texts of a column (blank and missing cells as '')."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = ["" if u is None or u != u else str(u) for u in list(uniques)]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(texts), codes)
        texts.append("")
    return codes, texts


def _is_pattern(value: str, scale: object) -> bool:
    try:
        scale.coerce(value, lenient=True)  # type: ignore[attr-defined]
    except ValueError:
        return False
    return True


def _empty(index: pd.Index) -> pd.DataFrame:
    blank = pd.Categorical.from_codes(np.zeros(len(index), np.int8), categories=[""])
    return pd.DataFrame({c: blank for c in MATCHED}, index=index)


__all__ = ["MATCHED", "PROPOSABLE", "read_technologies"]
