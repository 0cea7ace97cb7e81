"""Connection files: loose input becomes a validated Connection, or one clear InputError."""

from __future__ import annotations

import time

import pytest
from patternfit.errors import InputError
from patternfit.model.connection import Connection, load_connection, parse_connection


def test_example_files_load(model, examples):
    """Every shipped example is a valid connection file."""
    for path in examples.values():
        connection = load_connection(path, model)
        assert isinstance(connection, Connection)
        assert connection.characteristics


def test_partial_questionnaire_is_fine(model):
    """A connection with a few answers loads; the rest is unanswered."""
    c = parse_connection({"name": "x", "characteristics": {"consumer_count": 4}}, model)
    assert dict(c.characteristics) == {"consumer_count": 4}


def test_explicit_null_means_unanswered(model):
    """`key: null` is the same as leaving the key out."""
    c = parse_connection({"characteristics": {"consumer_count": None, "human_step": False}}, model)
    assert dict(c.characteristics) == {"human_step": False}


def test_proposed_as_name_or_mapping(model):
    """`proposed: events` and `proposed: {pattern: events, dlq: false}` both work."""
    assert parse_connection({"proposed": "events"}, model).proposed == {"pattern": "events"}
    c = parse_connection({"proposed": {"pattern": "shared_database", "dlq": False}}, model)
    assert c.proposed == {"pattern": "shared_database", "dlq": False}


def test_round_trip_through_to_dict(model, examples):
    """to_dict() gives back a mapping that parses to the same connection."""
    for path in examples.values():
        c = load_connection(path, model)
        assert parse_connection(c.to_dict(), model) == c


BAD = [
    ({"charcteristics": {}}, "charcteristics", "did you mean 'characteristics'"),
    ({"characteristics": {"consumer_cnt": 3}}, "characteristics.consumer_cnt", "did you mean 'consumer_count'"),
    ({"characteristics": {"latency_budget": "secnds"}}, "latency_budget", "did you mean 'seconds'"),
    ({"characteristics": {"latency_budget": "weekly"}}, "latency_budget", "allowed: subsecond, seconds"),
    ({"characteristics": {"consumer_count": -2}}, "consumer_count", "below the minimum 1"),
    ({"characteristics": {"consumer_count": 2.5}}, "consumer_count", "not a whole number"),
    ({"characteristics": {"consumer_count": float("nan")}}, "consumer_count", "nan"),
    ({"characteristics": {"consumer_count": "many"}}, "consumer_count", "not a whole number"),
    ({"characteristics": {"human_step": "maybe"}}, "human_step", "true or false"),
    ({"characteristics": {"freshness_value": 9}}, "freshness_value", "allowed: 1, 2, 3, 4, 5"),
    ({"characteristics": ["consumer_count", 3]}, "characteristics", "must be a mapping"),
    ({"characteristics": {"ordering": ["none"]}}, "ordering", "not one of the allowed values"),
    ({"sub": {"branching": "twisty"}}, "sub.branching", "allowed: linear, some, complex"),
    ({"stated": {"latency_budget": "now"}}, "stated.latency_budget", "allowed"),
    ({"proposed": "kafka"}, "proposed.pattern", "allowed: api, events"),
    ({"proposed": {"pattern": "event"}}, "proposed.pattern", "did you mean 'events'"),
    ({"proposed": {"dlq": "sure"}}, "proposed.dlq", "true or false"),
    ({"proposed": {"retry_layers": -1}}, "proposed.retry_layers", "below the minimum 0"),
    ({"proposed": ["events"]}, "proposed", "must be a pattern name or a mapping"),
    ({"unsure": ["latency_budget"]}, "unsure", "not an answered characteristic"),
    ({"unsure": 3}, "unsure", "must be a list"),
    ({"name": ["a"]}, "name", "must be text"),
    (["name", "x"], "connection", "must be a mapping"),
    (None, "connection", "is empty"),
]


@pytest.mark.parametrize(("data", "where", "what"), BAD)
def test_bad_connections_name_where_and_what(model, data, where, what):
    """Each kind of bad input gives one InputError naming the key and what is allowed."""
    with pytest.raises(InputError) as info:
        parse_connection(data, model)
    message = info.value.message
    assert where in message
    assert what in message
    assert "\n" not in message


FILES = [
    (b"", "is empty"),
    (b"name: [unclosed\n", "line 1"),
    (b"name: x\ncharacteristics:\n  consumer_count: 3\n   human_step: true\n", "line 4"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"name: \xff\xfe caf\xe9\n", "not UTF-8"),
    (b"- just\n- a list\n", "must be a mapping"),
    (b"name: !!python/object/apply:os.system ['true']\n", "YAML syntax error"),
]


@pytest.mark.parametrize(("content", "what"), FILES)
def test_bad_files_are_refused_with_where(tmp_path, model, content, what):
    """Empty, broken, binary, mis-encoded and unsafe files give one clear error."""
    path = tmp_path / "connection.yaml"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_connection(path, model)
    assert str(path) in info.value.message
    assert what in info.value.message


def test_json_syntax_error_names_the_line(tmp_path, model):
    """A .json file is parsed as JSON; an error names the line."""
    path = tmp_path / "c.json"
    path.write_text('{\n  "name": "x",\n  "characteristics": {,}\n}\n')
    with pytest.raises(InputError, match=r"c.json, line 3: JSON syntax error"):
        load_connection(path, model)


def test_json_nan_is_refused(tmp_path, model):
    """JSON NaN/Infinity constants are not numbers here."""
    path = tmp_path / "c.json"
    path.write_text('{"characteristics": {"consumer_count": NaN}}')
    with pytest.raises(InputError, match="NaN is not allowed"):
        load_connection(path, model)


def test_missing_file_and_folder(tmp_path, model):
    """A missing path or a folder is named as such."""
    with pytest.raises(InputError, match="no such file"):
        load_connection(tmp_path / "nope.yaml", model)
    with pytest.raises(InputError, match="is a folder"):
        load_connection(tmp_path, model)


def test_alias_bomb_is_refused_quickly(tmp_path, model):
    """A 'billion laughs' YAML is refused in well under a second, without building it."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(InputError, match="aliases"):
        load_connection(path, model)
    assert time.perf_counter() - start < 1.0


def test_deep_nesting_is_refused(tmp_path, model):
    """Deeply nested YAML is refused, not recursed into."""
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 200 + "]" * 200 + "\n")
    with pytest.raises(InputError, match="nested deeper"):
        load_connection(path, model)


def test_huge_file_is_refused(tmp_path, model):
    """A file over the size limit is refused before it is read."""
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * 3_000_000)
    with pytest.raises(InputError, match="larger than"):
        load_connection(path, model)
