"""Write a `DecisionRecord` from Jinja2 templates: MADR 4.0 (full or minimal), log4brains, Nygard,
an organisation's own template file, self-contained HTML — or as JSON.

Markdown templates get a context whose text is already inert Markdown (`text.inline`: no HTML
entities, only what Markdown or HTML would act on is escaped); the prepared blocks (front
matter, the patternfit comment, the mermaid block) are marked safe. The HTML template gets the
same context unescaped, with autoescape on. A template file given by path runs in Jinja2's
`SandboxedEnvironment`; any error in it is one InputError naming the file and the line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from patternfit.errors import InputError, allowed_text
from patternfit.io.bidi import isolate_bidi
from patternfit.records.diagram import to_mermaid, to_svg
from patternfit.records.sandbox import BoxedEnvironment, FolderLoader, LimitError
from patternfit.records.svgcharts import charts_svg
from patternfit.records.text import Quoted, comment_safe, dump_yaml, inline
from patternfit.records.types import DecisionRecord, Link, Option, adr_id

FORMATS = ("madr", "log4brains", "json", "html")
TEMPLATES = ("madr", "madr-minimal", "nygard")
COMMENT_OPEN = "<!-- patternfit"
COMMENT_CLOSE = "-->"
_BLANKS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")
_MARKDOWN_TEMPLATE = {"madr": "madr.md.j2", "madr-minimal": "madr-minimal.md.j2", "nygard": "nygard.md.j2"}


@jinja2.pass_eval_context
def _finalize(context: jinja2.nodes.EvalContext, value: Any) -> Any:
    """HTML output isolates bidirectional text (see io.bidi); Markdown is left as written."""
    return isolate_bidi(value) if context.autoescape else value


_builtin = jinja2.Environment(
    finalize=_finalize,
    loader=jinja2.PackageLoader("patternfit.records", "templates"),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


def render_record(
    record: DecisionRecord, fmt: str = "madr", *, template: str | Path = "madr", number: int | None = None
) -> str:
    """The record's text in `fmt` (madr, log4brains, json or html). For `madr`, `template` picks
    the Markdown layout: madr, madr-minimal, nygard, or the path of a template file; `number`
    is the record's number where a layout shows it (Nygard's `# N. Title`)."""
    if fmt == "json":
        return json.dumps(record_data(record), indent=2, ensure_ascii=False) + "\n"
    if fmt not in FORMATS:
        raise InputError("format", f"unknown record format {fmt!r}", allowed_text(FORMATS))
    if str(template) not in TEMPLATES:
        return render_file(record, Path(template), number)
    if fmt == "html":
        return _builtin.get_template("record.html.j2").render(html_context(record, number))
    name = "log4brains.md.j2" if fmt == "log4brains" else _MARKDOWN_TEMPLATE[str(template)]
    return tidy(_builtin.get_template(name).render(markdown_context(record, number)))


def check_template(template: str | Path, fmt: str = "madr") -> str | Path:
    """`--template`: a built-in name, or a readable template file (InputError otherwise)."""
    if str(template) in TEMPLATES:
        if fmt == "log4brains" and str(template) != "madr":
            raise InputError("--template", f"{template} is a Markdown layout of its own", "use it with --format madr")
        return str(template)
    path = Path(template)
    if not path.is_file():
        raise InputError(
            str(path), "no such template file", f"give {', '.join(TEMPLATES)} or the path of a Jinja2 template file"
        )
    if fmt not in ("madr", "html"):
        raise InputError("--template", f"a template file cannot write --format {fmt}", "use --format madr or html")
    return path


def tidy(text: str) -> str:
    """Markdown as markdownlint wants it: no trailing spaces, no double blank line, one final newline."""
    return _BLANKS.sub("\n\n", _TRAILING.sub("\n", text)).strip("\n") + "\n"


# --- the context every template gets ---


def people(names: tuple[str, ...]) -> str:
    """Names as MADR writes them in front matter: one comma-separated string."""
    return ", ".join(names)


def record_context(r: DecisionRecord, number: int | None = None) -> dict[str, Any]:
    """What a template sees as `r` (plain text; see `markdown_context` for the escaped form)."""
    meta = r.meta
    d = r.diagram
    return {
        "title": r.title,
        "number": number,
        "status": meta.status,
        "date": meta.date,
        "people": [
            (key, people(names))
            for key, names in (
                ("Deciders", meta.decision_makers),
                ("Consulted", meta.consulted),
                ("Informed", meta.informed),
            )
            if names
        ],
        "question": r.question,
        "description": r.description,
        "answers": [tuple(row) for row in r.answers],
        "unanswered": list(r.unanswered),
        "drivers": list(r.drivers),
        "option_labels": [o.label for o in r.options],
        "options": [_option(o) for o in r.options],
        "chosen": r.chosen,
        "chosen_label": r.chosen_label,
        "implement_with": r.implement_with,
        "justification": r.justification,
        "state": r.state,
        "state_text": r.state_text,
        "against": r.against,
        "outcome": list(r.outcome),
        "good": list(r.good),
        "bad": list(r.bad),
        "checks": list(r.checks),
        "checks_intro": "Questions to check before relying on this decision (facts nobody stated yet):",
        "confirmation": list(r.confirmation),
        "confirmation_intro": (
            "The answers conflict: resolve these before any pattern's checklist becomes the plan:"
            if r.state == "conflict"
            else f"Confirm the decision against the operational checklist of {r.chosen_label}:"
        ),
        "diagram_intro": f"How {r.chosen_label} connects the two sides:",
        "robustness_note": r.robustness_note,
        "robustness": [tuple(row) for row in r.robustness],
        "hinges": list(r.hinges),
        "room": list(r.room),
        "model_note": r.model_note,
        "sources": list(r.sources),
        "links": [_link(link) for link in r.links],
        "connection_id": r.stored.get("connection_id"),
        "mermaid": to_mermaid(d) if d is not None else "",
        "diagram_kind": d.kind if d is not None else "",
    }


def _option(o: Option) -> dict[str, Any]:
    return {
        "key": o.key,
        "label": o.label,
        "line": _option_line(o),
        "good": list(o.good),
        "bad": list(o.bad),
        "score": o.score,
        "acceptability": o.acceptability,
        "knocked_out": o.knocked_out,
    }


def _link(link: Link) -> dict[str, Any]:
    nygard = {"Supersedes": "Supercedes", "Superseded by": "Superceded by"}.get(link.relation, link.relation)
    return {
        "relation": link.relation,
        "nygard": nygard,
        "number": link.number,
        "adr": adr_id(link.number),
        "file": link.file,
        "slug": link.slug,
    }


def _option_line(o: Option) -> str:
    if o.knocked_out:
        return f"{o.summary} Ruled out by a knock-out."
    if o.score is None:
        return o.summary
    accept = "" if o.acceptability is None else f", first in {o.acceptability:.0%} of sampled weightings"
    return f"{o.summary} Fit {o.score:+.2f}{accept}."


def _escaped(value: Any) -> Any:
    """Every string in `value` made inert Markdown (Markup is left as it is)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return inline(value)
    if isinstance(value, Mapping):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_escaped(v) for v in value) if isinstance(value, list) else tuple(_escaped(v) for v in value)
    return value


