"""Save records as `NNNN-slug.md` without ever overwriting, and supersede older ones atomically.

Many people may save into one folder at once. A number is claimed by creating a hidden
`.patternfit-claim-NNNN` file exclusively (O_CREAT|O_EXCL|O_NOFOLLOW); the record is written to a
hidden temporary file in the same folder and published with `os.link`, which fails rather than
replace an existing file, so readers never see half a record.

Nothing is written through a symbolic link: a name already taken — by a file, a folder or a
link, even a dangling one — counts as taken and the next number is used; an older record that is
a link is not superseded (that would replace the link, not the record it points to). The
decisions folder itself may be a link: it is the operator's setting.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from patternfit.errors import InputError, allowed_text
from patternfit.io.files import check_path, create_exclusive, os_errors, plain_name, publish_new, write_temp
from patternfit.records.parse import parse_html, parse_markdown
from patternfit.records.render import FORMATS, TEMPLATES, render_record
from patternfit.records.supersede import find_number, mark_superseded
from patternfit.records.text import file_number, slugify
from patternfit.records.types import DecisionRecord, Link

DEFAULT_FOLDER = Path("docs/decisions")
CLAIM = ".patternfit-claim-{}"
STALE_SECONDS = 600.0
MAX_ATTEMPTS = 500


def save_record(
    record: DecisionRecord, folder: str | Path = DEFAULT_FOLDER, fmt: str = "madr", template: str | Path = "madr"
) -> Path:
    """Write `record` as the next numbered file in `folder` and return its path.

    `template` picks the layout (see `render_record`); with `record.meta.supersedes` set, the
    older record is marked superseded in the same step."""
    if fmt not in FORMATS:
        raise InputError("format", f"unknown record format {fmt!r}", allowed_text(FORMATS))
    _check_block(render_record(record, fmt, template=template, number=1), fmt, template)  # before any claim
    folder = ready_folder(Path(folder))
    if record.meta.supersedes is not None:
        return _save_superseding(record, folder, fmt, template)
    for _ in range(MAX_ATTEMPTS):
        with _claimed_number(folder) as number:
            path = _path(folder, number, record, fmt)
            if publish_new(path, render_record(record, fmt, template=template, number=number)):
                return path
    raise InputError(str(folder), f"no free file name after {MAX_ATTEMPTS} attempts", "check the folder for odd files")


def save_numbered(folder: str | Path, title: str, render: Callable[[int], str]) -> Path:
    """Write `render(number)` as the next numbered `NNNN-slug.md` in `folder` (a record that is not
    a `DecisionRecord`, e.g. a flow's), claiming the number as `save_record` does."""
    folder = ready_folder(Path(folder))
    for _ in range(MAX_ATTEMPTS):
        with _claimed_number(folder) as number:
            path = folder / plain_name(f"{number:04d}-{slugify(title)}.md", "title")
            if publish_new(path, render(number)):
                return path
    raise InputError(str(folder), f"no free file name after {MAX_ATTEMPTS} attempts", "check the folder for odd files")


def _check_block(text: str, fmt: str, template: str | Path) -> None:
    """A template file must write a patternfit block that reads back (check and reopen need it)."""
    if fmt == "json" or str(template) in TEMPLATES:
        return
    where = str(template)
    parsed = parse_html(text, where) if fmt == "html" else parse_markdown(text, where)
    block = parsed.block
    if not isinstance(block, Mapping) or "inputs" not in block:
        raise InputError(
            where,
            "writes no patternfit block that reads back, so `patternfit check` and reopening could not read the record",
            "put {{ front_matter }} (YAML front matter) or {{ patternfit_comment }} into the template, unchanged",
        )


def supersede(
    folder: str | Path, old_number: int, new_record: DecisionRecord, fmt: str = "madr", template: str | Path = "madr"
) -> Path:
    """Save `new_record` as superseding record `old_number` in `folder`; both files link each other."""
    meta = dataclasses.replace(new_record.meta, supersedes=old_number)
    stored = {**new_record.stored, "supersedes": old_number}
    return save_record(dataclasses.replace(new_record, meta=meta, stored=stored), folder, fmt, template)


def ready_folder(folder: Path) -> Path:
    """The folder, created if only it is missing; InputError if it cannot hold records."""
    fix = "give --out a writable folder for the decision records"
    check_path(folder, fix)
    if folder.is_symlink() and not folder.exists():
        raise InputError(str(folder), f"is a link to {os.readlink(folder)}, which leads to no folder", fix)
    if folder.exists() and not folder.is_dir():
        raise InputError(str(folder), "is a file, not a folder", fix)
    if not folder.exists():
        if not folder.parent.is_dir():
            raise InputError(
                str(folder),
                f"its parent folder {folder.parent} does not exist",
                f"create {folder.parent} first, or {fix}",
            )
        with os_errors(folder):
            folder.mkdir(exist_ok=True)
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise InputError(str(folder), "is not writable", fix)
    return folder


def _path(folder: Path, number: int, record: DecisionRecord, fmt: str) -> Path:
    """`NNNN-slug.md` in `folder`: the slug is [a-z0-9-] only, so the title cannot leave the folder."""
    suffix = {"json": ".json", "html": ".html"}.get(fmt, ".md")
    return folder / plain_name(f"{number:04d}-{slugify(record.title)}{suffix}", "title")


def next_number(folder: Path) -> int:
    """One more than the highest NNNN- prefix of a file in `folder` (1 when there is none)."""
    numbers = [n for p in folder.iterdir() if not p.name.startswith(".") and (n := file_number(p.name)) is not None]
    return max(numbers, default=0) + 1


def _taken(folder: Path, number: int) -> bool:
    return any(file_number(p.name) == number for p in folder.iterdir() if not p.name.startswith("."))


@contextlib.contextmanager
def _claimed_number(folder: Path) -> Iterator[int]:
    """Hold an exclusive claim on the next free number while the record is published."""
    floor = 0
    for _ in range(MAX_ATTEMPTS):
        number = max(next_number(folder), floor)
        claim = folder / CLAIM.format(f"{number:04d}")
        if not _claim(claim):
            floor = number + 1
            continue
        try:
            if _taken(folder, number):
                floor = number + 1
                continue
            yield number
            return
        finally:
            claim.unlink(missing_ok=True)
    raise InputError(
        str(folder), f"no free record number after {MAX_ATTEMPTS} attempts", f"remove stale {CLAIM.format('*')} files"
    )


def _claim(path: Path) -> bool:
    """Create `path` exclusively; False if someone holds it (a claim older than STALE_SECONDS is
    dropped and taken over)."""
    with os_errors(path.parent):
        for _ in range(2):
            try:
                os.close(create_exclusive(path, 0o644))
                return True
            except FileExistsError:  # also a link planted at the name: it is never followed
                if not _drop_if_stale(path):
                    return False
        return False


def _drop_if_stale(claim: Path) -> bool:
    """Remove a claim left by a crashed save (older than STALE_SECONDS). Only the holder of the
    exclusive `<claim>.reclaim` file removes a claim, so a fresh claim made by another save in
    the meantime is never removed by mistake (its name is free only once the stale one is gone)."""
    reclaim = claim.with_name(f"{claim.name}.reclaim")
    try:
        os.close(create_exclusive(reclaim, 0o644))
    except OSError:  # someone else is reclaiming it (or left a crash behind): leave that number
        return False
    try:
        if time.time() - claim.lstat().st_mtime <= STALE_SECONDS:
            return False
        claim.unlink()
        return True
    except OSError:
        return False
    finally:
        reclaim.unlink(missing_ok=True)


def _save_superseding(record: DecisionRecord, folder: Path, fmt: str, template: str | Path) -> Path:
    old_number = record.meta.supersedes or 0
    old = find_number(folder, old_number)
    if not stat.S_ISREG(old.lstat().st_mode):
        raise InputError(
            str(old),
            f"is {'a link to ' + os.readlink(old) if old.is_symlink() else 'not a regular file'}",
            "supersede the record where it really is, or replace the link by the file",
        )
    try:
        old_bytes = old.read_bytes()
    except OSError as exc:
        raise InputError(str(old), f"cannot be read ({exc.strerror})", "check its permissions") from None
    lock = folder / CLAIM.format(f"supersede-{old_number:04d}")
    if not _claim(lock):
        raise InputError(str(old), "is being superseded by another save right now", "try again in a moment")
    linked = dataclasses.replace(record, links=(*record.links, Link("Supersedes", old_number, old.name)))
    try:
        for _ in range(MAX_ATTEMPTS):
            with _claimed_number(folder) as number:
                path = _path(folder, number, record, fmt)
                changed = mark_superseded(old, old_bytes, number, path.name)
                text = render_record(linked, fmt, template=template, number=number)
                if _swap_both(path, text, old, old_bytes, changed):
                    return path
    finally:
        lock.unlink(missing_ok=True)
    raise InputError(str(folder), f"no free file name after {MAX_ATTEMPTS} attempts", "check the folder for odd files")


def _swap_both(path: Path, text: str, old: Path, old_bytes: bytes, changed: str) -> bool:
    """Publish the new record and replace the old one, or leave both as they were."""
    old_tmp = write_temp(old.parent, old.name, changed, stat.S_IMODE(old.lstat().st_mode))
    try:
        if not publish_new(path, text):
            return False
        try:
            if old.read_bytes() != old_bytes:
                raise InputError(str(old), "changed while it was being superseded", "try again")
            with os_errors(old):
                os.replace(old_tmp, old)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return True
    finally:
        old_tmp.unlink(missing_ok=True)
