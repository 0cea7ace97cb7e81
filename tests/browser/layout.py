"""Layout checks in a served page: `layout_findings(page)` says what a person would see broken at
the page's current size — the page scrolling sideways, text cut at the side, and text drawn over
other text — each as
one readable line naming the texts concerned; an empty list when the page is clean.

    from tests.browser.layout import layout_findings
    found = layout_findings(page)
    assert not found, "\\n".join(found)

Text boxes are measured as drawn: each line box of an HTML text node (a DOM Range's client rects,
so a block that is wider than its words does not count), and each SVG `<text>` (plotly's titles,
legend entries and tick labels, the SVG charts' labels, mermaid's labels). Two boxes of different
texts that intersect by more than `SLACK` pixels both ways overlap. Visually hidden text (the
screen-reader copies, `.pf-sr`), text in closed `<details>`, under `display: none`, `visibility:
hidden` or `opacity: 0`, and text inside a box scrolled out of view (an `overflow: auto` panel) is
not drawn and so not counted. Text partly hidden sideways by a box that clips it (`overflow:
hidden`, an `<svg>`, the window's edge) is cut: "Fro" for "From".
"""

from __future__ import annotations

from typing import Any

SLACK = 2  # px: anti-aliasing and line-height rounding; a real overlap is a glyph's height or more

_FIND = """([slack]) => {
  const W = window.innerWidth;
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > W + 1) found.push(`the page scrolls sideways: ${root.scrollWidth} px in a ${W} px window`);
  // any other box that scrolls sideways, but for a table's own box (a named region) and text fields
  const name = (e) => e.tagName.toLowerCase() + [...e.classList].slice(0, 3).map((c) => '.' + c).join('');
  for (const e of document.querySelectorAll('body *')) {
    if (e.scrollWidth <= e.clientWidth + 1 || e.closest('[role=region], textarea, pre, svg')) continue;
    const s = getComputedStyle(e);
    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && e.clientWidth > 0)
      found.push(`the page scrolls sideways: ${name(e)} is ${e.scrollWidth} px wide in ${e.clientWidth} px`);
  }

  const hidden = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e.classList.contains('pf-sr') || e.classList.contains('pf-sr-box')) return true;
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility !== 'visible' || Number(s.opacity) === 0) return true;
      if (e.tagName === 'DETAILS' && !e.open && e !== el) {
        const summary = e.querySelector(':scope > summary');
        if (!(summary && summary.contains(el))) return true;
      }
    }
    return false;
  };
  // The part of a box left visible by the boxes around it that clip or scroll; `cut` when a box
  // that clips (overflow hidden or clip, an <svg>, the window) hides part of it sideways.
  const visiblePart = (el, r) => {
    let {left, top, right, bottom} = r;
    let cut = false;
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = e.getBoundingClientRect();
      if (s.overflowX !== 'visible') {
        const clips = s.overflowX === 'hidden' || s.overflowX === 'clip';
        if (clips && (left < c.left - slack || right > c.right + slack) && bottom > c.top && top < c.bottom) cut = true;
        left = Math.max(left, c.left); right = Math.min(right, c.right);
      }
      if (s.overflowY !== 'visible') { top = Math.max(top, c.top); bottom = Math.min(bottom, c.bottom); }
    }
    if (left < -slack || right > W + slack) cut = true;  // what no box scrolls to is off the window
    return right - left > 1 && bottom - top > 1 ? {left, top, right, bottom, cut} : null;
  };
  const boxes = [];
  const cuts = [];
  const add = (el, text, r) => {
    if (r.width < 1 || r.height < 1) return;
    const v = visiblePart(el, r);
    if (!v) return;
    const short = text.trim().replace(/\\s+/g, ' ').slice(0, 60);
    boxes.push({el, text: short, ...v});
    if (v.cut) cuts.push(`"${short}" is cut at the side`);
  };
  // HTML text: each line of each text node
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.nodeValue.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template, title, option, select, textarea')) continue;
    if (el.closest('svg') && !el.closest('foreignObject')) continue;  // SVG text: below
    if (hidden(el)) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) add(el, node.nodeValue, r);
  }
  // form fields show their value as text
  for (const el of document.querySelectorAll('select, input[type=text], input:not([type]), textarea, button')) {
    if (hidden(el) || el.closest('svg')) continue;
    const text = el.tagName === 'SELECT' ? (el.selectedOptions[0] || {}).text || '' : el.value || el.textContent || '';
    if (!text.trim() || el.tagName === 'BUTTON') continue;
    add(el, text, el.getBoundingClientRect());
  }
  // SVG text: plotly's titles, legend, ticks and annotations; our SVG charts; mermaid
  for (const el of document.querySelectorAll('svg text')) {
    if (!el.textContent.trim() || el.querySelector('text') || hidden(el)) continue;
    add(el, el.textContent, el.getBoundingClientRect());
  }
  const clash = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > slack && h > slack)
        clash.push(`"${a.text}" and "${b.text}" overlap by ${Math.round(w)}×${Math.round(h)} px`);
    }
  }
  return [...new Set(found)].slice(0, 10).concat([...new Set(cuts)].slice(0, 20), clash.slice(0, 20));
}"""


def layout_findings(page: Any, *, slack: int = SLACK) -> list[str]:
    """What is broken in the layout `page` shows now: sideways scrolling, text over text."""
    return list(page.evaluate(_FIND, [slack]))
