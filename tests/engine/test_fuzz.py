"""Fuzzing every loader: whatever bytes arrive, only patternfit's own error type escapes,
and quickly. Inputs are random bytes, random YAML structures, and valid files with bytes
flipped."""

from __future__ import annotations

import math
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from patternfit.errors import PatternfitError

from tests.strategies import MODEL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "data" / "examples" / "order-created-fanout.yaml").read_bytes()
INVENTORY = (ROOT / "data" / "examples" / "inventory.csv").read_bytes()[:4000]

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "120")),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["events", "api", "result_now", "1", "true", "per_key", "3–5", "", "pattern", "characteristics"]),
)  # fmt: skip
keys = st.sampled_from(
    ["name", "characteristics", "sub", "stated", "proposed", "unsure", "entries", "id", "connection", "chosen",
     "changes", "weight", "fit", "to", "reason", "version", "title", "consumer_count", "human_step", "pattern"]
) | st.text(max_size=8)  # fmt: skip
structures = st.recursive(
    leaf, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5), max_leaves=25
)


def _yaml(value: object) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode()


def flipped(original: bytes) -> st.SearchStrategy[bytes]:
    """A valid file with a few bytes changed, cut or doubled."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        cut = draw(st.integers(0, len(data)))
        return bytes(data[:cut]) * draw(st.integers(1, 2))

    return build()


inputs = st.one_of(st.binary(max_size=600), structures.map(_yaml), flipped(EXAMPLE))


def _only_our_errors(call) -> None:
    try:
        result = call()
    except PatternfitError as exc:
        assert exc.message and "\n" not in exc.message.strip()
        return
    if hasattr(result, "scores"):
        assert all(s is None or math.isfinite(s) for s in result.scores.values())


@FUZZ
@given(inputs)
def test_connection_files(tmp_path_factory, data):
    """Connection files: assess() raises only PatternfitError."""
    from patternfit import assess

    path = tmp_path_factory.mktemp("c") / "c.yaml"
    path.write_bytes(data)
    _only_our_errors(lambda: assess(path, samples=20, model=MODEL))


@FUZZ
@given(inputs)
def test_weights_and_profiles(tmp_path_factory, data):
    """Weights and profile files raise only PatternfitError."""
    from patternfit.engine.weights import resolve_weights
    from patternfit.model.profile import apply_profile

    path = tmp_path_factory.mktemp("p") / "p.yaml"
    path.write_bytes(data)
    _only_our_errors(lambda: resolve_weights(path, MODEL))
    _only_our_errors(lambda: apply_profile(path, MODEL))


@FUZZ
@given(inputs)
def test_workshop_files(data):
    """Workshop uploads raise only PatternfitError."""
    from patternfit.workshop.file import load_workshop

    _only_our_errors(lambda: load_workshop(data, MODEL))


@FUZZ
@given(
    st.one_of(
        inputs, structures.map(lambda v: b"---\n" + _yaml(v) + b"---\n# Title\n\n## Context and Problem Statement\n")
    )
)
def test_decision_records(tmp_path_factory, data):
    """Decision records (front matter + Markdown) raise only PatternfitError."""
    from patternfit.records import load_record

    path = tmp_path_factory.mktemp("r") / "0001-x.md"
    path.write_bytes(data)
    _only_our_errors(lambda: load_record(path, MODEL))


@FUZZ
@given(st.one_of(st.binary(max_size=600), flipped(INVENTORY)), st.sampled_from(["inv.csv", "inv.xlsx"]))
def test_inventories(data, name):
    """Inventory uploads (CSV or XLSX) raise only PatternfitError."""
    from patternfit.estate.read import read_inventory_bytes

    _only_our_errors(lambda: read_inventory_bytes(data, name, model=MODEL))
