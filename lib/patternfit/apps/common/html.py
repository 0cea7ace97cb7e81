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

from patternfit.engine.assess import Assessment
from patternfit.charts.decision import PATTERN_COLOURS
from patternfit.model.catalog import Model, Question
from patternfit.engine.explain import hinge_lines, sureness


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


CSS = """
<style>
.pf-app { --jp-widgets-font-size: 15px; --jp-widgets-inline-height: 32px; --jp-widgets-inline-label-width: 150px;
  font-size: 15px; color: #1f1f1f; max-width: 1500px; margin: 0 auto; }
.pf-app .widget-html-content { line-height: 1.45; }
.pf-app h2 { font-size: 20px; margin: 18px 0 8px; }
.pf-app h3 { font-size: 17px; margin: 12px 0 6px; }
.pf-panel { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 10px 14px; margin: 6px 0; }
.pf-toolbar { align-items: center; gap: 10px; flex-wrap: wrap; }
.pf-cols { gap: 18px; align-items: flex-start; flex-wrap: wrap; }
.pf-left { min-width: 420px; }
.pf-right { min-width: 480px; }
.pf-group-title {
  font-size: 18px;
  font-weight: 600;
  margin: 14px 0 2px;
  padding-bottom: 4px;
  border-bottom: 2px solid #0072B2;
}
.pf-qgrid { align-items: center; column-gap: 10px; row-gap: 0; }
.pf-qgrid > * {
  margin: 0 !important;
  padding: 7px 0;
  border-bottom: 1px solid #eee;
  align-self: stretch;
  height: auto !important;
}
.pf-qgrid > .widget-dropdown, .pf-qgrid > .widget-checkbox { display: flex; align-items: center; }
.pf-qgrid > .widget-dropdown > select { height: 34px; flex: 1 1 auto; }
.pf-qgrid > .widget-html { border-left: 4px solid transparent; padding-left: 8px; }
.pf-qgrid > .widget-html.pf-unanswered { border-left-color: #E69F00; background: #FFF7E6; }
.pf-qgrid > .widget-dropdown.pf-unanswered > select {
  border: 2px solid #E69F00;
  background: #FFF7E6;
  font-style: italic;
}
.pf-qtext { line-height: 1.3; }
.pf-qlabel { font-weight: 600; font-size: 15px; }
.pf-qquestion { color: #555; font-size: 13.5px; margin-top: 2px; }
.pf-help { display: inline-block; margin-left: 6px; vertical-align: top; }
.pf-help > summary { list-style: none; cursor: pointer; display: inline-block;
  width: 20px; height: 20px; line-height: 20px;
  text-align: center; border-radius: 50%; background: #0072B2; color: #fff; font-size: 13px; font-weight: 700; }
.pf-help > summary::-webkit-details-marker { display: none; }
.pf-help[open] > div, .pf-help[open] > ul {
  font-size: 13.5px;
  color: #333;
  background: #F3F8FC;
  padding: 6px 8px;
  margin: 4px 0;
  border-radius: 4px;
}
.pf-sources { padding-left: 22px; }
.pf-sub { border: 1px dashed #CC79A7; border-radius: 8px; padding: 4px 8px; margin-top: 8px; }
.pf-card { border: 1px solid #d9d9d9; border-left: 10px solid #0072B2; border-radius: 10px;
  padding: 14px 18px; background: #fff;
  box-shadow: 0 1px 4px rgba(0,0,0,.08); }
.pf-kicker { color: #555; font-size: 14px; text-transform: uppercase; letter-spacing: .04em; }
.pf-conn-name { text-transform: none; font-weight: 600; color: #1f1f1f; }
.pf-pattern { font-size: 34px; font-weight: 700; margin: 4px 0 2px; line-height: 1.15; }
.pf-summary { color: #444; font-size: 15px; margin-bottom: 8px; }
.pf-facts { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; margin: 8px 0; }
.pf-fact { background: #F5F7FA; border-radius: 6px; padding: 6px 8px; }
.pf-fact-k { font-size: 12px; color: #555; text-transform: uppercase; letter-spacing: .03em; }
.pf-fact-v { font-size: 20px; font-weight: 700; line-height: 1.2; overflow-wrap: anywhere; }
.pf-fact-s { font-size: 13px; color: #555; line-height: 1.25; }
.pf-why { font-size: 15px; margin-top: 6px; }
.pf-card-note { color: #8a5a00; margin-top: 6px; }
.pf-card-profile { color: #333; font-size: 14px; margin-top: 6px; padding-top: 6px; border-top: 1px solid #eee; }
.pf-profile-changes { padding-left: 22px; }
.pf-profile-changes li { margin: 4px 0; }
.pf-reason { color: #555; font-size: 13.5px; }
.pf-badge-low {
  font-size: 13px;
  background: #D55E00;
  color: #fff;
  border-radius: 4px;
  padding: 2px 6px;
  margin-left: 10px;
  vertical-align: middle;
}
.pf-section { margin: 10px 0; }
.pf-section ul { margin: 4px 0; padding-left: 22px; }
.pf-section li { margin: 3px 0; }
.pf-ko {
  color: #555;
  background: repeating-linear-gradient(135deg, #f6f6f6, #f6f6f6 8px, #efefef 8px, #efefef 16px);
  border-radius: 6px;
  padding: 4px 10px;
  margin: 4px 0;
}
.pf-ko-name { font-weight: 700; color: #444; text-decoration: line-through; text-decoration-thickness: 2px; }
.pf-fix { color: #005a8c; margin-top: 2px; }
.pf-src { color: #777; font-size: 12.5px; }
.pf-note { color: #555; font-style: italic; margin-top: 4px; }
.pf-sure { color: #444; margin-top: 8px; }
.pf-check { list-style: none; padding-left: 4px !important; }
.pf-box { font-size: 17px; }
.pf-id { color: #777; font-size: 12.5px; }
.pf-chart { min-height: 60px; contain: strict; }
/* The plotly mime renderer rasterises every figure to a PNG after drawing it (Plotly.toImage),
   only when its node has a size: a zero-height node (the chart overflows into the height the
   Output reserves) skips that second render. */
.pf-chart .jp-OutputArea, .pf-chart .jp-OutputArea-child { overflow: visible !important; }
.pf-chart .jp-RenderedPlotly {
  display: block !important;
  height: 0 !important;
  min-height: 0 !important;
  overflow: visible !important;
}
.pf-error { width: 100%; }
.pf-error-text {
  background: #FDECEA;
  border: 1px solid #D55E00;
  color: #7a2500;
  padding: 10px 14px;
  border-radius: 6px;
  font-size: 15px;
}
.pf-preview-text { font-family: var(--jp-code-font-family, monospace); line-height: 1.4; max-height: 460px;
  overflow: auto; background: #FAFAFA; border: 1px solid #e3e3e3; border-radius: 6px; padding: 10px;
  font-size: 13px; white-space: pre-wrap; word-break: break-word; }
.pf-button { display: inline-block; padding: 7px 14px; border-radius: 6px; background: #0072B2; color: #fff !important;
  text-decoration: none; font-weight: 600; margin-right: 8px; }
.pf-button-disabled { background: #bbb; cursor: not-allowed; }
.pf-required-text { color: #a33b00; font-weight: 600; }
.pf-ok { color: #1b5e20; }
.pf-warn { color: #a33b00; font-weight: 600; }
/* The card stays in view while the questions scroll: sticky needs every box between it and
   Voila's scrolling #rendered_cells to let it overflow. */
.pf-sticky { position: sticky; top: 0; z-index: 10; background: #fff; padding-bottom: 6px; }
.pf-app, .pf-app .pf-cols, .pf-app .pf-right, .pf-app .pf-sticky,
.jp-OutputArea:has(.pf-app), .jp-OutputArea-child:has(.pf-app), .jp-OutputArea-output:has(.pf-app) {
  overflow: visible !important;
}
.pf-app .widget-dropdown > select { font-size: 15px; }
.pf-app .jupyter-widget-Collapse-header, .pf-app .p-Collapse-header { font-size: 16px; font-weight: 600; }
</style>
"""