def markdown_context(r: DecisionRecord, number: int | None = None) -> dict[str, Any]:
    """The context of a Markdown template: `r` escaped for Markdown, the prepared blocks, `raw`."""
    plain = record_context(r, number)
    view = _escaped(plain)
    view["mermaid_block"] = Markup(f"```mermaid\n{plain['mermaid']}\n```") if plain["mermaid"] else Markup("")
    view["number"] = number
    return {
        "r": view,
        "raw": plain,
        "number": number,
        "front_matter": Markup(_front_matter(r)),
        "patternfit_comment": Markup(patternfit_comment(r)),
        "l4b_status": Markup(_l4b_status(r)),
        "nygard_status": Markup(inline(_nygard_status(r.meta.status))),
        "mermaid_block": view["mermaid_block"],
    }


def html_context(r: DecisionRecord, number: int | None = None) -> dict[str, Any]:
    """The context of an HTML template (autoescaped): `r` as plain text, the SVG diagram and charts."""
    plain = record_context(r, number)
    d = r.diagram
    return {
        "r": plain,
        "raw": plain,
        "number": number,
        "diagram_svg": Markup(to_svg(d, f"{r.chosen_label}: {r.title}")) if d is not None else Markup(""),
        "charts_svg": Markup(charts_svg(r)),
        "patternfit_json": Markup(_script_json(dict(r.stored))),
        "patternfit_comment": Markup(patternfit_comment(r)),
    }


