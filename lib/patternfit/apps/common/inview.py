"""Which parts of a page are in view: the dashboards draw a chart or the record preview only when
the visitor can see it (issue 16: draw only what is in view, defer the rest).

A part is any widget carrying the CSS class ``pf-part-<name>``. The browser watches those elements
with an ``IntersectionObserver`` (no network, no timers while idle) and sends the names of the parts
that are in view, or within ``MARGIN`` of it, whenever that set changes. The kernel draws what came
into view and leaves the rest marked stale (``pf-stale``) until it does.

Nothing depends on this widget being there: a page without a browser (tests, code driving the
dashboard) uses ``lazy=False`` and draws everything at once, as before.
"""

from __future__ import annotations

import anywidget
import traitlets

PREFIX = "pf-part-"
# Draw a part while it is still this far from the view: scrolling towards it, the chart is
# drawn by the time it arrives (the first plotly chart also loads plotly.js, about 1.3 s here).
MARGIN = "800px 0px"

# Inline ES module (no CDN, no network). Parts are found as they are rendered (a MutationObserver
# until every named part has been seen once), then watched for intersection with the viewport.
ESM = """
const PREFIX = "__PREFIX__";

export default {
  render({ model, el }) {
    el.classList.add("pf-inview");
    const visible = new Set();
    const watched = new Set();
    let timer = null;
    const report = () => {
      timer = null;
      const now = Array.from(visible).sort();
      const before = model.get("seen") || [];
      if (now.length === before.length && now.every((n, i) => n === before[i])) return;
      model.set("seen", now);
      model.save_changes();
    };
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const name = e.target.dataset.pfPart;
        if (e.isIntersecting) visible.add(name); else visible.delete(name);
      }
      if (timer === null) timer = setTimeout(report, 30);
    }, { rootMargin: "__MARGIN__" });
    const scan = () => {
      for (const name of model.get("names") || []) {
        for (const node of document.getElementsByClassName(PREFIX + name)) {
          if (node.dataset.pfPart) continue;
          node.dataset.pfPart = name;
          watched.add(name);
          io.observe(node);
        }
      }
      return (model.get("names") || []).every((n) => watched.has(n));
    };
    const mo = new MutationObserver(() => { if (scan()) mo.disconnect(); });
    if (!scan()) mo.observe(document.body, { childList: true, subtree: true });
    return () => { io.disconnect(); mo.disconnect(); if (timer !== null) clearTimeout(timer); };
  },
};
""".replace("__PREFIX__", PREFIX).replace("__MARGIN__", MARGIN)


class InView(anywidget.AnyWidget):
    """An invisible widget: ``seen`` is the names of the parts now in (or near) view."""

    _esm = ESM
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    seen = traitlets.List(traitlets.Unicode()).tag(sync=True)


def part_class(name: str) -> str:
    """The CSS class that makes a widget the part `name`."""
    return PREFIX + name
