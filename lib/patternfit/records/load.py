"""Reopen decision records, say what changed on re-assessment, and list a decisions folder."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from patternfit.engine.assess import Assessment
from patternfit.engine.weights import resolve_weights
from patternfit.errors import InputError
from patternfit.io import yamlio
from patternfit.io.files import check_path
from patternfit.model.catalog import PATTERN_KEYS, Model
from patternfit.model.connection import parse_connection
from patternfit.records.build import RECORD_FORMAT
from patternfit.records.parse import ParsedRecord, read_record, status_text
from patternfit.records.render import people
from patternfit.records.text import file_number, inline, plain
from patternfit.records.types import LoadedRecord, LogEntry, RecordMeta, check_date

MODEL_VERSION = re.compile(r"^(\d{4})\.(\d{1,2})(?:\.(\d+))?$")
RESERVED = ("template.md", "readme.md", "index.md", "backlog.md")
NO_BLOCK = "has no patternfit block (a hand-written ADR?)"


@contextmanager
def _inside(where: str) -> Iterator[None]:
    """Prefix the `where` of any InputError raised inside with the record's file."""
    try:
        yield
    except InputError as exc:
        raise InputError(f"{where}: {exc.where}" if exc.where else where, exc.what, exc.fix) from None


def load_record(path: str | Path, model: Model, parsed: ParsedRecord | None = None) -> LoadedRecord:
    """Read a record written by `patternfit record`: its inputs, metadata and recorded outcome
    (`parsed`: the file already read with `parse.read_record`, to read it once)."""
    path = Path(path)
    where = str(path)
    parsed = parsed if parsed is not None else read_record(path)
    block = parsed.block
    if not isinstance(block, Mapping):
        raise InputError(
            where,
            NO_BLOCK if block is None else "the patternfit block is not a mapping",
            "only records written by `patternfit record` can be reopened; assess a connection file instead",
        )
    with _inside(f"{where}: patternfit"):
        version = check_model_version(block.get("model_version"), model)
        _check_format(block.get("record_format"))
        recommended = _pattern(block.get("recommended"), "recommended", optional=True)
        chosen = _pattern(block.get("chosen"), "chosen", optional=False) or ""
        connection = parse_connection(block.get("inputs"), model, where="inputs")
        weights = _weights(block.get("weights"), model)
        profile = block.get("profile")
        if profile is not None and not isinstance(profile, Mapping):
            raise InputError("profile", "must be a mapping", "write the profile as name, version, changes")
    with _inside(where):
        meta = _meta(parsed, block, chosen)
    return LoadedRecord(
        path=path,
        connection=connection,
        meta=meta,
        number=file_number(path.name),
        model_version=version,
        recommended=recommended,
        chosen=chosen,
        weights=weights,
        profile=dict(profile) if profile else None,
        fmt=parsed.fmt,
    )


