"""A page's drafts: kept per visitor, written as the visitor types, offered back after a reload.

One mechanism for every page that keeps drafts (the decide and the workshop pages):

* Who: a tiny widget (`visitor.VisitorId`) sends the id kept in the visitor's browser; the drafts
  live in ``<drafts folder>/<visitor id>/``. Until the id arrives, and where it never does (nbval, a
  script), a page may keep one local draft (``local``) — never in a kernel started by Voila, where
  many visitors share the server: there nothing is read or written until the id arrives.
* What: each draft is a workshop file (`workshop.file.Autosaver`), written atomically (a temporary
  file renamed into place), and not written again while its text is unchanged.
* When: `save_soon` writes as soon as the kernel is free when the last write is a second old or
  more, else a second after it (`Throttle`): typing loses at most the last second, never the text.
  A write costs 10–40 ms here (fsync), so writing on every key would cost more than the answer.
* Offer: the drafts found when the visitor is known are offered in a banner ("A draft was found …
  Restore draft / Discard"); the page says what it found (`offer`) and how to restore it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from patternfit.apps.common.visitor import VisitorId, visitor_folder
from patternfit.errors import InputError, PatternfitError
from patternfit.model.catalog import Model
from patternfit.workshop.file import Autosaver, Workshop

LOG = logging.getLogger(__name__)
INTERVAL = 1.0  # s: the longest a typed key waits before its draft is written

Found = Mapping[str, Workshop | None]


class Throttle:
    """Runs `action` as soon as the event loop is free when it last ran `interval` seconds ago or
    more, else once, `interval` seconds after that run (calls in between fold into that one).
    Without a running event loop (a script, a test) every call runs at once."""

    def __init__(self, action: Callable[[], None], interval: float = INTERVAL) -> None:
        self.action = action
        self.interval = interval
        self._last = float("-inf")
        self._due: asyncio.TimerHandle | None = None

    def __call__(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        if self._due is not None:  # a run is due already: it will see this change
            return
        # never inside the caller: the page's own updates go out first, the write right after
        wait = self._last + self.interval - time.monotonic()
        self._due = loop.call_later(max(wait, 0.0), self.flush)

    @property
    def pending(self) -> bool:
        """Whether a run is due later."""
        return self._due is not None

    def flush(self) -> None:
        """Run now (a run that was due later is cancelled: this one sees every change)."""
        if self._due is not None:
            self._due.cancel()
            self._due = None
        self._last = time.monotonic()
        self.action()


class Drafts:
    """The drafts of one page: one `Autosaver` per name in the visitor's folder, what was found
    there, and the banner that offers it.

    `contents()` gives the workshops to write, by name; `offer(found)` the banner's HTML for the
    drafts found ("" when nothing is worth offering); `restore(found)` puts them on the page;
    `say(message, ok)` tells the visitor what happened. A page that keeps a local draft until the
    visitor is known (not under Voila) calls `use_folder(root)` once it is built."""

    def __init__(
        self,
        root: str | Path,
        names: Sequence[str],
        model: Model,
        *,
        contents: Callable[[], Mapping[str, Workshop]],
        offer: Callable[[Found], str],
        restore: Callable[[Found], None],
        say: Callable[[str, bool], None],
        guard: Callable[[Callable[..., Any]], Callable[..., None]],
    ) -> None:
        self.root = Path(root)
        self.names = tuple(names)
        self.model = model
        self._contents, self._offer, self._restore, self._say = contents, offer, restore, say
        self.visitor: str | None = None
        self.savers: dict[str, Autosaver] | None = None
        self.found: dict[str, Workshop | None] = {}
        self.unsaved = False  # a change made before the folder was known
        self.throttle = Throttle(self.save)
        self.text = w.HTML("")
        self.text.add_class("pf-draft-text")
        self.restore_button = w.Button(
            description="Restore draft", button_style="warning", layout=w.Layout(width="auto")
        )
        self.restore_button.add_class("pf-draft-restore")
        self.restore_button.on_click(guard(self.restore))
        self.discard_button = w.Button(description="Discard", layout=w.Layout(width="auto"))
        self.discard_button.add_class("pf-draft-discard")
        self.discard_button.on_click(guard(self.discard))
        self.banner = w.HBox(
            [self.text, self.restore_button, self.discard_button],
            layout=w.Layout(width="100%", display="none", align_items="center", flex_flow="row wrap"),
        )
        self.banner.add_class("pf-draft")
        self.visitor_widget = VisitorId(layout=w.Layout(height="0px", margin="0px"))
        self.visitor_widget.observe(guard(self._arrived), "visitor")

    @property
    def offered(self) -> bool:
        return bool(self.found)

    def use_visitor(self, visitor: str) -> bool:
        """Keep drafts in this visitor's own folder from now on, and offer their drafts. The first
        valid id wins; a bad id is refused (logged, said) and changes nothing."""
        if self.visitor is not None:
            return visitor == self.visitor
        try:
            folder = visitor_folder(self.root, visitor)
        except InputError as exc:
            LOG.warning("visitor id refused: %s", exc.message)
            self._say("This browser's visitor id was refused; drafts stay as they were.", False)
            return False
        self.visitor = visitor
        self.use_folder(folder)
        if self.unsaved:
            self.save()
        return True

    def use_folder(self, folder: Path) -> None:
        """Keep drafts in `folder`; offer the drafts found there (drafts found earlier, in a local
        folder, stay on offer when this one has none worth offering)."""
        self.savers = {name: Autosaver(folder, name) for name in self.names}
        try:
            found = {name: saver.restore(self.model) for name, saver in self.savers.items()}
        except PatternfitError as exc:
            self._say(f"The draft could not be read: {exc.message}", False)
            return
        text = self._offer(found) if any(d is not None for d in found.values()) else ""
        if text:
            self.found = found
            self.text.value = text
        self.banner.layout.display = "flex" if self.found else "none"

    def save(self) -> None:
        """Write the page's drafts now (held back while the visitor is not known yet)."""
        if self.savers is None:
            self.unsaved = True
            return
        try:
            for name, workshop in self._contents().items():
                self.savers[name].save(workshop)
            self.unsaved = False
        except (PatternfitError, OSError) as exc:
            LOG.warning("autosave failed: %s", exc)
            self._say(f"Autosave failed: {getattr(exc, 'message', exc)}", False)

    def save_soon(self) -> None:
        """Write the drafts within a second (at once when the last write is that old)."""
        if self.savers is None:
            self.unsaved = True
            return
        self.throttle()

    def restore(self, *_: Any) -> bool:
        """Put the drafts on offer back on the page (False when none is on offer)."""
        if not self.found:
            return False
        found, self.found = self.found, {}
        self.banner.layout.display = "none"
        self._restore(found)
        return True

    def discard(self, *_: Any) -> None:
        """Stop offering the drafts; the page as it is becomes the draft."""
        self.found = {}
        self.banner.layout.display = "none"
        self.save()

    def _arrived(self, change: Any) -> None:
        if change["new"]:
            self.use_visitor(change["new"])
