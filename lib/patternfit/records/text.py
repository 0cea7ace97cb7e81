"""Text helpers for decision records: inert Markdown, safe YAML, slugs, numbered file names."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

SLUG_MAX = 60
NUMBERED = re.compile(r"^(\d{1,5})-")  # NNNN-; not log4brains' YYYYMMDD- dates

_LINE_START = re.compile(r"^(?:([-=+])|(\d+)([.)]))")
_WWW = re.compile(r"(?i)\b(www)\.")
_ACTIVE = re.compile(r"([\\`*_{}\[\]<>#|~])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ESCAPE = re.compile(r"\\(.)|&(amp|lt|gt|quot|#123|#125);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#123": "{", "#125": "}"}


def inline(text: Any) -> str:
    """User or model text made inert in Markdown and HTML, on one line, with no HTML entities.

    Only what Markdown or HTML would act on is escaped, with a backslash (CommonMark): tags
    (`<`, `>`), emphasis, code, links (`[`, `]`), tables (`|`), headings, strikethrough, braces
    (no `{…}` can look like a template placeholder), an `&` that would start an entity, bare
    URLs and e-mail addresses (markdownlint MD034), and a list, heading or rule at the start of
    a line. Parentheses, `!`, `+` and a plain `&` stay as they are.
    """
    value = " ".join(str(text).split())
    value = _ACTIVE.sub(r"\\\1", value)
    value = _ENTITY_LIKE.sub("\\\\&", value)
    value = value.replace("@", "\\@").replace("://", "\\://")
    value = _WWW.sub(r"\1\\.", value)
    return _LINE_START.sub(_escape_line_start, value)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def plain(markdown: str) -> str:
    """Undo `inline`: the text a reader sees (backslash escapes resolved; the entities older
    records carried too)."""

    def one(match: re.Match[str]) -> str:
        return match.group(1) if match.group(1) is not None else _ENTITIES[match.group(2)]

    return _ESCAPE.sub(one, markdown)


def slugify(title: str) -> str:
    """Lowercase ASCII words joined by dashes, at most SLUG_MAX characters, never empty."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:SLUG_MAX]
        slug = slug[:SLUG_MAX].strip("-")
    return slug or "decision"


def file_number(name: str) -> int | None:
    """The NNNN of an `NNNN-slug.md` file name, else None."""
    match = NUMBERED.match(name)
    return int(match.group(1)) if match else None


class _Dumper(yaml.SafeDumper):
    """Block-style YAML whose risky strings are double-quoted on one line."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    risky = "--" in value or any(not ch.isprintable() for ch in value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if risky else None)


class Quoted(str):
    """A string always written double-quoted (MADR quotes `status`)."""


def _represent_quoted(dumper: yaml.SafeDumper, value: Quoted) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


def _represent_tuple(dumper: yaml.SafeDumper, value: tuple[Any, ...]) -> yaml.Node:
    return dumper.represent_list(list(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Quoted, _represent_quoted)
_Dumper.add_representer(tuple, _represent_tuple)


def dump_yaml(data: Any) -> str:
    """YAML text for front matter or a comment: no line is `---` and no `--` outside quotes."""
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
    return str(text)


def comment_safe(yaml_text: str) -> str:
    """YAML that can sit inside an HTML comment: every `--` (only ever inside a double-quoted
    string, see `_represent_str`) becomes the equivalent `-\\x2d` escape."""
    return yaml_text.replace("--", "-\\x2d")
