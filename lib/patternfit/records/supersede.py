"""Mark an existing record as superseded: its status and a link to its successor, nothing else."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from patternfit.errors import InputError
from patternfit.io import yamlio
from patternfit.records.parse import L4B_SUPERSEDED, header_list, split_front_matter
from patternfit.records.render import COMMENT_OPEN
from patternfit.records.text import file_number
from patternfit.records.types import SUPERSEDED, adr_id

NYGARD_STATUS = re.compile(r"(^## Status\n\n)([^\n]+)", re.MULTILINE)
HTML_STATUS = re.compile(r'(<dd class="pf-status">)([^<]*)(</dd>)')
HTML_META_STATUS = re.compile(r'(<meta name="patternfit-status" content=")([^"]*)(">)')
STATUS_LINE = re.compile(r"^status\s*:.*$", re.MULTILINE)
L4B_STATUS = re.compile(r"^([*-]\s+)status\s*:.*$", re.IGNORECASE | re.MULTILINE)
NO_LINKS = "No related decisions yet."
RELATED = "Related decisions:"


def find_number(folder: Path, number: int) -> Path:
    """The one record file numbered `number` in `folder`; InputError if none or several."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InputError(
            "supersedes", f"{number!r} is not a record number", "give the NNNN of the older record, e.g. 3"
        )
    found = sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".")
        and p.suffix.lower() in (".md", ".json", ".html")
        and file_number(p.name) == number
    )
    if not found:
        raise InputError(
            str(folder),
            f"has no record numbered {number:04d} to supersede",
            "check the number with `patternfit records`",
        )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(
            str(folder),
            f"number {number:04d} is used by several files ({names})",
            "renumber them by hand so each number is used once",
        )
    return found[0]


def mark_superseded(old: Path, old_bytes: bytes, new_number: int, new_file: str) -> str:
    """The old record's new text: status `superseded by …` and a link to the new record."""
    text = yamlio.decode(old_bytes, str(old), what="decision record").replace("\r\n", "\n")
    if old.suffix.lower() == ".json":
        return _json(text, old, new_number, new_file)
    if old.suffix.lower() in (".html", ".htm"):
        return _html(text, old, new_number, new_file)
    front, _ = split_front_matter(text, str(old))
    if front is not None:
        _refuse_if_superseded(str(front.get("status", "")), old)
        return _madr(text, new_number, new_file)
    if "status" not in header_list(text) and NYGARD_STATUS.search(text):
        return _nygard(text, old, new_number, new_file)
    return _log4brains(text, old, new_number, new_file)


def _nygard(text: str, old: Path, number: int, file: str) -> str:
    """adr-tools' way: the status paragraph becomes `Superceded by [N. …](file)` (its spelling)."""
    match = NYGARD_STATUS.search(text)
    assert match is not None
    _refuse_if_superseded(match.group(2).strip().replace("Superceded", "superseded"), old)
    line = f"Superceded by [{number}. {Path(file).stem[5:].replace('-', ' ')}]({file})"
    return text[: match.start(2)] + line + text[match.end(2) :]


def _html(text: str, old: Path, number: int, file: str) -> str:
    status = HTML_STATUS.search(text)
    if status is None:
        raise InputError(str(old), "is not an HTML record with a status", "supersede a record written by patternfit")
    _refuse_if_superseded(html.unescape(status.group(2)), old)
    new = f"superseded by {adr_id(number)}"
    text = text[: status.start(2)] + new + text[status.end(2) :]
    text = HTML_META_STATUS.sub(lambda m: f"{m.group(1)}{new}{m.group(3)}", text, count=1)
    link = f'<p>Superseded by <a href="{html.escape(file)}">{adr_id(number)}</a></p>\n</main>'
    return text.replace("</main>", link, 1)


def _refuse_if_superseded(status: str, old: Path) -> None:
    status = " ".join(status.split())
    if SUPERSEDED.match(status) or L4B_SUPERSEDED.match(status) or status.lower().startswith("superseded"):
        raise InputError(str(old), f"is already {status}", "supersede the newer record instead")


def _madr(text: str, number: int, file: str) -> str:
    end = text.index("\n---", 3) + 1
    front, body = text[:end], text[end:]
    status = f'status: "superseded by {adr_id(number)}"'
    front = (
        STATUS_LINE.sub(status, front, count=1)
        if STATUS_LINE.search(front)
        else front.replace("---\n", f"---\n{status}\n", 1)
    )
    link = f"* Superseded by [{adr_id(number)}]({file})"
    return front + _add_to_section(body, "## More Information", link, RELATED)


def _log4brains(text: str, old: Path, number: int, file: str) -> str:
    header = header_list(text)
    if "status" not in header:
        raise InputError(
            str(old),
            "has neither front matter nor a `* Status:` line to mark as superseded",
            "add a status to it by hand first",
        )
    _refuse_if_superseded(header["status"], old)
    slug = Path(file).stem
    text = L4B_STATUS.sub(lambda m: f"{m.group(1)}Status: superseded by [{slug}]({file})", text, count=1)
    return _add_to_section(text, "## Links", f"* Superseded by [{slug}]({file})", "")


def _add_to_section(text: str, heading: str, item: str, intro: str) -> str:
    """Append `item` to the list of section `heading` (created at the end if missing)."""
    lines = text.rstrip("\n").split("\n")
    tail = _comment_start(lines)
    body, comment = lines[:tail], lines[tail:]
    while body and body[-1] == "":
        body.pop()
    if heading not in body:
        body += ["", heading, "", *([intro, ""] if intro else []), item]
    else:
        body = _insert(body, body.index(heading), item, intro)
    return "\n".join(body + (["", *comment] if comment else [])) + "\n"


def _comment_start(lines: list[str]) -> int:
    for i in range(len(lines) - 1, -1, -1):
        if lines[i] == COMMENT_OPEN:
            return i
    return len(lines)


def _insert(body: list[str], start: int, item: str, intro: str) -> list[str]:
    end = next((i for i in range(start + 1, len(body)) if body[i].startswith("## ")), len(body))
    section = body[start:end]
    if NO_LINKS in section:
        section[section.index(NO_LINKS)] = item
    elif intro and intro in section:
        last = section.index(intro) + 2
        while last < len(section) and section[last].startswith("* "):
            last += 1
        section.insert(last, item)
    else:
        while section[-1] == "":
            section.pop()
        continues_list = not intro and section[-1].startswith("* ")
        section += [item] if continues_list else ["", *([intro, ""] if intro else []), item]
    while section[-1] == "":
        section.pop()
    tail = body[end:]
    return body[:start] + section + ([""] if tail else []) + tail


def _json(text: str, old: Path, number: int, file: str) -> str:
    data = yamlio.parse(text, str(old), json_only=True)
    if not isinstance(data, dict) or "status" not in data:
        raise InputError(
            str(old), "is not a JSON record with a status", "supersede a record written by `patternfit record`"
        )
    _refuse_if_superseded(str(data["status"]), old)
    data["status"] = f"superseded by {adr_id(number)}"
    links: list[Any] = data["links"] if isinstance(data.get("links"), list) else []
    data["links"] = [*links, {"relation": "Superseded by", "number": number, "file": file}]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
