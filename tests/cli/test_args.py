"""patternfit.cli.args: the argument types the command families share."""

from __future__ import annotations

import argparse

import pytest
from patternfit.cli.args import MAX_SAMPLES, MAX_SEED, count, samples, seed


def test_whole_numbers_in_range_are_taken_as_given():
    """0, a count, the largest sample count and the largest seed are accepted as numbers."""
    assert count("0") == 0 and count("12") == 12
    assert samples(str(MAX_SAMPLES)) == MAX_SAMPLES
    assert seed(str(MAX_SEED)) == MAX_SEED


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (count, "many", "'many' is not a whole number"),
        (count, "-1", "-1 must be ≥ 0"),
        (samples, "100001", "100,001 is more than the 100,000 samples allowed"),
        (seed, str(MAX_SEED + 1), "is larger than the largest seed"),
        (seed, "9" * 400, "is larger than the largest seed"),
    ],
)
def test_a_bad_number_says_what_was_given_and_the_limit(kind, text, message):
    """A bad value is an argparse error quoting the value and the bound, never a bare traceback."""
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        kind(text)


def test_a_huge_seed_is_quoted_cut_short():
    """A seed of 400 digits is refused without echoing all of it back."""
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        seed("9" * 400)
    assert len(str(raised.value)) < 100
