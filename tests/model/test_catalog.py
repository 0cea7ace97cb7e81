"""The typed model's lookups (patternfit.model.catalog)."""

from __future__ import annotations

import pytest
from patternfit.model.catalog import load_model


def test_an_unknown_pattern_key_names_the_patterns():
    """Model.pattern on a key that is no pattern raises KeyError naming the patterns, not a bare StopIteration."""
    with pytest.raises(KeyError, match=r"not a pattern of the model.*events"):
        load_model().pattern("eventz")


def test_a_known_pattern_key_gives_its_catalog_label():
    """Model.pattern gives the pattern with its label from data/, for every pattern key."""
    model = load_model()
    assert [model.pattern(k).key for k in model.pattern_keys] == list(model.pattern_keys)
    assert all(model.pattern(k).label for k in model.pattern_keys)
