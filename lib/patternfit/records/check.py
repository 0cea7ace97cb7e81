"""A structural MADR 4.0 check (no third-party tool checks MADR's structure): headings and
their order, the `Chosen option` line, status, date, list markers and placeholders."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from patternfit.errors import InputError
from patternfit.io import yamlio
from patternfit.records.types import ISO_DATE, STATUSES, SUPERSEDED

SECTIONS = (
    "Context and Problem Statement", "Decision Drivers", "Considered Options", "Decision Outcome",
    "Pros and Cons of the Options", "More Information",
)  # fmt: skip
REQUIRED = ("Context and Problem Statement", "Considered Options", "Decision Outcome")
OUTCOME_PARTS = ("Consequences", "Confirmation")
PLACEHOLDER = re.compile(r"(?<!\\)\{[^{}\n]*[A-Za-z][^{}\n]*\}")  # an escaped \{ is text
CHOSEN = re.compile(r'^Chosen option: "(.+?)", because \S')
ARGUMENT = re.compile(r"^\* (Good|Neutral|Bad), because \S")
L4B_SUPERSEDED = re.compile(r"^superseded by \[[^\]]+\]\([^)]+\.md\)$")
PEOPLE = ("decision-makers", "consulted", "informed")


def check_madr(text: str, fmt: str = "madr") -> list[str]:
    """Problems with a MADR 4.0 record (fmt `madr`) or its log4brains flavour; [] if none."""
    problems: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    if fmt == "madr":
        lines = _front_matter(lines, problems)
    else:
        _log4brains_header(lines, problems)
    lines = _without_comments(lines)
    problems += _placeholders_and_markers(lines)
    h1 = [i for i, line in enumerate(lines) if line.startswith("# ")]
    if len(h1) != 1 or h1[0] != 0:
        problems.append(
            f"the title must be the one H1 on the first line after the front matter (found H1 at lines {h1})"
        )
    elif re.match(r"^# (ADR[- ]?)?\d+[.:] ", lines[0]):
        problems.append("the H1 title must not carry the record number")
    sections = _sections(lines)
    problems += _order(list(sections), fmt)
    options = _items(sections.get("Considered Options", []))
    if not options:
        problems.append("`## Considered Options` lists no option")
    problems += _outcome(sections.get("Decision Outcome", []), options)
    problems += _pros_and_cons(sections.get("Pros and Cons of the Options", []), options)
    return problems


def _front_matter(lines: list[str], problems: list[str]) -> list[str]:
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        problems.append("no YAML front matter between `---` lines")
        return lines
    end = lines.index("---", 1)
    try:
        data = yamlio.parse("\n".join(lines[1:end]), "front matter")
    except InputError as exc:
        problems.append(f"front matter is not valid YAML: {exc.message}")
        return lines[end + 1 :]
    if not isinstance(data, Mapping):
        problems.append("front matter is not a mapping")
        return lines[end + 1 :]
    problems += _metadata(data, lines[1:end])
    return lines[end + 1 :]


def _metadata(data: Mapping[str, Any], raw: list[str]) -> list[str]:
    out = []
    status = data.get("status")
    if not isinstance(status, str) or not (status in STATUSES or SUPERSEDED.match(status)):
        out.append(f"status {status!r} is not proposed/accepted/rejected/deprecated/draft/superseded by ADR-NNNN")
    if not any(line.startswith('status: "') for line in raw):
        out.append("status must be quoted")
    date = data.get("date")
    if not isinstance(date, dt.date) and not (isinstance(date, str) and ISO_DATE.match(date)):
        out.append(f"date {date!r} is not YYYY-MM-DD")
    for key in PEOPLE:
        value = data.get(key)
        if value is not None and not isinstance(value, (str, list)):
            out.append(f"{key} must be text or a list of names, got {type(value).__name__}")
    return out


def _log4brains_header(lines: list[str], problems: list[str]) -> None:
    header = {}
    for line in lines[2:]:
        match = re.match(r"^\* (\w+): (.*)$", line)
        if not match:
            break
        header[match.group(1)] = match.group(2)
    status = header.get("Status", "")
    if not (status in STATUSES or L4B_SUPERSEDED.match(status)):
        problems.append(f"`* Status:` {status!r} is not a status log4brains reads")
    if not ISO_DATE.match(header.get("Date", "")):
        problems.append(f"`* Date:` {header.get('Date')!r} is not YYYY-MM-DD")


def _without_comments(lines: list[str]) -> list[str]:
    out, inside = [], False
    for line in lines:
        if line.startswith("<!--"):
            inside = "-->" not in line
            continue
        if inside:
            inside = "-->" not in line
            continue
        out.append(line)
    return out


def _placeholders_and_markers(lines: list[str]) -> list[str]:
    out = []
    for number, line in enumerate(lines, 1):
        if PLACEHOLDER.search(line):
            out.append(f"line {number}: a {{…}} placeholder is left: {line.strip()[:60]}")
        if re.match(r"^\s*[-+] ", line):
            out.append(f"line {number}: lists use `*` as MADR does")
    return out


def _sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return sections


def _order(found: list[str], fmt: str) -> list[str]:
    allowed = (*SECTIONS, "Links") if fmt == "log4brains" else SECTIONS
    out = [f"unknown section `## {s}`" for s in found if s not in allowed]
    known = [s for s in found if s in allowed]
    if known != sorted(known, key=allowed.index):
        out.append(f"sections out of MADR order: {known}")
    out += [f"mandatory section `## {s}` is missing" for s in REQUIRED if s not in found]
    return out


def _items(lines: list[str]) -> list[str]:
    return [line[2:].strip() for line in lines if line.startswith("* ")]


def _outcome(lines: list[str], options: list[str]) -> list[str]:
    text = [line for line in lines if line.strip()]
    if not text:
        return ["`## Decision Outcome` is empty"]
    match = CHOSEN.match(text[0])
    if not match:
        return ['`## Decision Outcome` must start with `Chosen option: "…", because …`']
    out = [] if match.group(1) in options else [f"chosen option {match.group(1)!r} is not a considered option"]
    parts = [line[4:].strip() for line in lines if line.startswith("### ")]
    if parts != [p for p in OUTCOME_PARTS if p in parts]:
        out.append(f"`### Consequences` / `### Confirmation` out of order or unknown: {parts}")
    out += _arguments(_subsection(lines, "Consequences"), "Consequences")
    return out


def _subsection(lines: list[str], name: str) -> list[str]:
    if f"### {name}" not in lines:
        return []
    start = lines.index(f"### {name}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("### ")), len(lines))
    return lines[start:end]


def _arguments(lines: list[str], where: str) -> list[str]:
    return [
        f"{where}: `{line[:40]}` is not `* Good/Neutral/Bad, because …`"
        for line in lines
        if line.startswith("* ") and not ARGUMENT.match(line)
    ]


def _pros_and_cons(lines: list[str], options: list[str]) -> list[str]:
    out = []
    for heading in [line[4:].strip() for line in lines if line.startswith("### ")]:
        if heading not in options:
            out.append(f"pros and cons for {heading!r}, which is not a considered option")
        out += _arguments([x for x in _subsection(lines, heading) if x.startswith("* ")], heading)
    return out
