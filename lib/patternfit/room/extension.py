"""The room's handlers as a jupyter_server extension, for server-extension mode (JupyterHub, Binder,
`jupyter lab`), where voila.py is not read: ``/room/<id>`` under the server's base URL, outside its
token check (a room's id is its capability).

Enabled by jupyter-config/jupyter_server_config.d/patternfit-room.json (installed with the package)
or ``--ServerApp.jpserver_extensions="{'patternfit.room.extension': True}"``.
"""

from __future__ import annotations

from typing import Any

from patternfit.room.handlers import room_handlers


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "patternfit.room.extension"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    web_app = serverapp.web_app
    web_app.add_handlers(".*$", room_handlers(web_app.settings.get("base_url", "/")))
