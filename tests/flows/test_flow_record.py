"""The flow's record: MADR 4.0 in every layout, linking the steps' records, carrying the flow in
its patternfit block; `patternfit check` re-assesses it and finds it drifted when the flow's
coordination moves; nothing is written when the choice is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from patternfit.errors import InputError
from patternfit.flows import assess_flow
from patternfit.flows.record import LAYOUTS, FlowRecordMeta, render_flow_record
from patternfit.model.catalog import Model
from patternfit.model.flows import load_flow_model
from patternfit.records.check import check_madr
from patternfit.records.drift import check_folder
from patternfit.records.parse import parse_markdown

from tests.flows.helpers import step

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "flows" / "checkout.yaml"
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))
HOSTILE = "<script>alert(1)</script> *x* [l](http://e) # `c` {{ t }}"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PATTERNFIT, *args], capture_output=True, text=True, cwd=ROOT, timeout=180)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_back_with_the_flow_in_its_block(model: Model, layout: str) -> None:
    """Each layout parses as patternfit reads records, carries `kind: flow` and the flow itself; the
    MADR layouts pass the structural MADR check; user text is inert."""
    flow = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")) | {"name": HOSTILE}
    a = assess_flow(flow, model=model)
    meta = FlowRecordMeta(date="2026-12-07", step_records={"reserve": "0002-reserve.md"})
    text = render_flow_record(a, meta, model, load_flow_model(), layout=layout, number=6)
    parsed = parse_markdown(text, "record.md")
    assert parsed.block["kind"] == "flow" and parsed.block["chosen"] == "orchestration"
    assert parsed.block["flow"]["name"] == HOSTILE and len(parsed.block["flow"]["steps"]) == 5
    assert parsed.block["steps"]["reserve"]["record"] == "0002-reserve.md"
    assert "[0002-reserve.md](0002-reserve.md)" in text
    body = text.split("\n---\n", 1)[-1] if layout.startswith("madr") else text.split("<!-- patternfit")[0]
    assert "<script>" not in body and "\\<script\\>" in body
    if layout != "nygard":
        assert check_madr(text, "log4brains" if layout == "log4brains" else "madr") == []
    if layout != "madr-minimal":
        assert "```mermaid\nsequenceDiagram" in text


def test_an_undecided_flow_needs_a_choice_and_a_reason(model: Model) -> None:
    """Both styles tie: no record without --chosen; a choice against the flow needs a rationale."""
    tie = {"name": "tie", "steps": [step("a", "A", "B"), step("b", "B", "C"), step("c", "C", "D")]}
    a = assess_flow(tie, model=model)
    rules = load_flow_model()
    if a.coordination.style is None:
        with pytest.raises(InputError, match="undecided"):
            render_flow_record(a, FlowRecordMeta(date="2026-12-07"), model, rules)
    saga = assess_flow(EXAMPLE, model=model)
    with pytest.raises(InputError, match="needs a reason"):
        render_flow_record(saga, FlowRecordMeta(date="2026-12-07", chosen="choreography"), model, rules)
    text = render_flow_record(
        saga,
        FlowRecordMeta(date="2026-12-07", chosen="choreography", rationale="the teams own their reactions"),
        model,
        rules,
    )
    assert 'Chosen option: "Choreography", because the teams own their reactions.' in text


def test_flow_writes_step_records_and_the_flow_record_and_check_follows_it(tmp_path: Path) -> None:
    """`patternfit flow --record DIR` writes a record per step and the flow's record last, linking
    them; check passes; once the stored flow is edited so its coordination moves, check exits 1."""
    folder = tmp_path / "decisions"
    result = run("flow", str(EXAMPLE), "--record", str(folder), "--date", "2026-12-07")
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 6 and files[-1] == "0006-checkout-coordinate-by-orchestration.md"
    flow_record = folder / files[-1]
    text = flow_record.read_text(encoding="utf-8")
    assert all(f"({name})" in text for name in files[:-1])
    ok = run("check", str(folder))
    assert ok.returncode == 0 and "6 records checked, 0 drifted" in ok.stdout, ok.stdout + ok.stderr
    log = run("records", str(folder)).stdout
    assert "orchestration" in log and "a flow's coordination" in log
    edited = text.replace("process_duration: minutes", "process_duration: minutes").replace(
        "    characteristics:\n      process_duration: minutes\n      visibility: end_to_end\n",
        "    characteristics:\n      process_duration: minutes\n      visibility: none\n"
        "    sub:\n      step_dependency: independent\n      change_pattern: add_reactions\n"
        "      branching: linear\n      ownership_boundary: cross_domain\n",
    )
    assert edited != text
    flow_record.write_text(edited, encoding="utf-8")
    drift = run("check", str(folder))
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert "coordination is now choreography, not the chosen orchestration" in drift.stdout


def test_a_refused_choice_writes_nothing(tmp_path: Path) -> None:
    """--chosen against the flow without --rationale: exit 2, no file written."""
    folder = tmp_path / "decisions"
    result = run("flow", str(EXAMPLE), "--record", str(folder), "--chosen", "choreography")
    assert result.returncode == 2 and "--rationale" in result.stderr
    assert not folder.exists() or not any(folder.iterdir())


def test_a_broken_flow_in_a_record_is_unreadable_not_a_crash(model: Model, tmp_path: Path) -> None:
    """A flow record whose stored flow is broken is reported unreadable (drift), never a traceback."""
    a = assess_flow(EXAMPLE, model=model)
    text = render_flow_record(a, FlowRecordMeta(date="2026-12-07"), model, load_flow_model())
    (tmp_path / "0001-x.md").write_text(text.replace("      from: Cart\n", "      from: [1, 2]\n"), encoding="utf-8")
    result = check_folder(tmp_path, model)
    assert [f.kind for f in result.findings] == ["unreadable"] and result.drifted
