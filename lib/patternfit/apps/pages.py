"""The ways in and between the dashboards: a page header with the dashboard's title and the links
to the others (the link bar of `common.html`), the browser tab named, and upload buttons that say
what they open (no "(0)" counter, no "null" tooltip).

The links are relative (``decide.ipynb``), so they work wherever Voila serves the notebooks
folder: ``/voila/render/…``, behind a ``--base_url``, on JupyterHub and Binder.
"""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H

# ipywidgets 8 writes "<description> (<count>)" into an upload button and puts the tooltip None
# into its title as "null", and leaves a slider's handle without a name: this keeps the description
# alone, drops a "null" title and names each slider handle after its label, on the whole page, as
# the widgets render and re-render.
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
    // a slider's handle is what a keyboard or screen reader uses: name it after the slider's label
    document.querySelectorAll('.widget-slider').forEach((box) => {
      const label = box.querySelector('.widget-label');
      const name = label ? label.textContent.trim() : '';
      box.querySelectorAll('.noUi-handle').forEach((h) => {
        if (name && h.getAttribute('aria-label') !== name) h.setAttribute('aria-label', name);
      });
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
    return dict(H.DASHBOARDS)[stem]


def keep_title_js(text: str) -> str:
    """Name the browser tab `text` and keep it so: the decide dashboard embedded in the workshop
    names the tab after itself when it renders, after this page's own title was set."""
    return (
        "(function () { const want = " + json.dumps(text) + ";"
        " const put = () => { if (document.title !== want) document.title = want; }; put();"
        " const t = document.querySelector('title');"
        " if (t) new MutationObserver(put).observe(t, {childList: true, characterData: true, subtree: true}); })();"
    )


def script_output(js: str) -> w.Output:
    """A hidden output that runs `js` in the page (how the dashboards patch the widgets' DOM)."""
    out = w.Output(layout=w.Layout(display="none"))
    out.outputs = (
        {"output_type": "display_data", "data": {"application/javascript": js, "text/plain": ""}, "metadata": {}},
    )
    return out


def page_header(current: str, lead: str = "", tab: str = "") -> w.Widget:
    """The top of a dashboard page: its title and the links to the other dashboards (the decide
    dashboard's link bar, `common.html.links_html`), the tab named `tab`, and the upload-button fix."""
    name = title(current)
    js = UPLOAD_FIX_JS + "\n" + keep_title_js(tab or f"{name} — patternfit")
    header = w.VBox(
        [w.HTML(H.links_html(current, name, lead)), script_output(js)],
        layout=w.Layout(width="100%"),
    )
    header.add_class("pf-page-header")
    return header


def upload_button(accept: str, description: str, tooltip: str, **kw: Any) -> w.FileUpload:
    """A one-file upload button whose label is `description` alone and whose tooltip says what it opens."""
    button = w.FileUpload(accept=accept, multiple=False, description=description, tooltip=tooltip, **kw)
    button.layout.width = "auto"
    return button
