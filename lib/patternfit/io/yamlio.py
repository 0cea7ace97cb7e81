"""Reading YAML and JSON safely: the only place patternfit parses such text.

Never executes anything (safe construction only) and guards what a small file can describe:

* the text: regular files only, at most `MAX_BYTES` (or a reader's own limit), read not trusted;
* YAML is parsed by libyaml (PyYAML's C parser) where installed — far faster — and composed here
  in Python, so that every guard applies before anything is built: nesting depth
  (`MAX_DEPTH`), aliases (`MAX_ALIASES`), and the size aliases add when expanded (`MAX_EXPANSION`
  nodes and characters: 45 anchors that each repeat the one before twice describe 2^45 items
  in 4 KB, and are refused at composition, not when a title is turned into text);
* a key given twice in one mapping is refused with the key and its line (YAML and JSON);
* integers are bounded (`MAX_DIGITS` digits); JSON's NaN/Infinity are refused.

Every refusal is an InputError naming the file (and line), what, and how to fix it.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from patternfit.errors import InputError
from patternfit.io import reading
from patternfit.io.reading import MAX_BYTES as MAX_BYTES

MAX_ALIASES = 100
MAX_DEPTH = 40
MAX_EXPANSION = 100_000  # nodes, and characters, that aliases may add to a document when expanded
MAX_DIGITS = 30  # an integer with more digits is refused (no count, weight or id needs more)
INT_TAG = "tag:yaml.org,2002:int"

try:  # libyaml's parser: the events come from C, the guarded composition below stays in Python
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        """The pure-Python reader, scanner and parser, with libyaml's constructor signature."""

        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class _Refusal(yaml.YAMLError):
    """A guard refused the document; the text says why and where."""


class _GuardedLoader(Composer, _Parser, SafeConstructor, Resolver):
    """A safe loader whose composition counts depth, aliases and expansion, and refuses
    duplicate keys and oversized integers, before anything is constructed."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._aliases = 0
        self._depth = 0
        self._expanded = [0, 0]  # nodes, characters added by aliases
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node) → (nodes, characters) expanded

    def _line(self) -> int:
        event: Any = self.peek_event()
        return int(event.start_mark.line) + 1

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            line = self._line()
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refusal(f"more than {MAX_ALIASES} aliases (line {line})")
            alias: Any = super().compose_node(parent, index)
            self._expand(alias, line)
            return alias
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refusal(f"nested deeper than {MAX_DEPTH} levels (line {self._line()})")
            node: Any = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._sizes[id(node)] = self._size(node)
        return node

    def _expand(self, node: Node, line: int) -> None:
        size = self._sizes.get(id(node))
        if size is None:
            raise _Refusal(f"an alias refers to the node it is inside (line {line})")
        self._expanded[0] += size[0]
        self._expanded[1] += size[1]
        if max(self._expanded) > MAX_EXPANSION:
            raise _Refusal(f"its aliases expand to more than {MAX_EXPANSION:,} nodes or characters (line {line})")

    def _size(self, node: Node) -> tuple[int, int]:
        if isinstance(node, ScalarNode):
            if node.tag == INT_TAG and sum(c.isdigit() for c in node.value) > MAX_DIGITS:
                raise _Refusal(f"an integer of more than {MAX_DIGITS} digits (line {node.start_mark.line + 1})")
            return 1, len(node.value)
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = node.value
        elif isinstance(node, MappingNode):
            _unique_keys(node)
            children = [n for pair in node.value for n in pair]
        nodes, chars = 1, 0
        for child in children:
            n, c = self._sizes.get(id(child), (1, 0))
            nodes, chars = nodes + n, chars + c
        return nodes, chars


def _unique_keys(node: MappingNode) -> None:
    """Refuse a mapping that gives one key twice (YAML would silently keep the last)."""
    seen: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if not isinstance(key, ScalarNode):
            continue
        name = (key.tag, key.value)
        if name in seen:
            raise _Refusal(f"the key {key.value[:80]!r} is given twice in one mapping (line {key.start_mark.line + 1})")
        seen.add(name)


def read_text(path: Path, *, what: str = "file", max_bytes: int = MAX_BYTES) -> str:
    """The text of a UTF-8 regular file, or an InputError naming the file and the problem."""
    return reading.read_text(path, what=what, limit=max_bytes)


def decode(raw: bytes, where: str, *, what: str = "file") -> str:
    """UTF-8 text from bytes (a BOM is dropped); binary data is refused."""
    return reading.decode(raw, where, what=what)


def parse(text: str, where: str, *, json_only: bool = False) -> Any:
    """Parse YAML (a superset of JSON) or strict JSON, naming the line of a syntax error."""
    if json_only:
        return load_json(text, where=where)
    return load_yaml(text, where=where)


def load_yaml(text: str, *, where: str) -> Any:
    """One YAML document, guarded (see the module's docstring)."""
    with _yaml_errors(where), _no_gc():
        loader = _GuardedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


def parse_all(text: str, where: str) -> list[Any]:
    """Every document of a multi-document YAML stream (`---` between them), with the same guards."""
    with _yaml_errors(where), _no_gc():
        loader = _GuardedLoader(text)
        try:
            docs = []
            while loader.check_node():
                docs.append(loader.construct_document(loader.get_node()))
            return docs
        finally:
            loader.dispose()


def load_json(text: str, *, where: str) -> Any:
    """Strict JSON, guarded: duplicate keys, oversized integers, NaN and Infinity are refused."""
    try:
        return json.loads(
            text, parse_constant=_reject_constant, parse_int=_bounded_int, object_pairs_hook=_unique_pairs
        )
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}, line {exc.lineno}", f"JSON syntax error: {exc.msg}", "fix the JSON") from None
    except _DuplicateKey as exc:
        line = _json_line(text, exc.key)
        raise InputError(
            f"{where}{line}", f"the key {exc.key[:80]!r} is given twice in one object", "keep one of them"
        ) from None
    except RecursionError:
        raise InputError(where, "is nested too deeply", "simplify the file") from None
    except ValueError as exc:
        raise InputError(where, str(exc), "use a smaller number" if "digits" in str(exc) else "use a number") from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _json_line(text: str, key: str) -> str:
    """', line N' of the key's second occurrence, where it can be found plainly in the text."""
    quoted = json.dumps(key, ensure_ascii=False)
    first = text.find(quoted)
    second = text.find(quoted, first + 1) if first >= 0 else -1
    return f", line {text.count(chr(10), 0, second) + 1}" if second >= 0 else ""


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"an integer of more than {MAX_DIGITS} digits is not allowed")
    return int(digits)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a document is built: its many new objects hold
    no cycles, and the collector's passes over them would double the time on a large model."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _yaml_errors(where: str) -> Iterator[None]:
    """YAML errors as one InputError naming the line."""
    try:
        yield
    except _Refusal as exc:
        raise InputError(where, f"refused: {exc}", "simplify the file") from None
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
    except (ValueError, OverflowError) as exc:  # a scalar the safe constructor cannot build
        raise InputError(where, f"holds a value that cannot be read ({exc})", "fix the value") from None


def load(path: str | Path, *, what: str = "file") -> Any:
    """Read and parse a YAML or JSON file."""
    path = Path(path)
    text = read_text(path, what=what)
    return parse(text, str(path), json_only=path.suffix.lower() == ".json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")
