"""What a page accepts as an upload, one limit per kind of file, the same on every page.

A connection, weights, a profile, a column mapping or a workshop file is read as the command line
reads it (`io.reading.MAX_BYTES`); an inventory or architecture model may be large, but a page holds
it in memory, so larger estates go through ``patternfit estate`` on the command line."""

from __future__ import annotations

from patternfit.io.reading import MAX_BYTES

SMALL_FILE_BYTES = MAX_BYTES  # a connection, weights, a profile, a mapping, a workshop file, a record
INVENTORY_BYTES = 200_000_000  # an inventory or architecture model uploaded to a page


def too_large(size: int, limit: int) -> str:
    """The sentence a page shows for an upload over `limit`: '… is 3,000,000 bytes, larger than …'."""
    return f"is {size:,} bytes, larger than the {limit:,} a page accepts"
