"""The situations the engine benches run over: the examples (data/examples), the golden records
(tests/golden/records, reopened) and the reading corpus (tests/corpus/reading)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def cases(model: Any) -> dict[str, dict[str, Any]]:
    """name → connection mapping (as a connection file would hold it)."""
    from patternfit.model.connection import load_connection

    out: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "data" / "examples").glob("*.yaml")):
        out[f"example/{path.stem}"] = load_connection(path, model).to_dict()
    golden = ROOT / "tests" / "golden" / "records"
    if golden.is_dir():
        try:
            from patternfit.records.reopen import reopen
        except ImportError:  # an older layout: no reopen
            reopen = None
        for path in sorted(golden.glob("*.madr.md")):
            if reopen is not None:
                out[f"golden/{path.name.removesuffix('.madr.md')}"] = reopen(path, model).connection.to_dict()
    for path in sorted((ROOT / "tests" / "corpus" / "reading").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[f"reading/{path.stem}"] = data["connection"]
    return out


def allowed(question: Any) -> list[Any]:
    """One allowed value per level (integer scales: each bucket's top; the open bucket: top + 1)."""
    scale = question.scale
    if scale.type == "integer":
        tops = scale.bucket_max
        return [top if top is not None else (tops[i - 1] or 0) + 1 for i, top in enumerate(tops)]
    return list(scale.values)
