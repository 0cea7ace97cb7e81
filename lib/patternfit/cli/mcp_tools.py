"""The work behind `patternfit mcp`: each tool, resource and prompt as plain Python (JSON-ready
dicts in and out), without the MCP SDK, so it can be read, typed and timed on its own.

The files the tools touch are confined: records are written into, and listed and checked from,
the records folder the server was started with (or a folder inside it); inventories, models
and profiles are read from inside the workspace root (or the records folder). A path that
leads elsewhere — by `..`, an absolute path or a symbolic link — is refused, as is a record
template file (only the built-in layouts), so an assistant cannot make the server read or
write outside what its operator gave it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patternfit.engine.assess import Assessment, assess_connection
from patternfit.engine.explain import (
    ask_lines,
    headline,
    hinge_lines,
    recommendation,
    render_markdown,
    resolution_lines,
    sureness,
)
from patternfit.errors import InputError, allowed_text, did_you_mean
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import coerce_answer, parse_connection
from patternfit.model.guide import guide, pattern_page
from patternfit.model.profile import Profile
from patternfit.records.render import TEMPLATES

SUB = "sub."
# What the `assess` tool adds to `Assessment.to_dict()` (the CLI's JSON): nothing else differs.
ADDITIONS = ("headline", "next_questions")
RECORD_FORMATS = ("madr", "log4brains", "json", "html")
LISTED = 20  # rows of an estate listing shown (the counts cover every row)
MAX_SAMPLES = 100_000  # robustness samples one call may ask for (0.65 s measured at load 29); more ties the server up
NO_FOLDER_YET = "the records folder does not exist yet: the record tool creates it"


@dataclass(frozen=True)
class Workbench:
    """The server's settings: the records folder (written), the workspace root (read), an
    organisation profile applied to every assessment, and the model."""

    records: Path
    root: Path
    model: Model
    profile: Profile | None = None  # read from --profile once, at start

    @classmethod
    def start(cls, records: Path, root: Path, profile: Path | None = None) -> Workbench:
        """Check the settings once, at start (InputError: the operator's command line is wrong).
        Relative paths are taken from the current folder, as every patternfit command takes them."""
        from patternfit.io.files import check_path

        root = check_path(root, "give an existing folder as --root").resolve()
        if not root.is_dir():
            raise InputError(f"--root {root}", "no such folder", "give an existing folder as --root")
        records = check_path(records, "give a folder for the decision records as --records").resolve()
        if records.exists() and not records.is_dir():
            raise InputError(f"--records {records}", "is a file, not a folder", "give a folder")
        model = load_model()
        read = None
        if profile is not None:  # read once, here: every tool call takes the `Profile`
            from patternfit.model.profile import apply_profile, load_profile

            read = load_profile(check_path(profile, "give the profile file as --profile").resolve())
            apply_profile(read, model)  # a broken profile stops the server before it starts
        return cls(records=records, root=root, model=model, profile=read)

    # -- tools ------------------------------------------------------------------------------

    def assess(self, connection: Any, samples: int | None = None, seed: int = 0) -> dict[str, Any]:
        """`Assessment.to_dict()` — the CLI's JSON — plus the headline and the next questions' text."""
        a = self._assess(connection, samples, seed)
        data = a.to_dict()
        data["headline"] = headline(a, self.model)
        data["next_questions"] = [self.question(item["key"]) for item in a.ask_next]
        return data

    def explain(self, connection: Any, samples: int | None = None, seed: int = 0) -> dict[str, Any]:
        """Why, in the catalog's words: the state, the reasons, what it hinges on, and every source cited."""
        a = self._assess(connection, samples, seed)
        model = self.model
        cited: list[str] = []
        cited += [s for reasons in a.knocked_out.values() for r in reasons for s in r["sources"]]
        cited += [s for reasons in a.conditional.values() for r in reasons for s in r["sources"]]
        cited += [s for p in a.pitfalls for s in p["sources"]] + [s for c in a.checks for s in c["sources"]]
        cited += [s for i in a.checklist for s in i["sources"]] + [s for c in a.contradictions for s in c["sources"]]
        if a.recommended is not None:
            cited += model.pattern(a.recommended).sources
        for key, value in a.connection.characteristics.items():
            question = model.question(key)
            integer = question.scale.type == "integer"
            bucket = question.scale.values[question.scale.level_of(value)] if integer else value
            cited += model.fit_sources.get((key, bucket), question.sources)
        return {
            "recommended": a.recommended,
            "recommendation": recommendation(a, model),
            "state": a.state,
            "headline": headline(a, model),
            "how_sure": sureness(a, model),
            "why": list(a.explanations),
            "knocked_out": {
                model.pattern(p).label: [f"{r['id']}: {r['reason']}" for r in reasons]
                for p, reasons in a.knocked_out.items()
            },
            "hinges": hinge_lines(a, model),
            "resolutions": resolution_lines(a, model),
            "answer_next": ask_lines(a, model, limit=len(a.ask_next)),
            "pitfalls": [f"{p['id']} {p['title']}: {p['message']} Fix: {p['fix']}" for p in a.pitfalls],
            "checks": [f"{c['id']}: {c['question']} ({c['why']})" for c in a.checks],
            "sources": {s: dict(model.sources[s]) for s in dict.fromkeys(cited) if s in model.sources},
            "markdown": render_markdown(a, model),
            "model_version": a.model_version,
        }

    def what_if(self, connection: Any, change: Any, samples: int | None = None, seed: int = 0) -> dict[str, Any]:
        """Change answers (key → value; null leaves it unanswered) and say what changes."""
        data = self._mapping(connection)
        before = self._assess(data, samples, seed)
        changed = self._changed(data, change)
        after = self._assess(changed, samples, seed)
        headline_fields = ("recommended", "coordination", "messaging_flavour", "state")
        b, c = self._summary(before), self._summary(after)
        return {
            "changes": [k for k in headline_fields if b[k] != c[k]],
            "before": b,
            "after": c,
            "inputs": after.connection.to_dict(),
        }

    def record(
        self,
        connection: Any,
        *,
        status: str = "proposed",
        title: str = "",
        deciders: list[str] | None = None,
        consulted: list[str] | None = None,
        informed: list[str] | None = None,
        date: str | None = None,
        chosen: str | None = None,
        rationale: str = "",
        connection_id: str = "",
        folder: str = "",
        format: str = "madr",  # the CLI's flag name
        template: str = "madr",
    ) -> dict[str, Any]:
        """Write the next numbered record into the records folder (never over a file)."""
        from patternfit.records import RecordMeta, build_record, check_date, check_status, save_record

        if format not in RECORD_FORMATS:
            raise InputError("format", f"{format!r} is not a record format{did_you_mean(format, RECORD_FORMATS)}",
                             allowed_text(RECORD_FORMATS))  # fmt: skip
        if template not in TEMPLATES:
            raise InputError(
                "template",
                f"{template!r} is not a built-in layout (template files are not read through the server)",
                allowed_text(TEMPLATES),
            )
        if format == "log4brains" and template != "madr":
            raise InputError("template", f"{template} is a Markdown layout of its own", "use it with format madr")
        target = self._inside(folder, self.records, "folder", "the records folder")
        a = self._assess(connection, None, 0)
        meta = RecordMeta(
            title=title,
            status=check_status(status, "status"),
            date=check_date(date, "date") if date is not None else RecordMeta().date,
            decision_makers=tuple(deciders or ()),
            consulted=tuple(consulted or ()),
            informed=tuple(informed or ()),
            chosen=chosen,
            rationale=rationale,
            connection_id=connection_id,
        )
        try:
            record = build_record(a, meta, self.model, profile=self.profile)
        except InputError as exc:  # its fix names the CLI's flags; the tool's arguments have the bare names
            raise InputError(exc.where, exc.what, re.sub(r"--(\w+)", r"\1", exc.fix)) from None
        if target == self.records and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
        path = save_record(record, target, format, template)
        return {
            "path": str(path.relative_to(self.records)),
            "records_folder": str(self.records),
            "title": record.title,
            "status": record.meta.status,
            "recommended": a.recommended,
            "chosen": record.meta.chosen or a.recommended,
            "state": a.state,
        }

    def records_log(self, folder: str = "") -> dict[str, Any]:
        """The decision log of the records folder (or a folder inside it)."""
        from patternfit.records.load import decision_log, duplicate_numbers

        if not folder and not self.records.exists():
            return {"records": [], "duplicate_numbers": {}, "note": NO_FOLDER_YET}
        entries = decision_log(self._inside(folder, self.records, "folder", "the records folder", exists=True))
        dupes = duplicate_numbers(entries)
        return {
            "records": [dataclasses.asdict(e) for e in entries],
            "duplicate_numbers": {f"{n:04d}": files for n, files in sorted(dupes.items())},
        }

    def check(self, folder: str = "", inventory: str | None = None) -> dict[str, Any]:
        """Re-assess the recorded decisions (`patternfit check`); `drifted` when one no longer holds."""
        from patternfit.cli.check import inventory_rows
        from patternfit.records.drift import check_folder, record_files

        if not folder and not self.records.exists():
            return {"records": 0, "files": 0, "drifted": False, "findings": [], "note": NO_FOLDER_YET}
        where = self._inside(folder, self.records, "folder", "the records folder", exists=True)
        record_files(where)
        rows = None
        if inventory is not None:
            rows = inventory_rows(self._readable(inventory, "inventory"), self.profile, self.model)
        result = check_folder(where, self.model, profile=self.profile, inventory=rows)
        findings = []
        for f in result.findings:
            entry = f.to_dict()
            entry["record"] = _relative(Path(f.record), self.records)
            entry["drift"] = f.drift
            findings.append(entry)
        return {"records": result.records, "files": result.files, "drifted": result.drifted, "findings": findings}

    def estate_summary(self, source: str, kind: str | None = None, limit: int = LISTED) -> dict[str, Any]:
        """An inventory or architecture model → counts, mismatches, workshop candidates, pitfalls."""
        from patternfit.estate.review import review

        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InputError("limit", f"{limit!r} must be a whole number ≥ 0", "e.g. 20")
        kinds = ("structurizr", "backstage", "archimate", "asyncapi", "inventory")
        if kind is not None and kind not in kinds:
            raise InputError("kind", f"{kind!r} is not a source kind{did_you_mean(kind, kinds)}", allowed_text(kinds))
        path = self._readable(source, "source")
        result = review(path, profile=self.profile, kind=kind)
        findings = result.findings
        return {
            "source": _relative(path, self.root),
            "assessed_with": result.basis,
            "summary": {re.sub(r"\W+", "_", k): v for k, v in findings.summary.items()},
            "mismatches": _rows(findings.mismatches, limit),
            "workshop_candidates": _rows(findings.workshop, limit),
            "pitfalls": _rows(findings.pitfalls, limit),
            "pattern_mix": json.loads(findings.mix.to_json(orient="index")),
            "unreadable_cells": _rows(result.problems, limit),
            "warnings": list(result.inventory.warnings),
            "not_read": [str(x) for x in result.inventory.not_read[:limit]],
            "listed": limit,
        }

    def flow(
        self, flow: Any = None, source: str | None = None, kind: str | None = None, view: str | None = None
    ) -> dict[str, Any]:
        """A business flow → each step's assessment, the coordination, findings across steps, the diagram:
        `flow` inline (the flow file's form; steps inline, no `file:`), or `source` — a flow file, an
        EventCatalog folder (`kind` eventcatalog, `view` the flow id) or a Structurizr workspace (`kind`
        structurizr, `view` the dynamic view key) — inside the workspace root."""
        from patternfit.cli.flow import SOURCES, read_source
        from patternfit.flows import assess_flow
        from patternfit.model.flows import load_flow_model

        if (flow is None) == (source is None):
            raise InputError(
                "flow", "give either `flow` (a flow mapping) or `source` (a path)", "not both, not neither"
            )
        if kind is not None and kind not in SOURCES:
            raise InputError(
                "kind", f"{kind!r} is not a flow source{did_you_mean(kind, SOURCES)}", allowed_text(SOURCES)
            )
        subject: Any
        if flow is not None:
            if not isinstance(flow, dict):
                raise InputError("flow", f"must be a mapping (the flow file's form), got {type(flow).__name__}", "")
            subject = flow
        else:
            path = self._inside(source, self.root, "source", "the workspace root", exists=True)
            subject = read_source(path, kind, view)
        return assess_flow(subject, model=self.model, rules=load_flow_model()).to_dict()

    # -- resources --------------------------------------------------------------------------

    def question(self, key: str) -> dict[str, Any]:
        """One question as the questionnaire gives it: text, help, allowed values, examples, sources."""
        question = self.model.question(key.removeprefix(SUB))
        scale = question.scale
        groups = dict(self.model.groups)
        entry: dict[str, Any] = {
            "key": key,
            "label": question.label,
            "question": question.question,
            "help": question.help,
            "group": groups.get(question.group, question.group) if not key.startswith(SUB) else "Coordination",
            "type": scale.type,
            "allowed": scale.describe(),
        }
        values = (True, False) if scale.type == "boolean" else scale.values
        options = []
        for level, value in enumerate(values):
            option: dict[str, Any] = {"value": value, "label": question.value_label(value)}
            if scale.type == "integer":
                low = (scale.minimum or 0) if level == 0 else int(scale.bucket_max[level - 1] or 0) + 1
                option = {"value": low, "label": str(value), "from": low, "to": scale.bucket_max[level]}
            for name, texts in (("example", question.examples), ("not_meant", question.not_meant)):
                if texts and texts.get(value):
                    option[name] = texts[value]
            options.append(option)
        entry["values"] = options
        if scale.type == "integer":
            entry["minimum"] = scale.minimum
        entry["sources"] = list(question.sources)
        return entry

    def questionnaire(self) -> dict[str, Any]:
        """Every question (the 18 characteristics, then the coordination inputs as `sub.<key>`)."""
        keys = question_keys(self.model)
        return {
            "model_version": self.model.version,
            "connection_file": {
                "name": "text",
                "characteristics": "key: value for the characteristics below (leave a key out when unknown)",
                "sub": "key: value for the coordination inputs (their keys without `sub.`), multi-step flows only",
                "unsure": "a list of answered keys the team is not sure of (`sub.<key>` for a coordination input)",
            },
            "questions": [self.question(k) for k in keys],
        }

    def pattern_page(self, key: str) -> str:
        """The pattern guide page of one pattern (Markdown, as the dashboards show it)."""
        if key not in self.model.pattern_keys:
            raise InputError("pattern", f"{key!r} is not a pattern", allowed_text(self.model.pattern_keys))
        return pattern_page(self.model, key)

    def guide(self) -> str:
        return guide(self.model)

    def model_info(self) -> dict[str, Any]:
        """The model version, its patterns and every source it cites."""
        return {
            "model_version": self.model.version,
            "profile": None if self.profile is None else self.profile.where,
            "patterns": {p.key: p.label for p in self.model.patterns},
            "sources": {sid: dict(entry) for sid, entry in self.model.sources.items()},
        }

    # -- helpers ----------------------------------------------------------------------------

    def _mapping(self, connection: Any) -> dict[str, Any]:
        if not isinstance(connection, Mapping):
            raise InputError(
                "connection",
                f"must be a mapping (the connection file's form), got {type(connection).__name__}",
                'e.g. {"name": "…", "characteristics": {"response_expectation": "none"}}',
            )
        return dict(connection)

    def _assess(self, connection: Any, samples: int | None, seed: int) -> Assessment:
        """`samples` None: the model's policy (samples.default)."""
        data = self._mapping(connection)
        default = self.model.policy.default_samples
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InputError("seed", f"{seed!r} must be a whole number ≥ 0", "e.g. 0")
        if isinstance(samples, int) and samples > MAX_SAMPLES:
            raise InputError("samples", f"{samples} is more than {MAX_SAMPLES:,}", f"e.g. {default}")
        subject = parse_connection(data, self.model, where="connection")
        samples = default if samples is None else samples
        return assess_connection(subject, profile=self.profile, samples=samples, seed=seed, model=self.model)

    def _changed(self, data: dict[str, Any], change: Any) -> dict[str, Any]:
        """The connection mapping with `change` applied; a changed answer is no longer unsure."""
        if not isinstance(change, Mapping) or not change:
            raise InputError("change", "must map one or more keys to new values", 'e.g. {"consumer_count": 4}')
        chars = dict(data.get("characteristics") or {})
        sub = dict(data.get("sub") or {})
        unsure = [k for k in (data.get("unsure") or []) if k not in change]
        keys = question_keys(self.model)
        for key, value in change.items():
            if key not in keys:
                raise InputError(f"change: {key}", f"unknown key{did_you_mean(key, keys)}", allowed_text(keys))
            section, name = (sub, key[len(SUB) :]) if key.startswith(SUB) else (chars, key)
            if value is None:
                section.pop(name, None)
            else:
                section[name] = coerce_answer(self.model.question(name), value, f"change: {key}")
        out = {**data, "characteristics": chars, "sub": sub}
        if unsure:
            out["unsure"] = unsure
        else:
            out.pop("unsure", None)
        return out

    def _summary(self, a: Assessment) -> dict[str, Any]:
        return {
            "recommended": a.recommended,
            "coordination": a.coordination,
            "messaging_flavour": a.messaging_flavour,
            "state": a.state,
            "headline": headline(a, self.model),
            "scores": a.scores,
            "knocked_out": {p: [r["id"] for r in reasons] for p, reasons in a.knocked_out.items()},
            "pitfalls": [p["id"] for p in a.pitfalls],
            "ask_next": [item["key"] for item in a.ask_next],
        }

    def _inside(self, given: Any, base: Path, key: str, what: str, *, exists: bool = False) -> Path:
        """`given` (relative to `base`) as a path inside `base`, or InputError naming the key."""
        if not isinstance(given, str):
            raise InputError(key, f"must be a path (text), got {type(given).__name__}", f"give a folder inside {what}")
        from patternfit.io.files import check_path

        path = check_path(base / given, f"give a path inside {what}").resolve()
        if not path.is_relative_to(base):
            raise InputError(f"{key} {given!r}", f"leads outside {what} ({base})", f"give a path inside {base}")
        if exists and not path.exists():
            raise InputError(f"{key} {given!r}", f"no such folder in {what} ({base})", "give an existing folder")
        return path

    def _readable(self, given: Any, key: str) -> Path:
        """A file to read: inside the workspace root or the records folder, and there."""
        from patternfit.io.files import check_path

        if not isinstance(given, str) or not given.strip():
            raise InputError(key, "must be the path of a file (text)", f"give a path inside {self.root}")
        for base in (self.root, self.records):
            path = check_path(base / given, "give a path inside the workspace root").resolve()
            if path.is_relative_to(base) and path.is_file():
                return path
        raise InputError(
            f"{key} {given!r}",
            f"is no file inside the workspace root ({self.root}) or the records folder ({self.records})",
            "give the path of a file inside one of them (files elsewhere are not read)",
        )


def _relative(path: Path, base: Path) -> str:
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def _rows(frame: Any, limit: int) -> list[dict[str, Any]]:
    """The first `limit` rows of a DataFrame as JSON objects (NaN as null)."""
    rows: list[dict[str, Any]] = json.loads(frame.head(limit).to_json(orient="records"))
    return rows


def question_keys(model: Model) -> list[str]:
    """Every key a connection may answer: the characteristics, then `sub.<key>` coordination inputs."""
    return [q.key for q in model.characteristics] + [SUB + q.key for q in model.sub_inputs]
