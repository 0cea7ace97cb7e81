"""Paths from users cannot escape their folder: titles, upload names, folder settings, planted links.

Decisions tested here (and documented in lib/patternfit/files.py):
* record and workshop titles become `[a-z0-9-]` slugs, so no title names another folder;
* upload file names are only shown, or used inside a private temporary folder;
* a file or claim name already taken by a symbolic link is never written through;
* a folder setting (`--out`, $PATTERNFIT_DECISIONS, $PATTERNFIT_WORKSHOPS) is the operator's
  choice and is used as given: a folder link is followed, `..` means what it means to the shell.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from patternfit.apps.decide.app import DecisionApp
from patternfit.apps.workshop import WorkshopApp
from patternfit.errors import InputError
from patternfit.io.files import NAME_MAX, create_exclusive, plain_name, publish_new, write_atomic
from patternfit.model.catalog import Model
from patternfit.records import DecisionRecord, render_record, save_record, supersede
from patternfit.records.store import CLAIM
from patternfit.workshop.file import Workshop, load_workshop, new_id

from tests.conftest import titled

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    "../../etc/x",
    "..",
    ".",
    "/abs",
    "/etc/passwd",
    "a/b",
    "a\0b",
    "\0",
    "é" * 200,  # 400 bytes of UTF-8
    "x" * 300,
    "CON",
    "con.txt",
    "a\\..\\b",
    "..\\..\\windows",
    "\u2215etc\u2215passwd",  # division slash
    "\uff0e\uff0e\uff0fetc",  # fullwidth ．．／
    "\u2024\u2024/x",  # one-dot leaders
    ".hidden",
    "...",
    " ",
    "",
    "~/x",
    "$HOME/x",
]
RECORD_NAME = re.compile(r"^\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.(md|json)$")


def _tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root`: files by content, links by target, folders as 'dir'."""
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        out[key] = f"-> {os.readlink(path)}" if path.is_symlink() else "dir" if path.is_dir() else path.read_bytes()
    return out


@pytest.fixture
def victim(tmp_path: Path) -> Iterator[Path]:
    """A file outside the decisions folder that no save may touch."""
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "victim"
    target.write_text("precious\n", encoding="utf-8")
    yield target
    assert target.read_text(encoding="utf-8") == "precious\n" and not target.is_symlink()


# -- record titles ----------------------------------------------------------------------------


@pytest.mark.parametrize("title", HOSTILE, ids=lambda t: repr(t[:12]))
@pytest.mark.parametrize("fmt", ["madr", "json"])
def test_hostile_record_title_stays_one_plain_file_in_the_folder(
    record: DecisionRecord, tmp_path: Path, title: str, fmt: str
) -> None:
    """Whatever the title, the record is one `NNNN-slug` file inside the folder and nothing else changes."""
    folder = tmp_path / "a" / "decisions"
    folder.mkdir(parents=True)
    before = _tree(tmp_path)
    path = save_record(titled(record, title), folder, fmt)
    assert path.parent == folder and RECORD_NAME.match(path.name), path.name
    assert len(os.fsencode(path.name)) <= NAME_MAX
    after = _tree(tmp_path)
    assert {k: v for k, v in after.items() if k != str(path.relative_to(tmp_path))} == before
    assert path.read_text(encoding="utf-8") == render_record(titled(record, title), fmt)


def test_windows_device_names_get_a_number_prefix(record: DecisionRecord, tmp_path: Path) -> None:
    """`CON`, `NUL`, `aux` become `0001-con.md` …: never a bare device name on Windows."""
    names = [save_record(titled(record, t), tmp_path).name for t in ("CON", "NUL", "aux", "COM1", "lpt1")]
    assert names == ["0001-con.md", "0002-nul.md", "0003-aux.md", "0004-com1.md", "0005-lpt1.md"]


