"""Following ask_next (issues 13 and 20): from an empty connection, answer each asked question as
the full answers say (skip one they leave open), stop when settled. Reports the share that settle
on the same recommendation as the full answers (target ≥ 95 %), the median and worst number of
answers to settled (DESIGN.md: median ≤ 9), and the settled states some completion overturns
(target 0): every single and paired change of the open answers, every completion where at most
three are open, and 200 random completions, each scored by `assess_connection(..., decide=False)` — a check
independent of the state's own computation (tests/engine/questionnaire.py)."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.engine.questionnaire

from cases import cases

LIMIT = 40


def follow(full: dict[str, Any], model: Any) -> tuple[Any, int, str]:
    """(final assessment, answers given, how it stopped: settled / no question left / limit)."""
    from patternfit.engine.assess import assess_connection

    chars, subs = dict(full.get("characteristics", {})), dict(full.get("sub", {}))
    unsure = set(full.get("unsure", []))
    data: dict[str, Any] = {"name": full.get("name", "ask"), "characteristics": {}, "sub": {}, "unsure": []}
    for key in ("stated", "proposed"):
        if key in full:
            data[key] = full[key]
    asked: set[str] = set()
    answers = 0
    while True:
        a = assess_connection(data, samples=0, model=model)
        if a.state == "settled":
            return a, answers, "settled"
        if answers >= LIMIT:
            return a, answers, "limit"
        for item in a.ask_next:
            key = item["key"]
            source, name = (subs, key[4:]) if key.startswith("sub.") else (chars, key)
            if key in asked or name not in source:
                continue  # already answered as the full answers say, or left open by them
            asked.add(key)
            (data["sub"] if key.startswith("sub.") else data["characteristics"])[name] = source[name]
            if key in unsure:
                data["unsure"].append(key)
            answers += 1
            break
        else:
            return a, answers, "no question left"


def run() -> list[tuple[str, float, str]]:
    from patternfit.engine.assess import assess_connection
    from patternfit.model.catalog import load_model

    model = load_model()
    from tests.engine.questionnaire import overturns

    counts, same, strict, stops, misses = [], 0, 0, {"settled": 0, "no question left": 0, "limit": 0}, []
    settled_counts, overturned = [], 0
    all_cases = cases(model)
    for name, full in all_cases.items():
        whole = assess_connection(full, samples=0, model=model)
        final, answers, stop = follow(full, model)
        counts.append(answers)
        stops[stop] += 1
        if stop == "settled":
            settled_counts.append(answers)
            if overturns(final, model, final.connection.to_dict(), randoms=200):
                overturned += 1
                misses.append(f"{name}: settled after {answers} answers, yet a completion overturns it")
        # the same recommendation as the full answers, in the same state (full answers that are
        # not settled themselves — partial, or in conflict — cannot settle by following ask_next)
        if final.recommended == whole.recommended and final.state == whole.state:
            same += 1
            strict += stop == "settled"
        else:
            reached = f"{stop} {final.state} on {final.recommended}"
            misses.append(f"{name}: {reached} (full: {whole.state} {whole.recommended})")
    n = len(all_cases)
    for line in misses:
        sys.stderr.write(f"  bench_ask: {line}\n")
    return [
        ("cases followed from an empty connection", float(n), "cases"),
        ("same recommendation and state as the full answers", 100 * same / n, "% (target >= 95)"),
        ("… of them settled (all cases counted)", 100 * strict / n, "%"),
        (
            "full answers not settled themselves",
            float(sum(assess_connection(f, samples=0, model=model).state != "settled" for f in all_cases.values())),
            "cases",
        ),
        ("answers given, median", float(statistics.median(counts)), "answers"),
        ("answers to settled, median", float(statistics.median(settled_counts or [0])), "answers (target <= 9)"),
        ("settled states a completion overturns (brute force)", float(overturned), "cases (target 0)"),
        ("answers given, worst case", float(max(counts)), "answers"),
        ("stopped unsettled (no question left the full answers give)", float(stops["no question left"]), "cases"),
    ]


if __name__ == "__main__":
    for label, value, unit in run():
        sys.stdout.write(f"{label:<62} {value:10.2f} {unit}\n")
