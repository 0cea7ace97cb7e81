"""Reading files from the user's disk: regular files only, the size read (not trusted), and
never a file outside the folder the user named.

* `read_bytes(path, where=..., limit=...)` opens without blocking (a FIFO never hangs),
  refuses anything but a regular file (`/dev/zero`, a FIFO, a socket, a folder) and reads at
  most `limit` bytes: a file that is larger than it says is refused with the limit.
* `read_text` is the same, decoded as UTF-8 (a BOM dropped, binary and UTF-16 named as such).
* `safe_path_under(root, path)` resolves `path` (symbolic links and `..` followed) and returns
  it only if it lies inside `root` (itself resolved): an importer opens nothing else.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from patternfit.errors import InputError

MAX_BYTES = 2_000_000  # a connection, weights, profile, record, template: far below this
_CHUNK = 1 << 20
_UTF8 = "save it as UTF-8 text"


def read_bytes(path: str | Path, *, where: str | None = None, what: str = "file", limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them (InputError otherwise)."""
    path = Path(path)
    shown = where or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(shown, "no such file", "check the path") from None
    except IsADirectoryError:
        raise InputError(shown, f"is a folder, not a {what}", f"give the path of a {what}") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(shown, f"cannot be read ({reason})", "check the path and its permissions") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(shown, f"is a folder, not a {what}", f"give the path of a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                shown, f"is not a regular file (a device, pipe or socket), not a {what}", f"give the path of a {what}"
            )
        if info.st_size > limit:
            raise InputError(shown, _too_large(info.st_size, limit, what), "split it or give a smaller file")
        return _read_limited(fd, shown, what, limit)
    except OSError as exc:
        raise InputError(shown, f"cannot be read ({exc.strerror})", "check the path and its permissions") from None
    finally:
        os.close(fd)


def _read_limited(fd: int, shown: str, what: str, limit: int) -> bytes:
    """At most `limit` bytes from `fd`; one byte more is refused (the reported size is not trusted)."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputError(shown, _too_large(None, limit, what), "split it or give a smaller file")


def _too_large(size: int | None, limit: int, what: str) -> str:
    if size is None:  # a file that grew, or whose reported size is not its length (/proc, …)
        return f"holds more than the {limit:,} bytes allowed for a {what}"
    return f"is {size:,} bytes, larger than the {limit:,} allowed for a {what}"


def read_text(path: str | Path, *, where: str | None = None, what: str = "file", limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of the regular file at `path` (see `read_bytes`, `decode`)."""
    shown = where or str(path)
    return decode(read_bytes(path, where=shown, what=what, limit=limit), shown, what=what)


def decode(raw: bytes, where: str, *, what: str = "file") -> str:
    """UTF-8 text from bytes (a BOM is dropped); binary data and UTF-16/32 are refused by name."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(where, f"is UTF-16 or UTF-32 text, which reads as binary: a {what} must be UTF-8", _UTF8)
    head = raw[:8192]
    if b"\x00" in head:
        if _utf16_without_bom(head):
            raise InputError(where, f"is UTF-16 text, which reads as binary: a {what} must be UTF-8", _UTF8)
        raise InputError(where, f"looks like a binary file, not a {what}", "give a YAML or JSON text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"is not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None


def _utf16_without_bom(head: bytes) -> bool:
    """Mostly ASCII text with a NUL beside every character: UTF-16 without its byte order mark."""
    even, odd = head[0::2], head[1::2]
    size = max(len(head) // 2, 1)
    return max(even.count(0), odd.count(0)) > 0.9 * size and min(even.count(0), odd.count(0)) < 0.1 * size


def safe_path_under(root: str | Path, path: str | Path, *, where: str | None = None) -> Path:
    """`path` resolved (links followed; relative to `root` if not absolute), if it lies inside
    `root`; InputError otherwise. Use it for every file an importer opens in a user's folder."""
    base = Path(root).resolve()
    target = Path(path)
    target = (target if target.is_absolute() else base / target).resolve()
    if not target.is_relative_to(base):
        raise InputError(where or str(path), f"leads out of the folder {base}", "keep the files inside the folder")
    return target


__all__ = ["MAX_BYTES", "decode", "read_bytes", "read_text", "safe_path_under"]
