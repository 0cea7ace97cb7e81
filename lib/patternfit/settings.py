"""Every PATTERNFIT_* setting and default path, read in one place.

Settings are the operator's (the person who serves the dashboards or runs the CLI), read from the
environment when asked for, so a test or a server can change them without re-importing anything:

=========================  ==========================================================  ==========================
variable                   what it sets                                                default
=========================  ==========================================================  ==========================
``PATTERNFIT_DATA``        the model folder                                            the model the package ships
``PATTERNFIT_PROFILE``     an organisation profile every dashboard visitor starts with  none
``PATTERNFIT_DECISIONS``   where the decide dashboard saves records                    ``docs/decisions``
``PATTERNFIT_WORKSHOPS``   where the workshop dashboard saves workshop files           ``workshops``
``PATTERNFIT_DRAFTS``      where per-visitor drafts (decide, workshop) are kept         ``.patternfit-drafts``
``PATTERNFIT_THREADS``     threads for scoring a large estate                          the machine's cores
``PATTERNFIT_ROOMS_DB``    the rooms' store: a SQLite file or a ``postgresql://`` URL   ``rooms.sqlite3`` in workshops
``PATTERNFIT_ROOM_URL``    the address phones reach the server at (link and QR code)    the facilitator's own address
=========================  ==========================================================  ==========================
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

DATA = "PATTERNFIT_DATA"
PROFILE = "PATTERNFIT_PROFILE"
DECISIONS = "PATTERNFIT_DECISIONS"
WORKSHOPS = "PATTERNFIT_WORKSHOPS"
DRAFTS = "PATTERNFIT_DRAFTS"
THREADS = "PATTERNFIT_THREADS"
ROOMS_DB = "PATTERNFIT_ROOMS_DB"
ROOM_URL = "PATTERNFIT_ROOM_URL"


def _get(name: str) -> str:
    return os.environ.get(name, "").strip()


def data_dir() -> Path:
    """The model folder: $PATTERNFIT_DATA, else the model shipped with the package.

    The wheel carries ``data/`` as the package ``patternfit.data``; an editable install maps that
    package onto the checkout's ``data/``. Run from a bare checkout (``PYTHONPATH=lib``) the folder
    beside ``lib/`` is used."""
    override = _get(DATA)
    return Path(override) if override else shipped_data_dir()


def shipped_data_dir() -> Path:
    """The model shipped with the package (whatever PATTERNFIT_DATA says)."""
    spec = importlib.util.find_spec("patternfit.data")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if (Path(location) / "sources.yaml").is_file():
                return Path(location)
    return Path(__file__).resolve().parents[2] / "data"


def profile_path() -> Path | None:
    """The organisation profile of a published dashboard, when the operator set one."""
    value = _get(PROFILE)
    return Path(value) if value else None


def home() -> Path:
    """The folder relative settings default to: the checkout when run from one (the kernel of a
    served notebook runs in notebooks/), else the current folder."""
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "pyproject.toml").is_file() and (checkout / "data").is_dir() else Path.cwd()


def decisions_dir() -> Path:
    """Where the decide dashboard saves records: $PATTERNFIT_DECISIONS, else docs/decisions."""
    value = _get(DECISIONS)
    return Path(value) if value else home() / "docs" / "decisions"


def workshops_dir() -> Path:
    """Where "save on the server" writes workshop files."""
    return Path(_get(WORKSHOPS) or "workshops")


def drafts_dir() -> Path:
    """Where per-visitor drafts of the decide and workshop pages live."""
    return Path(_get(DRAFTS) or ".patternfit-drafts")


def threads() -> int:
    """Threads for scoring an estate in chunks: $PATTERNFIT_THREADS, else the cores this process may use."""
    value = _get(THREADS)
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def rooms_db() -> str:
    """The rooms' store: $PATTERNFIT_ROOMS_DB (a SQLite file or a postgresql:// URL), else
    rooms.sqlite3 in $PATTERNFIT_WORKSHOPS, else in the checkout's workshops/ folder — one absolute
    place, because the server (started in the checkout) and the kernels (run in notebooks/) must
    share it."""
    folder = Path(_get(WORKSHOPS)) if _get(WORKSHOPS) else home() / "workshops"
    return _get(ROOMS_DB) or str(folder.resolve() / "rooms.sqlite3")


def room_url() -> str:
    """The address phones use to reach the server (e.g. http://10.0.0.5:8866), when the operator set one."""
    return _get(ROOM_URL).rstrip("/")
