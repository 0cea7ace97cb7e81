"""The decide page's error notice: fixed in view at the bottom of the screen (role=alert)
wherever the visitor is, with a Dismiss button; the next action that works clears it."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.questions import Shared


class Notice:
    """The error notice; `shown` counts the errors shown so far."""

    def __init__(self, shared: Shared) -> None:
        self.shown = 0
        self.error = w.HTML("", layout=w.Layout(flex="1 1 auto"), style=shared.html)
        self.error.add_class("pf-error")
        dismiss = w.Button(description="Dismiss", layout=w.Layout(width="100px", flex="0 0 auto"))
        dismiss.on_click(self.clear)
        self.box = w.HBox([self.error, dismiss], layout=w.Layout(width="100%", display="none", align_items="center"))
        self.box.add_class("pf-notice")

    @property
    def visible(self) -> bool:
        return bool(self.box.layout.display != "none")

    def show(self, message: str) -> None:
        self.shown += 1
        self.error.value = H.error_html(message)
        self.box.layout.display = "flex"

    def clear(self, *_: Any) -> None:
        self.box.layout.display = "none"
        self.error.value = ""
