"""`patternfit estate`: exit codes, messages on stderr, the report, templates and record drafts."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from patternfit.cli.estate import Bar
from patternfit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "inventory.csv"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_report_written_with_row_errors_exits_0_and_counts_them(tmp_path, capsys):
    """Exit 0 when the report is written; the rows with errors are counted and their cells listed on stderr."""
    code, out, err = run(capsys, "estate", str(EXAMPLE), "--out", str(tmp_path / "r.xlsx"))
    assert code == 0
    assert (tmp_path / "r.xlsx").is_file()
    assert "51 connections, 48 assessed, 1 undecided, 18 mismatches, 2 workshop candidates" in out
    assert "3 of 51 rows have unreadable cells and were left out" in err
    assert "row 51, consumer_count 'many': 'many' is not a whole number — allowed: a whole number ≥ 1" in err
    assert "Traceback" not in err and "\r" not in err  # no progress bar when stderr is not a terminal


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"name,owner\nx,y\n", "no 'id' column"),
        (b"id,latency_budjet\nA,hours\n", "did you mean 'latency_budget'"),
        (b"id\nA\nA\n", "appears more than once"),
    ],
)
def test_unreadable_inventory_exits_2_with_one_line(tmp_path, capsys, content, what):
    """Nothing readable: exit 2 and a single 'patternfit: where: what — fix' line, no report."""
    inventory = tmp_path / "inv.csv"
    inventory.write_bytes(content)
    code, _out, err = run(capsys, "estate", str(inventory), "--out", str(tmp_path / "r.csv"))
    assert code == 2
    assert err.startswith(f"patternfit: {inventory}") and what in err and " — " in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "r.csv").exists()


def test_no_readable_row_exits_2_and_writes_nothing(tmp_path, capsys):
    """Every row bad: exit 2, each bad cell listed on stderr, and no report written."""
    inventory = tmp_path / "inv.csv"
    inventory.write_text("id,latency_budget\nA,soon\nB,later\n")
    code, _, err = run(capsys, "estate", str(inventory), "--out", str(tmp_path / "r.csv"))
    assert code == 2
    assert "row 2, latency_budget 'soon'" in err and "row 3, latency_budget 'later'" in err
    assert err.strip().splitlines()[-1].startswith(f"patternfit: {inventory}: none of the 2 rows could be read")
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["--out", "{tmp}/r.txt"], "neither .csv, .xlsx nor .html"),
        (["--out", "{inv}"], "is the inventory itself"),
        (["--out", "{tmp}/no/such/r.csv"], "does not exist"),
        (["--out", "{tmp}/r.csv", "--records", "{tmp}/dec", "--rows", "INT-999"], "no row has this id"),
        (["--out", "{tmp}/r.csv", "--records", "{tmp}/dec", "--rows", "INT-050"], "has unreadable cells"),
    ],
)
def test_bad_targets_and_rows_exit_2_before_writing(tmp_path, capsys, args, what):
    """A wrong report path or a --rows id that cannot be drafted: exit 2, nothing written."""
    inventory = tmp_path / "inv.csv"
    inventory.write_bytes(EXAMPLE.read_bytes())
    argv = [a.format(tmp=tmp_path, inv=inventory) for a in args]
    code, _, err = run(capsys, "estate", str(inventory), *argv)
    assert code == 2 and what in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.csv"]
    assert inventory.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize(
    "argv",
    [
        ["estate", str(EXAMPLE)],
        ["estate", "--out", "x.csv"],
        ["estate", str(EXAMPLE), "--out", "x.csv", "--rows", "INT-001"],
        ["estate", str(EXAMPLE), "--out", "x.csv", "--gap", "0"],
        ["estate", str(EXAMPLE), "--out", "x.csv", "--samples", "-3"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    """Missing INVENTORY/--out, --rows without --records, a gap ≤ 0 or negative samples: usage error, exit 2."""
    code, _, err = run(capsys, *argv)
    assert code == 2 and "patternfit" in err and "Traceback" not in err


def test_template_option_writes_both_templates(tmp_path, capsys):
    """`patternfit estate --template DIR` writes template.csv and template.xlsx and exits 0."""
    code, out, _ = run(capsys, "estate", "--template", str(tmp_path / "t"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == ["template.csv", "template.xlsx"]
    assert out.count("wrote ") == 2


def test_records_are_drafted_for_chosen_rows(tmp_path, capsys):
    """--records DIR --rows writes one proposed decision-record draft per chosen row."""
    code, _out, _ = run(
        capsys,
        "estate",
        str(EXAMPLE),
        "--out",
        str(tmp_path / "r.csv"),
        "--records",
        str(tmp_path / "dec"),
        "--rows",
        "INT-002, INT-022",
    )
    assert code == 0
    drafts = sorted((tmp_path / "dec").glob("*.md"))
    assert [p.name[:5] for p in drafts] == ["0001-", "0002-"]
    first = drafts[0].read_text()
    assert 'status: "proposed"' in first and "Stock availability on the product page" in first
    assert "recommended: api" in first


def test_gap_option_changes_the_mismatch_count(tmp_path, capsys):
    """--gap 0.1 turns the two close calls of the example into mismatches."""
    _, out, _ = run(capsys, "estate", str(EXAMPLE), "--out", str(tmp_path / "r.csv"), "--gap", "0.1")
    assert "20 mismatches" in out


def test_progress_bar_on_a_terminal(tmp_path):
    """With stderr on a terminal a progress bar is drawn (carriage returns), and erased at the end."""
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "patternfit.cli", "estate", str(EXAMPLE), "--out", str(tmp_path / "r.csv")],
        stdout=subprocess.PIPE, stderr=follower, timeout=120, check=False,
    )  # fmt: skip
    os.close(follower)
    err = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(leader)
    assert proc.returncode == 0
    assert b"scoring" in err and b"[" in err and b"\r" in err


def test_bar_draws_stage_and_percentage():
    """Bar renders 'stage [###...] NN%' and clears its line on close."""
    stream = io.StringIO()
    bar = Bar(stream)
    bar(0.5, "scoring")
    bar(1.0, "scoring")
    bar.close()
    text = stream.getvalue()
    assert "scoring   [" + "#" * 15 + "." * 15 + "]  50%" in text
    assert "100%" in text and text.endswith("\r")


def test_summary_line_names_the_profile_or_the_reference_model(tmp_path, capsys, model):
    """`patternfit estate` says on stdout what it assessed with: the profile's name and version, or the model's."""
    code, out, _err = run(capsys, "estate", str(EXAMPLE), "--out", str(tmp_path / "plain.csv"))
    assert code == 0 and out.rstrip().endswith(f"— assessed with the reference model {model.version}")
    profile = tmp_path / "acme.yaml"
    profile.write_text(
        "name: Acme integration office\nversion: '2.1'\n"
        "changes:\n  - {weight: coordinated_steps, to: 6, reason: our flows are long}\n"
    )
    out_path = tmp_path / "acme.xlsx"
    code, out, _err = run(capsys, "estate", str(EXAMPLE), "--out", str(out_path), "--profile", str(profile))
    assert code == 0
    assert f"assessed with the profile Acme integration office, version 2.1 (on reference model {model.version})" in out
    book = openpyxl.load_workbook(out_path, read_only=True)
    header = next(book["report"].iter_rows(values_only=True))
    profiles = {r[header.index("profile")] for r in book["report"].iter_rows(min_row=2, values_only=True)}
    assert profiles == {"Acme integration office, version 2.1"}


def test_bad_profile_exits_2_naming_file_and_key(tmp_path, capsys):
    """A profile with an unknown weight key exits 2 with one line naming the file and the change; no report."""
    profile = tmp_path / "bad.yaml"
    profile.write_text("name: X\nversion: 1\nchanges:\n  - {weight: latency_budjet, to: 2, reason: r}\n")
    code, _out, err = run(capsys, "estate", str(EXAMPLE), "--out", str(tmp_path / "r.csv"), "--profile", str(profile))
    assert code == 2 and err.count("\n") == 1
    assert f"{profile}: changes[0].weight" in err and "did you mean 'latency_budget'" in err
    assert not (tmp_path / "r.csv").exists()


FIXTURES = ROOT / "tests" / "estate" / "fixtures"


@pytest.mark.parametrize(
    ("source", "extra", "connections"),
    [
        ("structurizr/workspace.json", [], 3),
        ("backstage", [], 3),
        ("archimate/model.xml", [], 3),
        ("asyncapi/orders-3.yaml", [], 2),
        ("mapping/export.csv", ["--columns", str(FIXTURES / "mapping" / "mapping.yaml")], 4),
        ("structurizr/workspace.json", ["--from", "structurizr"], 3),
    ],
)
def test_models_and_mapped_spreadsheets_give_a_report(tmp_path, capsys, source, extra, connections):
    """Any supported source, detected from its content (or --from / --columns), gives the CSV report."""
    code, out, err = run(capsys, "estate", str(FIXTURES / source), "--out", str(tmp_path / "r.csv"), *extra)
    assert code == 0, err
    assert f"{connections} connections" in out and (tmp_path / "r.csv").is_file()
    assert "Traceback" not in err


def test_html_report_is_written_and_not_read_elements_are_listed(tmp_path, capsys):
    """--out REPORT.html writes the page; what the source did not let us read is listed on stderr."""
    code, out, err = run(capsys, "estate", str(FIXTURES / "backstage"), "--out", str(tmp_path / "r.html"))
    assert code == 0 and "wrote" in out
    assert "elements not read" in err and "Location cycle" in err
    page = (tmp_path / "r.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "Map of the estate" in page


@pytest.mark.parametrize(
    ("name", "data", "extra", "what"),
    [
        ("w.json", b'{"model": {"softwareSystems": [', [], "JSON syntax error"),
        ("m.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"/>', [],
         "DOCTYPE"),
        ("a.yaml", b"asyncapi: 3.0.0\ninfo: {title: A}\nchannels: {}\n", [], "holds no connection"),
        ("x.csv", b"A,B\n1,2\n", ["--columns", "{tmp}/map.yaml"], "is not one of our columns"),
        ("x.csv", b"id\nA\n", ["--from", "structurizr"], "JSON syntax error"),
    ],
)  # fmt: skip
def test_unreadable_models_exit_2_with_one_line(tmp_path, capsys, name, data, extra, what):
    """Nothing readable in a model or a bad mapping: exit 2, one line naming the file, no report."""
    (tmp_path / "map.yaml").write_text("columns: {A: nonsense}\n")
    source = tmp_path / name
    source.write_bytes(data)
    argv = [a.format(tmp=tmp_path) for a in extra]
    code, _out, err = run(capsys, "estate", str(source), "--out", str(tmp_path / "r.csv"), *argv)
    assert code == 2 and what in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "r.csv").exists()


def test_unknown_from_is_a_usage_error(capsys):
    """--from names one of the supported formats."""
    code, _, err = run(capsys, "estate", str(EXAMPLE), "--out", "x.csv", "--from", "leanix")
    assert code == 2 and "invalid choice" in err
