"""One way back from a decision record to what was decided on.

`reopen(path)` turns a record (MADR or log4brains Markdown, or the JSON of ``--format json``) into
its connection, the weights and the profile it was assessed with; `assess_record` re-assesses it
exactly as ``patternfit assess RECORD`` does. The CLI, the dashboards and the public
``patternfit.assess("0001-x.md")`` all come through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patternfit.engine.assess import Assessment, assess_connection
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import Connection
from patternfit.records.load import is_record_file, load_record, reassessment_notice, reopen_options
from patternfit.records.types import LoadedRecord


@dataclass(frozen=True, slots=True)
class Reopened:
    """A record's inputs, ready to assess again."""

    record: LoadedRecord
    weights: Any  # the stored weights (or those given instead), in `assess`'s form
    profile: Any  # the stored profile definition (or the one given instead), or None

    @property
    def connection(self) -> Connection:
        return self.record.connection


def reopen(path: str | Path, model: Model | None = None, *, weights: Any = None, profile: Any = None) -> Reopened:
    """Read a record; `weights` / `profile` given here replace the stored ones (a new profile
    replaces the stored weights too: they were the old profile's)."""
    record = load_record(path, model or load_model())
    chosen_weights, chosen_profile = reopen_options(record, weights, profile)
    return Reopened(record, chosen_weights, chosen_profile)


def assess_record(
    path: str | Path,
    *,
    weights: Any = None,
    profile: Any = None,
    samples: int | None = None,
    seed: int = 0,
    model: Model | None = None,
) -> tuple[Assessment, dict[str, Any]]:
    """Re-assess a record with its stored weights and profile: (assessment, what changed since)."""
    model = model or load_model()
    opened = reopen(path, model, weights=weights, profile=profile)
    result = assess_connection(
        opened.connection, weights=opened.weights, profile=opened.profile, samples=samples, seed=seed, model=model
    )
    return result, reassessment_notice(opened.record, result, model)


__all__ = ["Reopened", "assess_record", "is_record_file", "reopen"]
