"""Weights read and checked once into a `Weights` value, then laid over a model's defaults."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from patternfit.engine.weights import MAX_WEIGHT, Weights, load_weights, resolve_weights
from patternfit.errors import InputError
from patternfit.model.profile import apply_profile


def test_a_weights_file_becomes_a_weights_value(tmp_path, model):
    """A file (bare, or under `weights:`) is read into a frozen `Weights` naming the file; a `Weights`
    passes through as is, and `resolve_weights` lays it over the defaults."""
    bare, wrapped = tmp_path / "bare.yaml", tmp_path / "wrapped.yaml"
    bare.write_text("ordering: 2\nconsumer_count: 1e3\n")
    wrapped.write_text("weights: {ordering: 2, consumer_count: 1000}\n")
    given = load_weights(bare, model)
    assert given == Weights({"ordering": 2.0, "consumer_count": 1000.0}, str(bare))
    assert load_weights(wrapped, model).values == given.values
    assert load_weights(given, model) is given
    with pytest.raises(dataclasses.FrozenInstanceError):
        given.where = "other"  # type: ignore[misc]
    vector = resolve_weights(given, model)
    expected = model.weights.copy()
    expected[model.keys.index("ordering")] = 2
    expected[model.keys.index("consumer_count")] = 1000
    np.testing.assert_array_equal(vector, expected)
    assert resolve_weights(None, model) is not model.weights  # a copy, never the model's own array


def test_weights_keep_a_profiles_other_defaults(model):
    """Checked once against the reference model, the same `Weights` lays over a profiled model's
    defaults: the keys it does not name keep the profile's weights."""
    profile = {"name": "A", "version": "1", "changes": [{"weight": "visibility", "to": 5, "reason": "audits"}]}
    profiled, _ = apply_profile(profile, model)
    vector = resolve_weights(load_weights({"ordering": 2}, model), profiled)
    assert vector[model.keys.index("visibility")] == 5
    assert vector[model.keys.index("ordering")] == 2


@pytest.mark.parametrize(
    ("given", "what"),
    [
        ({"ordring": 1}, "w.yaml: ordring: unknown characteristic (did you mean 'ordering'?)"),
        ({"ordering": -1}, "w.yaml: ordering: -1 is not a finite number ≥ 0"),
        ({"ordering": "high"}, "w.yaml: ordering: 'high' is not a number"),
        ({"ordering": True}, "w.yaml: ordering: True is not a number"),
        ({"ordering": MAX_WEIGHT * 2}, "w.yaml: ordering: 2e+06 is larger than the 1,000,000 allowed"),
        (["ordering"], "w.yaml: must be a mapping of characteristic: weight"),
    ],
)
def test_bad_weights_are_refused_where_they_enter(model, given, what):
    """Each bad key or value is refused by `load_weights`, naming where, the key and the value."""
    with pytest.raises(InputError) as caught:
        load_weights(given, model, where="w.yaml")
    assert caught.value.message.startswith(what)


def test_all_zero_is_refused_when_laid_over_the_defaults(model):
    """Zero for every characteristic is refused by `resolve_weights`, naming where the weights came from."""
    given = load_weights(dict.fromkeys(model.keys, 0), model, where="zero.yaml")
    with pytest.raises(InputError, match=r"zero\.yaml: all weights are zero"):
        resolve_weights(given, model)
