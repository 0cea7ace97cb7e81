"""Crafted flows for the flow tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


def example(name: str) -> dict[str, Any]:
    """An example connection (data/examples) as a mapping."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def api(**characteristics: Any) -> dict[str, Any]:
    """A settled synchronous call (the price lookup example), answers overridden."""
    data = example("checkout-price-lookup")
    data["characteristics"] |= characteristics
    return data


def step(
    ident: str, source: str, target: str, connection: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "from": source, "to": target, **extra}
    if connection is not None:
        out["connection"] = connection
    return out


def chain(depth: int, *, async_at: int | None = None) -> dict[str, Any]:
    """A call chain S0 → S1 → … → S<depth>, every call synchronous except step `async_at`."""
    steps = []
    for k in range(depth):
        conn = {"proposed": "events"} if k == async_at else {"proposed": "api"}
        steps.append(step(f"c{k}", f"S{k}", f"S{k + 1}", conn))
    return {"name": f"chain of {depth}", "steps": steps}


def saga(*, owners: tuple[str, ...], orchestrator: str = "", **sub: Any) -> dict[str, Any]:
    """A three-step saga with one compensation per step after the first, owned by `owners`."""
    steps = [
        step("reserve", "Shop", "Inventory", {"proposed": "events"}, next=["pay", "undo_reserve"], owner=owners[0]),
        step(
            "pay", "Shop", "Payments", {"proposed": "events"}, next=["ship", "undo_pay"], owner=owners[1 % len(owners)]
        ),
        step("ship", "Shop", "Shipping", {"proposed": "events"}, next=[], owner=owners[2 % len(owners)]),
        step("undo_reserve", "Shop", "Inventory", None, compensates="reserve", owner=owners[0]),
        step("undo_pay", "Shop", "Payments", None, compensates="pay", owner=owners[1 % len(owners)]),
    ]
    out: dict[str, Any] = {"name": "saga", "steps": steps, "sub": sub}
    if orchestrator:
        out["orchestrator"] = orchestrator
    return out
