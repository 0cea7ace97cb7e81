"""Reading YAML and JSON safely: the only place patternfit parses such text.

Never executes anything (`yaml.SafeLoader`), refuses binary and oversized files, and caps
aliases and nesting so that an alias-heavy "billion laughs" document cannot exhaust memory
or time when the result is walked.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from patternfit.errors import InputError

MAX_BYTES = 2_000_000
MAX_ALIASES = 100
MAX_DEPTH = 40


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and nesting while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases (line {event.start_mark.line + 1})")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"nested deeper than {MAX_DEPTH} levels (line {event.start_mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_text(path: Path, *, what: str = "file", max_bytes: int = MAX_BYTES) -> str:
    """The text of a UTF-8 file, or an InputError naming the file and the problem."""
    try:
        if path.is_dir():
            raise InputError(str(path), f"is a folder, not a {what}", f"give the path of a {what}")
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(str(path), "no such file", "check the path") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})", "check the path") from None
    if size > max_bytes:
        raise InputError(str(path), f"is {size:,} bytes, larger than the {max_bytes:,} allowed for a {what}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})", "check permissions") from None
    return decode(raw, str(path), what=what)


def decode(raw: bytes, where: str, *, what: str = "file") -> str:
    """UTF-8 text from bytes (a BOM is dropped); binary data is refused."""
    if b"\x00" in raw[:8192]:
        raise InputError(where, f"looks like a binary file, not a {what}", "give a YAML or JSON text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"is not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None
    return text


def parse(text: str, where: str, *, json_only: bool = False) -> Any:
    """Parse YAML (a superset of JSON) or strict JSON, naming the line of a syntax error."""
    if json_only:
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}, line {exc.lineno}", f"JSON syntax error: {exc.msg}", "fix the JSON") from None
        except ValueError as exc:
            raise InputError(where, str(exc), "use a number") from None
    with _yaml_errors(where):
        loader = _GuardedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


def parse_all(text: str, where: str) -> list[Any]:
    """Every document of a multi-document YAML stream (`---` between them), with the same guards."""
    with _yaml_errors(where):
        loader = _GuardedLoader(text)
        try:
            docs = []
            while loader.check_data():  # type: ignore[no-untyped-call]
                docs.append(loader.get_data())
            return docs
        finally:
            loader.dispose()


@contextlib.contextmanager
def _yaml_errors(where: str) -> Iterator[None]:
    """YAML errors as one InputError naming the line."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "syntax error"
        opened = exc.context_mark
        if opened is not None and mark is not None and opened.line != mark.line:
            problem += f" ({exc.context} at line {opened.line + 1})"
        raise InputError(f"{where}{line}", f"YAML syntax error: {problem}", "fix the YAML") from None
    except yaml.reader.ReaderError as exc:
        raise InputError(
            where, f"contains a control character (#x{exc.character:04x}) at position {exc.position}", "remove it"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(where, f"refused: {exc}", "simplify the file") from None
    except RecursionError:
        raise InputError(where, "nested too deeply", "simplify the file") from None


def load(path: str | Path, *, what: str = "file") -> Any:
    """Read and parse a YAML or JSON file."""
    path = Path(path)
    text = read_text(path, what=what)
    return parse(text, str(path), json_only=path.suffix.lower() == ".json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")
