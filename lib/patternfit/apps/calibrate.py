"""The calibration dashboard: an organisation tunes weights and fit values (each change with a
reason), sees at once which recommendations change on the examples and on its own connections,
and exports the profile YAML that the dashboard, the CLI (``--profile``) and the estate use.

An inventory (CSV/XLSX, read by the estate reader: unreadable cells are listed by row and column,
the other rows are used) shows the draft's effect over a whole estate: how many recommendations
change and from what to what, and how the margins and close calls move. The inventory is read
and coded once; each change of the draft re-scores it with the vectorised kernel
(``estate_score.score``, as ``assess_table``), never row by row.

The limits are the profile format's (``profile.apply_profile``): weights ≥ 0; a fit value a
whole number within ±1 of the reference and within −2…+2. Editors only offer allowed values,
and an uploaded profile goes through ``apply_profile``, so a bad one is refused in the banner.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
import yaml

from patternfit.apps.common import html as H
from patternfit.apps.pages import page_header, upload_button
from patternfit.engine.assess import Assessment, assess_connection
from patternfit.errors import InputError, PatternfitError
from patternfit.estate.compare import Shift, compare_results
from patternfit.estate.encode import Encoded, encode_table
from patternfit.estate.read import Inventory, read_inventory_bytes
from patternfit.estate.score import score
from patternfit.io.yamlio import decode, parse
from patternfit.model.catalog import Model, load_model
from patternfit.model.connection import Connection, parse_connection
from patternfit.model.examples import examples
from patternfit.model.profile import apply_profile
from patternfit.workshop.file import new_id, parse_workshop

LOG = logging.getLogger(__name__)
SAMPLES = 500
WEIGHT_MAX = 10.0
NO_REASON = "(reason still missing)"
MAX_INVENTORY = 100_000_000  # bytes; larger estates: `patternfit estate --profile` on the command line
CHANGED_SHOWN = 25  # changed connections listed by name
PROBLEMS_SHOWN = 10
INVENTORY_CSS = """<style>
.pf-calibrate .pf-figures { display: flex; gap: 1.5em; flex-wrap: wrap; font-size: 15px; margin: 0.4em 0; }
.pf-calibrate .pf-figures b { font-size: 20px; display: block; }
.pf-calibrate table.pf-grid { border-collapse: collapse; font-size: 13px; margin: 0.3em 0 0.8em; }
.pf-calibrate table.pf-grid th { text-align: left; background: #f2f2f2; }
.pf-calibrate table.pf-grid th, .pf-calibrate table.pf-grid td { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; }
.pf-calibrate .lm-TabBar-tab:not(.lm-mod-current) .lm-TabBar-tabLabel { color: #3d3d3d; }
</style>"""


@dataclass(frozen=True)
class InventorySubject:
    """An uploaded inventory, read and coded once, with its results under the reference model."""

    name: str
    inventory: Inventory
    encoded: Encoded
    before: pd.DataFrame


def build_calibrate_app(model: Model | None = None) -> w.Widget:
    """The calibration widget (its ``CalibrateApp`` is at ``widget.app``)."""
    return CalibrateApp(model).widget


def fit_choices(model: Model, key: str, answer: Any, pattern: str) -> list[int]:
    """The values a fit cell may take: whole numbers within ±1 of the reference and in −2…+2."""
    c = model.keys.index(key)
    ref = int(model.fit[c, _level(model, key, answer), model.pattern_keys.index(pattern)])
    return [v for v in range(ref - 1, ref + 2) if -2 <= v <= 2]


def _level(model: Model, key: str, answer: Any) -> int:
    scale = model.characteristics[model.keys.index(key)].scale
    if scale.type == "integer":
        return scale.values.index(str(answer))
    return scale.level_of(scale.coerce(answer))


class CalibrateApp:
    """Sliders and fit editors → a profile → its effect on the subjects (examples + uploads)."""

    def __init__(self, model: Model | None = None, *, samples: int = SAMPLES) -> None:
        self.model = model or load_model()
        self.samples = samples
        self.fit_changes: list[dict[str, Any]] = []
        self.subjects: dict[str, Connection] = {
            stem: parse_connection(_read(path), self.model, where=str(path))
            for stem, (_, path) in examples(self.model).items()
        }
        self._before: dict[str, Assessment] = {}
        self._quiet = False
        self.effect: list[dict[str, Any]] = []
        self.inventory: InventorySubject | None = None
        self.shift: Shift | None = None  # the draft's effect over the inventory
        self.after: pd.DataFrame | None = None  # the inventory's results under the draft
        self._build()
        self.refresh()

    # -- what tests and notebooks use ------------------------------------------------------
    def set_weight(self, key: str, value: float, reason: str = "") -> None:
        slider, why = self.weights[key]
        self._quiet = True
        try:
            slider.value = float(value)
            if reason:
                why.value = reason
        finally:
            self._quiet = False
        self.refresh()

    def add_fit(self, key: str, answer: Any, pattern: str, to: int, reason: str) -> bool:
        """Add (or replace) a fit change; refused in the banner when outside the allowed range."""
        change = {"fit": key, "answer": answer, "pattern": pattern, "to": int(to), "reason": reason.strip()}
        try:
            apply_profile({"name": "check", "version": "0", "changes": [{**change, "reason": "check"}]}, self.model)
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        self.fit_changes = [
            c for c in self.fit_changes if (c["fit"], str(c["answer"]), c["pattern"]) != (key, str(answer), pattern)
        ]
        self.fit_changes.append(change)
        self.clear_error()
        self.refresh()
        return True

    def remove_fit(self, index: int) -> None:
        del self.fit_changes[index]
        self.refresh()

    def changes(self) -> list[dict[str, Any]]:
        """The profile's changes: weights that differ from the reference, then the fit changes."""
        out: list[dict[str, Any]] = []
        defaults = self.model.default_weights()
        for key, (slider, why) in self.weights.items():
            if abs(slider.value - defaults[key]) > 1e-9:
                out.append({"weight": key, "to": round(float(slider.value), 3), "reason": why.value.strip()})
        return out + [dict(c) for c in self.fit_changes]

    def profile_dict(self) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "name": self.name.value.strip(),
            "version": self.version.value.strip(),
            "author": self.author.value.strip(),
            "changes": self.changes(),
        }
        return profile

    def missing_reasons(self) -> list[str]:
        return [str(c.get("weight") or c.get("fit")) for c in self.changes() if not c["reason"]]

    def profile_yaml(self) -> str:
        """The profile as YAML; InputError when it is not complete or not allowed."""
        missing = self.missing_reasons()
        if missing:
            raise InputError("profile", f"no reason given for {', '.join(missing)}", "every change needs a reason")
        profile = self.profile_dict()
        apply_profile(profile, self.model)
        return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=100)

    def load_profile_bytes(self, content: bytes, filename: str) -> bool:
        """Put an uploaded profile into the editors; a bad one is refused in the banner."""
        where = Path(filename).name
        try:
            data = parse(decode(bytes(content), where, what="profile"), where)
            if not isinstance(data, Mapping):
                raise InputError(where, "must be a mapping with name, version and changes", "see profile.py")
            apply_profile(data, self.model)
        except PatternfitError as exc:
            message = exc.message  # name the uploaded file, not "profile"
            self.show_error(where + message[len("profile") :] if message.startswith("profile:") else message)
            return False
        self._quiet = True
        try:
            self.name.value, self.version.value = str(data["name"]), str(data["version"])
            self.author.value = str(data.get("author") or "")
            defaults = self.model.default_weights()
            for key, (slider, why) in self.weights.items():
                slider.value, why.value = defaults[key], ""
            self.fit_changes = []
            for change in data.get("changes") or []:
                if "weight" in change:
                    slider, why = self.weights[change["weight"]]
                    slider.value, why.value = float(change["to"]), str(change["reason"])
                else:
                    self.fit_changes.append({k: change[k] for k in ("fit", "answer", "pattern", "to", "reason")})
        finally:
            self._quiet = False
        self.clear_error()
        self.refresh()
        return True

    def load_subjects_bytes(self, content: bytes, filename: str) -> bool:
        """Add an uploaded connection file or workshop file to the connections shown."""
        where = Path(filename).name
        try:
            data = parse(decode(bytes(content), where, what="connection or workshop file"), where)
            if isinstance(data, Mapping) and ("entries" in data or "workshop" in data):
                found = [e.connection for e in parse_workshop(data, self.model, where=where).entries]
            else:
                found = [parse_connection(data, self.model, where=where)]
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        for connection in found:
            self.subjects[new_id(connection.name, list(self.subjects))] = connection
        self.clear_error()
        self.refresh()
        return True

    def load_inventory_bytes(self, content: bytes, filename: str) -> bool:
        """Use an uploaded inventory (CSV/XLSX): read and score it once with the reference model;
        a file that cannot be read at all is refused in the banner, unreadable cells are listed."""
        where = Path(filename).name or "inventory"
        try:
            if len(content) > MAX_INVENTORY:
                raise InputError(
                    where,
                    f"is larger than {MAX_INVENTORY // 1_000_000} MB",
                    "use `patternfit estate INVENTORY --profile PROFILE` on the command line",
                )
            inventory = read_inventory_bytes(bytes(content), where, model=self.model)
            encoded = encode_table(inventory.table, self.model, where=where, extra_problems=inventory.problems)
            before = score(encoded, self.model.weights.copy(), self.model)
        except PatternfitError as exc:
            self.show_error(exc.message)
            return False
        self.inventory = InventorySubject(where, inventory, encoded, before)
        self.clear_error()
        self.refresh()
        return True

    def load_example_inventory(self) -> bool:
        """Use the example inventory of data/examples/ (51 connections, 3 with unreadable cells)."""
        path = self.model.directory / "examples" / "inventory.csv"
        return self.load_inventory_bytes(path.read_bytes(), path.name)

    def refresh(self, *_: Any) -> None:
        """Recompute the effect table and the export link."""
        if self._quiet:
            return
        profile = self.profile_dict()
        profile["changes"] = [{**c, "reason": c["reason"] or NO_REASON} for c in profile["changes"]]
        profile["name"] = profile["name"] or "draft"
        profile["version"] = profile["version"] or "0"
        try:
            changed, _info = apply_profile(profile, self.model)
        except PatternfitError as exc:
            self.show_error(exc.message)
            return
        self.effect = [self._effect(key, c, changed, profile["changes"]) for key, c in self.subjects.items()]
        self.table.value = effect_html(self.effect, self.model)
        self._inventory_effect(changed)
        self.fits_list.value = fits_html(self.fit_changes, self.model)
        self.fit_remove.options = [(describe_change(c, self.model), i) for i, c in enumerate(self.fit_changes)]
        self._export()

    def show_error(self, message: str) -> None:
        H.show_banner(self.error, message)

    def clear_error(self, *_: Any) -> None:
        H.hide_banner(self.error)

    # -- internals -------------------------------------------------------------------------
    def _effect(self, key: str, c: Connection, changed: Model, changes: list[dict[str, Any]]) -> dict[str, Any]:
        if key not in self._before:
            self._before[key] = assess_connection(c, samples=self.samples, seed=0, model=self.model)
        before = self._before[key]
        after = assess_connection(c, samples=self.samples, seed=0, model=changed) if changes else before
        which: list[str] = []
        if after.recommended != before.recommended:
            for change in changes:
                alone, _ = apply_profile({"name": "one", "version": "0", "changes": [change]}, self.model)
                if assess_connection(c, samples=0, model=alone).recommended == after.recommended:
                    which.append(describe_change(change, self.model))
            which = which or ["the changes together"]
        return {
            "connection": c.name,
            "before": before.recommended,
            "after": after.recommended,
            "changed": after.recommended != before.recommended,
            "which": which,
            "acceptability_before": before.acceptability.get(before.recommended or ""),
            "acceptability_after": after.acceptability.get(after.recommended or ""),
        }

    def _inventory_effect(self, changed: Model) -> None:
        subject = self.inventory
        if subject is None:
            self.inventory_box.value = INVENTORY_HINT
            return
        started = time.perf_counter()
        self.after = score(subject.encoded, changed.weights.copy(), changed)
        self.shift = compare_results(subject.before, self.after)
        took = time.perf_counter() - started
        self.inventory_box.value = inventory_html(subject, self.after, self.shift, self.model, took)

    def _export(self) -> None:
        try:
            text = self.profile_yaml()
        except PatternfitError as exc:
            self.download.value = H.disabled_download_html("Download the profile (YAML)", exc.message)
            self.export_note.value = H.status_html(exc.message, ok=False) if self.changes() else ""
            return
        filename = f"{new_id(self.name.value or 'profile')}-{new_id(self.version.value or '0')}.yaml"
        self.download.value = H.download_html(text, filename, "application/x-yaml", "Download the profile (YAML)")
        self.export_note.value = ""

    def _build(self) -> None:
        wide = w.Layout(width="100%")
        style = {"description_width": "120px"}
        self.name = w.Text(description="Name", placeholder="e.g. Acme integration office", style=style)
        self.version = w.Text(value="1.0", description="Version", style=style)
        self.author = w.Text(description="Author", style=style)
        for field in (self.name, self.version, self.author):
            field.observe(self._safe(self.refresh), "value")
        self.name.add_class("pf-calibrate-name")
        self.weights: dict[str, tuple[w.FloatSlider, w.Text]] = {}
        rows = []
        for q in self.model.characteristics:
            default = self.model.default_weights()[q.key]
            slider = w.FloatSlider(value=default, min=0.0, max=max(WEIGHT_MAX, default), step=0.5,
                                   description=q.label, continuous_update=False,
                                   style={"description_width": "220px"}, layout=w.Layout(width="480px"))  # fmt: skip
            slider.add_class(f"pf-cw-{q.key}")
            why = w.Text(placeholder="reason (needed when changed)", layout=w.Layout(width="360px"))
            slider.observe(self._safe(self.refresh), "value")
            why.observe(self._safe(self.refresh), "value")
            self.weights[q.key] = (slider, why)
            rows.append(w.HBox([slider, why]))
        weights_box = w.VBox(rows)
        keys = [(q.label, q.key) for q in self.model.characteristics]
        self.fit_key = w.Dropdown(options=keys, description="Characteristic", style=style)
        self.fit_answer = w.Dropdown(description="Answer", style=style)
        self.fit_pattern = w.Dropdown(options=[(p.label, p.key) for p in self.model.patterns], description="Pattern",
                                      style=style)  # fmt: skip
        self.fit_to = w.Dropdown(description="Fit value", style=style)
        self.fit_reason = w.Text(description="Reason", placeholder="why the organisation differs", style=style)
        add = w.Button(description="Add fit change", layout=w.Layout(width="auto"))
        add.add_class("pf-calibrate-add-fit")
        add.on_click(self._safe(self._add_fit_clicked))
        for field in (self.fit_key, self.fit_answer, self.fit_pattern):
            field.observe(self._safe(self._sync_fit_editor), "value")
        self._sync_fit_editor()
        self.fits_list = w.HTML("")
        self.fit_remove = w.Dropdown(description="Remove", style=style)
        remove = w.Button(description="Remove", layout=w.Layout(width="auto"))
        remove.on_click(self._safe(self._remove_clicked))
        fit_box = w.VBox([self.fit_key, self.fit_answer, self.fit_pattern, self.fit_to, self.fit_reason, add,
                          self.fits_list, w.HBox([self.fit_remove, remove])])  # fmt: skip
        self.profile_upload = upload_button(".yaml,.yml", "Open a profile", "Open a profile (.yaml) saved earlier")
        self.profile_upload.add_class("pf-calibrate-profile-upload")
        self.profile_upload.observe(self._safe(self._profile_uploaded), "value")
        self.subject_upload = upload_button(
            ".yaml,.yml,.json", "Add connections", "Add a connection file or a workshop file to the table below"
        )
        self.subject_upload.add_class("pf-calibrate-subject-upload")
        self.subject_upload.observe(self._safe(self._subject_uploaded), "value")
        self.inventory_upload = upload_button(
            ".csv,.xlsx", "Add an inventory (.csv / .xlsx)", "An inventory in the estate review's template"
        )
        self.inventory_upload.layout.width = "auto"
        self.inventory_upload.add_class("pf-calibrate-inventory-upload")
        self.inventory_upload.observe(self._safe(self._inventory_uploaded), "value")
        inventory_example = w.Button(
            description="Try the example inventory", icon="table", layout=w.Layout(width="auto")
        )
        inventory_example.add_class("pf-calibrate-inventory-example")
        inventory_example.on_click(self._safe(lambda *_: self.load_example_inventory()))
        self.inventory_box = w.HTML("", layout=wide)
        self.inventory_box.add_class("pf-calibrate-inventory")
        self.error = w.HTML("", layout=w.Layout(width="100%", display="none"))
        self.error.add_class("pf-error")
        self.table = w.HTML("", layout=wide)
        self.table.add_class("pf-calibrate-effect")
        self.download = w.HTML("")
        self.download.add_class("pf-calibrate-download")
        self.export_note = w.HTML("")
        tabs = w.Tab([weights_box, fit_box])
        tabs.set_title(0, "Weights")
        tabs.set_title(1, "Fit values")
        self.widget = w.VBox(
            [
                w.HTML(H.CSS + INVENTORY_CSS),
                page_header("calibrate"),
                self.error,
                w.HBox(
                    [w.VBox([self.name, self.version, self.author]), w.VBox([self.profile_upload, self.subject_upload])]
                ),
                tabs,
                w.HTML("<h2>Effect on the connections</h2>"),
                self.table,
                w.HTML("<h2>Effect on an inventory</h2>"),
                w.HBox([self.inventory_upload, inventory_example]),
                self.inventory_box,
                w.HBox([self.download, self.export_note]),
            ],
            layout=wide,
        )
        self.widget.add_class("pf-calibrate")
        self.widget.app = self

    def _sync_fit_editor(self, *_: Any) -> None:
        q = self.model.characteristics[self.model.keys.index(self.fit_key.value)]
        answers = [(q.value_label(v), v) for v in q.scale.values]
        if [v for _, v in self.fit_answer.options] != [v for _, v in answers]:
            self.fit_answer.options = answers
            self.fit_answer.value = answers[0][1]
        choices = fit_choices(self.model, q.key, self.fit_answer.value, str(self.fit_pattern.value))
        c, level = self.model.keys.index(q.key), _level(self.model, q.key, self.fit_answer.value)
        ref = int(self.model.fit[c, level, self.model.pattern_keys.index(str(self.fit_pattern.value))])
        self.fit_to.options = [(f"{v:+d}" + (" (reference)" if v == ref else ""), v) for v in choices]
        self.fit_to.value = ref

    def _remove_clicked(self, *_: Any) -> None:
        if self.fit_remove.value is not None:
            self.remove_fit(int(self.fit_remove.value))

    def _add_fit_clicked(self, *_: Any) -> None:
        if not self.fit_reason.value.strip():
            self.show_error("A fit change needs a reason: say why the organisation differs.")
            return
        if self.add_fit(self.fit_key.value, self.fit_answer.value, str(self.fit_pattern.value),
                        int(self.fit_to.value), self.fit_reason.value):  # fmt: skip
            self.fit_reason.value = ""

    def _profile_uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.profile_upload.value = ()
            self.load_profile_bytes(*item)

    def _subject_uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.subject_upload.value = ()
            self.load_subjects_bytes(*item)

    def _inventory_uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None:
            self.inventory_upload.value = ()
            self.load_inventory_bytes(*item)

    def _safe(self, callback: Callable[..., Any]) -> Callable[..., None]:
        return H.guarded(callback, self.show_error, "the profile is kept", LOG)


