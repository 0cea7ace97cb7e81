"""patternfit.apps.common.limits: one upload limit per kind of file, the same on every page."""

from __future__ import annotations

from patternfit.apps.common.limits import INVENTORY_BYTES, SMALL_FILE_BYTES, too_large
from patternfit.io.reading import MAX_BYTES


def test_one_limit_per_kind_of_file_and_a_sentence_with_both_sizes():
    """A small file is limited as the CLI reads it; the sentence gives the size and the limit with separators."""
    assert SMALL_FILE_BYTES == MAX_BYTES < INVENTORY_BYTES
    assert too_large(3_000_000, 2_000_000) == "is 3,000,000 bytes, larger than the 2,000,000 a page accepts"