def _script_json(data: Any) -> str:
    """JSON that can sit inside <script type="application/json"> (no `</`, `<!--`)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _front_matter(r: DecisionRecord) -> str:
    meta = r.meta
    data: dict[str, Any] = {"status": Quoted(meta.status), "date": dt.date.fromisoformat(meta.date)}
    for key, names in (
        ("decision-makers", meta.decision_makers),
        ("consulted", meta.consulted),
        ("informed", meta.informed),
    ):
        if names:
            data[key] = people(names)
    data["patternfit"] = dict(r.stored)
    return f"---\n{dump_yaml(data)}---"


def patternfit_comment(r: DecisionRecord) -> str:
    """The patternfit block as an HTML comment (for layouts without front matter)."""
    block = comment_safe(dump_yaml({"patternfit": dict(r.stored)}))
    return f"{COMMENT_OPEN}\n{block.rstrip(chr(10))}\n{COMMENT_CLOSE}"


def _l4b_status(r: DecisionRecord) -> str:
    target = next((link for link in r.links if link.relation == "Superseded by"), None)
    if target is not None:
        return f"superseded by [{target.slug}]({target.file})"
    return inline(r.meta.status)


def _nygard_status(status: str) -> str:
    return status[:1].upper() + status[1:]


# --- an organisation's own template, in the sandbox ---


def render_file(record: DecisionRecord, path: Path, number: int | None) -> str:
    """Render the template file at `path` in the sandbox; HTML files (.html/.htm) autoescape."""
    html = path.suffix.lower() in (".html", ".htm") or path.name.lower().endswith((".html.j2", ".htm.j2"))
    real = path.resolve()
    env = BoxedEnvironment(  # its own finalize measures each value and isolates bidirectional text in HTML
        loader=FolderLoader(real.parent),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.add_filter("md", inline)
    where = str(path)
    try:
        compiled = env.get_template(real.name)
        where = compiled.filename or where
        text = env.render_limited(compiled, html_context(record, number) if html else markdown_context(record, number))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            f"{exc.filename or where}:{exc.lineno}", f"template syntax error: {exc.message}", "fix the template"
        ) from None
    except InputError:
        raise
    except LimitError as exc:
        raise InputError(
            f"{where}:{_template_line(where)}",
            f"refused by the template sandbox: {exc}",
            "ask for less: the record's values need no large loops, numbers or texts",
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise InputError(
            f"{where}:{_template_line(where)}",
            f"reaches outside the template sandbox ({exc})",
            "use only the record's values (r, raw, front_matter, patternfit_comment, mermaid_block)",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(
            f"{where}:{_template_line(where)}",
            f"includes {exc.name}, which is not in {path.parent}",
            "fix the template",
        ) from None
    except jinja2.TemplateError as exc:
        raise InputError(
            f"{where}:{_template_line(where)}", f"template error: {exc.message}", "fix the template"
        ) from None
    except UnicodeDecodeError:
        raise InputError(where, "is not a UTF-8 text file", "give a Jinja2 template file") from None
    except OSError as exc:
        raise InputError(where, f"cannot be read ({exc.strerror})", "check its permissions") from None
    except Exception as exc:  # a filter or operation failing inside the organisation's template
        raise InputError(
            f"{where}:{_template_line(where)}", f"template failed: {type(exc).__name__}: {exc}", "fix the template"
        ) from None
    if COMMENT_OPEN not in text and "patternfit:" not in text:
        raise InputError(
            where,
            "writes no patternfit block, so `patternfit check` and reopening could not read the record",
            "put {{ front_matter }} (YAML front matter) or {{ patternfit_comment }} into the template",
        )
    return text if html else tidy(text)


def _template_line(where: str) -> int | str:
    """The template line of the error being handled (Jinja2 rewrites tracebacks onto the template)."""
    tb = sys.exc_info()[2]
    line: int | str = "?"
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == where:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def record_data(r: DecisionRecord) -> dict[str, Any]:
    """The JSON form: the same content as the Markdown, as data (data/record.schema.json)."""
    meta = r.meta
    return {
        "record_format": r.stored.get("record_format", 1),
        "title": r.title,
        "status": meta.status,
        "date": meta.date,
        "decision_makers": list(meta.decision_makers),
        "consulted": list(meta.consulted),
        "informed": list(meta.informed),
        "context": {
            "question": r.question,
            "description": r.description,
            "answers": [{"question": q, "answer": a} for q, a in r.answers],
            "unanswered": list(r.unanswered),
        },
        "decision_drivers": list(r.drivers),
        "considered_options": [o.label for o in r.options],
        "decision_outcome": {
            "chosen_option": r.chosen_label,
            "chosen": r.chosen,
            "because": r.justification,
            "against_recommendation": r.against or None,
            "details": list(r.outcome),
            "consequences": {"good": list(r.good), "bad": list(r.bad)},
            "confirmation": list(r.confirmation),
        },
        "pros_and_cons": [_option_data(o) for o in r.options],
        "more_information": {
            **({"room": list(r.room)} if r.room else {}),
            "robustness": {"note": r.robustness_note, "table": [list(row) for row in r.robustness]},
            "hinges": list(r.hinges),
            "model": r.model_note,
            "sources": list(r.sources),
        },
        "links": [{"relation": link.relation, "number": link.number, "file": link.file} for link in r.links],
        "patternfit": dict(r.stored),
    }


def _option_data(o: Option) -> dict[str, Any]:
    return {
        "option": o.label,
        "key": o.key,
        "summary": o.summary,
        "score": o.score,
        "acceptability": o.acceptability,
        "knocked_out": o.knocked_out,
        "good": list(o.good),
        "bad": list(o.bad),
    }
