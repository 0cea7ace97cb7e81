"""The ways in and between the dashboards: their titles, a navigation line linking each to the
others, and upload buttons that say what they open (no "(0)" counter, no "null" tooltip).

The links are relative (``decide.ipynb``), so they work wherever Voila serves the notebooks
folder: ``/voila/render/…``, behind a ``--base_url``, on JupyterHub and Binder.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H

# notebook stem → (title shown to people, one line on what it is for); the order is the start page's
DASHBOARDS: dict[str, tuple[str, str]] = {
    "decide": (
        "Decide: which integration pattern?",
        "One connection: answer the questions, get a recommendation and a record.",
    ),
    "workshop": ("Workshop", "A room works through several connections, compares them and keeps a workshop file."),
    "calibrate": ("Calibrate", "Tune the model to your organisation and see which recommendations change."),
    "estate": ("Estate review", "Upload an inventory or an architecture model: which connections fight their nature."),
}

# ipywidgets 8 writes "<description> (<count>)" into an upload button and puts the tooltip None
# into its title as "null": this keeps the description alone and drops a "null" title, on every
# upload button of the page, as the widgets render and re-render.
UPLOAD_FIX_JS = r"""
(function () {
  if (window.pfUploadFix) { window.pfUploadFix(); return; }
  const fix = () => {
    document.querySelectorAll('button.widget-upload').forEach((b) => {
      b.childNodes.forEach((n) => {
        if (n.nodeType === 3) {
          const t = n.textContent.replace(/\s*\(\d+\)\s*$/, '');
          if (t !== n.textContent) n.textContent = t;
        }
      });
      if (b.getAttribute('title') === 'null') b.removeAttribute('title');
    });
  };
  window.pfUploadFix = fix;
  new MutationObserver(fix).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['title'],
  });
  fix();
})();
"""


def title(stem: str) -> str:
    """The title people read for a dashboard (its notebook's stem: decide, workshop, …)."""
    return DASHBOARDS[stem][0]


def nav_html(current: str) -> str:
    """A navigation line naming every dashboard, the current one marked (aria-current)."""
    items = []
    for stem, (label, what) in DASHBOARDS.items():
        if stem == current:
            items.append(f'<span class="pf-nav-current" aria-current="page">{H.esc(label)}</span>')
        else:
            items.append(f'<a class="pf-nav-link" href="{H.esc(stem)}.ipynb" title="{H.esc(what)}">{H.esc(label)}</a>')
    return f'<nav class="pf-nav" aria-label="Dashboards">{" · ".join(items)}</nav>'


def script_output(js: str) -> w.Output:
    """A hidden output that runs `js` in the page (how the dashboards patch the widgets' DOM)."""
    out = w.Output(layout=w.Layout(display="none"))
    out.outputs = (
        {"output_type": "display_data", "data": {"application/javascript": js, "text/plain": ""}, "metadata": {}},
    )
    return out


def page_header(current: str) -> w.Widget:
    """The top of a dashboard page: the links to the other dashboards, and the upload-button fix."""
    header = w.VBox([w.HTML(nav_html(current)), script_output(UPLOAD_FIX_JS)], layout=w.Layout(width="100%"))
    header.add_class("pf-page-header")
    return header


def upload_button(accept: str, description: str, tooltip: str, **kw: Any) -> w.FileUpload:
    """A one-file upload button whose label is `description` alone and whose tooltip says what it opens."""
    button = w.FileUpload(accept=accept, multiple=False, description=description, tooltip=tooltip, **kw)
    button.layout.width = "auto"
    return button
