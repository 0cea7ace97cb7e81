"""Record templates: the built-in layouts (MADR, MADR minimal, Nygard, log4brains, HTML), an
organisation's own template file in the sandbox, Markdown without HTML entities, and reopening and
superseding every layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from patternfit import assess
from patternfit.cli.main import main
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.records import RecordMeta, build_record, check_madr, render_record, save_record, supersede
from patternfit.records.load import decision_log, load_record
from patternfit.records.reopen import reopen

ROOT = Path(__file__).resolve().parents[2]
FANOUT = ROOT / "data" / "examples" / "order-created-fanout.yaml"
LAYOUTS = [("madr", "madr"), ("madr", "madr-minimal"), ("madr", "nygard"), ("log4brains", "madr"),
           ("html", "madr"), ("json", "madr")]  # fmt: skip
HOSTILE = "Tom & Jerry <b>bold</b> &amp; {x} [l](u) *e* | p"


def _meta(**kw: object) -> RecordMeta:
    return RecordMeta(**({"date": "2026-11-26", "decision_makers": ("Ana",)} | kw))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fanout(model: Model) -> object:
    return assess(FANOUT, samples=100, model=model)


@pytest.mark.parametrize(("fmt", "template"), LAYOUTS)
def test_every_layout_reopens_to_the_same_inputs_and_id(
    model: Model, fanout: object, tmp_path: Path, fmt: str, template: str
) -> None:
    """A record saved in any layout reopens (reopen(path)) to the inputs, id and choice it was written with."""
    record = build_record(fanout, _meta(connection_id="INT-042"), model)  # type: ignore[arg-type]
    path = save_record(record, tmp_path, fmt, template)
    opened = reopen(path, model)
    assert opened.connection == fanout.connection  # type: ignore[attr-defined]
    assert opened.record.meta.connection_id == "INT-042" and opened.record.chosen == "events"
    assert opened.record.meta.status == "proposed" and opened.record.meta.date == "2026-11-26"
    assert opened.record.meta.title == record.title
    (entry,) = decision_log(tmp_path)
    assert (entry.number, entry.pattern, entry.status, entry.title) == (1, "events", "proposed", record.title)


@pytest.mark.parametrize(("fmt", "template"), [layout for layout in LAYOUTS if layout[0] != "json"])
def test_supersede_works_in_every_layout(model: Model, fanout: object, tmp_path: Path, fmt: str, template: str) -> None:
    """Superseding marks the old record (Nygard as adr-tools spells it) and the log shows it."""
    record = build_record(fanout, _meta(), model)  # type: ignore[arg-type]
    old = save_record(record, tmp_path, fmt, template)
    new = supersede(tmp_path, 1, record, fmt, template)
    assert load_record(old, model).meta.status == "superseded by ADR-0002"
    assert load_record(new, model).meta.supersedes == 1
    if template == "nygard":
        text = old.read_text(encoding="utf-8")
        assert f"## Status\n\nSuperceded by [2. {new.stem[5:].replace('-', ' ')}]({new.name})" in text
        assert "Supercedes [ADR-0001](" in new.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="already superseded"):
        supersede(tmp_path, 1, record, fmt, template)


@pytest.mark.parametrize("template", ["madr", "madr-minimal", "nygard"])
def test_markdown_carries_no_html_entities(model: Model, template: str) -> None:
    """User and model text with & < > braces and links is escaped with backslashes only: no &amp; &lt; &#123;."""
    connection = {"name": HOSTILE, "description": HOSTILE, "source": "A & B", "target": "C",
                  "characteristics": {"consumer_count": 3}}  # fmt: skip
    record = build_record(assess(connection, samples=0, model=model), _meta(title=HOSTILE), model)
    text = render_record(record, "madr", template=template, number=1)
    body = text.split("\n---\n", 1)[-1].split("<!-- patternfit")[0]
    assert not re.search(r"(?<!\\)&(amp|lt|gt|quot|#\d+);", body), body[:400]  # a typed `&amp;` stays `\&amp;`
    assert "Tom & Jerry \\<b\\>bold\\</b\\> \\&amp; \\{x\\} \\[l\\](u) \\*e\\* \\| p" in body
    assert "Hohpe & Woolf" in text or template != "madr"
    if template != "nygard":
        assert check_madr(text) == []


