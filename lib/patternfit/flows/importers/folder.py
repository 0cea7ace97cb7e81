"""Reading a folder of files a stranger wrote: only regular files inside it (no symbolic link is
followed out of it), within a budget of files and bytes, each through the guarded readers of
patternfit.io."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from patternfit.errors import InputError
from patternfit.io import yamlio

MAX_FILES = 20_000  # files looked at
MAX_BYTES = 100_000_000  # bytes read, all files together
FILE_BYTES = 1_000_000


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, its links resolved, lies inside `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def walk(root: Path, names: tuple[str, ...], skip: tuple[str, ...] = ()) -> Iterator[tuple[Path, str]]:
    """(path, text) of every regular file named one of `names` under `root`, in a stable order;
    folders named in `skip`, hidden folders and symbolic links are passed over."""
    if not root.is_dir():
        raise InputError(str(root), "is not a folder", "give the catalog's folder")
    seen = total = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith(".") and d != "node_modules")
        for name in sorted(files):
            seen += 1
            if seen > MAX_FILES:
                raise InputError(str(root), f"holds more than {MAX_FILES:,} files", "give the catalog's own folder")
            if name not in names:
                continue
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file() or not inside(root, path):
                continue
            text = yamlio.read_text(path, what="catalog file", max_bytes=FILE_BYTES)
            total += len(text)
            if total > MAX_BYTES:
                raise InputError(
                    str(root), f"holds more than {MAX_BYTES:,} bytes of catalog files", "give a smaller catalog"
                )
            yield path, text


def front_matter(text: str, where: str) -> dict[str, object]:
    """The YAML front matter of a Markdown/MDX file ({} when it has none)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    for end, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            data = yamlio.parse("\n".join(lines[1:end]), where)
            if data is None:
                return {}
            if not isinstance(data, dict):
                raise InputError(
                    where, "front matter is not a mapping", "write `key: value` lines between the --- lines"
                )
            return data
    raise InputError(where, "front matter is not closed", "end it with a line of ---")
