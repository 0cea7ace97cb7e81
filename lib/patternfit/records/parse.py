"""Read the parts of a decision record file: front matter, header list, H1, patternfit block.

Tolerant by design: it reads what it can from any ADR (patternfit's or hand-written), and
raises InputError only for text that is broken (an unclosed or invalid front matter block).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patternfit.errors import InputError
from patternfit.io import yamlio
from patternfit.records.render import COMMENT_CLOSE, COMMENT_OPEN
from patternfit.records.text import file_number, plain
from patternfit.records.types import STATUSES

H1 = re.compile(r"^# (.+?)(?:\s+#+)?\s*$")
HEADER_ITEM = re.compile(r"^[*-]\s+([A-Za-z][A-Za-z -]*?)\s*:\s*(.*?)\s*$")
L4B_SUPERSEDED = re.compile(r"^super[sc]eded by \[([^\]]*)\]\(([^)]*)\)\s*$", re.IGNORECASE)
NYGARD_TITLE = re.compile(r"^\d+\.\s+")
NYGARD_DATE = re.compile(r"^Date:\s*(\S+)\s*$", re.MULTILINE)
NYGARD_STATUS = re.compile(r"^## Status\n\n([^\n]+)", re.MULTILINE)
HTML_BLOCK = re.compile(r'<script type="application/json" id="patternfit">(.*?)</script>', re.DOTALL)
HTML_META = re.compile(r'<meta name="patternfit-(status|date)" content="([^"]*)">')
HTML_H1 = re.compile(r"<h1>(.*?)</h1>", re.DOTALL)


@dataclass(frozen=True)
class ParsedRecord:
    """What a record file says, before any validation against the model."""

    fmt: str
    title: str
    header: Mapping[str, Any] = field(default_factory=dict)
    block: Any = None


def read_record(path: Path) -> ParsedRecord:
    """Parse a record file (.md or .json); InputError names the file and the problem."""
    text = yamlio.read_text(path, what="decision record")
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    if path.suffix.lower() in (".html", ".htm"):
        return parse_html(text, str(path))
    return parse_markdown(text, str(path))


def parse_html(text: str, where: str) -> ParsedRecord:
    """An HTML record (`--format html`): the block in <script id="patternfit">, metadata in <meta>."""
    header = {m.group(1): html.unescape(m.group(2)) for m in HTML_META.finditer(text)}
    h1 = HTML_H1.search(text)
    title = NYGARD_TITLE.sub("", html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).strip()) if h1 else ""
    match = HTML_BLOCK.search(text)
    block = yamlio.parse(match.group(1), f"{where} (patternfit block)", json_only=True) if match else None
    return ParsedRecord("html", title, header, block)


def parse_json(text: str, where: str) -> ParsedRecord:
    """A JSON record: metadata at the top level, the patternfit block under `patternfit`."""
    data = yamlio.parse(text, where, json_only=True)
    if not isinstance(data, Mapping):
        raise InputError(where, "is not a JSON object", "give a record written by `patternfit record --format json`")
    keys = ("status", "date", "decision_makers", "consulted", "informed")
    header = {k.replace("_", "-"): data[k] for k in keys if k in data}
    title = data.get("title")
    return ParsedRecord("json", title if isinstance(title, str) else "", header, data.get("patternfit"))


def parse_markdown(text: str, where: str) -> ParsedRecord:
    """A Markdown ADR in MADR (front matter) or log4brains (header list) style."""
    text = text.replace("\r\n", "\n")
    front, body = split_front_matter(text, where)
    title = next((plain(m.group(1)) for line in body.split("\n") if (m := H1.match(line))), "")
    if front is not None:
        header = {str(k): v for k, v in front.items() if k != "patternfit"}
        block = front.get("patternfit", _comment_block(body, where))
        return ParsedRecord("madr", title, header, block)
    header = header_list(body)
    status = NYGARD_STATUS.search(body)
    if "status" not in header and status is not None:
        date = NYGARD_DATE.search(body)
        header = {"status": plain(status.group(1)), **({"date": date.group(1)} if date else {})}
        return ParsedRecord("nygard", NYGARD_TITLE.sub("", title), header, _comment_block(body, where))
    return ParsedRecord("log4brains", title, header, _comment_block(body, where))


def split_front_matter(text: str, where: str) -> tuple[Mapping[str, Any] | None, str]:
    """(front matter mapping or None, the text after it)."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return None, text
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise InputError(
            where,
            "the front matter is not closed: no `---` line after the first",
            "end the YAML block with a line `---`",
        )
    data = yamlio.parse("\n" + "\n".join(lines[1:end]), f"{where} (front matter)")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InputError(
            f"{where} (front matter)", "is not a mapping of `key: value` lines", "fix the YAML between the `---` lines"
        )
    return data, "\n".join(lines[end + 1 :])


def header_list(body: str) -> dict[str, str]:
    """log4brains metadata: the first list between the H1 and the first H2, as {key: value}."""
    header: dict[str, str] = {}
    seen_h1 = False
    for line in body.split("\n"):
        if line.startswith("## "):
            break
        if H1.match(line):
            seen_h1 = True
            continue
        match = HEADER_ITEM.match(line)
        if seen_h1 and match:
            header.setdefault(match.group(1).strip().lower(), match.group(2))
        elif seen_h1 and header and line.strip():
            break
    return header


def _comment_block(body: str, where: str) -> Any:
    start = body.rfind("\n" + COMMENT_OPEN + "\n")
    if start < 0:
        return None
    rest = body[start + len(COMMENT_OPEN) + 2 :]
    end = rest.find("\n" + COMMENT_CLOSE)
    if end < 0:
        raise InputError(where, "the `<!-- patternfit` comment is not closed", "end it with a line `-->`")
    data = yamlio.parse(rest[:end], f"{where} (patternfit comment)")
    return data.get("patternfit") if isinstance(data, Mapping) else data


def status_text(value: Any) -> str:
    """A status as MADR writes it; log4brains' `superseded by [0007-x](0007-x.md)` becomes
    `superseded by ADR-0007`."""
    text = " ".join(str(value).split()) if value is not None else ""
    match = L4B_SUPERSEDED.match(text)
    if match:
        number = file_number(Path(match.group(2)).name) or file_number(match.group(1))
        if number is not None:
            return f"superseded by ADR-{number:04d}"
    return text.lower() if text.lower() in STATUSES else text
