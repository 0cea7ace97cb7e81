"""Decision records: building, rendering (MADR, log4brains, JSON), the structural MADR check, escaping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from patternfit import assess
from patternfit.errors import InputError
from patternfit.model.catalog import Model
from patternfit.records import (
    FORMATS,
    RecordMeta,
    build_record,
    check_madr,
    render_record,
    slugify,
)
from patternfit.records.parse import parse_markdown
from patternfit.records.text import inline, plain

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
SCHEMA = json.loads((ROOT / "data" / "record.schema.json").read_text(encoding="utf-8"))
EVIL = "<img src=x onerror=alert(1)> *bold* | pipe `code` {placeholder} https://evil.example a@b.example"
MADR_ORDER = [
    "Context and Problem Statement", "Decision Drivers", "Considered Options", "Decision Outcome",
    "Pros and Cons of the Options", "More Information",
]  # fmt: skip


def _meta(**kw: object) -> RecordMeta:
    base: dict[str, object] = {"date": "2026-11-26", "decision_makers": ("Ana Architect",)}
    return RecordMeta(**(base | kw))  # type: ignore[arg-type]


def _record(model: Model, example: Path, **kw: object) -> str:
    a = assess(example, samples=300, seed=1, model=model)
    return render_record(build_record(a, _meta(**kw), model), "madr")


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


@pytest.mark.parametrize("fmt", ["madr", "log4brains"])
def test_every_example_passes_the_structural_madr_check(model: Model, examples: dict[str, Path], fmt: str) -> None:
    """Each example's record has MADR's headings in order and a valid Chosen option, status and date."""
    for name, path in examples.items():
        a = assess(path, samples=200, model=model)
        text = render_record(build_record(a, _meta(), model), fmt)
        assert check_madr(text, fmt) == [], name


def test_structural_check_finds_broken_records(model: Model, examples: dict[str, Path]) -> None:
    """The checker rejects a wrong chosen option, swapped sections, a placeholder, a bad status and `-` lists."""
    good = _record(model, examples["order-created-fanout"])
    assert check_madr(good) == []
    broken = {
        "chosen": good.replace('Chosen option: "Events"', 'Chosen option: "Carrier pigeon"'),
        "order": good.replace("## Decision Drivers", "## Tmp").replace("## Considered Options", "## Decision Drivers")
        .replace("## Tmp", "## Considered Options"),
        "placeholder": good.replace("## More Information\n", "## More Information\n\n{describe this}\n"),
        "status": good.replace('status: "proposed"', 'status: "maybe"'),
        "unquoted": good.replace('status: "proposed"', "status: proposed"),
        "date": good.replace("date: 2026-11-26", "date: {YYYY-MM-DD}"),
        "dash": good.replace("* Synchronous API\n", "- Synchronous API\n"),
        "missing": good.replace("## Considered Options", "## Options considered"),
        "blank before title": good.replace("---\n# ", "---\n\n# ", 1),
    }  # fmt: skip
    for kind, text in broken.items():
        assert check_madr(text), kind


def test_headings_follow_madr_order_and_title_follows_front_matter(model: Model, examples: dict[str, Path]) -> None:
    """The H1 comes right after the closing `---` (adr-log) and the H2s are MADR's, in MADR's order."""
    text = _record(model, examples["shipment-reaction-chain"])
    assert re.search(r"\n---\n# Shipment dispatched reactions: use Events \(topic / choreography\)\n", text)
    h2 = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert h2 == MADR_ORDER
    outcome = text.split("## Decision Outcome\n\n", 1)[1]
    assert outcome.startswith('Chosen option: "Events", because it comes out best (see below)')
    assert "### Consequences" in outcome.split("## Pros and Cons")[0]
    assert "* Orchestration\n* Choreography\n" in text


def test_front_matter_has_madr_keys_and_the_patternfit_block(model: Model, examples: dict[str, Path]) -> None:
    """Front matter: quoted status, ISO date, people, and a patternfit block with inputs, weights and versions."""
    a = assess(examples["order-created-fanout"], samples=0, model=model)
    meta = _meta(consulted=("Ops",), informed=("All teams", "CRM"))
    parsed = parse_markdown(render_record(build_record(a, meta, model)), "x.md")
    assert parsed.header == {
        "status": "proposed", "date": __import__("datetime").date(2026, 11, 26),
        "decision-makers": "Ana Architect", "consulted": "Ops", "informed": "All teams, CRM",
    }  # fmt: skip
    block = parsed.block
    assert block["model_version"] == model.version
    assert block["recommended"] == block["chosen"] == "events"
    assert block["inputs"] == a.connection.to_dict()
    assert set(block["weights"]) == set(model.keys)
    assert '\nstatus: "proposed"\n' in render_record(build_record(a, meta, model))


def test_a_record_on_conflicting_answers_says_so_and_offers_no_checklist_as_the_plan(model: Model) -> None:
    """Answers that contradict (C-1: the result now, yet work that takes days): the record says it was decided
    on conflicting answers, the outcome is 'the least poor option', and Confirmation lists what to resolve
    instead of the pattern's operational checklist."""
    connection = {
        "name": "Nightly file", "characteristics": {
            "response_expectation": "result_now", "latency_budget": "subsecond", "data_volume": "bulk",
            "counterpart_capability": "file_only", "process_duration": "days_weeks", "human_step": True,
        },
    }  # fmt: skip
    a = assess(connection, samples=0, model=model)
    assert a.state == "conflict"
    for template in ("madr", "madr-minimal", "nygard"):
        text = render_record(build_record(a, _meta(), model), template=template, number=1)
        assert "This decision was made on conflicting answers" in text, template
        assert "least poor option on answers that conflict" in text, template
        assert "resolve these before any pattern's checklist becomes the plan" in text, template
        assert "C-1: The caller wants the result" in text, template
        assert "operational checklist of" not in text and "(WF-1)" not in text, template
    settled = render_record(
        build_record(assess(EXAMPLES / "order-created-fanout.yaml", samples=0, model=model), _meta(), model)
    )
    assert "settled: no combination of the remaining answers can change this." in settled
    assert "Confirm the decision against the operational checklist of Events:" in settled