def is_record_file(path: Path) -> bool:
    """True for a Markdown file, an HTML record, or a JSON file written by `patternfit record --format json`."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        try:
            return 'id="patternfit"' in yamlio.read_text(path, what="file")
        except InputError:
            return False
    if suffix != ".json":
        return suffix == ".md"
    try:
        data = yamlio.parse(yamlio.read_text(path, what="file"), str(path), json_only=True)
    except InputError:
        return False  # the connection loader will say what is wrong
    return isinstance(data, Mapping) and "patternfit" in data and "record_format" in data


def check_model_version(value: Any, model: Model) -> str:
    """A stored model version: YYYY.MM[.N], not newer than the model in use."""
    match = MODEL_VERSION.match(value) if isinstance(value, str) else None
    if match is None:
        raise InputError(
            "model_version", f"{value!r} is not a model version patternfit knows", "expected YYYY.MM, e.g. 2026.11"
        )
    current = MODEL_VERSION.match(model.version)
    if current and _version_key(match) > _version_key(current):
        raise InputError(
            "model_version",
            f"{value} is newer than this patternfit's model {model.version}",
            "upgrade patternfit to reopen this record",
        )
    return str(value)


def _version_key(match: re.Match[str]) -> tuple[int, int, int]:
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def _check_format(value: Any) -> None:
    if value != RECORD_FORMAT:
        raise InputError(
            "record_format", f"{value!r} is not a record format this patternfit reads", f"expected {RECORD_FORMAT}"
        )


def _pattern(value: Any, key: str, *, optional: bool) -> str | None:
    if value is None and optional:
        return None
    if value not in PATTERN_KEYS:
        raise InputError(key, f"{value!r} is not a pattern", "expected one of " + ", ".join(PATTERN_KEYS))
    return str(value)


def _weights(value: Any, model: Model) -> dict[str, float] | None:
    if value is None:
        return None
    vector = resolve_weights(value, model, where="weights")
    return dict(zip(model.keys, (float(x) for x in vector), strict=True))


def _meta(parsed: ParsedRecord, block: Mapping[str, Any], chosen: str) -> RecordMeta:
    header = parsed.header
    return RecordMeta(
        title=parsed.title,
        status=status_text(header.get("status", "proposed")),
        date=check_date(header.get("date"), "date"),
        decision_makers=_people(header, block, "decision-makers", "deciders"),
        consulted=_people(header, block, "consulted"),
        informed=_people(header, block, "informed"),
        chosen=chosen,
        rationale=str(block.get("rationale") or ""),
        supersedes=block.get("supersedes"),
        connection_id=str(block.get("connection_id") or ""),
        room=block.get("room") or None,
    )


def _people(header: Mapping[str, Any], block: Mapping[str, Any], key: str, alias: str = "") -> tuple[str, ...]:
    """The stored names, unless someone edited the visible ones since (then those win)."""
    stored = tuple(str(n) for n in block.get(key.replace("-", "_")) or ())
    visible = header.get(key, header.get(alias)) if alias else header.get(key)
    if visible is None or visible in (people(stored), inline(people(stored)), list(stored)):
        return stored
    if isinstance(visible, list):
        return tuple(str(v) for v in visible)
    return tuple(n.strip() for n in plain(str(visible)).split(",") if n.strip())


def reopen_options(loaded: LoadedRecord, weights: Any = None, profile: Any = None) -> tuple[Any, Any]:
    """(weights, profile) to re-assess a record with: the stored ones unless others are given.

    A new profile replaces the stored weights as well (they were the old profile's)."""
    stored = loaded.profile if loaded.profile and isinstance(loaded.profile.get("changes"), list) else None
    if weights is None and profile is None:
        weights = loaded.weights
    return weights, (profile if profile is not None else stored)


def reassessment_notice(loaded: LoadedRecord, assessment: Assessment, model: Model) -> dict[str, Any]:
    """What changed between the recorded decision and a re-assessment of its inputs."""
    previous = {"model_version": loaded.model_version, "recommended": loaded.recommended, "chosen": loaded.chosen}
    current = {"model_version": assessment.model_version, "recommended": assessment.recommended}
    version_changed = loaded.model_version != assessment.model_version
    recommendation_changed = loaded.recommended != assessment.recommended
    parts = []
    if version_changed:
        parts.append(f"recorded with model {loaded.model_version}, re-assessed with model {assessment.model_version}")
    if recommendation_changed:
        parts.append(
            f"the recommendation changed from {_label(model, loaded.recommended)}"
            f" to {_label(model, assessment.recommended)} (the team chose {_label(model, loaded.chosen)})"
        )
    return {
        "model_version_changed": version_changed,
        "recommendation_changed": recommendation_changed,
        "previous": previous,
        "current": current,
        "message": f"{loaded.path.name}: " + "; ".join(parts) if parts else "",
    }


def _label(model: Model, key: str | None) -> str:
    return "no pattern" if key is None else model.pattern(key).label


def decision_log(folder: str | Path) -> list[LogEntry]:
    """Every record in `folder` (patternfit's and foreign ones), by number; never writes."""
    folder = check_path(Path(folder), "give the folder that holds the decision records")
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "no such folder"
        raise InputError(str(folder), what, "give the folder that holds the decision records")
    try:
        files = sorted(p for p in folder.iterdir() if _listed(p))
    except OSError as exc:
        raise InputError(str(folder), f"cannot be read ({exc.strerror})", "check its permissions") from None
    entries = [_entry(p) for p in files]
    return _mark_duplicates(sorted(entries, key=lambda e: (e.number is None, e.number or 0, e.file)))


def _listed(path: Path) -> bool:
    return path.suffix.lower() in (".md", ".json", ".html") and not path.name.startswith(".") and path.is_file()


def _entry(path: Path) -> LogEntry:
    number = None if path.name.lower() in RESERVED else file_number(path.name)
    try:
        parsed = read_record(path)
    except InputError as exc:
        return LogEntry(number, "", "", None, "", path.name, f"unreadable: {exc.what}")
    header, block = parsed.header, parsed.block
    ours = isinstance(block, Mapping) and block.get("chosen") in PATTERN_KEYS
    flow = isinstance(block, Mapping) and block.get("kind") == "flow"
    date = header.get("date", "")
    return LogEntry(
        number=number,
        title=parsed.title or str(header.get("title", "")),
        status=status_text(header.get("status", "")),
        pattern=str(block["chosen"]) if (ours or flow) and isinstance(block, Mapping) else None,
        date=date.isoformat() if hasattr(date, "isoformat") else str(date),
        file=path.name,
        note="" if ours else "a flow's coordination" if flow else "not a patternfit record",
    )


def duplicate_numbers(entries: list[LogEntry]) -> dict[int, list[str]]:
    """{number: files} for every number that more than one file carries."""
    seen: dict[int, list[str]] = {}
    for entry in entries:
        if entry.number is not None:
            seen.setdefault(entry.number, []).append(entry.file)
    return {n: files for n, files in seen.items() if len(files) > 1}


def _mark_duplicates(entries: list[LogEntry]) -> list[LogEntry]:
    dupes = duplicate_numbers(entries)
    result = []
    for e in entries:
        if e.number in dupes:
            others = ", ".join(f for f in dupes[e.number] if f != e.file)
            note = f"duplicate number {e.number:04d} (also {others})"
            e = LogEntry(
                e.number, e.title, e.status, e.pattern, e.date, e.file, "; ".join(x for x in (note, e.note) if x)
            )
        result.append(e)
    return result