def _read(path: Path) -> Any:
    from patternfit.io.yamlio import load

    return load(path, what="connection file")


def describe_change(change: Mapping[str, Any], model: Model) -> str:
    """A profile change in the catalog's words ("weight of Coordinated steps → 6", "fit of
    Coordinated steps: 2–3 for Events → +1"), never its internal keys."""
    if "weight" in change:
        return f"weight of {_question_label(model, str(change['weight']))} → {change['to']:g}"
    key = str(change["fit"])
    return (
        f"fit of {_question_label(model, key)}: {answer_label(model, key, change['answer'])} "
        f"for {_pattern_label(model, str(change['pattern']))} → {int(change['to']):+d}"
    )


def answer_label(model: Model, key: str, answer: Any) -> str:
    """How an answer of question `key` reads to people (its catalog label)."""
    try:
        return model.question(key).value_label(answer)
    except KeyError:
        return str(answer)


def _question_label(model: Model, key: str) -> str:
    try:
        return model.question(key).label
    except KeyError:
        return key


def _pattern_label(model: Model, key: str) -> str:
    try:
        return model.pattern(key).label
    except KeyError:
        return key


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def effect_html(rows: list[dict[str, Any]], model: Model) -> str:
    """The before/after table, escaped; changed recommendations highlighted."""

    def label(key: str | None) -> str:
        return model.pattern(key).label if key else "none"

    head = "".join(
        f"<th>{h}</th>"
        for h in ("connection", "before", "after", "which change", "first-rank acceptability before → after")
    )
    body = "".join(
        f'<tr class="{"pf-changed" if r["changed"] else ""}"><td>{H.esc(r["connection"])}</td>'
        f"<td>{H.esc(label(r['before']))}</td><td><b>{H.esc(label(r['after']))}</b></td>"
        f"<td>{H.esc('; '.join(r['which']) or '—')}</td>"
        f"<td>{_pct(r['acceptability_before'])} → {_pct(r['acceptability_after'])}</td></tr>"
        for r in rows
    )
    flips = sum(r["changed"] for r in rows)
    note = f'<p class="pf-muted">{flips} of {len(rows)} recommendations change.</p>'
    table = f'<table class="pf-grid pf-effect-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return note + H.table_box(table, "What changes")


