

def test_an_unknown_pattern_key_names_the_patterns():
    """Model.pattern on a key that is no pattern raises KeyError naming the patterns, not a bare StopIteration."""
    import pytest

    from patternfit.model.catalog import load_model

    with pytest.raises(KeyError, match="not a pattern of the model.*events"):
        load_model().pattern("eventz")
