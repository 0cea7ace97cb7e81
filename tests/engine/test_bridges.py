"""Bridge checks: where the recommended pattern needs a capability the counterpart lacks, a check names
the bridge (data/pitfalls.yaml `checks` with `bridges`); where the counterpart has it, no check.

Each case takes a shipped example, sets `counterpart_capability`, and asserts the recommended pattern
first, so a change of the model that moves the recommendation fails here rather than passing vacuously.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from patternfit import assess, assess_table

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


def _connection(example: str, capability: str, *, unsure: bool = False) -> dict[str, Any]:
    data = yaml.safe_load((EXAMPLES / f"{example}.yaml").read_text())
    data["characteristics"]["counterpart_capability"] = capability
    data.pop("proposed", None)
    if unsure:
        data["unsure"] = ["counterpart_capability"]
    return data


def _bridges(checks: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {c["id"]: c["bridges"] for c in checks if c["bridges"]}


# (example, capability, unsure, recommended, the bridge check, a bridge it must name)
BRIDGES = [
    ("order-created-fanout", "api", False, "events", "K-BRIDGE-EVENTS-API", "a webhook subscription"),
    ("shipment-reaction-chain", "api", False, "events", "K-BRIDGE-EVENTS-API", "change data capture on its database"),
    ("order-created-fanout", "file_only", True, "events", "K-BRIDGE-EVENTS-FILES", "an adapter that watches"),
    ("nightly-reconciliation", "api", False, "batch", "K-BRIDGE-BATCH-API", "an extract job"),
    ("nightly-reconciliation", "messaging", False, "batch", "K-BRIDGE-BATCH-MESSAGING", "an adapter that collects"),
    ("checkout-price-lookup", "file_only", True, "api", "K-BRIDGE-API-FILES", "an adapter that serves an API"),
    ("checkout-price-lookup", "messaging", False, "api", "K-BRIDGE-API-MESSAGING", "request message"),
]
# the mirror images: the counterpart offers what the recommended pattern needs
MIRRORS = [
    ("order-created-fanout", "messaging", "events"),
    ("order-created-fanout", "any", "events"),
    ("nightly-reconciliation", "file_only", "batch"),
    ("nightly-reconciliation", "any", "batch"),
    ("checkout-price-lookup", "api", "api"),
    ("checkout-price-lookup", "any", "api"),
]


@pytest.mark.parametrize(("example", "capability", "unsure", "recommended", "check", "bridge"), BRIDGES)
def test_a_missing_capability_fires_the_check_that_names_the_bridge(
    example, capability, unsure, recommended, check, bridge
):
    """The recommended pattern needs what the counterpart lacks: exactly that bridge check, naming the bridge."""
    result = assess(_connection(example, capability, unsure=unsure), samples=0)
    assert result.recommended == recommended and result.undecided is None
    found = _bridges(result.checks)
    assert list(found) == [check]
    assert any(bridge in b for b in found[check])
    text = next(c for c in result.checks if c["id"] == check)
    assert bridge.split()[-1] in text["question"] and text["sources"]


@pytest.mark.parametrize(("example", "capability", "recommended"), MIRRORS)
def test_no_bridge_check_where_the_counterpart_has_the_capability(example, capability, recommended):
    """The mirror image: the counterpart offers what the pattern needs (or anything), so no bridge check."""
    result = assess(_connection(example, capability), samples=0)
    assert result.recommended == recommended
    assert _bridges(result.checks) == {}


def test_assess_table_fires_the_same_bridge_checks_as_assess():
    """The estate's `checks` column names the bridge on the rows that need one, and nothing on their mirrors."""
    cases = [(e, c, r, k) for e, c, u, r, k, _ in BRIDGES if not u] + [(e, c, r, "") for e, c, r in MIRRORS]
    rows = [dict(_connection(e, c)["characteristics"]) for e, c, _, _ in cases]
    table = assess_table(pd.DataFrame(rows, dtype=object))
    for (example, capability, recommended, check), (_, result) in zip(cases, table.iterrows(), strict=True):
        assert result["recommended"] == recommended, (example, capability)
        fired = {c for c in str(result["checks"]).split(", ") if c.startswith("K-BRIDGE")}
        assert fired == ({check} if check else set()), (example, capability)


def test_an_undecided_row_needs_no_bridge_in_the_estate():
    """With no pattern recommended there is nothing to bridge to: the estate names no bridge check."""
    table = assess_table(pd.DataFrame([{"counterpart_capability": "api"}], dtype=object))
    assert table.loc[0, "undecided"] and pd.isna(table.loc[0, "recommended"])
    assert "K-BRIDGE" not in str(table.loc[0, "checks"])
