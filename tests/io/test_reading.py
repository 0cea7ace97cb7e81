"""The guarded reading layer in-process: budgets of YAML/JSON, regular files only, paths kept
inside a folder, bidirectional text isolated."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from patternfit.errors import InputError
from patternfit.io import reading, yamlio
from patternfit.io.bidi import isolate_bidi


def _refused(text: str, *, json_only: bool = False) -> str:
    with pytest.raises(InputError) as caught:
        yamlio.parse(text, "f.yaml", json_only=json_only)
    return caught.value.message


def test_expansion_is_counted_not_just_aliases() -> None:
    """45 anchors, each repeating the one before twice (2^45 items in 2 KB), are refused at once."""
    bomb = "a0: &a0 x\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 46))
    start = time.perf_counter()
    message = _refused(bomb + "name: *a45\n")
    assert "aliases expand to more than 100,000 nodes or characters" in message
    assert time.perf_counter() - start < 5


def test_a_long_text_repeated_by_aliases_is_refused() -> None:
    """Few aliases of one long text: the characters they add are counted too."""
    text = "a: &a " + "x" * 60_000 + "\nb: [*a, *a]\n"
    assert "aliases expand" in _refused(text)


def test_aliases_within_the_budget_still_work() -> None:
    """Ordinary anchors and merge keys (a defaults block reused) keep working."""
    data = yamlio.parse("base: &b {x: 1}\none: {<<: *b, y: 2}\ntwo: *b\n", "f.yaml")
    assert data == {"base": {"x": 1}, "one": {"x": 1, "y": 2}, "two": {"x": 1}}


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("name: a\nother: 1\nname: b\n", "the key 'name' is given twice in one mapping (line 3)"),
        ("a: &x [1, *x]\n", "refers to the node it is inside"),
        ("[" * 50 + "]" * 50, "nested deeper than 40 levels"),
        ("[" * 200_000 + "]" * 200_000, "nest"),  # refused before any recursion (libyaml's or ours)
        ("n: " + "9" * 31 + "\n", "an integer of more than 30 digits (line 1)"),
        ("n: " + "9" * 5000 + "\n", "more than 30 digits"),
        ("a: !!python/object/apply:os.system [ls]\n", "could not determine a constructor"),
    ],
)
def test_yaml_guards_name_what_and_line(text: str, what: str) -> None:
    """Duplicate keys, self-reference, depth, huge integers, tags: one message with the line."""
    message = _refused(text)
    assert message.startswith("f.yaml") and what in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ('{"a": 1,\n "a": 2}', "f.yaml, line 2: the key 'a' is given twice in one object"),
        ('{"n": ' + "9" * 5000 + "}", "an integer of more than 30 digits"),
        ('{"n": NaN}', "NaN is not allowed"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_json_guards(text: str, what: str) -> None:
    """Strict JSON: duplicate keys (with the line), huge integers (not Python's own advice), NaN, depth."""
    message = _refused(text, json_only=True)
    assert what in message and "set_int_max_str_digits" not in message


def test_several_documents_share_the_guards() -> None:
    """A multi-document stream is read document by document with the same budget."""
    assert yamlio.parse_all("a: 1\n---\nb: 2\n", "f.yaml") == [{"a": 1}, {"b": 2}]
    with pytest.raises(InputError, match="given twice"):
        yamlio.parse_all("a: 1\n---\nb: 2\nb: 3\n", "f.yaml")


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    """A FIFO (which would block) and a device are refused at once; a folder is named as one."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(InputError, match="is not a regular file"):
            reading.read_bytes(path, what="connection file")
    with pytest.raises(InputError, match="is a folder"):
        reading.read_bytes(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        reading.read_bytes(tmp_path / "missing.yaml")


def test_the_size_is_read_not_trusted(tmp_path: Path) -> None:
    """A file over the limit is refused with both sizes; /proc files that report size 0 are read up to it."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="is 101 bytes, larger than the 100 allowed"):
        reading.read_bytes(big, limit=100)
    assert reading.read_bytes(big, limit=101) == b"x" * 101
    proc = Path("/proc/self/status")
    if proc.exists():
        with pytest.raises(InputError, match="holds more than the 10 bytes allowed"):
            reading.read_bytes(proc, limit=10)


def test_utf16_is_named() -> None:
    """UTF-16 text, with or without its byte order mark, is named as such."""
    for raw in ("name: x\n".encode("utf-16"), "name: x\n".encode("utf-16-le")):
        with pytest.raises(InputError, match="UTF-16"):
            reading.decode(raw, "c.yaml", what="connection file")


def test_paths_stay_inside_the_folder(tmp_path: Path) -> None:
    """A link or `..` that leads out of the folder is refused; a path inside is returned resolved."""
    (tmp_path / "in.yaml").write_text("a: 1\n")
    (tmp_path / "link.yaml").symlink_to("/etc/passwd")
    assert reading.safe_path_under(tmp_path, "in.yaml") == (tmp_path / "in.yaml").resolve()
    for name in ("link.yaml", "../x.yaml", "/etc/passwd"):
        with pytest.raises(InputError, match="leads out of the folder"):
            reading.safe_path_under(tmp_path, name)


def test_bidirectional_text_is_isolated_and_closed() -> None:
    """An override is wrapped in a first-strong isolate and closed; plain text and non-text pass unchanged."""
    assert isolate_bidi("Shop \u202eBilling") == "\u2068Shop \u202eBilling\u202c\u2069"
    assert isolate_bidi("a\u2067b") == "\u2068a\u2067b\u2069\u2069"
    assert isolate_bidi("plain") == "plain" and isolate_bidi(3) == 3
