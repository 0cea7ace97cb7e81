"""Templates an organisation supplies, in a box: Jinja2's sandbox (no code escapes) plus limits.

The sandbox alone stops `{{ ''.__class__ }}`, but not a template that asks for too much:
`{{ "x" * 10**10 }}`, nested `range`s, a macro that calls itself twice per level, a string
doubled in a loop, `lipsum(n=10**7)`. `BoxedEnvironment` refuses each of these with a
LimitError (a SecurityError with a clear message) before memory or time run out:

* every loop step is counted against `MAX_STEPS`, every call (a macro, a method, a filter)
  against `MAX_CALLS`, for the whole render;
* any text built (`~`, `*`, a filter's result, the output) is capped at `MAX_TEXT` characters,
  and a number passed to a call or filter (a width, a count) at `MAX_ARGUMENT`;
* `**` with a large exponent and `%`/`format` with a large width are refused;
* `lipsum` is not offered.

`FolderLoader` resolves every `{% include %}` / `{% extends %}` to its real path and serves it
only if it lies inside the template's own folder: a symbolic link there to `/etc/passwd` is
refused, not copied into the record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from patternfit.errors import InputError
from patternfit.io.bidi import isolate_bidi
from patternfit.io.reading import read_text, safe_path_under

MAX_STEPS = 1_000_000  # loop steps in one render
MAX_CALLS = 100_000  # calls (functions, macros, methods, filters) in one render
MAX_TEXT = 5_000_000  # characters in any one text, and in the output
MAX_ARGUMENT = 100_000  # a number given to a call or filter (a width, a count, a range)
MAX_EXPONENT = 256
_WIDE = re.compile(r"[%{][^%{}]*?\d{6,}")  # a format width of six digits or more


class LimitError(SecurityError):
    """A template asked for more than the box allows (steps, calls, text, a number)."""


class _BoxedCodeGenerator(CodeGenerator):
    """Code generation with every loop's steps counted and every joined text measured."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):  # `for x in items` → `for x in environment.steps(items)`
            counted = nodes.Call(nodes.EnvironmentAttribute("steps"), [loop.iter], [], None, None)
            loop.iter = counted.set_lineno(loop.iter.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        """`a ~ b`: each part measured before it becomes text, the result measured after."""
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.text({join}((")
        for part in node.nodes:
            self.write("environment.measure(")
            self.visit(part, frame)
            self.write("), ")
        self.write(")))")


class BoxedEnvironment(SandboxedEnvironment):
    """A SandboxedEnvironment with limits on steps, text and numbers (see the module)."""

    code_generator_class = _BoxedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.taken = 0
        self.calls = 0
        self.globals.pop("lipsum", None)
        self.filters = {name: self._checked_filter(f) for name, f in self.filters.items()}
        self.finalize = self._finalize

    @jinja2.pass_eval_context
    def _finalize(self, context: Any, value: Any) -> Any:
        """Every `{{ value }}`: measured before it becomes text; bidirectional text isolated in HTML."""
        self.measure(value)
        return isolate_bidi(value) if context.autoescape else value

    def measure(self, value: Any) -> Any:
        """`value`, if written out as text it would not pass MAX_TEXT characters."""
        if _size(value) > MAX_TEXT:
            raise LimitError(f"the template builds a text or list longer than {MAX_TEXT:,}")
        return value

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Offer `function` as a filter, with the same checks as the built-in ones."""
        self.filters[name] = self._checked_filter(function)

    def step(self, count: int = 1) -> None:
        """Count `count` steps; SecurityError past MAX_STEPS."""
        self.taken += count
        if self.taken > MAX_STEPS:
            raise LimitError(f"the template takes more than {MAX_STEPS:,} loop steps")

    def called(self) -> None:
        """Count one call; SecurityError past MAX_CALLS."""
        self.calls += 1
        if self.calls > MAX_CALLS:
            raise LimitError(f"the template makes more than {MAX_CALLS:,} calls")

    def steps(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """`iterable`, one step counted per item."""
        for item in iterable:
            self.step()
            yield item

    def text(self, value: Any) -> Any:
        """`value`, if it is not a text longer than MAX_TEXT."""
        if isinstance(value, (str, list, tuple)) and len(value) > MAX_TEXT:
            raise LimitError(f"the template builds a text or list longer than {MAX_TEXT:,}")
        return value

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.called()
        _check_arguments((*args, *kwargs.values()))
        if __obj != __self.steps:  # a loop's items are counted as steps, not measured as text
            for value in (*args, *kwargs.values()):
                __self.measure(value)
        name = getattr(__obj, "__name__", "")
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if name in ("format", "format_map") and isinstance(owner, str) and _WIDE.search(owner):
            raise LimitError("the template formats with a width over 99,999")
        if _grows(owner, name, args) > MAX_TEXT:
            raise LimitError(f"the template builds a text or list longer than {MAX_TEXT:,}")
        return __self.text(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _number(right) and abs(right) > MAX_EXPONENT:
            raise LimitError(f"the template raises to a power over {MAX_EXPONENT}")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and _number(times) and len(seq) * times > MAX_TEXT:
                    raise LimitError(f"the template builds a text or list longer than {MAX_TEXT:,}")
        if operator == "%" and isinstance(left, str):
            if _WIDE.search(left):
                raise LimitError("the template formats with a width over 99,999")
            _check_arguments(right if isinstance(right, tuple) else (right,))
        return self.text(super().call_binop(context, operator, left, right))

    def _checked_filter(self, function: Callable[..., Any]) -> Callable[..., Any]:
        given = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0  # (context, value, …)

        @wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            self.called()
            value, rest = (args[given], args[given + 1 :]) if len(args) > given else (None, ())
            _check_arguments((*rest, *kwargs.values()))
            for each in (value, *rest, *kwargs.values()):
                self.measure(each)
            if isinstance(value, str) and function.__name__ == "do_format" and _WIDE.search(value):
                raise LimitError("the template formats with a width over 99,999")
            if _grows(value, _FILTER_METHODS.get(function.__name__, ""), rest) > MAX_TEXT:
                raise LimitError(f"the template builds a text or list longer than {MAX_TEXT:,}")
            return self.text(function(*args, **kwargs))

        return checked

    def render_limited(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """The template's output, refused once it passes MAX_TEXT characters."""
        parts: list[str] = []
        size = 0
        for part in template.generate(context):
            size += len(part)
            if size > MAX_TEXT:
                raise LimitError(f"the template writes more than {MAX_TEXT:,} characters")
            parts.append(part)
        return "".join(parts)


_FILTER_METHODS = {"do_replace": "replace", "do_indent": "indent", "do_join": "join"}


def _size(value: Any) -> int:
    """Roughly how many characters `value` is as text (counting stops past MAX_TEXT)."""
    total, stack = 0, [value]
    while stack and total <= MAX_TEXT:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 2
    return total


def _grows(owner: Any, name: str, args: tuple[Any, ...]) -> int:
    """The size a text or list method that multiplies would give (0 for any other call)."""
    first: Any = args[0] if args else None
    if isinstance(owner, str):
        if name == "replace" and len(args) >= 2 and isinstance(first, str) and isinstance(args[1], str):
            times = owner.count(first) if first else len(owner) + 1
            return len(owner) + times * max(len(args[1]) - len(first), 0)
        if name == "expandtabs":
            return len(owner) + owner.count("\t") * (first if _number(first) else 8)
        if name == "indent":
            return len(owner) + owner.count("\n") * (first if _number(first) else 4)
        if name == "join" and isinstance(first, (list, tuple)):
            return _size(first) + len(owner) * len(first)
    if isinstance(owner, (list, tuple)) and name == "join" and isinstance(first, str):  # the join filter
        return _size(owner) + len(first) * len(owner)
    if isinstance(owner, list) and name in ("extend", "append", "insert", "__iadd__"):
        return len(owner) + (len(first) if name == "extend" and isinstance(first, (list, tuple)) else 1)
    return 0


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_arguments(values: Iterable[Any]) -> None:
    for value in values:
        if _number(value) and abs(value) > MAX_ARGUMENT:
            raise LimitError(f"the template passes the number {value} (more than {MAX_ARGUMENT:,})")


class FolderLoader(jinja2.BaseLoader):
    """Templates from one folder; a name whose real path (links followed) leaves it is refused."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)  # refuses `..`
        try:
            path = safe_path_under(self.folder, Path(*pieces))
        except InputError:
            raise SecurityError(f"{template!r} leads out of the template folder {self.folder}") from None
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        text = read_text(path, what="template")
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


__all__ = ["MAX_ARGUMENT", "MAX_CALLS", "MAX_STEPS", "MAX_TEXT", "BoxedEnvironment", "FolderLoader", "LimitError"]
