"""The public `assess`: the engine's, plus reopening a decision record given by its path."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from patternfit.engine.assess import Assessment, assess_connection
from patternfit.model.catalog import Model
from patternfit.model.connection import Connection
from patternfit.records.reopen import assess_record, is_record_file


def assess(
    connection: Connection | Mapping[str, Any] | str | Path,
    *,
    weights: Mapping[str, Any] | str | Path | None = None,
    profile: Any = None,
    samples: int | None = None,
    seed: int = 0,
    model: Model | None = None,
) -> Assessment:
    """Assess a connection: a `Connection`, a connection mapping, a connection file, or a decision
    record (Markdown or JSON), which is re-assessed with its stored weights and profile exactly as
    ``patternfit assess RECORD`` does (weights or a profile given here replace the stored ones).

    `samples=0` skips the robustness analysis; None takes the model's policy (samples.default).
    Raises `InputError` on bad input."""
    options: dict[str, Any] = {"weights": weights, "profile": profile, "samples": samples, "seed": seed, "model": model}
    if isinstance(connection, (str, Path)) and is_record_file(Path(connection)):
        return assess_record(connection, **options)[0]
    return assess_connection(connection, **options)
