"""patternfit.apps.common.{limits,plotly_output,inview}: upload limits, plotly's renderer, the in-view widget."""

from __future__ import annotations

import plotly.io as pio
import pytest
from patternfit.apps.common.inview import PREFIX, InView, part_class
from patternfit.apps.common.limits import INVENTORY_BYTES, SMALL_FILE_BYTES, too_large
from patternfit.apps.common.plotly_output import use_plotly_mimetype
from patternfit.io.reading import MAX_BYTES


def test_one_limit_per_kind_of_file_and_a_sentence_with_both_sizes():
    """A small file is limited as the CLI reads it; the sentence gives the size and the limit with separators."""
    assert SMALL_FILE_BYTES == MAX_BYTES < INVENTORY_BYTES
    assert too_large(3_000_000, 2_000_000) == "is 3,000,000 bytes, larger than the 2,000,000 a page accepts"


def test_plotly_figures_show_as_their_mime_bundle(monkeypatch: pytest.MonkeyPatch):
    """After the call plotly's default renderer is the mime bundle, whatever it was before."""
    monkeypatch.setattr(pio.renderers, "default", "svg")
    monkeypatch.delenv("PLOTLY_RENDERER", raising=False)
    use_plotly_mimetype()
    assert pio.renderers.default == "plotly_mimetype"


def test_a_part_is_named_by_its_css_class_and_the_widget_starts_with_nothing_seen():
    """part_class gives the class the browser looks for; a new InView has seen nothing and syncs its traits."""
    assert part_class("record") == f"{PREFIX}record" == "pf-part-record"
    view = InView(names=["chart", "record"])
    assert view.seen == [] and view.names == ["chart", "record"]
    state = view.get_state()
    assert state["names"] == ["chart", "record"] and state["seen"] == []
    assert "IntersectionObserver" in view._esm and PREFIX in view._esm
