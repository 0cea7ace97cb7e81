"""Where each part of the decide page sits: the connection panel, the questions beside the
card, the charts and findings, the trade-offs, the rarely used panels and the record; the error
notice last (sticky at the bottom of the screen). The parts are built by the page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.questions import Shared
from patternfit.apps.common.templates import render

TITLE = "patternfit — decide one connection"
LEAD = "Answer what the panel asks next; the recommendation updates as you go. Tick “not sure” rather than guess."


def script_output(js: str) -> w.Output:
    """An invisible output that runs `js` in the page."""
    out = w.Output(layout=w.Layout(display="none"))
    out.outputs = (
        {"output_type": "display_data", "data": {"application/javascript": js, "text/plain": ""}, "metadata": {}},
    )
    return out


def text_box(css_class: str, shared: Shared, layout: w.Layout | None = None) -> w.HTML:
    """An HTML widget the page fills from a template (the card, the findings, the checklist)."""
    box = w.HTML("", layout=layout or shared.full, style=shared.html)
    box.add_class(css_class)
    return box


def _columns(left: Sequence[w.Widget], right: Sequence[w.Widget], names: tuple[str, str], s: Shared) -> w.HBox:
    """Two columns side by side that wrap one under the other on a narrow screen."""
    lcol = w.VBox(list(left), layout=w.Layout(flex="1 1 48%", min_width="380px"))
    lcol.add_class(names[0])
    rcol = w.VBox(list(right), layout=w.Layout(flex="1 1 48%", min_width="400px"))
    rcol.add_class(names[1])
    cols = w.HBox([lcol, rcol], layout=s.full)
    cols.add_class("pf-cols")
    return cols


def page(
    s: Shared,
    *,
    connection: w.Widget,
    guided: w.Widget,
    card: w.Widget,
    questions: Sequence[w.Widget],
    views: Mapping[str, w.Widget],
    findings: w.Widget,
    checklist: w.Widget,
    panels: Sequence[w.Widget],
    notice: w.Widget,
) -> w.VBox:
    """The decide page's widget from its parts (`views`: the charts' boxes by name)."""
    top = _columns([guided], [card], ("pf-left", "pf-right"), s)
    top.add_class("pf-top")
    answer = [views["scores"], views["acceptability"], findings, views["coordination"]]
    more = _columns(questions, answer, ("pf-left-more", "pf-right-more"), s)
    views["profiles"].layout = w.Layout(flex="1 1 58%", min_width="480px")
    trade = w.HBox([views["profiles"], checklist], layout=s.full)
    trade.add_class("pf-cols")
    header = w.HTML(H.links_html("decide", "Which integration pattern?", LEAD), layout=s.full, style=s.html)
    header.add_class("pf-header")
    return w.VBox(
        [
            w.HTML(H.CSS, layout=s.auto, style=s.html),
            script_output(H.PLOTLY_PATCH_JS + "\n" + H.A11Y_JS + "\n" + H.title_js(TITLE)),
            header,
            connection,
            top,
            more,
            w.HTML(render("decide/trade_offs.html"), layout=s.auto, style=s.html),
            views["contributions"],
            trade,
            *panels,
            notice,  # last: sticky at the bottom of the screen wherever the user is
        ],
        layout=s.full,
    )
