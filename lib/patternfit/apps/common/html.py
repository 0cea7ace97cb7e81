"""HTML fragments of the decision dashboard: the recommendation card, findings, checklist,
record preview, download links and the page's CSS. Pure functions, no widgets.

Every piece of text that a user typed or uploaded goes through `esc` (``html.escape``) before
it is put into HTML; model text is escaped too, so a quote or an angle bracket in data/ can
never turn into markup.
"""

from __future__ import annotations

import base64
import html
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from patternfit.apps.common.templates import static, style_tag
from patternfit.charts.decision import PATTERN_COLOURS
from patternfit.engine.assess import Assessment
from patternfit.engine.explain import hinge_lines, sureness
from patternfit.model.catalog import Model, Question


def esc(text: Any) -> str:
    """Text made inert in HTML (quotes included, for attributes)."""
    return html.escape(str(text), quote=True)


def question_html(q: Question, model: Model) -> str:
    """The label and question, with the help text and sources behind a small "?"."""
    sources = [f"{esc(s)}: {esc(model.sources.get(s, {}).get('title', ''))}" for s in q.sources]
    tip = q.help + (" Sources: " + ", ".join(q.sources) if q.sources else "")
    details = ""
    if q.help or sources:
        items = "".join(f"<li>{s}</li>" for s in sources)
        details = (
            f'<details class="pf-help"><summary title="{esc(tip)}">?</summary>'
            f"<div>{esc(q.help)}</div>" + (f'<ul class="pf-sources">{items}</ul>' if items else "") + "</details>"
        )
    return (
        f'<div class="pf-qtext"><span class="pf-qlabel">{esc(q.label)}</span>{details}'
        f'<div class="pf-qquestion">{esc(q.question)}</div></div>'
    )


def card_html(
    a: Assessment | None,
    model: Model,
    *,
    rev: int,
    charts: Mapping[str, int],
    note: str = "",
    profile: Mapping[str, Any] | None = None,
) -> str:
    """The recommendation card. `data-pf-rev` counts recomputations and `data-pf-charts` says
    which chart must show which revision (the bench and the browser tests wait on it);
    `profile` (name, version) is the organisation profile in force."""
    attrs = f'data-pf-rev="{rev}" data-pf-charts="{esc(json.dumps(dict(charts), sort_keys=True))}"'
    used = profile_line_html(profile)
    if a is None:
        return (
            f'<div class="pf-card pf-card-empty" {attrs}><div class="pf-kicker">No recommendation yet</div>'
            f'<div class="pf-card-note">{esc(note)}</div>{used}</div>'
        )
    name = esc(a.connection.name)
    if a.recommended is None:
        return (
            f'<div class="pf-card pf-card-none" {attrs}>'
            f'<div class="pf-kicker">Recommendation for <span class="pf-conn-name">{name}</span></div>'
            '<div class="pf-pattern">No pattern fits</div>'
            '<div class="pf-card-note">Every pattern is knocked out: the answers ask for things no pattern can give '
            f"together. See the contradictions below.</div>{used}</div>"
        )
    pattern = model.pattern(a.recommended)
    colour = PATTERN_COLOURS.get(pattern.key, "#444")
    accept = a.acceptability.get(a.recommended)
    runner = next((p for p in a.ranking[1:] if a.scores.get(p) is not None), None)
    samples = a.robustness.samples if a.robustness is not None else 0
    facts = [
        (
            "How sure",
            "—" if accept is None else f"{accept:.0%}",
            f"first in {samples:,} weightings" if accept is not None else "robustness not run",
        ),
        (
            "Margin",
            "—" if a.margin is None else f"{a.margin:+.2f}",
            f"over {model.pattern(runner).label}" if runner else "the only pattern left",
        ),
        (
            "Coordination",
            a.coordination.capitalize() if a.coordination else "—",
            "of several steps" if a.coordination else "a single step",
        ),
        (
            "Flavour",
            a.messaging_flavour.capitalize() if a.messaging_flavour else "—",
            "messaging flavour" if a.messaging_flavour else "not events",
        ),
    ]
    fact_html = "".join(
        f'<div class="pf-fact"><div class="pf-fact-k">{esc(k)}</div><div class="pf-fact-v">{esc(v)}</div>'
        f'<div class="pf-fact-s">{esc(sub)}</div></div>'
        for k, v, sub in facts
    )
    badge = '<span class="pf-badge-low">LOW CONFIDENCE</span>' if a.low_confidence else ""
    why = f'<div class="pf-why">{esc(a.explanations[0])}</div>' if a.explanations else ""
    unanswered = (
        f'<div class="pf-card-note">{len(a.unanswered)} of {len(model.keys)} questions unanswered.</div>'
        if a.unanswered
        else ""
    )
    return (
        f'<div class="pf-card" style="border-left-color:{colour}" {attrs}>'
        f'<div class="pf-kicker">Recommendation for <span class="pf-conn-name">{name}</span></div>'
        f'<div class="pf-pattern" data-pattern="{esc(pattern.key)}">{esc(pattern.label)}{badge}</div>'
        f'<div class="pf-summary">{esc(pattern.summary)}</div>'
        f'<div class="pf-facts">{fact_html}</div>{why}{unanswered}{used}</div>'
    )


