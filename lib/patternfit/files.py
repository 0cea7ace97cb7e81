"""Writing files so that nothing is ever half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError


@contextlib.contextmanager
def os_errors(where: Path, what: str = "file") -> Iterator[None]:
    """Turn permission and disk errors into one InputError naming the place."""
    try:
        yield
    except PermissionError:
        raise InputError(
            str(where), "is not writable (permission denied)", f"choose another place for the {what}"
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            str(where), f"could not be written ({reason})", "free some space or choose another folder"
        ) from None


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write `data` to `path` by writing a temporary file beside it and renaming it into place:
    readers see the old file or the new one, never a half-written one. On any failure the old
    file is untouched and the temporary file is removed."""
    path = Path(path)
    if path.is_dir():
        raise InputError(str(path), "is a folder", "give a file name")
    if not path.parent.is_dir():
        raise InputError(str(path), f"its folder {path.parent} does not exist", "create the folder first")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with os_errors(path):
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(raw)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    return path
