"""The estate page's results, below the uploads: what was read, the findings and their four charts,
the connections table with its filter, the connection to open in decide, and the report's downloads.

Built at the first review (before it the page shows only its uploads). With ``lazy`` (as the page
is served) the charts and the downloads are drawn when the browser says they are near the view
(`apps/common/inview.py`); until then they are marked ``pf-stale``. Everything is drawn from the
`EstateState`, never read back from a widget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import ipywidgets as w
import pandas as pd

from patternfit.apps.common.inview import InView, part_class
from patternfit.apps.common.plotly_output import plotly_output
from patternfit.apps.estate.filters import ALL_OWNERS, VIEWS
from patternfit.apps.estate.state import EstateState
from patternfit.apps.estate.tables import (
    ROWS_SHOWN,
    downloads_html,
    open_html,
    open_prompt_html,
    summary_html,
    table_html,
    validation_html,
)
from patternfit.charts.estate import CHARTS, estate_charts
from patternfit.errors import PatternfitError

PART = "pf-estate-"  # the parts drawn in view: pf-part-pf-estate-<chart name> and …-download
CHOOSE = ("— choose a connection —", "")
WAITING = '<p class="pf-muted">The report\'s download links are made when you scroll here.</p>'


class ResultsView:
    """The widgets of the results; `draw` puts a new review on them."""

    def __init__(self, state: EstateState, guard: Any, *, lazy: bool) -> None:
        self.state = state
        self.lazy = lazy
        self.visible: set[str] = set()  # the parts the browser says are in view (all of them when not lazy)
        self.stale: set[str] = set()  # the parts not drawn for the review shown
        self.specs: dict[str, dict[str, Any]] = {}  # the charts of the review shown
        self._syncing = False  # True while the widgets are set from the state (their callbacks wait)
        full = w.Layout(width="100%")
        self.validation = _html("pf-estate-validation", full)
        self.summary = _html("pf-estate-summary", full)
        self.charts = {name: w.Output(layout=w.Layout(width="100%")) for name in CHARTS}
        for name, out in self.charts.items():
            for css in ("pf-estate-chart", f"pf-estate-chart-{name}", part_class(PART + name)):
                out.add_class(css)
        self.view = w.Dropdown(options=VIEWS, value=state.view, description="Show")
        self.view.add_class("pf-estate-filter-view")
        self.owner = w.Dropdown(options=[ALL_OWNERS], value=ALL_OWNERS, description="Owner")
        self.owner.add_class("pf-estate-filter-owner")
        self.search = w.Text(
            value=state.search, placeholder="id or name contains …", description="Search", continuous_update=False
        )
        self.search.add_class("pf-estate-filter-search")
        for name in ("view", "owner", "search"):
            getattr(self, name).observe(guard(self._filter_set), names="value")
        self.table = _html("pf-estate-table", full)
        self.open_pick = w.Dropdown(options=[CHOOSE], value="", description="Connection",
                                    layout=w.Layout(width="520px"))  # fmt: skip
        self.open_pick.add_class("pf-estate-open-pick")
        self.open_pick.observe(guard(self._pick_set), names="value")
        self.open_link = _html("pf-estate-open", None)
        self.downloads = _html("pf-estate-download", full)
        self.downloads.add_class(part_class(PART + "download"))
        children = [
            w.HTML("<h2>What was read</h2>"), self.validation,
            w.HTML("<h2>Findings</h2>"), self.summary,
            w.HBox([self.charts["matrix"], self.charts["owners"]], layout=full),
            w.HBox([self.charts["gaps"], self.charts["pitfalls"]], layout=full),
            w.HTML("<h2>Connections</h2>"), w.HBox([self.view, self.owner, self.search]), self.table,
            w.HTML("<h2>Open a connection in the decide dashboard</h2>"), self.open_pick, self.open_link,
            w.HTML("<h2>Report</h2>"), self.downloads,
        ]  # fmt: skip
        if lazy:
            self.inview = InView(names=[PART + p for p in (*CHARTS, "download")], layout=w.Layout(display="none"))
            self.inview.observe(guard(self._in_view), names="seen")
            children.append(self.inview)
        else:
            self.visible = {*CHARTS, "download"}
        self.widget = w.VBox(children, layout=w.Layout(width="100%"))
        state.observe(guard(lambda _: self.draw_table()), names=["view", "owner", "search"])
        state.observe(guard(lambda _: self.draw_open()), names="chosen")

    # -- drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        """Put the state's review on the page: the parts in view now, the others when they come into view."""
        result = self.state.review
        self.validation.value = validation_html(result, self.state.source)
        self.summary.value = summary_html(result)
        self.stale = {*CHARTS, "download"}
        self.specs = estate_charts(result)
        for name, spec in self.specs.items():
            self.charts[name].layout.height = f"{int(spec['layout'].get('height', 360))}px"
        with self._setting():
            self.owner.options = [ALL_OWNERS, *self.state.owners()]
        self.draw_table()
        self._draw_stale()

    def draw_table(self) -> None:
        """The findings table and the connections offered to open, for the filter in force."""
        with self._setting():
            self.view.value, self.search.value = self.state.view, self.state.search
            if self.state.owner in self.owner.options:
                self.owner.value = self.state.owner
        if self.state.review is None:
            self.table.value = ""
            return
        frame = self.state.table_frame()
        self.table.value = table_html(frame, self.state.model)
        options = pick_options(frame)
        keep = self.state.chosen if self.state.chosen in {v for _, v in options} else ""
        with self._setting():
            self.open_pick.options = options
            self.open_pick.value = keep
        if keep != self.state.chosen:
            self.state.choose(keep)  # draws the open part (an observer)
        else:
            self.draw_open()

    def draw_open(self) -> None:
        """The chosen connection as a connection file for the decide dashboard."""
        chosen = self.state.chosen
        if self.open_pick.value != chosen and chosen in {v for _, v in self.open_pick.options}:
            with self._setting():
                self.open_pick.value = chosen
        if not chosen or self.state.review is None:
            self.open_link.value = open_prompt_html()
            return
        try:
            text = self.state.connection_file(chosen)
        except PatternfitError as exc:
            self.open_link.value = open_prompt_html(exc.message)
            return
        self.open_link.value = open_html(chosen, text, self.state.still_to_ask(chosen))

    @contextlib.contextmanager
    def _setting(self) -> Iterator[None]:
        """Set widgets from the state: their own callbacks wait (they would set the state back)."""
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def _filter_set(self, _change: Any) -> None:
        if not self._syncing:
            self.state.set_view(self.view.value, self.owner.value, self.search.value)

    def _pick_set(self, change: Any) -> None:
        if not self._syncing:
            self.state.choose(str(change["new"] or ""))

    def _in_view(self, change: Any) -> None:
        self.visible = {name[len(PART) :] for name in change["new"] if name.startswith(PART)}
        self._draw_stale()

    def _draw_stale(self) -> None:
        """Draw the parts in view that are out of date; mark the others stale."""
        result = self.state.review
        for name in sorted(self.stale):
            box = self.downloads if name == "download" else self.charts[name]
            if name not in self.visible:
                box.add_class("pf-stale")
                if name == "download":
                    self.downloads.value = WAITING
                continue
            if name == "download":
                self.downloads.value = downloads_html(result, self.state.source)
            else:
                self.charts[name].outputs = plotly_output(self.specs[name])
            box.remove_class("pf-stale")
            self.stale.discard(name)


def pick_options(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The connections the table shows (the first ROWS_SHOWN), offered to open in decide."""
    options = [CHOOSE]
    if "id" in frame.columns:
        head = frame.head(ROWS_SHOWN)
        names = head["name"] if "name" in head.columns else head["id"]
        seen: set[str] = set()
        for ident, name in zip(head["id"], names, strict=True):
            key = str(ident)
            if key and key not in seen and key != "nan":
                seen.add(key)
                options.append((f"{key}: {name}", key))
    return options


def _html(css: str, layout: w.Layout | None) -> w.HTML:
    widget = w.HTML("", layout=layout) if layout is not None else w.HTML("")
    widget.add_class(css)
    return widget