def fits_html(changes: list[dict[str, Any]], model: Model) -> str:
    if not changes:
        return '<p class="pf-muted">No fit changes yet.</p>'
    items = "".join(f"<li>{H.esc(describe_change(c, model))}: {H.esc(c['reason'])}</li>" for c in changes)
    return f"<ul>{items}</ul>"


INVENTORY_HINT = (
    '<p class="pf-muted">Add your integration inventory (the estate review\'s CSV or XLSX) — or try the example — '
    "to see how the draft moves every recommendation of the estate, not just the examples above.</p>"
)


def _margin(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def inventory_html(subject: InventorySubject, after: pd.DataFrame, shift: Shift, model: Model, took: float) -> str:
    """The draft's effect over an inventory: figures, from → to counts, changed connections, bad cells."""
    from patternfit.apps.estate import problems_html

    def label(key: str) -> str:
        if key == "undecided":
            return "undecided (no pattern yet)"
        return model.pattern(key).label if key in model.pattern_keys else "no pattern fits"

    inventory = subject.inventory
    bad = int(subject.encoded.bad.sum())
    read = (
        f"<p><code>{H.esc(subject.name)}</code>: {inventory.rows:,} connections, <b>{shift.assessed:,}</b> assessed"
        + (f", <b>{bad:,}</b> with unreadable cells left out (listed below)" if bad else "")
        + f". Re-scored in {1000 * took:.0f} ms.</p>"
    )
    figures = [
        (f"{shift.changed:,} of {shift.assessed:,}", "recommendations change"),
        (f"{_margin(shift.margin_before)} → {_margin(shift.margin_after)}", "median margin (lead of the first)"),
        (
            f"{shift.close_before:,} → {shift.close_after:,}",
            f"close calls (margin below {model.robustness.low_margin:g})",
        ),
    ]
    cells = "".join(f"<div><b>{H.esc(value)}</b>{H.esc(text)}</div>" for value, text in figures)
    parts = [read, f'<div class="pf-figures pf-inventory-figures">{cells}</div>']
    if shift.changed:
        moves = "".join(
            f"<tr><td>{H.esc(label(r.from_))}</td><td>{H.esc(label(r.to))}</td><td>{r.connections:,}</td></tr>"
            for r in shift.moves.rename(columns={"from": "from_"}).itertuples(index=False)
        )
        parts.append(
            H.table_box(
                '<table class="pf-grid pf-inventory-moves"><thead><tr><th>from</th><th>to</th><th>connections</th>'
                f"</tr></thead><tbody>{moves}</tbody></table>",
                "Recommendations that move",
            )
        )
        parts.append(_changed_html(subject, after, shift, label))
    else:
        parts.append('<p class="pf-muted">No recommendation of this inventory changes with the draft.</p>')
    if len(subject.encoded.problems):
        parts.append("<h4>Unreadable cells (these rows are left out)</h4>")
        parts.append(problems_html(subject.encoded.problems, PROBLEMS_SHOWN, "— fix them in the inventory"))
    return "".join(parts)


def _changed_html(subject: InventorySubject, after: pd.DataFrame, shift: Shift, label: Callable[[str], str]) -> str:
    table = subject.inventory.table
    before = subject.before
    picked = shift.rows[:CHANGED_SHOWN]
    columns = [c for c in ("id", "name", "owner") if c in table.columns]
    head = "".join(f"<th>{c}</th>" for c in ["row", *columns, "before", "after", "margin before → after"])
    body = []
    for i in picked:
        cells = [H.esc(table.index[i]), *(H.esc(table[c].iloc[i]) for c in columns)]
        was, now = before["recommended"].iloc[i], after["recommended"].iloc[i]
        cells += [
            H.esc(label(str(was) if isinstance(was, str) else "")),
            f"<b>{H.esc(label(str(now) if isinstance(now, str) else ''))}</b>",
            f"{_margin(_float(before['margin'].iloc[i]))} → {_margin(_float(after['margin'].iloc[i]))}",
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    more = (
        f'<p class="pf-muted">The first {CHANGED_SHOWN} of {shift.changed:,} changed connections.</p>'
        if shift.changed > CHANGED_SHOWN
        else ""
    )
    rows = "".join(body)
    table = f'<table class="pf-grid pf-inventory-changed"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return H.table_box(table, "Changed connections") + more


def _float(value: Any) -> float | None:
    number = float(value)
    return None if number != number else number