def test_minimal_keeps_the_mandatory_sections_and_the_block(model: Model, fanout: object) -> None:
    """madr-minimal: Context, Considered Options, Decision Outcome (with Consequences), no optional sections."""
    text = render_record(build_record(fanout, _meta(), model), template="madr-minimal")  # type: ignore[arg-type]
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == ["Context and Problem Statement", "Considered Options", "Decision Outcome"]
    assert "### Consequences" in text and "patternfit:\n  record_format: 1" in text and "```mermaid" in text


def test_nygard_has_adr_tools_shape(model: Model, fanout: object) -> None:
    """Nygard: `# N. Title`, `Date:`, Status/Context/Decision/Consequences, the block in a closing comment."""
    text = render_record(build_record(fanout, _meta(status="accepted"), model), template="nygard", number=7)  # type: ignore[arg-type]
    assert text.startswith(
        "# 7. Order created fan-out: use Events (topic)\n\nDate: 2026-11-26\n\n## Status\n\nAccepted\n"
    )
    assert re.findall(r"^## (.+)$", text, re.MULTILINE) == ["Status", "Context", "Decision", "Consequences"]
    assert text.rstrip().endswith("-->") and "<!-- patternfit\npatternfit:" in text


def test_html_is_autoescaped(model: Model) -> None:
    """The HTML record escapes user text (no tag from a connection name reaches the page)."""
    connection = {"name": "<script>alert(1)</script>", "source": "<img src=x onerror=1>", "target": "T",
                  "characteristics": {"consumer_count": 3}}  # fmt: skip
    html = render_record(build_record(assess(connection, samples=0, model=model), _meta(), model), "html")
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and 'id="patternfit"' in html


# --- an organisation's own template ---

GOOD = """{{ front_matter }}
# {{ r.title }}

## Context and Problem Statement

{{ r.question }} {{ "a * b" | md }}

## Considered Options

{% for o in r.option_labels %}
* {{ o }}
{% endfor %}

## Decision Outcome

Chosen option: "{{ r.chosen_label }}", because {{ r.justification }}

{{ mermaid_block }}
"""


def _template(tmp_path: Path, text: str, name: str = "acme.md.j2") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_organisation_template_renders_and_reopens(model: Model, fanout: object, tmp_path: Path) -> None:
    """A template file gets the escaped record, writes the patternfit block, passes the MADR check and reopens."""
    path = _template(tmp_path, GOOD)
    record = build_record(fanout, _meta(title="Acme *fan-out*"), model)  # type: ignore[arg-type]
    saved = save_record(record, tmp_path / "out", "madr", path)
    text = saved.read_text(encoding="utf-8")
    assert "# Acme \\*fan-out\\*" in text and "a \\* b" in text and "```mermaid\nsequenceDiagram" in text
    assert check_madr(text) == []
    assert reopen(saved, model).connection == fanout.connection  # type: ignore[attr-defined]


def test_an_html_organisation_template_is_autoescaped(model: Model, fanout: object, tmp_path: Path) -> None:
    """A .html template runs with autoescape: user text arrives escaped."""
    path = _template(tmp_path, "<h1>{{ r.title }}</h1>{{ patternfit_comment }}", "acme.html")
    record = build_record(fanout, _meta(title="<b>x</b>"), model)  # type: ignore[arg-type]
    assert render_record(record, "html", template=path).startswith("<h1>&lt;b&gt;x&lt;/b&gt;</h1><!-- patternfit")


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("{{ front_matter }}\n# T\n{% if %}\n", 3, "template syntax error"),
        (
            "{{ front_matter }}\n# T\n\n{{ r.title.__class__.__mro__[1].__subclasses__() }}\n",
            4,
            "outside the template sandbox",
        ),
        ("{{ front_matter }}\n{{ raw.__init__.__globals__ }}\n", 2, "outside the template sandbox"),
        ("{{ front_matter }}\n# T\n{{ r.no_such_field }}\n", 3, "template error"),
        ("{{ front_matter }}\n{% include '/etc/passwd' %}\n", 2, "not in"),
    ],
)
def test_a_broken_or_escaping_template_is_one_line_naming_file_and_line(
    model: Model, fanout: object, tmp_path: Path, text: str, line: int, what: str
) -> None:
    """Syntax errors, sandbox escapes, unknown fields and includes outside the folder: InputError at FILE:LINE."""
    path = _template(tmp_path, text)
    record = build_record(fanout, _meta(), model)  # type: ignore[arg-type]
    with pytest.raises(InputError) as err:
        render_record(record, template=path)
    assert err.value.where == f"{path}:{line}" and what in err.value.what
    assert "\n" not in err.value.message


