"""What the decide page opens, read into typed values without widgets: an organisation profile
(a mapping, a path or an uploaded file) checked against the reference model, and an uploaded
connection file or decision record. Every problem is a `PatternfitError` naming the file."""

from __future__ import annotations

import copy
import functools
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patternfit import settings
from patternfit.apps.common.limits import SMALL_FILE_BYTES, too_large
from patternfit.errors import InputError, PatternfitError
from patternfit.io.yamlio import decode, parse
from patternfit.model.catalog import Model
from patternfit.model.connection import Connection, parse_connection
from patternfit.model.profile import apply_profile, load_profile, profile_technologies
from patternfit.model.technologies import Technologies
from patternfit.records import LoadedRecord, RecordMeta

LOG = logging.getLogger(__name__)
PROFILE_SUFFIXES = (".yaml", ".yml", ".json")
CONNECTION_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class ProfileRead:
    """A checked organisation profile: as loaded, its identity (for the card and records), and
    the reference model with it applied."""

    definition: dict[str, Any]
    info: dict[str, Any]
    model: Model

    @functools.cached_property
    def technologies(self) -> Technologies:
        """The technology catalogue with the profile's technologies and standards (read when first asked)."""
        return profile_technologies(copy.deepcopy(self.definition))

    @property
    def key(self) -> str:
        """The definition's identity, for the state's recomputation cache."""
        return json.dumps(self.definition, sort_keys=True, default=str)


@dataclass(frozen=True, slots=True)
class Opened:
    """An opened file: its connection and, from a decision record, its weights, its metadata and
    the profile it was decided under (None: the reference model)."""

    connection: Connection
    weights: Mapping[str, float] | None = None
    meta: RecordMeta | None = None
    record: bool = False  # a record brings its profile (or the reference model) with it
    profile: ProfileRead | None = None


def read_profile(source: Any, base: Model, where: str = "profile") -> ProfileRead:
    """Check a profile (a mapping, or a path) against the reference model; errors name `where`
    (the path, for a path) and the key."""
    read = load_profile(source, where)  # the typed `Profile`, read once
    model, info = apply_profile(read, base)
    return ProfileRead(read.to_dict(), info, model)


def read_profile_file(content: bytes, filename: str, base: Model) -> ProfileRead:
    """An uploaded profile file (.yaml/.yml/.json)."""
    name = Path(filename).name or "profile"
    if len(content) > SMALL_FILE_BYTES:
        raise InputError(name, too_large(len(content), SMALL_FILE_BYTES), "open a smaller profile")
    suffix = Path(name).suffix.lower()
    if suffix not in PROFILE_SUFFIXES:
        raise InputError(name, "is not a profile file", "open a .yaml, .yml or .json profile")
    data = parse(decode(bytes(content), name, what="profile"), name, json_only=suffix == ".json")
    return read_profile(data, base, where=name)


def read_connection_file(
    content: bytes, filename: str, model: Model, base: Model, read_record: Callable[[bytes, str], LoadedRecord]
) -> Opened:
    """An uploaded connection file (.yaml/.yml/.json, checked against the model in force) or
    decision record (.md, read by `read_record`, its stored profile checked against `base`)."""
    name = Path(filename).name or "upload"
    if len(content) > SMALL_FILE_BYTES:
        raise InputError(name, too_large(len(content), SMALL_FILE_BYTES), "open a smaller file")
    suffix = Path(name).suffix.lower()
    if suffix == ".md":
        record = read_record(content, name)
        stored = record.profile if record.profile and isinstance(record.profile.get("changes"), list) else None
        where = f"{name}: patternfit.profile"
        profile = read_profile(stored, base, where=where) if stored is not None else None
        return Opened(record.connection, record.weights, record.meta, record=True, profile=profile)
    if suffix not in CONNECTION_SUFFIXES:
        raise InputError(
            name, "is neither a connection file nor a decision record", "open a .yaml, .yml, .json or .md file"
        )
    data = parse(decode(content, name, what="connection file"), name, json_only=suffix == ".json")
    return Opened(parse_connection(data, model, where=name))


def env_profile(base: Model) -> tuple[ProfileRead | None, str]:
    """The organisation-wide profile of a published dashboard ($PATTERNFIT_PROFILE) and, when it
    cannot be applied, the message to show (the reference model is used then)."""
    path = settings.profile_path()
    if path is None:
        return None, ""
    try:
        return read_profile(path, base), ""
    except PatternfitError as exc:
        return None, f"{exc.message} (set by {settings.PROFILE}; the reference model is used)"
    except Exception as exc:  # a bug must not take the page down
        LOG.exception("the profile in %s could not be applied", settings.PROFILE)
        why = f"{type(exc).__name__}; set by {settings.PROFILE}"
        return None, f"{path}: could not be applied ({why}); the reference model is used."
