"""The "Organisation profile" panel of the decide page: which profile is in force (its title),
what it changes (built when first opened), an upload to apply one and a button back to the
reference model. What applying does is the page's (callbacks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.questions import Shared
from patternfit.apps.common.templates import render
from patternfit.apps.decide.card import profile_html
from patternfit.apps.decide.files import ProfileRead
from patternfit.model.catalog import Model

Guard = Callable[[Callable[..., Any]], Callable[..., None]]


def profile_title(read: ProfileRead | None) -> str:
    """The panel's title: the profile in force, or the reference model."""
    info = read.info if read is not None else None
    now = f"“{info['name']}” version {info['version']}" if info else "none, the reference model"
    return f"Organisation profile: {now}"


def applied_message(read: ProfileRead | None) -> str:
    info = read.info if read is not None else None
    return f"Profile “{info['name']}” version {info['version']} applied." if info else "Back to the reference model."


class ProfilePanel:
    """An accordion titled with the profile in force; its content is built when first opened."""

    def __init__(
        self,
        base: Model,
        shared: Shared,
        guard: Guard,
        *,
        apply_file: Callable[[bytes, str], Any],
        reset: Callable[[], Any],
    ) -> None:
        self.base, self.shared, self.guard = base, shared, guard
        self._apply_file, self._reset = apply_file, reset
        self.read: ProfileRead | None = None
        self.panel = w.VBox([], layout=shared.full)
        self.accordion = w.Accordion(
            children=[self.panel], titles=(profile_title(None),), selected_index=None, layout=shared.full
        )
        self.accordion.add_class("pf-profile-panel")
        self.accordion.observe(guard(self._opened), names="selected_index")
        self.upload: w.FileUpload | None = None
        self.reset: w.Button | None = None
        self.html: w.HTML | None = None
        self.status = w.HTML("", layout=shared.auto, style=shared.html)
        self.status.add_class("pf-profile-status")

    def show(self, read: ProfileRead | None) -> None:
        """The profile in force (None: the reference model) in the title and, once built, the panel."""
        self.read = read
        title = profile_title(read)
        if tuple(self.accordion.titles) != (title,):
            self.accordion.titles = (title,)
        if self.html is not None and self.reset is not None:
            self.html.value = profile_html(read.definition if read else None, self.base)
            self.reset.disabled = read is None

    def say(self, message: str) -> None:
        """The status beside the upload that applied the profile."""
        self.status.value = H.status_html(message)

    def _opened(self, change: Any) -> None:
        if change["new"] is None or self.upload is not None:
            return
        s = self.shared
        self.upload = w.FileUpload(
            accept=".yaml,.yml,.json", multiple=False, description="Apply a profile", tooltip="Apply a profile file"
        )
        self.upload.layout.width = "auto"
        self.upload.add_class("pf-profile-upload")
        self.upload.observe(self.guard(self._uploaded), names="value")
        self.reset = w.Button(description="Back to the reference model", icon="undo", layout=w.Layout(width="auto"))
        self.reset.add_class("pf-profile-reset")
        self.reset.on_click(self.guard(lambda _button: self._reset()))
        self.html = w.HTML("", layout=s.full, style=s.html)
        self.html.add_class("pf-profile")
        note = w.HTML(render("decide/profile_note.html"), style=s.html)
        tools = w.HBox([self.upload, self.reset, self.status], layout=s.full)
        tools.add_class("pf-toolbar")
        self.panel.children = [note, tools, self.html]
        self.show(self.read)

    def _uploaded(self, change: Any) -> None:
        item = H.first_upload(change)
        if item is not None and self.upload is not None:
            self._apply_file(*item)
            self.upload.value = ()  # the same file can be applied again
