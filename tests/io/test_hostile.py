"""Hostile input, tried as an attacker would: each case runs the real CLI in a subprocess under a
2 GB memory and 60 s time watchdog, and must end in exit 2 with one clear line naming the file
and the problem — no traceback, nothing written. Large files are generated in tmp_path."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATTERNFIT = str(Path(sys.executable).with_name("patternfit"))
EXAMPLE = ROOT / "data" / "examples" / "order-created-fanout.yaml"
BACKSTAGE = ROOT / "tests" / "estate" / "fixtures" / "backstage"
MEMORY = 2 * 1024**3
SECONDS = 60
BOMB = "a0: &a0 lol\n" + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 46))  # 2^45 items
HUGE = "9" * 5000


def _watchdog() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def patternfit(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI under the watchdog: 2 GB of address space, 60 s."""
    return subprocess.run(
        [PATTERNFIT, *map(str, args)], capture_output=True, text=True, timeout=SECONDS, cwd=cwd, preexec_fn=_watchdog
    )


@dataclass(frozen=True)
class Case:
    """One hostile input: `make(folder)` writes it and gives the CLI arguments."""

    name: str
    make: Callable[[Path], list[str | Path]]
    expect: str


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _connection(folder: Path, extra: str = "") -> Path:
    return _write(folder / "conn.yaml", EXAMPLE.read_text(encoding="utf-8") + extra)


def _record(folder: Path) -> Path:
    """A real decision record whose front matter carries an expansion bomb."""
    subprocess.run(
        [PATTERNFIT, "record", EXAMPLE, "--out", folder / "decisions", "--samples", "20"],
        check=True,
        capture_output=True,
    )
    record = next((folder / "decisions").glob("0001-*.md"))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("---\n", "---\n" + BOMB + "decision-makers: *a45\n", 1), encoding="utf-8")
    return record


def _inventory(folder: Path) -> Path:
    return _write(folder / "inventory.csv", "id,name,current_pattern\nINT-1,A to B,api\nINT-2,B to C,events\n")


