"""Voila's Python config, read with voila.json from the folder Voila starts in (the repository root).

Settings live in voila.json. This file only makes one of them work: Voila 0.5.13 applies
`Voila.tornado_settings` after it has built its tornado Application (`app.settings.update(...)` in
`Voila.start`), but tornado reads `compress_response` only while building it, so the setting alone
leaves every response uncompressed (10.3 MB for the decision dashboard). Here the gzip transform is
added to the application when the setting asks for it, before Voila adds its handlers and listens.
Nothing else changes; `static_immutable_cache` needs no help (read per request).

In server-extension mode (JupyterHub, Binder) this class is not used: jupyter_server passes
`ServerApp.tornado_settings` to tornado at construction, so `compress_response` works there as is
(docs/serving.md, docs/kubernetes/values.yaml).
"""

from tornado.web import GZipContentEncoding
from voila.app import Voila

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (provided by traitlets)

if not getattr(Voila.init_handlers, "_pf_gzip", False):
    _init_handlers = Voila.init_handlers

    def _init_handlers_with_gzip(self):  # type: ignore[no-untyped-def]
        settings = self.app.settings
        if (settings.get("compress_response") or settings.get("gzip")) and GZipContentEncoding not in self.app.transforms:
            self.app.transforms.append(GZipContentEncoding)
        return _init_handlers(self)

    _init_handlers_with_gzip._pf_gzip = True  # type: ignore[attr-defined]
    Voila.init_handlers = _init_handlers_with_gzip