def test_choosing_against_the_recommendation_needs_a_rationale(model: Model, examples: dict[str, Path]) -> None:
    """A choice other than the recommendation without a rationale is refused, naming the rationale."""
    a = assess(examples["order-created-fanout"], samples=0, model=model)
    with pytest.raises(InputError) as info:
        build_record(a, _meta(chosen="workflow"), model)
    assert info.value.where == "rationale" and "against the recommendation" in info.value.what


def test_record_says_plainly_when_the_team_chose_against_the_recommendation(
    model: Model, examples: dict[str, Path]
) -> None:
    """The outcome names the chosen option with the team's reason and states the recommendation it overrode."""
    a = assess(examples["order-created-fanout"], samples=0, model=model)
    text = render_record(build_record(a, _meta(chosen="batch", rationale="Our warehouse only imports files"), model))
    assert 'Chosen option: "Batch", because Our warehouse only imports files.' in text
    assert "The team chose against the recommendation. patternfit recommends Events" in text
    assert "Batch is ruled out by the model (KO-2" in text
    assert "checklist of Batch" in text and "(BAT-1)" in text
    assert check_madr(text) == []


def test_user_text_is_escaped_everywhere_it_is_shown(model: Model, examples: dict[str, Path]) -> None:
    """HTML, emphasis, table pipes, backticks, braces, URLs and e-mails in user text come out inert."""
    mistune = pytest.importorskip("mistune")
    connection = {"name": EVIL, "description": "- " + EVIL, "characteristics": {"response_expectation": "none"}}
    a = assess(connection, samples=0, model=model)
    meta = _meta(title="Title " + EVIL, decision_makers=("<b>Bo</b>",), rationale=EVIL, chosen="batch")
    for fmt in ("madr", "log4brains"):
        text = render_record(build_record(a, meta, model), fmt)
        body = _body(text) if fmt == "madr" else text.split("<!-- patternfit")[0]
        html = mistune.html(body)
        assert "<img" not in html and "<b>Bo" not in html and "<em>" not in html and "<code>" not in html
        assert "<a " not in html and "<ul>\n<li>&lt;img" not in html
        assert "{placeholder}" not in body
        assert check_madr(text, fmt) == [], fmt
    table_rows = [line for line in text.split("\n") if line.startswith("| ")]
    assert all(
        len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"(?<!\\)\|", table_rows[0])) for row in table_rows[:3]
    )


def test_inline_and_plain_round_trip() -> None:
    """`plain(inline(x))` gives back x (with whitespace collapsed) for hostile text."""
    for text in (EVIL, "- list", "1. one", "# hash #", "a\\b (c) !d +e", "&amp; literally", "www.example.com"):
        assert plain(inline(text)) == " ".join(text.split())
    assert inline("Events (topic)") == "Events (topic)"


def test_no_placeholder_or_dash_list_in_any_format(model: Model, examples: dict[str, Path]) -> None:
    """No `{…}` placeholder and no `-` list marker appears in any rendered record."""
    for path in examples.values():
        a = assess(path, samples=0, model=model)
        for fmt in ("madr", "log4brains"):
            text = render_record(build_record(a, _meta(), model), fmt)
            assert not re.search(r"\{[^{}\n]*[A-Za-z][^{}\n]*\}", text), (path.name, fmt)
            assert not re.search(r"^\s*- ", text.split("<!-- patternfit")[0].split("\n---\n")[-1], re.MULTILINE)


