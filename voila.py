"""Voila's Python config, read with voila.json from the folder Voila starts in (the repository root).

Settings live in voila.json. This file only makes one of them work: Voila 0.5.13 applies
`Voila.tornado_settings` after it has built its tornado Application (`app.settings.update(...)` in
`Voila.start`), but tornado reads `compress_response` only while building it, so the setting alone
leaves every response uncompressed (10.3 MB for the decision dashboard). Here the gzip transform is
added to the application when the setting asks for it, before Voila adds its handlers and listens.
`static_immutable_cache` needs no help (read per request). It also puts share/jupyter on
JUPYTER_PATH, where the `patternfit` template is, and serves the room's phone page and answers
(`patternfit.room.handlers`: ``/room/<id>``) from this same server, ahead of Voila's own handlers —
plain tornado handlers, no kernel per phone.

In server-extension mode (JupyterHub, Binder) this class is not used: jupyter_server passes
`ServerApp.tornado_settings` to tornado at construction, so `compress_response` works there as is
(docs/serving.md, docs/kubernetes/values.yaml).
"""

import os
from pathlib import Path

from tornado.web import GZipContentEncoding
from voila.app import Voila

# The `patternfit` template (voila.json: "template") lives in share/jupyter beside this file: the lab
# template with a start page that lists the four dashboards by title.
_SHARE = str(Path(__file__).resolve().parent / "share" / "jupyter")
if _SHARE not in os.environ.get("JUPYTER_PATH", "").split(os.pathsep):
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (_SHARE, os.environ.get("JUPYTER_PATH", "")) if p)

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (provided by traitlets)

if not getattr(Voila.init_handlers, "_pf_gzip", False):
    _init_handlers = Voila.init_handlers

    def _init_handlers_with_gzip(self):  # type: ignore[no-untyped-def]
        settings = self.app.settings
        if (settings.get("compress_response") or settings.get("gzip")) and GZipContentEncoding not in self.app.transforms:
            self.app.transforms.append(GZipContentEncoding)
        try:
            from patternfit.room.handlers import room_handlers
        except ImportError:  # patternfit not installed in this environment: Voila as it is
            return _init_handlers(self)
        return [*room_handlers(self.server_url or self.base_url), *_init_handlers(self)]

    _init_handlers_with_gzip._pf_gzip = True  # type: ignore[attr-defined]
    Voila.init_handlers = _init_handlers_with_gzip
