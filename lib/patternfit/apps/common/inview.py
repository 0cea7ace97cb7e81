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
SETTLE_MS = 300

# Inline ES module (no CDN, no network). Parts are found as they are rendered (a MutationObserver);
# watching starts once every named part is on the page and the page has stopped changing for
# SETTLE ms: while the widgets are still being rendered the page is shorter than it will be, and
# a part far down would look in view for a moment (and be drawn for nothing).
ESM = (
    """
const PREFIX = "__PREFIX__";
const SETTLE = __SETTLE__;
const LONGEST = 3000;

export default {
  render({ model, el }) {
    el.classList.add("pf-inview");
    const names = model.get("names") || [];
    const visible = new Set();
    const found = new Map(); // name -> node
    let timer = null;
    let quiet = null;
    let watching = false;
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
      for (const name of names) {
        if (found.has(name)) continue;
        const node = document.getElementsByClassName(PREFIX + name)[0];
        if (!node) continue;
        node.dataset.pfPart = name;
        found.set(name, node);
        if (watching) io.observe(node);
      }
      return found.size === names.length;
    };
    const start = () => {
      quiet = null;
      watching = true;
      for (const node of found.values()) io.observe(node);
      mo.disconnect();
    };
    let since = null; // when every part was first on the page
    const wait = () => {
      if (since === null) since = performance.now();
      if (quiet !== null) clearTimeout(quiet);
      // a page that never stops changing is watched anyway, LONGEST ms after its parts appeared
      quiet = setTimeout(start, performance.now() - since > LONGEST ? 0 : SETTLE);
    };
    const mo = new MutationObserver(() => { if (scan()) wait(); });
    mo.observe(document.body, { childList: true, subtree: true });
    if (scan()) wait();
    return () => {
      io.disconnect();
      mo.disconnect();
      if (timer !== null) clearTimeout(timer);
      if (quiet !== null) clearTimeout(quiet);
    };
  },
};
""".replace("__PREFIX__", PREFIX)
    .replace("__MARGIN__", MARGIN)
    .replace("__SETTLE__", str(SETTLE_MS))
)


class InView(anywidget.AnyWidget):
    """An invisible widget: ``seen`` is the names of the parts now in (or near) view."""

    _esm = ESM
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    seen = traitlets.List(traitlets.Unicode()).tag(sync=True)


def part_class(name: str) -> str:
    """The CSS class that makes a widget the part `name`."""
    return PREFIX + name
