"""Answer noise (issue 12): over the examples, the golden records and the reading corpus, change
each answer to each other value, one at a time, and mark it unsure. Reports the share of
headlines that fit ≤ 0 outside state conflict (target 0) and the share that change pattern."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import allowed, cases


def run() -> list[tuple[str, float, str]]:
    from patternfit.engine.assess import assess_connection
    from patternfit.model.catalog import load_model

    model = load_model()
    total = unfit_outside = changed = conflicts = opened = 0
    situations = with_pitfall = with_check = 0
    start = time.perf_counter()
    for data in cases(model).values():
        base = assess_connection(data, samples=0, model=model)
        if "proposed" not in data:  # no design given: nothing can show a design's pitfall
            situations += 1
            with_pitfall += bool(base.pitfalls)
            with_check += bool(getattr(base, "checks", []))
        for key, value in dict(data.get("characteristics", {})).items():
            question = model.question(key)
            level = question.scale.level_of(value)
            for other in allowed(question):
                if question.scale.level_of(other) == level:
                    continue
                variant = {
                    **data,
                    "characteristics": {**data["characteristics"], key: other},
                    "unsure": sorted({*data.get("unsure", []), key}),
                }
                a = assess_connection(variant, samples=0, model=model)
                state = getattr(a, "state", None)
                total += 1
                fit = a.scores.get(a.recommended) if a.recommended else None
                if (a.recommended is None or (fit is not None and fit <= 0)) and state != "conflict":
                    unfit_outside += 1
                changed += a.recommended != base.recommended
                conflicts += state == "conflict"
                opened += state == "open"
    seconds = time.perf_counter() - start
    return [
        ("answer-noise variants (one answer changed, marked unsure)", float(total), f"variants ({seconds:.1f} s)"),
        ("headlines fitting <= 0 (or none) outside state conflict", 100 * unfit_outside / total, "% (target 0)"),
        ("headlines that change pattern", 100 * changed / total, "% (no target)"),
        ("variants in state conflict", 100 * conflicts / total, "%"),
        ("variants in state open", 100 * opened / total, "%"),
        (
            "situations without a proposed design that get a pitfall",
            100 * with_pitfall / situations,
            f"% of {situations} (issue 12: about a third before)",
        ),
        ("… that get a question to check instead", 100 * with_check / situations, "%"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        sys.stdout.write(f"{name:<62} {value:10.2f} {unit}\n")