# jupyterlab-plotly's renderer (plotly 7.1) draws each new figure, then on lumino's update
# request draws it a second time from scratch (Plotly.redraw) before Plots.resize. For the
# dashboard's charts the first drawing is already complete, so the redraw doubles the cost of
# every update; resize alone keeps what redraw is there for (a changed size). plotly.js sets
# window.Plotly when the extension first loads it; the trap below adjusts that object as it
# arrives (before the first chart is drawn) and only for graphs inside `.pf-chart`.
PLOTLY_PATCH_JS = """
(function () {
  if (window.__pfPlotlyPatch) { return; }
  window.__pfPlotlyPatch = true;
  function patch(P) {
    if (!P || P.__pfPatched || typeof P.redraw !== 'function') { return; }
    if (!P.Plots || typeof P.Plots.resize !== 'function') { return; }
    P.__pfPatched = true;
    var redraw = P.redraw;
    P.redraw = function (gd) {
      var el = typeof gd === 'string' ? document.getElementById(gd) : gd;
      if (el && el.closest && el.closest('.pf-chart') && el._fullLayout) {
        return P.Plots.resize(el).then(function () { return el; });
      }
      return redraw.apply(this, arguments);
    };
  }
  if (window.Plotly) { patch(window.Plotly); return; }
  var value;
  try {
    Object.defineProperty(window, 'Plotly', {
      configurable: true, enumerable: true,
      get: function () { return value; },
      set: function (v) { value = v; patch(v); }
    });
  } catch (e) { /* leave plotly as it is */ }
})();
"""


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
