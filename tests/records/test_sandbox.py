"""Organisation templates in a box: each way of asking for too much is refused quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError
from patternfit.records.sandbox import BoxedEnvironment, FolderLoader, LimitError


@pytest.mark.parametrize(
    ("template", "what"),
    [
        ('{{ "x" * 10**10 }}', "longer than 5,000,000"),
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "loop steps"),
        ("{% for i in [0] * 999999 %}{% for j in [0] * 999999 %}{% endfor %}{% endfor %}", "loop steps"),
        ("{{ lipsum(n=10**7) }}", "10000000"),
        ("{{ lipsum() }}", "'lipsum' is undefined"),
        ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}', "longer"),
        ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}", "calls"),
        ('{{ "x"|center(10**9) }}', "more than 100,000"),
        ('{{ "{:>9999999999}".format(1) }}', "width"),
        ('{{ "%999999999d" % 1 }}', "width"),
        ('{{ "%*d" % (10**9, 1) }}', "more than 100,000"),
        ("{{ 2 ** 100000 }}", "power"),
        ("{% for i in range(999) %}{% for j in range(999) %}{{ 'x' * 20 }}{% endfor %}{% endfor %}", "writes more"),
    ],
)
def test_asking_for_too_much_is_refused(template: str, what: str) -> None:
    """Text, steps, calls, numbers, widths and output are bounded: a clear refusal within seconds."""
    env = BoxedEnvironment()
    start = time.perf_counter()
    with pytest.raises(Exception) as caught:
        env.render_limited(env.from_string(template), {})
    assert what in str(caught.value)
    assert time.perf_counter() - start < 30


def test_an_ordinary_template_renders() -> None:
    """Loops, joins, filters and arithmetic of ordinary size are untouched."""
    env = BoxedEnvironment()
    text = env.render_limited(
        env.from_string("{% for i in range(3) %}{{ i }}{% endfor %}{{ 'a' ~ 'b' }}{{ 2**8 }}"), {}
    )
    assert text == "012ab256"
    assert issubclass(LimitError, SecurityError)


def test_includes_stay_in_the_template_folder(tmp_path: Path) -> None:
    """An include of a link inside the folder that points out of it is refused; a real neighbour is included."""
    (tmp_path / "part.md").write_text("part")
    (tmp_path / "leak.md").symlink_to("/etc/passwd")
    env = BoxedEnvironment(loader=FolderLoader(tmp_path))
    assert env.render_limited(env.from_string('{% include "part.md" %}'), {}) == "part"
    with pytest.raises(SecurityError, match="leads out of the template folder"):
        env.render_limited(env.from_string('{% include "leak.md" %}'), {})


@pytest.mark.parametrize(
    "template",
    [
        '{{ ("x" * 99999).replace("", "x" * 99999) }}',
        '{{ ("\t" * 99999).expandtabs(99999) }}',
        '{{ ([["x" * 99999]] * 99)|string }}',
        '{% set l = ["x" * 99999] %}{% for i in range(99) %}{{ l.append(l[0]) }}{% endfor %}{{ l|join }}',
        '{% set l = ["x" * 99999] %}{% for i in range(99) %}{{ l.append(l[0]) }}{% endfor %}{{ "" ~ l }}',
        '{% set l = ["x" * 99999] %}{% for i in range(99) %}{{ l.append(l[0]) }}{% endfor %}{{ l }}',
        "{% set l = [0] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}",
        '{{ ("a\\n" * 99999)|indent(99999) }}',
        '{{ ("x" * 99999)|replace("x", "y" * 99999) }}',
    ],
)
def test_texts_and_lists_that_multiply_are_refused_before_they_are_built(template: str) -> None:
    """replace, expandtabs, indent, join, string conversion, `~` and list growth are measured first."""
    env = BoxedEnvironment()
    start = time.perf_counter()
    with pytest.raises(LimitError, match="longer than 5,000,000"):
        env.render_limited(env.from_string(template), {})
    assert time.perf_counter() - start < 30
