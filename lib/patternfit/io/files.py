"""Writing files so that nothing is ever half-written, and never outside the folder meant.

Path rules (see tests/test_paths.py):

* A file name made from user text (a record title, a workshop title) is one plain name inside
  its folder: `plain_name` refuses separators, `.`/`..`, NUL and names over 255 bytes.
* Files are created exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`) and published by rename or
  hard link, which replace or refuse a name but never write through a symbolic link planted at
  it: a link `0001-x.md -> /elsewhere` is never followed for writing.
* A folder setting (`--out`, $PATTERNFIT_DECISIONS, $PATTERNFIT_WORKSHOPS, …) is the operator's
  choice: it is used as given, `..` and symbolic links included, as the shell would; a visitor of
  a dashboard never chooses a folder. `check_path` turns a path no file system can hold (a NUL, a
  part over 255 bytes) into an InputError instead of an OSError.
* Upload file names are only shown to the user (app_record copies an uploaded record into a
  private temporary folder under a sanitised name; nothing else touches the disk).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from patternfit.errors import InputError

NAME_MAX = 255  # bytes, on every common file system
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
CREATE = os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW | getattr(os, "O_BINARY", 0)


@contextlib.contextmanager
def os_errors(where: Path, what: str = "file") -> Iterator[None]:
    """Turn permission and disk errors into one InputError naming the place (a FileExistsError
    passes through: callers that create names exclusively pick another one)."""
    try:
        yield
    except PermissionError:
        raise InputError(
            str(where), "is not writable (permission denied)", f"choose another place for the {what}"
        ) from None
    except FileExistsError:  # a name taken: the caller's to handle (it picks another)
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            str(where), f"could not be written ({reason})", "free some space or choose another folder"
        ) from None


def plain_name(name: str, where: str = "file name") -> str:
    """`name` if it is one ordinary file name (no folder part, not `.`/`..`, no NUL, ≤ 255 bytes)."""
    fix = "use letters, digits and dashes"
    if not name or name in (".", "..") or "/" in name or "\\" in name or os.sep in name:
        raise InputError(where, f"{name!r} is not a plain file name", fix)
    if "\0" in name:
        raise InputError(where, f"{name!r} contains a NUL character", fix)
    if len(os.fsencode(name)) > NAME_MAX:
        raise InputError(where, f"is longer than {NAME_MAX} bytes", "choose a shorter name")
    return name


def check_path(path: Path, fix: str) -> Path:
    """`path`, or an InputError if no file system could hold it (a NUL, a part over 255 bytes)."""
    if "\0" in str(path):
        raise InputError(str(path).replace("\0", "\\0"), "contains a NUL character", fix)
    for part in path.parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise InputError(str(path), f"has a part longer than {NAME_MAX} bytes ({part[:20]}…)", fix)
    return path


def create_exclusive(path: Path, mode: int = 0o666) -> int:
    """A new file descriptor for `path`, which must not exist (not even as a symbolic link)."""
    return os.open(path, CREATE, mode)


def temp_beside(path: Path) -> tuple[int, Path]:
    """A new hidden temporary file in `path`'s folder: (descriptor, its path). Created with mode
    0o666 less the umask, like any new file (mkstemp would make it 0o600)."""
    for _ in range(100):
        temp = path.parent / f".{path.name[:200]}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
        try:
            return create_exclusive(temp), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")  # pragma: no cover - 2**48 names


@contextlib.contextmanager
def atomic_stream(path: str | Path) -> Iterator[BinaryIO]:
    """A binary stream whose bytes appear at `path` all at once when the block ends, or not at
    all: a temporary file beside `path` is fsynced and renamed over it. A file already at `path`
    keeps its permissions; a symbolic link at `path` is replaced, never written through. Errors
    of the disk or the folder become one InputError naming `path`."""
    path = check_path(Path(path), "choose another file name")
    if path.is_dir():
        raise InputError(str(path), "is a folder", "give a file name")
    if not path.parent.is_dir():
        raise InputError(str(path), f"its folder {path.parent} does not exist", "create the folder first")
    with os_errors(path):
        fd, temp = temp_beside(path)
        try:
            with os.fdopen(fd, "wb") as out:
                keep = _regular_mode(path)
                if keep is not None:
                    set_mode(out.fileno(), keep)
                yield out
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write `data` to `path` by writing a temporary file beside it and renaming it into place:
    readers see the old file or the new one, never a half-written one. On any failure the old
    file is untouched and the temporary file is removed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_stream(path) as out:
        out.write(raw)
    return Path(path)


def write_temp(folder: Path, name: str, text: str, mode: int | None = None) -> Path:
    """A complete, fsynced hidden copy of `text` in `folder`, created exclusively."""
    tmp = folder / f".{name[:100]}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    with os_errors(folder):
        fd = create_exclusive(tmp)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                if mode is not None:
                    set_mode(handle.fileno(), mode)
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return tmp


def publish_new(path: Path, text: str) -> bool:
    """Make `path` appear, complete, if no file of that name exists (else False, nothing written):
    a temporary copy is hard-linked into place, which fails rather than replace anything, even a
    symbolic link."""
    tmp = write_temp(path.parent, path.name, text)
    try:
        with os_errors(path.parent):
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
                    raise
                return _publish_without_link(tmp, path)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _publish_without_link(tmp: Path, path: Path) -> bool:
    """For file systems without hard links: reserve the name exclusively, then rename onto it."""
    try:
        os.close(create_exclusive(path))
    except FileExistsError:
        return False
    os.replace(tmp, path)
    return True


def set_mode(fd: int, mode: int) -> None:
    """chmod an open file (a no-op where the platform has no fchmod: Windows before Python 3.13)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _regular_mode(path: Path) -> int | None:
    """The permission bits of the regular file at `path` (None if absent or not a regular file)."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None