def profile_line_html(profile: Mapping[str, Any] | None) -> str:
    """The card's line naming the organisation profile in force ('' for the reference model)."""
    if not profile:
        return ""
    return (
        '<div class="pf-card-profile">Organisation profile: '
        f'<b class="pf-profile-name">{esc(profile.get("name", ""))}</b> '
        f'version <span class="pf-profile-version">{esc(profile.get("version", ""))}</span></div>'
    )


PROFILE_EXAMPLE = """name: Acme integration office
version: "1.0"
author: Integration CoE
changes:
  - {weight: consumer_count, to: 3, reason: "fan-out is our main pain"}
  - {fit: ordering, answer: per_key, pattern: batch, to: 0, reason: "our streams keep key order"}"""


def profile_html(profile: Mapping[str, Any] | None, reference: Model) -> str:
    """What an organisation profile changes, each change with its reason (all of it escaped)."""
    if not profile:
        return (
            f'<div class="pf-profile-info">No profile is in force: the reference model {esc(reference.version)} '
            "decides. A profile is a YAML file like this one:"
            f'<pre class="pf-preview-text">{esc(PROFILE_EXAMPLE)}</pre></div>'
        )
    head = f"<b>{esc(profile.get('name', ''))}</b> version {esc(profile.get('version', ''))}"
    if profile.get("author"):
        head += f" by {esc(profile['author'])}"
    described = f"<div>{esc(profile['description'])}</div>" if profile.get("description") else ""
    weights = reference.default_weights()
    items = []
    for change in profile.get("changes") or []:
        if "weight" in change:
            key = str(change["weight"])
            label = reference.question(key).label if key in reference.keys else key
            what = f"Weight of <b>{esc(label)}</b>: {esc(_number(weights.get(key)))} → {esc(_number(change.get('to')))}"
        else:
            key = str(change.get("fit"))
            label = reference.question(key).label if key in reference.keys else key
            pattern = change.get("pattern")
            name = reference.pattern(pattern).label if pattern in reference.pattern_keys else pattern
            what = (
                f"Fit of <b>{esc(name)}</b> when <b>{esc(label)}</b> is {esc(change.get('answer'))}: "
                f"{esc(_number(change.get('to'), signed=True))}"
            )
        items.append(f'<li>{what}<div class="pf-reason">Why: {esc(change.get("reason", ""))}</div></li>')
    changes = f'<ul class="pf-profile-changes">{"".join(items)}</ul>' if items else "<div>It changes nothing.</div>"
    return f'<div class="pf-profile-info"><div>{head}</div>{described}{changes}</div>'


def _number(value: Any, *, signed: bool = False) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:+g}" if signed else f"{value:g}"
    return str(value)


