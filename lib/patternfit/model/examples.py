"""The example connections shipped with the model (data/examples/*.yaml)."""

from __future__ import annotations

from pathlib import Path

from patternfit.errors import PatternfitError
from patternfit.model.catalog import Model
from patternfit.model.connection import load_connection


def examples(model: Model) -> dict[str, tuple[str, Path]]:
    """The example connections: file stem → (name, path), in file order; a broken one is left out."""
    out: dict[str, tuple[str, Path]] = {}
    for path in sorted((model.directory / "examples").glob("*.yaml")):
        try:
            out[path.stem] = (load_connection(path, model).name, path)
        except PatternfitError:  # a broken example must not break a dashboard
            continue
    return out