def test_a_template_without_the_block_is_refused(model: Model, fanout: object, tmp_path: Path) -> None:
    """A template that drops the patternfit block would write records check cannot read: refused, saying how to fix."""
    path = _template(tmp_path, "# {{ r.title }}\n")
    with pytest.raises(InputError, match=r"writes no patternfit block.*front_matter"):
        render_record(build_record(fanout, _meta(), model), template=path)  # type: ignore[arg-type]


def test_cli_template_and_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`record --template PATH --id X` uses the template and stores the id; a bad template: exit 2, one line."""
    good = _template(tmp_path, GOOD)
    code = main(["record", str(FANOUT), "--out", str(tmp_path / "d"), "--template", str(good), "--id", "INT-9",
                 "--samples", "0"])  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "connection_id: INT-9" in Path(out.strip()).read_text(encoding="utf-8")
    code = main(["record", out.strip(), "--out", str(tmp_path / "d"), "--samples", "0"])  # re-record keeps the id
    again, _ = capsys.readouterr()
    assert code == 0 and "connection_id: INT-9" in Path(again.strip()).read_text(encoding="utf-8")
    bad = _template(tmp_path, "{{ front_matter }}\n{% for %}\n", "bad.md.j2")
    code = main(["record", str(FANOUT), "--out", str(tmp_path / "e"), "--template", str(bad), "--samples", "0"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and f"{bad}:2: template syntax error" in err
    assert not (tmp_path / "e").exists() or not any((tmp_path / "e").iterdir())
    code = main(["record", str(FANOUT), "--out", str(tmp_path / "e"), "--template", "nope", "--samples", "0"])
    out, err = capsys.readouterr()
    assert code == 2 and "nope: no such template file" in err and "madr-minimal" in err


def test_unsure_only_knock_out_is_a_condition_and_a_coordination_tie_says_either(model: Model) -> None:
    """A knock-out resting only on an unsure answer is written as a condition, not a ruling; a coordination
    tie says either style fits instead of naming one."""
    lookup = {"name": "Lookup", "characteristics": {"response_expectation": "result_now", "temporal_decoupling": True},
              "unsure": ["temporal_decoupling"]}  # fmt: skip
    a = assess(lookup, samples=0, model=model)
    assert "api" in a.conditional and "api" not in a.knocked_out
    text = render_record(build_record(a, _meta(), model))
    api = text.split("### Synchronous API", 1)[1].split("###", 1)[0]
    assert "only conditionally: Synchronous API is ruled out if “Works when receiver is down” holds (KO-5" in api
    assert "Ruled out by a knock-out" not in api
    tie = {"name": "Steps", "characteristics": {"response_expectation": "none", "coordinated_steps": 3,
                                                 "process_duration": "hours"}}  # fmt: skip
    b = assess(tie, samples=0, model=model)
    assert b.coordination is None and b.coordination_detail is not None and b.coordination_detail["tie"]
    assert "* Coordination: Either style fits" in render_record(build_record(b, _meta(), model))


def test_a_template_with_a_fake_block_is_refused_before_saving(model: Model, fanout: object, tmp_path: Path) -> None:
    """Text that merely says `patternfit:` is not a block: saving refuses it and writes nothing."""
    path = _template(tmp_path, "# {{ r.title }}\n\npatternfit: yes\n")
    record = build_record(fanout, _meta(), model)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="writes no patternfit block that reads back"):
        save_record(record, tmp_path / "out", "madr", path)
    assert not (tmp_path / "out").exists()
