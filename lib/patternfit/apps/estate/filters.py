"""What the connections table can show: a view of the findings, an owner, a search text."""

from __future__ import annotations

ALL_OWNERS = "All owners"
VIEWS = (
    ("Mismatches (largest gap first)", "mismatches"),
    ("Workshop candidates", "workshop"),
    ("Undecided: what to ask", "undecided"),
    ("Bridges to build", "bridges"),
    ("Rows with errors", "errors"),
    ("All rows", "all"),
)
