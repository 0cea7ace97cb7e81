"""Engine figures of DESIGN.md: `assess` with and without robustness, on this machine."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median_ms(call, repeat: int) -> float:
    for _ in range(max(3, repeat // 20)):  # warm caches first
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run() -> list[tuple[str, float, str]]:
    from patternfit import assess, load_model
    from patternfit.engine import robustness
    from patternfit.model.connection import load_connection

    def fresh(c: object) -> object:
        """assess with the weight draws drawn afresh (SMAA remembers them for a repeat)."""
        robustness._GAMMAS.clear()
        return assess(c, samples=10_000, model=model)

    model = load_model()
    connections = [load_connection(p, model) for p in sorted((ROOT / "data" / "examples").glob("*.yaml"))]
    plain = statistics.median(_median_ms(lambda c=c: assess(c, samples=0, model=model), 400) for c in connections)
    smaa = statistics.median(_median_ms(lambda c=c: fresh(c), 40) for c in connections)
    smaa_again = statistics.median(
        _median_ms(lambda c=c: assess(c, samples=10_000, model=model), 40) for c in connections
    )
    unsure = connections[-1].to_dict() | {"unsure": list(connections[-1].characteristics)[:3]}
    smaa_unsure = _median_ms(lambda: fresh(unsure), 40)
    # partly answered connections: the exact decision state (engine/state.py), its flips and the
    # ask_next batch (fully answered examples have little open to work out)
    partial = []
    for c in connections:
        data = c.to_dict()
        keys = list(data["characteristics"])
        partial.append(data | {"characteristics": {k: data["characteristics"][k] for k in keys[::2]}})
    half = statistics.median(_median_ms(lambda d=d: assess(d, samples=0, model=model), 200) for d in partial)
    unsure_plain = _median_ms(lambda: assess(unsure, samples=0, model=model), 200)
    return [
        ("assess, no robustness (median over the 5 examples)", plain, "ms (target ≤ 1)"),
        ("assess, no robustness, half the answers (exact state, flips)", half, "ms (no target)"),
        ("assess, no robustness, 3 answers unsure", unsure_plain, "ms (no target)"),
        ("assess, 10,000 SMAA samples", smaa, "ms (target ≤ 30)"),
        ("  the same again, same weights (weight draws remembered)", smaa_again, "ms"),
        ("assess, 10,000 samples, 3 answers unsure", smaa_unsure, "ms (no target)"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        sys.stdout.write(f"{name:<60} {value:10.3f} {unit}\n")