@pytest.mark.parametrize("title", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_workshop_title_gives_a_plain_file_name(title: str) -> None:
    """The name "save on the server" builds from a workshop title is one plain `[a-z0-9-]` name."""
    name = f"{new_id(title)}.yaml"
    assert plain_name(name) == name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.yaml", name)


@pytest.mark.parametrize("title", ["../../etc/x", "/abs", "a\\..\\b", "\uff0e\uff0e\uff0fx", "é" * 200, ".."])
def test_workshop_save_on_server_stays_in_the_workshops_folder(model: Model, tmp_path: Path, title: str) -> None:
    """The dashboard's "save on the server" writes inside $PATTERNFIT_WORKSHOPS whatever the title."""
    app = WorkshopApp(model, drafts=tmp_path / "drafts", workshops=tmp_path / "workshops", samples=0)
    app.title.value = title
    path = app.save_on_server()
    assert path is not None and path.parent == tmp_path / "workshops"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drafts", "workshops"]
    assert load_workshop(path, model).title == title.strip()


def test_dashboard_record_save_stays_in_the_decisions_folder(
    model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A visitor's connection name (the record title) cannot move the dashboard's save out of $PATTERNFIT_DECISIONS."""
    folder = tmp_path / "decisions"
    monkeypatch.setenv("PATTERNFIT_DECISIONS", str(folder))
    app = DecisionApp(model)
    app.name.value = "../../../../tmp/owned"
    path = app.record.save_to_folder()
    assert path is not None and path.parent == folder and path.name.startswith("0001-tmp-owned-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decisions"]


# -- upload names -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../escape.md", "/etc/record.md", "a/b/c.md", "..\\..\\x.md", "\0.md"])
def test_upload_names_never_become_paths(
    record: DecisionRecord, model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A decision record uploaded under a hostile name opens, and nothing is written outside a private folder."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    app = DecisionApp(model)
    before = _tree(tmp_path)
    assert app.load_file(render_record(titled(record, "Uploaded"), "madr").encode(), name), app.error.value
    assert _tree(tmp_path) == before


def test_upload_with_a_very_long_name_opens(record: DecisionRecord, model: Model) -> None:
    """A valid record uploaded under a 300-byte name opens like any other."""
    app = DecisionApp(model)
    assert app.load_file(render_record(record, "madr").encode(), "r" * 300 + ".md"), app.error.value


# -- links planted at names the save would use ---------------------------------------------------


@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-file", "dangling"])
def test_record_name_planted_as_a_link_is_never_written_through(
    record: DecisionRecord, tmp_path: Path, victim: Path, dangling: bool
) -> None:
    """`0001-<slug>.md -> victim` counts as taken: the save takes number 2 and the link and victim stay."""
    folder = tmp_path / "decisions"
    folder.mkdir()
    target = tmp_path / "outside" / "not-yet" if dangling else victim
    planted = folder / "0001-order-created-fan-out-use-events-topic.md"
    planted.symlink_to(target)
    path = save_record(record, folder)
    assert path.name == "0002-order-created-fan-out-use-events-topic.md" and not path.is_symlink()
    assert (
        planted.is_symlink() and os.readlink(planted) == str(target) and not (tmp_path / "outside" / "not-yet").exists()
    )


@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-file", "dangling"])
def test_publish_onto_a_link_refuses_instead_of_following(tmp_path: Path, victim: Path, dangling: bool) -> None:
    """A link appearing after the number was chosen makes publishing report the name taken, writing nothing through."""
    target = tmp_path / "outside" / "not-yet" if dangling else victim
    planted = tmp_path / "0001-x.md"
    planted.symlink_to(target)
    assert publish_new(planted, "# hijacked\n") is False
    assert planted.is_symlink() and not (tmp_path / "outside" / "not-yet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0001-x.md", "outside"]


@pytest.mark.parametrize("dangling", [False, True], ids=["to-a-file", "dangling"])
def test_claim_file_planted_as_a_link_is_never_written_through(
    record: DecisionRecord, tmp_path: Path, victim: Path, dangling: bool
) -> None:
    """A `.patternfit-claim-0001` link does not let the save create or touch its target."""
    folder = tmp_path / "decisions"
    folder.mkdir()
    target = tmp_path / "outside" / "not-yet" if dangling else victim
    (folder / CLAIM.format("0001")).symlink_to(target)
    path = save_record(record, folder)
    assert path.parent == folder and RECORD_NAME.match(path.name) and not path.is_symlink()
    assert not (tmp_path / "outside" / "not-yet").exists()


def test_old_stale_claim_link_is_removed_not_its_target(record: DecisionRecord, tmp_path: Path, victim: Path) -> None:
    """A stale claim that is a link is dropped by its own age (not its target's) and the target survives."""
    folder = tmp_path / "decisions"
    folder.mkdir()
    claim = folder / CLAIM.format("0001")
    claim.symlink_to(victim)
    os.utime(claim, (0, 0), follow_symlinks=False)
    assert save_record(record, folder).name.startswith("0001-")  # the stale claim's number is taken over
    assert not claim.is_symlink() and not claim.exists()


def test_exclusive_create_refuses_a_link(tmp_path: Path, victim: Path) -> None:
    """The one way files are created (claims, temporary files) fails on a link, dangling or not."""
    for name, target in (("a", victim), ("b", tmp_path / "outside" / "none")):
        (tmp_path / name).symlink_to(target)
        with pytest.raises(FileExistsError):
            create_exclusive(tmp_path / name)
    assert not (tmp_path / "outside" / "none").exists()


def test_supersede_refuses_an_old_record_that_is_a_link(record: DecisionRecord, tmp_path: Path) -> None:
    """Superseding record 1 when `0001-….md` is a link fails clearly; the link and the file it points to stay."""
    real = tmp_path / "elsewhere"
    real.mkdir()
    original = save_record(record, real)
    content = original.read_bytes()
    folder = tmp_path / "decisions"
    folder.mkdir()
    (folder / original.name).symlink_to(original)
    with pytest.raises(InputError, match=r"is a link to .*supersede the record where it really is") as info:
        supersede(folder, 1, record)
    assert info.value.where == str(folder / original.name)
    assert original.read_bytes() == content and (folder / original.name).is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == [original.name]


def test_write_atomic_replaces_a_planted_link_and_spares_its_target(tmp_path: Path, victim: Path) -> None:
    """A workshop file name planted as a link to a file is replaced by the new file; the target is untouched."""
    planted = tmp_path / "workshop.yaml"
    planted.symlink_to(victim)
    write_atomic(planted, "title: new\n")
    assert not planted.is_symlink() and planted.read_text(encoding="utf-8") == "title: new\n"


def test_write_atomic_refuses_a_link_to_a_folder(tmp_path: Path) -> None:
    """A name planted as a link to a folder is refused as a folder; nothing is written into it."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "w.yaml").symlink_to(tmp_path / "outside")
    with pytest.raises(InputError, match="is a folder"):
        write_atomic(tmp_path / "w.yaml", "x")
    assert list((tmp_path / "outside").iterdir()) == []


def test_write_atomic_gives_normal_permissions(tmp_path: Path) -> None:
    """A new file gets 0o666 less the umask (not mkstemp's 0o600); a rewrite keeps the file's own mode."""
    old = os.umask(0o022)
    try:
        fresh = write_atomic(tmp_path / "fresh.yaml", "a: 1\n")
        kept = tmp_path / "kept.yaml"
        kept.write_text("a: 0\n", encoding="utf-8")
        kept.chmod(0o640)
        write_atomic(kept, "a: 2\n")
    finally:
        os.umask(old)
    assert fresh.stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text(encoding="utf-8") == "a: 2\n"


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "../x", "a\\b", "a\0b", "x" * 256, "é" * 128])
def test_plain_name_refuses_anything_but_one_name(name: str) -> None:
    """`plain_name` refuses separators, `.`/`..`, NUL and names over 255 bytes, naming what is wrong."""
    with pytest.raises(InputError) as info:
        plain_name(name, "title")
    assert info.value.where == "title" and info.value.fix


def test_plain_name_accepts_ordinary_names() -> None:
    """Dots inside a name, unicode and exactly 255 bytes are fine."""
    for name in ("0001-x.md", "...", ".hidden", "é" * 127, "x" * 255, "a..b"):
        assert plain_name(name) == name


# -- folder settings -----------------------------------------------------------------------------


def test_folder_link_set_by_the_operator_is_followed(record: DecisionRecord, tmp_path: Path) -> None:
    """A decisions folder that is a link (the operator's setting) is used: the record lands where it points."""
    real = tmp_path / "shared" / "decisions"
    real.mkdir(parents=True)
    link = tmp_path / "decisions"
    link.symlink_to(real)
    path = save_record(record, link)
    assert path == link / "0001-order-created-fan-out-use-events-topic.md"
    assert [p.name for p in real.iterdir()] == [path.name] and link.is_symlink()


def test_dangling_folder_link_is_reported(record: DecisionRecord, tmp_path: Path) -> None:
    """A decisions folder that is a link to nothing is one clear InputError, and nothing is created."""
    link = tmp_path / "decisions"
    link.symlink_to(tmp_path / "gone")
    with pytest.raises(InputError) as info:
        save_record(record, link)
    assert info.value.where == str(link) and "which leads to no folder" in info.value.what
    assert not (tmp_path / "gone").exists()


def test_dot_dot_in_the_folder_setting_is_used_as_given(record: DecisionRecord, tmp_path: Path) -> None:
    """`x/../decisions` is the operator's path: used as the shell would, the record path keeps the given spelling."""
    (tmp_path / "x").mkdir()
    (tmp_path / "decisions").mkdir()
    given = tmp_path / "x" / ".." / "decisions"
    path = save_record(record, given)
    assert str(path).startswith(str(given)) and (tmp_path / "decisions" / path.name).is_file()


def test_workshop_folder_setting_is_read_from_the_environment(
    model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$PATTERNFIT_WORKSHOPS (the operator's) decides where workshops go; the title only names the file."""
    monkeypatch.setenv("PATTERNFIT_WORKSHOPS", str(tmp_path / "ws"))
    monkeypatch.setenv("PATTERNFIT_DRAFTS", str(tmp_path / "drafts"))
    app = WorkshopApp(model, samples=0)
    app.workshop = Workshop(title="../ws2/evil")
    path = app.save_on_server()
    assert path == tmp_path / "ws" / "ws2-evil.yaml"
    assert not (tmp_path / "ws2").exists()


def test_report_target_planted_as_a_link_is_replaced_not_written_through(tmp_path: Path, victim: Path) -> None:
    """`--out report.csv` where report.csv is a link: the link is replaced by the report, its target untouched."""
    from patternfit.estate.review import review, write_report

    planted = tmp_path / "report.csv"
    planted.symlink_to(victim)
    path = write_report(review(ROOT / "data" / "examples" / "inventory.csv"), planted)
    assert not path.is_symlink() and path.read_bytes().startswith("\ufeff".encode())


def test_template_names_planted_as_links_are_not_written_through(model: Model, tmp_path: Path) -> None:
    """`patternfit estate --template DIR` with DIR/template.csv a link: the link's target stays as it was."""
    from patternfit.estate.template import write_template

    (tmp_path / "outside").mkdir()
    victim = tmp_path / "outside" / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "template.csv").symlink_to(victim)
    (folder / "template.xlsx").symlink_to(tmp_path / "outside" / "not-yet")
    write_template(folder, model)
    assert not (tmp_path / "outside" / "not-yet").exists()
    assert victim.read_text(encoding="utf-8") == "precious\n"


def test_two_visitors_saving_workshops_of_the_same_title_keep_both(model: Model, tmp_path: Path) -> None:
    """Two workshops both titled "Integration workshop" saved on the server are two files; re-saving one updates it."""
    apps = [
        WorkshopApp(model, drafts=tmp_path / "drafts", workshops=tmp_path / "ws", samples=0, example=example)
        for example in ("order-created-fanout", "nightly-reconciliation")
    ]
    for app in apps:
        assert app.add() is not None
    first, second = apps[0].save_on_server(), apps[1].save_on_server()
    assert first is not None and second is not None and first != second
    assert apps[0].save_on_server() == first
    names = {e.connection.name for p in (first, second) for e in load_workshop(p, model).entries}
    assert len(names) == 2 and len(list((tmp_path / "ws").iterdir())) == 2


LONG = "x" * 300  # one path part over the 255 bytes any file system allows


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["record", "{example}", "--out", "{tmp}/" + LONG, "--samples", "0"], id="record --out"),
        pytest.param(
            ["records", "{tmp}/" + LONG],
            id="records DIR",
        ),
        pytest.param(
            ["estate", "{inventory}", "--out", "{tmp}/" + LONG + ".csv"],
            id="estate --out",
        ),
        pytest.param(
            ["estate", "--template", "{tmp}/" + LONG],
            id="estate --template",
        ),
    ],
)
def test_cli_reports_an_over_long_path_as_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """A path part over 255 bytes given to the CLI is exit 2 with one line naming it, never a traceback."""
    from patternfit.cli.main import main

    values = {"example": str(ROOT / "data/examples/order-created-fanout.yaml"), "tmp": str(tmp_path),
              "inventory": str(ROOT / "data/examples/inventory.csv")}  # fmt: skip
    assert main([a.format(**values) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("patternfit: ") and LONG[:40] in err


@pytest.mark.parametrize("bad", ["a\0b", LONG])
def test_folder_and_file_names_no_file_system_allows_are_input_errors(
    record: DecisionRecord, tmp_path: Path, bad: str
) -> None:
    """A NUL or a part over 255 bytes in a folder setting or a file path is an InputError naming it."""
    with pytest.raises(InputError, match=r"NUL|longer than 255 bytes") as info:
        save_record(record, tmp_path / bad)
    assert info.value.fix and "decision records" in info.value.fix
    for path in (tmp_path / bad, tmp_path / bad / "w.yaml"):
        with pytest.raises(InputError, match=r"NUL|longer than 255 bytes"):
            write_atomic(path, "x")
    assert list(tmp_path.iterdir()) == []
