"""The decide page's per-visitor draft (`apps.common.drafts`, the workshop page's mechanism):
the connection on screen and the one an Undo would put back, written within a second of the
last change and offered after a reload. The page's side is its public `draft_entries` and
`restore_entries`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as w

from patternfit.apps.common.drafts import Drafts, Found
from patternfit.apps.decide.layout import TITLE
from patternfit.apps.decide.state import DecisionState
from patternfit.apps.decide.undo import draft_offer_html
from patternfit.model.catalog import Model
from patternfit.workshop.file import Entry, Workshop

DRAFT = "decide"  # the decide page's draft file: <drafts>/<visitor>/decide.draft.yaml


class DraftHost(Protocol):
    """What the draft needs of the page (the decision dashboard's public members)."""

    state: DecisionState
    base_model: Model
    widget: w.VBox
    keeper: Drafts | None

    def draft_entries(self) -> tuple[Entry, ...]: ...
    def restore_entries(self, drafted: Sequence[Entry]) -> None: ...
    def status_line(self, message: str) -> None: ...
    def show_error(self, message: str) -> None: ...
    def guard(self, callback: Callable[..., Any]) -> Callable[..., None]: ...


def keep_drafts(page: DraftHost, folder: Path, visitor: str | None, local: bool) -> Drafts:
    """Keep `page`'s draft in `folder`: the prompt goes under the page's header, the visitor
    widget at the end; every recomputation saves within a second. `local`: keep one local
    draft until a visitor id arrives."""

    def offer(found: Found) -> str:
        """The prompt's text; "" when the draft holds nothing but what is on screen already."""
        draft = found.get(DRAFT)
        total = len(page.base_model.keys)
        return draft_offer_html(draft.entries, page.draft_entries()[0], total) if draft is not None else ""

    def restore(found: Found) -> None:
        draft = found.get(DRAFT)
        if draft is not None and draft.entries:
            page.restore_entries(draft.entries)
            page.status_line("Draft restored.")

    keeper = Drafts(
        folder, (DRAFT,), page.base_model,
        contents=lambda: {DRAFT: Workshop(title=TITLE, entries=page.draft_entries())},
        offer=offer, restore=restore,
        say=lambda message, ok: page.status_line(message) if ok else page.show_error(message),
        guard=page.guard,
    )  # fmt: skip
    page.keeper = keeper  # before a draft can be restored: Undo's offer is saved with it
    keeper.banner.add_class("pf-decide-draft")
    keeper.banner.add_class("pf-panel")
    children = list(page.widget.children)
    children.insert(3, keeper.banner)  # after the style, the scripts and the header
    page.widget.children = (*children, keeper.visitor_widget)
    if local:
        keeper.use_folder(folder)
    if visitor is not None:
        keeper.use_visitor(visitor)
    page.state.observe(lambda _change: keeper.save_soon(), "assessment")
    return keeper
