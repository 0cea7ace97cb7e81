"""Who is visiting: a random id kept in the visitor's browser, so that each visitor of a published
workshop page gets drafts of their own.

The browser keeps the id in ``localStorage`` (one per browser profile and origin; a new one is made
with ``crypto.randomUUID()`` when there is none) and sends it to the kernel through a tiny widget
with no network access. The kernel trusts nothing it receives: an id that is not a UUID, or whose
drafts folder is a link pointing elsewhere, is refused (`visitor_folder`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import anywidget
import traitlets

from patternfit.errors import InputError

STORAGE_KEY = "patternfit-visitor"
ID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Inline ES module (no CDN, no network): read or create the id, send it once.
ESM = """
const KEY = "__KEY__";
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function fresh() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  // not a secure context (plain http on a host name): same UUID v4, from getRandomValues
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function visitorId() {
  try {
    let id = localStorage.getItem(KEY);
    if (!id || !ID.test(id)) {
      id = fresh();
      localStorage.setItem(KEY, id);
    }
    return id;
  } catch (e) {
    return fresh(); // storage blocked: drafts for this page only, never someone else's
  }
}

export default {
  render({ model, el }) {
    el.classList.add("pf-visitor");
    if (!model.get("visitor")) {
      model.set("visitor", visitorId());
      model.save_changes();
    }
  },
};
""".replace("__KEY__", STORAGE_KEY)


class VisitorId(anywidget.AnyWidget):
    """An invisible widget whose ``visitor`` trait receives the browser's visitor id."""

    _esm = ESM
    visitor = traitlets.Unicode("").tag(sync=True)


def under_voila() -> bool:
    """True in a kernel started by Voila (a published page: many visitors, one server)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/") or any(
        name in os.environ for name in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_REQUEST_URL")
    )


def visitor_folder(drafts: str | Path, visitor: object) -> Path:
    """The folder of one visitor's drafts inside `drafts`; InputError for anything but a UUID, or
    for a folder that is a link or resolves outside `drafts`."""
    if not isinstance(visitor, str) or not ID_PATTERN.fullmatch(visitor):
        shown = repr(visitor)[:60]
        raise InputError("visitor id", f"{shown} is not a visitor id", "expected a UUID from the browser")
    drafts = Path(drafts)
    folder = drafts / visitor
    if folder.is_symlink():
        raise InputError(str(folder), "is a link", "a visitor's drafts folder must be a plain folder")
    if folder.exists():
        root = drafts.resolve()
        if not folder.is_dir() or not folder.resolve().is_relative_to(root):
            raise InputError(str(folder), f"is not a folder inside {root}", "remove it; it is made again")
    return folder
