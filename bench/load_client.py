"""A visitor without a browser, for the load test: speaks to Voila the way the page's JavaScript does.

One `ProtocolSession`:

1. GETs the dashboard page (Voila starts or takes a kernel and runs the notebook) and reads the
   kernel id from the page config;
2. opens the kernel websocket (`/api/kernels/<id>/channels`, the v1 binary protocol JupyterLab's
   frontend uses, so Voila forwards the kernel's messages as they are),
   opens the ipywidgets control comm and asks for every widget's state (`request_states`), as
   the widget manager does: interactive once `update_states` has arrived — what the server has to
   deliver before a browser can draw the dashboard;
3. changes answers: an ipywidgets `update` of the question's dropdown (`index`), timed until the
   kernel reports idle for that message — by then every widget and chart update the answer caused
   has been sent through Voila.

It draws nothing, so it costs almost no CPU: many of them measure the server alone. Loopback only;
every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import re
import time
import uuid
from typing import Any

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
AsyncHTTPClient.configure(None, max_clients=500)  # every visitor at once, none queued in the client


V1 = "v1.kernel.websocket.jupyter.org"  # binary frames Voila forwards without re-encoding them
CONTROL_VERSION = "1.0.0"  # ipywidgets 8's widget control protocol (checked on comm_open)
WIDGET_VERSION = "2.1.0"  # ipywidgets 8's widget message protocol


def _message(session: str, msg_type: str, content: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "",
            "session": session,
            "date": datetime.datetime.now(datetime.UTC).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": metadata,
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


def _encode(msg: dict[str, Any]) -> bytes:
    """A message in the v1 kernel websocket protocol, as JupyterLab's frontend sends it."""
    parts = [json.dumps(msg[k]).encode("utf-8") for k in ("header", "parent_header", "metadata", "content")]
    return bytes(serialize_msg_to_ws_v1(parts, msg["channel"]))


def _decode(frame: str | bytes) -> dict[str, Any]:
    """A v1 frame: channel, header, parent header, metadata, content (buffers not needed here)."""
    if isinstance(frame, str):
        raise RuntimeError("a text frame: the server did not take the v1 protocol")
    channel, parts = deserialize_msg_from_ws_v1(frame)
    header, parent, metadata, content = (json.loads(p) for p in parts[:4])
    return {"channel": channel, "header": header, "parent_header": parent, "metadata": metadata, "content": content}


class ProtocolSession:
    def __init__(self, base: str, timeout: float) -> None:
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.session = uuid.uuid4().hex
        self.kernel = ""
        self.ws: WebSocketClientConnection | None = None
        self.states: dict[str, dict[str, Any]] = {}

    async def open(self) -> None:
        """The page, the websocket and every widget's state; raises on failure or timeout."""
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(self.base + "/", request_timeout=self.timeout, connect_timeout=self.timeout)
        )
        found = KERNEL_ID.search(response.body.decode("utf-8", "replace"))
        if not found:
            raise RuntimeError("no kernel id in the page: rendered without the dashboard?")
        self.kernel = found.group(1)
        url = self.base.replace("http://", "ws://") + f"/api/kernels/{self.kernel}/channels?session_id={self.session}"
        connecting = websocket_connect(url, max_message_size=1 << 30, subprotocols=[V1])
        self.ws = await asyncio.wait_for(connecting, self.timeout)
        control = uuid.uuid4().hex
        version = {"version": CONTROL_VERSION}
        opening = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
        await self._send("comm_open", opening, version)
        await self._send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, version)
        while True:
            msg = await self._recv()
            data = msg["content"].get("data") or {}
            if msg["header"]["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                self.states = data["states"]
                break
        if not self._dropdowns("pf-q-"):
            raise RuntimeError("the widget states hold no question: the dashboard did not build")

    def _dropdowns(self, cls_prefix: str) -> dict[str, str]:
        """Question key → model id of its dropdown (the model with the class, or inside it)."""
        out: dict[str, str] = {}

        def find(model: str) -> str | None:
            state = self.states.get(model, {}).get("state", {})
            if state.get("_model_name") == "DropdownModel":
                return model
            for child in state.get("children", []):
                hit = find(str(child).removeprefix("IPY_MODEL_"))
                if hit:
                    return hit
            return None

        for model, entry in self.states.items():
            for cls in entry.get("state", {}).get("_dom_classes", []):
                if cls.startswith(cls_prefix):
                    hit = find(model)
                    if hit:
                        out[cls.removeprefix(cls_prefix)] = hit
        return out

    async def answer(self, key: str, index: int) -> float:
        """Change question `key` to option `index`: ms until the kernel is idle again."""
        model = self._dropdowns("pf-q-").get(key)
        if model is None:
            raise RuntimeError(f"no dropdown for question {key!r}")
        start = time.perf_counter()
        update = {"method": "update", "state": {"index": index}, "buffer_paths": []}
        sent = await self._send("comm_msg", {"comm_id": model, "data": update}, {"version": WIDGET_VERSION})
        while True:
            msg = await self._recv()
            if (
                msg["header"]["msg_type"] == "status"
                and msg["parent_header"].get("msg_id") == sent
                and msg["content"].get("execution_state") == "idle"
            ):
                return (time.perf_counter() - start) * 1000

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()

    async def _send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any]) -> str:
        assert self.ws is not None
        msg = _message(self.session, msg_type, content, metadata)
        await self.ws.write_message(_encode(msg), binary=True)
        return str(msg["header"]["msg_id"])

    async def _recv(self) -> dict[str, Any]:
        assert self.ws is not None
        frame = await asyncio.wait_for(self.ws.read_message(), self.timeout)
        if frame is None:
            raise RuntimeError("the kernel websocket closed")
        return _decode(frame)
