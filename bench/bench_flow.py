"""A business flow of 50 steps → assessed (steps, coordination, findings, diagram): median ms.

DESIGN.md target: ≤ 100 ms. The steps are 50 different connections (the examples' answers,
each varied in one answer), chained with branches and compensations, so no two steps share an
assessment.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import yaml
from patternfit.engine.assess import assess_connection
from patternfit.flows import assess_flow, parse_flow
from patternfit.model.catalog import load_model

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
STEPS = 50
RUNS = 15


def flow(steps: int = STEPS) -> dict[str, Any]:
    """A flow of `steps` distinct connections: a chain with a branch every 7th step and a
    compensation every 10th."""
    model = load_model()
    bases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]
    varied = [(q.key, v) for q in model.characteristics if q.scale.type != "integer" for v in q.scale.values]
    out = []
    for k in range(steps):
        conn = dict(bases[k % len(bases)])
        key, value = varied[k % len(varied)]
        conn["characteristics"] = {**conn["characteristics"], key: value}
        conn["name"] = f"step {k}"
        step: dict[str, Any] = {"id": f"s{k}", "from": f"P{k % 9}", "to": f"P{(k + 1) % 9}", "connection": conn}
        step["owner"] = f"team{k % 4}"
        if k % 7 == 3 and k + 2 < steps:
            step["next"] = [f"s{k + 1}", f"s{k + 2}"]
        if k % 10 == 9:
            step["compensates"] = f"s{k - 1}"
        out.append(step)
    return {"name": "fifty steps", "characteristics": {"process_duration": "minutes"}, "steps": out}


def run() -> list[tuple[str, float, str]]:
    model = load_model()
    data = flow()
    assess_flow(data, model=model)  # warm the caches (model, technologies)
    steps = parse_flow(data, model).steps
    times, alone = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        assess_flow(data, model=model)
        times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        for step in steps:
            assess_connection(step.connection, samples=0, model=model)
        alone.append((time.perf_counter() - start) * 1000)
    return [
        (f"flow of {STEPS} steps assessed, median of {RUNS}", statistics.median(times), "ms (target ≤ 100)"),
        (
            f"the same {STEPS} steps' assess calls alone, median",
            statistics.median(alone),
            "ms (the flow's share is the rest)",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(*row)