def test_log4brains_flavour_has_header_list_links_and_stored_block(model: Model, examples: dict[str, Path]) -> None:
    """log4brains: no front matter, `* Status:`/`* Date:`/`* Deciders:` under the H1, `## Links`, block in a comment."""
    a = assess(examples["customer-onboarding"], samples=0, model=model)
    text = render_record(build_record(a, _meta(status="accepted"), model), "log4brains")
    assert text.startswith(
        "# Customer onboarding: use Workflow orchestration\n\n* Status: accepted\n* Date: 2026-11-26\n"
    )
    assert "* Deciders: Ana Architect\n" in text
    assert "\n## Links\n" in text and text.rstrip().endswith("-->")
    parsed = parse_markdown(text, "x.md")
    assert parsed.fmt == "log4brains" and parsed.block["chosen"] == "workflow"
    assert "--" not in text.split("<!-- patternfit", 1)[1].rsplit("-->", 1)[0]


def test_comment_block_survives_text_that_would_close_an_html_comment(model: Model) -> None:
    """A description containing `-->` or `--` cannot end the stored comment early, and reads back exactly."""
    description = "a --> b -- c --- d <!-- e"
    a = assess(
        {"name": "N", "description": description, "characteristics": {"consumer_count": 2}}, samples=0, model=model
    )
    text = render_record(build_record(a, _meta(), model), "log4brains")
    inner = text.split("<!-- patternfit\n", 1)[1]
    assert inner.index("\n-->") == len(inner) - len("\n-->\n")
    assert parse_markdown(text, "x.md").block["inputs"]["description"] == description


def test_json_record_matches_the_schema_and_the_markdown(model: Model, examples: dict[str, Path]) -> None:
    """The JSON form validates against data/record.schema.json and carries the same chosen option and options."""
    for path in examples.values():
        a = assess(path, samples=100, model=model)
        record = build_record(a, _meta(), model)
        data = json.loads(render_record(record, "json"))
        jsonschema.validate(data, SCHEMA)
        madr = render_record(record, "madr")
        assert f'Chosen option: "{data["decision_outcome"]["chosen_option"]}"' in madr
        assert all(f"* {o}\n" in madr for o in data["considered_options"])


def test_schema_rejects_a_record_without_inputs(model: Model, examples: dict[str, Path]) -> None:
    """The schema is strict enough to fail: a record whose patternfit block lost its inputs is invalid."""
    a = assess(examples["checkout-price-lookup"], samples=0, model=model)
    data = json.loads(render_record(build_record(a, _meta(), model), "json"))
    del data["patternfit"]["inputs"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "maybe"), ("date", "26/11/2026"), ("date", "2026-02-30"), ("chosen", "events2"), ("supersedes", 0)],
)
def test_bad_metadata_is_refused_naming_the_field(
    model: Model, examples: dict[str, Path], field: str, value: object
) -> None:
    """An unknown status, a non-ISO or impossible date, an unknown pattern or a bad number names its field."""
    a = assess(examples["checkout-price-lookup"], samples=0, model=model)
    with pytest.raises(InputError) as info:
        build_record(a, _meta(**{field: value}), model)
    assert info.value.where == field


def test_unknown_format_is_refused(model: Model, examples: dict[str, Path]) -> None:
    """Rendering in a format other than madr, log4brains, json or html raises InputError listing the formats
    (nygard is a --template, not a format)."""
    a = assess(examples["checkout-price-lookup"], samples=0, model=model)
    with pytest.raises(InputError, match="log4brains"):
        render_record(build_record(a, _meta(), model), "nygard")
    assert FORMATS == ("madr", "log4brains", "json", "html")


def test_slug_is_lowercase_ascii_bounded_and_cannot_escape() -> None:
    """Slugs are lowercase ASCII words and dashes, at most 60 characters, never empty, never a path."""
    assert slugify("Order created → Wärehouse: use Events (topic)") == "order-created-warehouse-use-events-topic"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("///") == slugify("日本語") == "decision"
    long = slugify("integration " * 30)
    assert len(long) <= 60 and not long.endswith("-") and re.fullmatch(r"[a-z0-9-]+", long)


def test_a_record_names_the_organisations_standard_for_the_chosen_pattern(tmp_path):
    """A profile that names its standard for the chosen pattern and flavour gives 'Implement with …'
    in every layout; without a standard the line is absent."""
    import patternfit
    from patternfit.model.catalog import load_model
    from patternfit.records import RecordMeta, build_record, render_record

    model = load_model()
    profile = {"name": "acme", "version": "1", "changes": [], "standards": {"events.topic": "Azure Service Bus topics"}}
    fanout = Path(__file__).resolve().parents[2] / "data" / "examples" / "order-created-fanout.yaml"
    record = build_record(patternfit.assess(fanout, profile=profile, samples=0), RecordMeta(status="proposed"), model)
    line = "Implement with Azure Service Bus topics (the organisation's standard for Events (topic))."
    for layout in ("madr", "log4brains"):
        assert line in render_record(record, layout)
    plain = build_record(patternfit.assess(fanout, samples=0), RecordMeta(status="proposed"), model)
    assert "Implement with" not in render_record(plain, "madr")
