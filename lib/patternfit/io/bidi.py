"""Bidirectional text kept in its place in HTML output.

A name holding a right-to-left override (U+202E) turns the rest of a line around: in a
report, `Shop → ‮Billing` can read as another system. `isolate_bidi` wraps any text that holds
a bidirectional control in a first-strong isolate (U+2068 … U+2069) and closes what the text
left open, so its direction cannot leak into what follows. It is the `finalize` of every HTML
Jinja2 environment; it works inside attributes too (it adds characters, not tags).
"""

from __future__ import annotations

import re
from typing import Any

_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, closed by PDF U+202C
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, closed by PDI U+2069


def isolate_bidi(value: Any) -> Any:
    """`value`, with text holding bidirectional controls isolated (other values unchanged)."""
    if not isinstance(value, str) or not _CONTROLS.search(value):
        return value
    embeddings = isolates = 0
    for char in value:
        if char in _EMBEDDINGS:
            embeddings += 1
        elif char == "\u202c":
            embeddings = max(embeddings - 1, 0)
        elif char in _ISOLATES:
            isolates += 1
        elif char == "\u2069":
            isolates = max(isolates - 1, 0)
    closed = "\u202c" * embeddings + "\u2069" * isolates
    return type(value)("\u2068") + value + type(value)(closed + "\u2069")


__all__ = ["isolate_bidi"]
