"""The real public models in ../shared/estates, read in place (never copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

ESTATES = Path(__file__).resolve().parents[3] / "shared" / "estates"


def real(relative: str) -> Path:
    """The path of a shared model; the test is skipped where the shared models are absent."""
    path = ESTATES / relative
    if not path.exists():
        pytest.skip(f"the shared real models are not at {ESTATES} in this checkout")
    return path


def head(data: bytes) -> str:
    """The first bytes as the importers' sniffing sees them."""
    return data[:65536].decode("utf-8-sig", errors="replace")