def findings_html(a: Assessment | None, model: Model) -> str:
    """Knocked-out patterns with reasons, contradictions, pitfalls with fixes, the reasons and
    what the decision hinges on."""
    if a is None:
        return ""
    parts: list[str] = []
    if a.knocked_out:
        rows = []
        for p in model.patterns:
            reasons = a.knocked_out.get(p.key)
            if not reasons:
                continue
            items = "".join(
                f"<li><b>{esc(r['id'])}</b> {esc(r['reason'])}{_sources(r.get('sources'))}</li>" for r in reasons
            )
            rows.append(
                f'<div class="pf-ko"><div class="pf-ko-name">{esc(p.label)}: ruled out</div><ul>{items}</ul></div>'
            )
        parts.append(_section("Ruled out", "".join(rows), "pf-knocked-out"))
    if a.contradictions:
        items = "".join(
            f"<li><b>{esc(c['id'])}</b> {esc(c['message'])}"
            + (f'<div class="pf-fix">Fix: {esc(c["fix"])}</div>' if c.get("fix") else "")
            + "</li>"
            for c in a.contradictions
        )
        parts.append(_section("Contradictions", f"<ul>{items}</ul>", "pf-contradictions"))
    if a.pitfalls:
        items = "".join(
            f"<li><b>{esc(p['id'])} {esc(p['title'])}</b>: {esc(p['message'])}"
            f'<div class="pf-fix">Fix: {esc(p["fix"])}{_sources(p.get("sources"))}</div></li>'
            for p in a.pitfalls
        )
        parts.append(_section("Pitfalls", f"<ul>{items}</ul>", "pf-pitfalls"))
    if a.explanations:
        parts.append(
            _section("Why", "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in a.explanations) + "</ul>", "pf-why-list")
        )
    hinges = hinge_lines(a, model)
    if hinges:
        parts.append(
            _section(
                "What the decision hinges on",
                "<ul>" + "".join(f"<li>{esc(h)}</li>" for h in hinges) + "</ul>",
                "pf-hinges",
            )
        )
    if a.flavour_detail:
        d = a.flavour_detail
        notes = "".join(f"<li>{esc(n['note'])}</li>" for n in d.get("notes", []))
        parts.append(
            _section(
                f"Messaging flavour: {d['flavour']}",
                f"<div>{esc(d['reason'])}</div>" + (f"<ul>{notes}</ul>" if notes else ""),
                "pf-flavour",
            )
        )
    if a.coordination_detail:
        d = a.coordination_detail
        extra = "".join(
            f'<div class="pf-note">{esc(d[k])}</div>' for k in ("note", "hybrid", "counter_view") if d.get(k)
        )
        style = model.coordination.styles.get(d["style"], {})
        parts.append(
            _section(
                f"Coordination: {d['style']}", f"<div>{esc(style.get('summary', ''))}</div>{extra}", "pf-coordination"
            )
        )
    parts.append(f'<div class="pf-sure">How sure: {esc(sureness(a))}</div>')
    return '<div class="pf-findings-inner">' + "".join(parts) + "</div>"


def checklist_html(a: Assessment | None, model: Model) -> str:
    """The operational checklist of the recommended pattern."""
    if a is None or not a.checklist or a.recommended is None:
        return ""
    items = "".join(
        f"<li><span class='pf-box'>☐</span> {esc(i['text'])} <span class='pf-id'>{esc(i['id'])}</span></li>"
        for i in a.checklist
    )
    title = f"Operational checklist: {model.pattern(a.recommended).label}"
    return f'<div class="pf-section pf-checklist-inner"><h3>{esc(title)}</h3><ul class="pf-check">{items}</ul></div>'


def preview_html(markdown: str) -> str:
    """The record's Markdown, shown as text."""
    return f'<pre class="pf-preview-text">{esc(markdown)}</pre>'


def download_html(content: str, filename: str, mime: str, label: str) -> str:
    """An ``<a download>`` with a data URI: downloads straight from the browser (Voila-proof)."""
    payload = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (
        f'<a class="pf-button" download="{esc(filename)}" href="data:{esc(mime)};charset=utf-8;base64,{payload}">'
        f"{esc(label)}</a>"
    )


def disabled_download_html(label: str, why: str) -> str:
    return f'<span class="pf-button pf-button-disabled" title="{esc(why)}">{esc(label)}</span>'


def error_html(message: str) -> str:
    return f'<div class="pf-error-text" role="alert"><b>Could not do that.</b> {esc(message)}</div>'


def show_banner(banner: Any, message: str) -> None:
    """Show `message` (escaped) in an error banner widget (an HTML widget with class pf-error)."""
    banner.value = error_html(message)
    banner.layout.display = None


def hide_banner(banner: Any) -> None:
    banner.value = ""
    banner.layout.display = "none"


def status_html(message: str, *, ok: bool = True) -> str:
    return f'<div class="{"pf-ok" if ok else "pf-warn"}">{esc(message)}</div>'


def _section(title: str, body: str, cls: str) -> str:
    return f'<div class="pf-section {cls}"><h3>{esc(title)}</h3>{body}</div>'


def _sources(ids: Sequence[str] | None) -> str:
    return f' <span class="pf-src">[{esc(", ".join(ids))}]</span>' if ids else ""


CSS = style_tag("dashboard.css")


# jupyterlab-plotly's renderer (plotly 7.1) draws each new figure, then on lumino's update
# request draws it a second time from scratch (Plotly.redraw) before Plots.resize. For the
# dashboard's charts the first drawing is already complete, so the redraw doubles the cost of
# every update; resize alone keeps what redraw is there for (a changed size). plotly.js sets
# window.Plotly when the extension first loads it; the trap below adjusts that object as it
# arrives (before the first chart is drawn) and only for graphs inside `.pf-chart`.
PLOTLY_PATCH_JS = static("plotly_patch.js")


def guarded(
    callback: Callable[..., Any], report: Callable[[str], None], kept: str, log: logging.Logger
) -> Callable[..., None]:
    """A widget callback that reports a failure in the page's error banner (and the server log),
    never as a traceback on the page; `kept` says what stays as it was."""

    def run(*args: Any) -> None:
        try:
            callback(*args)
        except Exception as exc:
            log.exception("widget callback failed")
            report(f"Something went wrong ({type(exc).__name__}); {kept}.")

    return run


def first_upload(change: Any) -> tuple[bytes, str] | None:
    """(content, file name) of the first file in a FileUpload change, or None when it was cleared."""
    files = change["new"]
    if not files:
        return None
    return bytes(files[0]["content"]), str(files[0]["name"])