def _xlsx(folder: Path, member: str, write: Callable[[zipfile.ZipFile], None]) -> Path:
    """A real workbook (openpyxl) with one member replaced by what `write` puts there."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append(["INT-1", "A to B"])
    plain = folder / "plain.xlsx"
    book.save(plain)
    path = folder / "inventory.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
        write(target)
    return path


def _cell_bomb(folder: Path) -> list[str | Path]:
    def write(zf: zipfile.ZipFile) -> None:
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"x" * (1 << 20)
            for _ in range(300):  # one cell of 300 million characters
                out.write(chunk)
            out.write(b"</t></si><si><t>id</t></si></sst>")

    return ["estate", _xlsx(folder, "xl/sharedStrings.xml", write), "--out", folder / "report.csv"]


def _row_bomb(folder: Path) -> list[str | Path]:
    def write(zf: zipfile.ZipFile) -> None:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for start in range(1, 4_000_001, 100_000):  # four million empty rows
                out.write("".join(f'<row r="{n}"/>' for n in range(start, start + 100_000)).encode())
            out.write(b"</sheetData></worksheet>")

    return ["estate", _xlsx(folder, "xl/worksheets/sheet1.xml", write), "--out", folder / "report.csv"]


def _template(body: str) -> Callable[[Path], list[str | Path]]:
    def make(folder: Path) -> list[str | Path]:
        template = _write(folder / "tpl" / "adr.md", "{{ front_matter }}\n" + body)
        return ["record", EXAMPLE, "--out", folder / "decisions", "--template", template, "--samples", "20"]

    return make


def _include_link(folder: Path) -> list[str | Path]:
    args = _template('{% include "leak.md" %}')(folder)
    (folder / "tpl" / "leak.md").symlink_to("/etc/passwd")
    return args


def _backstage(text: str) -> Callable[[Path], list[str | Path]]:
    def make(folder: Path) -> list[str | Path]:
        catalog = _write(folder / "catalog-info.yaml", text)
        return ["estate", catalog, "--from", "backstage", "--out", folder / "report.csv"]

    return make


def _asyncapi(text: str) -> Callable[[Path], list[str | Path]]:
    def make(folder: Path) -> list[str | Path]:
        return ["estate", _write(folder / "api.yaml", text), "--from", "asyncapi", "--out", folder / "report.csv"]

    return make


def _structurizr(text: str | bytes) -> Callable[[Path], list[str | Path]]:
    def make(folder: Path) -> list[str | Path]:
        return ["estate", _write(folder / "workspace.json", text), "--out", folder / "report.csv"]

    return make


def _fifo(folder: Path) -> list[str | Path]:
    os.mkfifo(folder / "conn.yaml")
    return ["assess", folder / "conn.yaml"]


COMPONENT = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: shop\n"
ASYNC3 = "asyncapi: 3.0.0\ninfo: {title: Shop}\n"
OPERATION = "operations:\n  op: {action: send, channel: {$ref: '#/channels/orders'}}\n"
WORKSPACE = '{"model": {"softwareSystems": [{"id": "1", "name": "A", "relationships": RELATIONSHIPS}]}, "views": {}}'

CASES = [
    Case(
        "assess: expansion bomb in the name", lambda f: ["assess", _connection(f, BOMB + "x: *a45\n")], "aliases expand"
    ),
    Case("assess: a record with the bomb", lambda f: ["assess", _record(f)], "aliases expand"),
    Case("estate: Backstage description bomb", _backstage(BOMB + "---\n" + COMPONENT), "aliases expand"),
    Case(
        "estate: AsyncAPI title bomb", _asyncapi("asyncapi: 2.6.0\n" + BOMB + "info: {title: *a45}\n"), "aliases expand"
    ),
    Case("assess: duplicate key", lambda f: ["assess", _write(f / "c.yaml", "name: a\nname: b\n")], "given twice"),
    Case(
        "assess: 5,000-digit YAML integer", lambda f: ["assess", _connection(f, f"x: {HUGE}\n")], "more than 30 digits"
    ),
    Case(
        "assess: 5,000-digit JSON number",
        lambda f: ["assess", _write(f / "c.json", f'{{"name": "x", "characteristics": {{"consumer_count": {HUGE}}}}}')],
        "more than 30 digits",
    ),
    Case(
        "assess: huge weight",
        lambda f: ["assess", EXAMPLE, "--weights", _write(f / "w.yaml", f"consumer_count: {HUGE}\n")],
        "more than 30 digits",
    ),
    Case(
        "assess: 1e308 weight",
        lambda f: ["assess", EXAMPLE, "--weights", _write(f / "w.yaml", "ordering: 1e308\n")],
        "larger than",
    ),
    Case(
        "assess: --samples 100000000", lambda f: ["assess", EXAMPLE, "--samples", "100000000"], "more than the 100,000"
    ),
    Case("assess: /dev/zero", lambda f: ["assess", "/dev/zero"], "not a regular file"),
    Case("assess: a FIFO", _fifo, "not a regular file"),
    Case("estate: XLSX cell bomb", _cell_bomb, "unpacks to"),
    Case("estate: XLSX row bomb", _row_bomb, "rows (Excel's limit)"),
    Case(
        "estate: CSV that ends inside a quote",
        lambda f: ["estate", _write(f / "i.csv", 'id,name\nA,x\nB,"open\nC,z\nD,w\n'), "--out", f / "r.csv"],
        "row 3: opens a quoted cell",
    ),
    Case(
        "estate: column mapping with a huge number",
        lambda f: [
            "estate",
            _inventory(f),
            "--columns",
            _write(f / "map.yaml", f"columns: {{Name: {HUGE}}}\n"),
            "--out",
            f / "r.csv",
        ],
        "more than 30 digits",
    ),
    Case(
        "estate: Structurizr huge number", _structurizr(WORKSPACE.replace("RELATIONSHIPS", HUGE)), "more than 30 digits"
    ),
    Case(
        "estate: Structurizr relationships: 5",
        _structurizr(WORKSPACE.replace("RELATIONSHIPS", "5")),
        "relationships: expected a list",
    ),
    Case(
        "estate: UTF-16 Structurizr",
        _structurizr((WORKSPACE.replace("RELATIONSHIPS", "[]")).encode("utf-16")),
        "UTF-16",
    ),
    Case(
        "estate: AsyncAPI servers as a list",
        _asyncapi(ASYNC3 + "servers: [a]\nchannels: {}\n"),
        "servers: expected a mapping, got a list",
    ),
    Case(
        "estate: AsyncAPI 3 channel as a list",
        _asyncapi(ASYNC3 + "channels: {orders: [1]}\n" + OPERATION),
        "channels.orders: expected a mapping",
    ),
    Case(
        "estate: AsyncAPI 3 messages as a list",
        _asyncapi(ASYNC3 + "channels: {orders: {messages: [1]}}\n" + OPERATION),
        "channels.orders.messages: expected a mapping, got a list",
    ),
    Case("estate: AsyncAPI huge number", _asyncapi(ASYNC3 + f"x: {HUGE}\nchannels: {{}}\n"), "more than 30 digits"),
    Case(
        "estate: Backstage Location targets: 5",
        _backstage("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: l}\nspec: {targets: 5}\n"),
        "spec.targets: expected a list, got a whole number",
    ),
    Case("estate: Backstage huge number", _backstage(COMPONENT + f"spec: {{x: {HUGE}}}\n"), "more than 30 digits"),
    Case(
        "estate: 6 MB Backstage catalog",
        _backstage((COMPONENT + "  description: " + "x" * 1000 + "\n---\n") * 6_000),
        "larger than the 5,000,000",
    ),
    Case("record: template multiplies text", _template('{{ "x" * 10**10 }}'), "template sandbox"),
    Case(
        "record: template nests range",
        _template("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"),
        "loop steps",
    ),
    Case("record: template calls lipsum", _template("{{ lipsum(n=10**7) }}"), "template"),
    Case("record: template includes a link out", _include_link, "leads out of the template folder"),
    Case("argparse: bad choice", lambda f: ["assess", EXAMPLE, "--format", "nope"], "invalid choice"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused_within_the_watchdog(tmp_path, case):
    """Exit 2, one line naming what was wrong, no traceback, within 60 s and 2 GB; nothing written."""
    work = tmp_path / "work"
    work.mkdir()
    args = case.make(work)
    result = patternfit(*args, cwd=work)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("patternfit: "), result.stderr[-2000:]
    assert case.expect in lines[0]
    assert "Traceback" not in result.stderr and "set_int_max_str_digits" not in result.stderr
    assert "root:" not in result.stdout + result.stderr  # nothing of /etc/passwd
    assert not (work / "report.csv").exists() and not (work / "r.csv").exists()
    if "template" in case.name:
        assert not list((work / "decisions").glob("*.md"))


def test_a_planted_link_in_a_catalog_folder_is_not_followed(tmp_path):
    """A starting file that links out of the catalog folder (another catalog, /etc/passwd) is not read."""
    catalog = tmp_path / "catalog"
    shutil.copytree(BACKSTAGE, catalog, symlinks=True)
    other = _write(tmp_path / "other" / "catalog-info.yaml", COMPONENT.replace("shop", "planted-elsewhere"))
    (catalog / "zz-other.yaml").symlink_to(other)
    (catalog / "zz-passwd.yaml").symlink_to("/etc/passwd")
    result = patternfit("estate", catalog, "--out", tmp_path / "report.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = (tmp_path / "report.csv").read_text(encoding="utf-8")
    assert "planted-elsewhere" not in report and "root:" not in report
    assert "zz-other.yaml: a link that leads out of the folder; not followed" in result.stderr


def test_an_existing_report_is_not_replaced_without_force(tmp_path):
    """`estate --out` refuses an existing file (an HTML decision record, say) unless --force."""
    inventory = _inventory(tmp_path)
    report = _write(tmp_path / "0001-decision.html", "<p>an HTML decision record</p>")
    refused = patternfit("estate", inventory, "--out", report, cwd=tmp_path)
    assert refused.returncode == 2 and "exists already" in refused.stderr and "--force" in refused.stderr
    assert report.read_text(encoding="utf-8") == "<p>an HTML decision record</p>"
    forced = patternfit("estate", inventory, "--out", report, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "INT-1" in report.read_text(encoding="utf-8")


def test_bidirectional_text_is_isolated_in_the_html_report(tmp_path):
    """A right-to-left override in a name is wrapped in an isolate and closed in the HTML report."""
    inventory = _write(tmp_path / "i.csv", "id,name,current_pattern\nINT-1,Shop \u202eBilling,api\n")
    result = patternfit("estate", inventory, "--out", tmp_path / "r.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "\u2068Shop \u202eBilling\u202c\u2069" in page
    assert "Shop \u202eBilling<" not in page


def test_check_reports_a_record_bomb_as_unreadable_within_the_watchdog(tmp_path):
    """`check DIR` (the CI hook) names the record with the expansion bomb and stops, exit 1 as for any
    record that does not hold, within 60 s and 2 GB."""
    record = _record(tmp_path)
    result = patternfit("check", record.parent, cwd=tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert record.name in result.stdout and "refused: its aliases expand to more than" in result.stdout
    assert "Traceback" not in result.stderr
