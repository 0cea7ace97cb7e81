"""Follow `ask_next` from an empty connection, and try to overturn a settled state by brute force.

Used by tests/engine/test_state.py and bench/bench_engine.py. The brute force is independent of
the state's own computation (patternfit.engine.state): it completes the answers and calls
`assess_connection(..., decide=False)`, which scores the headline only.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.model.catalog import Model

ROOT = Path(__file__).resolve().parents[2]
INTEGERS = range(1, 7)  # a count in every region the rules tell apart (they compare with 1, 2, 3 and 5)


# issue 20's newcomer: four answers that leave the address change open (two answers together flip it)
NEWCOMER = {
    "name": "Address change to billing, shipping and marketing",
    "characteristics": {
        "response_expectation": "none",
        "counterpart_capability": "api",
        "consistency": "eventual",
        "data_volume": "single",
    },
}


def level_values(model: Model, key: str) -> list[Any]:
    """Every allowed value of a question, one per level, as the engine answers it (integers: each
    bucket's top, or one past the last top for the open bucket)."""
    scale = model.question(key.removeprefix("sub.")).scale
    if scale.type != "integer":
        return list(scale.values)
    tops = scale.bucket_max
    return [top if top is not None else (tops[i - 1] or 0) + 1 for i, top in enumerate(tops)]


def corpus() -> dict[str, dict[str, Any]]:
    """Every full answer file of the repository: the reading corpus and the examples."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "tests" / "corpus" / "reading").glob("*.yaml")):
        found[f"reading/{path.stem}"] = yaml.safe_load(path.read_text(encoding="utf-8"))["connection"]
    for path in sorted((ROOT / "data" / "examples").glob("*.yaml")):
        found[f"examples/{path.stem}"] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return found


@dataclass(frozen=True)
class Followed:
    answers: int  # answers given until the state was settled (or the questions ran out)
    asked: int  # questions asked, those the file has no answer for included
    assessment: Assessment
    given: dict[str, Any]  # the connection as answered


def follow(full: Mapping[str, Any], model: Model, limit: int = 40) -> Followed:
    """Answer the first `ask_next` question not asked yet with the file's answer (or leave it
    unanswered when the file has none) until the state is settled or nothing is left to ask."""
    chars = dict(full.get("characteristics", {}))
    subs = dict(full.get("sub", {}))
    unsure = set(full.get("unsure", []))
    current: dict[str, Any] = {"name": full.get("name", "x"), "characteristics": {}, "sub": {}, "unsure": []}
    asked: set[str] = set()
    answers = 0
    a = assess_connection(current, samples=0, model=model)
    while a.state == "open" and len(asked) < limit:
        nxt = next((e["key"] for e in a.ask_next if e["key"] not in asked), None)
        if nxt is None:
            break
        asked.add(nxt)
        source, key = (subs, nxt[4:]) if nxt.startswith("sub.") else (chars, nxt)
        if key not in source:
            continue
        (current["sub"] if nxt.startswith("sub.") else current["characteristics"])[key] = source[key]
        if nxt in unsure:
            current["unsure"].append(nxt)
        answers += 1
        a = assess_connection(current, samples=0, model=model)
    return Followed(answers, len(asked), a, current)


def _options(model: Model, name: str, answered: bool) -> list[Any]:
    question = model.question(name.removeprefix("sub."))
    values = list(INTEGERS) if question.scale.type == "integer" else list(question.scale.values)
    return values if answered else [*values, None]


def _open(model: Model, given: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Open answers and the values each may take (None: left unanswered)."""
    unsure = set(given.get("unsure", []))
    out = {}
    for key in model.keys:
        if key not in given["characteristics"] or key in unsure:
            out[key] = _options(model, key, key in given["characteristics"])
    for question in model.sub_inputs:
        name = f"sub.{question.key}"
        if question.key not in given.get("sub", {}) or name in unsure:
            out[name] = _options(model, name, question.key in given.get("sub", {}))
    return out


def completions(model: Model, given: Mapping[str, Any], randoms: int = 200, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Every single and paired change of the open answers, every completion where at most 3
    answers are open, and `randoms` random completions."""
    open_ = _open(model, given)
    names = list(open_)
    if len(names) <= 3:
        for values in itertools.product(*(open_[n] for n in names)):
            yield dict(zip(names, values, strict=True))
        return
    for n in names:
        for v in open_[n]:
            yield {n: v}
    for a, b in itertools.combinations(names, 2):
        for va in open_[a]:
            for vb in open_[b]:
                yield {a: va, b: vb}
    rng = random.Random(seed)
    for _ in range(randoms):
        yield {n: rng.choice(open_[n]) for n in names}


def apply(given: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """The connection with `change` answered (given, not unsure; None: left unanswered)."""
    chars = dict(given["characteristics"])
    subs = dict(given.get("sub", {}))
    for name, value in change.items():
        target, key = (subs, name[4:]) if name.startswith("sub.") else (chars, name)
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    unsure = [k for k in given.get("unsure", []) if k not in change]
    return {"name": given.get("name", "x"), "characteristics": chars, "sub": subs, "unsure": unsure}


def overturns(settled: Assessment, model: Model, given: Mapping[str, Any], randoms: int = 200) -> list[dict[str, Any]]:
    """Completions that change the settled headline (contradictory ones excepted)."""
    found = []
    for change in completions(model, given, randoms):
        b = assess_connection(apply(given, change), samples=0, model=model, decide=False)
        if any(c["kind"] == "contradiction" for c in b.conflict):
            continue
        if (
            b.recommended != settled.recommended
            or b.tie is not None
            or (settled.recommended == "events" and b.messaging_flavour != settled.messaging_flavour)
            or (settled.coordination is not None and b.coordination != settled.coordination)
        ):
            found.append(change)
    return found
