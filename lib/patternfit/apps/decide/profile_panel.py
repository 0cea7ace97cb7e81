"""The organisation profile on the decide page: the "Organisation profile" panel (which profile
is in force in its title; what it changes, an upload to apply one and a button back to the
reference model, built when first opened) and putting a profile in force: the state takes its
model and weights, the page re-assesses and says so."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as w

from patternfit.apps.common import html as H
from patternfit.apps.common.questions import Shared
from patternfit.apps.common.templates import render
from patternfit.apps.decide.card import profile_html
from patternfit.apps.decide.files import ProfileRead, read_profile, read_profile_file
from patternfit.apps.decide.panels import WeightsPanel
from patternfit.apps.decide.state import DecisionState
from patternfit.errors import PatternfitError
from patternfit.model.catalog import Model

Guard = Callable[[Callable[..., Any]], Callable[..., None]]


class ProfileHost(Protocol):
    """What the profile needs of the page it sits in (the decision dashboard's public members)."""

    state: DecisionState
    base_model: Model
    weights_panel: WeightsPanel

    def guard(self, callback: Callable[..., Any]) -> Callable[..., None]: ...
    def show_error(self, message: str) -> None: ...
    def clear_error(self, *_: Any) -> None: ...
    def refresh(self, *_: Any) -> None: ...
    def status_line(self, message: str) -> None: ...


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

    def __init__(self, page: ProfileHost, shared: Shared) -> None:
        self.page, self.base, self.shared, self.guard = page, page.base_model, shared, page.guard
        self.read: ProfileRead | None = None
        self.panel = w.VBox([], layout=shared.full)
        self.accordion = w.Accordion(
            children=[self.panel], titles=(profile_title(None),), selected_index=None, layout=shared.full
        )
        self.accordion.add_class("pf-profile-panel")
        self.accordion.observe(self.guard(self._opened), names="selected_index")
        self.upload: w.FileUpload | None = None
        self.reset: w.Button | None = None
        self.html: w.HTML | None = None
        self.status = w.HTML("", layout=shared.auto, style=shared.html)
        self.status.add_class("pf-profile-status")

    # -- putting a profile in force ----------------------------------------------------------
    def apply(self, source: Mapping[str, Any] | str | Path | None) -> bool:
        """Put a profile (a mapping or a YAML path; None: the reference model) in force and
        re-assess. A bad profile shows the error notice, changes nothing and returns False."""
        try:
            read = read_profile(source, self.base) if source is not None else None
        except PatternfitError as exc:
            self.page.show_error(f"{exc.message} (the profile was not applied)")
            return False
        self._in_force(read)
        return True

    def apply_file(self, content: bytes, filename: str) -> bool:
        """Apply an uploaded profile file (.yaml/.yml/.json); a bad one is refused in the notice."""
        try:
            read = read_profile_file(bytes(content), filename, self.base)
        except PatternfitError as exc:
            self.page.show_error(f"{exc.message} (the profile was not applied)")
            return False
        self._in_force(read)
        return True

    def use(self, read: ProfileRead | None) -> None:
        """Put a checked profile (None: the reference model) in force; the caller refreshes."""
        with self.page.state.held():
            self.page.state.use_profile(read, self.base)
        self.page.weights_panel.sync()
        self.show(read)

    def _in_force(self, read: ProfileRead | None) -> None:
        self.use(read)
        self.page.clear_error()
        self.page.refresh()
        message = applied_message(read)
        self.page.status_line(message)
        self.say(message)  # beside the upload that did it

    # -- the panel ---------------------------------------------------------------------------
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
        self.reset.on_click(self.guard(lambda _button: self.apply(None)))
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
            self.apply_file(*item)
            self.upload.value = ()  # the same file can be applied again
