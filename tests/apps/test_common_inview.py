"""patternfit.apps.common.inview: the invisible widget that tells the kernel which parts are in view."""

from __future__ import annotations

from patternfit.apps.common.inview import PREFIX, InView, part_class


def test_a_part_is_named_by_its_css_class_and_the_widget_starts_with_nothing_seen():
    """part_class gives the class the browser looks for; a new InView has seen nothing and syncs its traits."""
    assert part_class("record") == f"{PREFIX}record" == "pf-part-record"
    view = InView(names=["chart", "record"])
    assert view.seen == [] and view.names == ["chart", "record"]
    state = view.get_state()
    assert state["names"] == ["chart", "record"] and state["seen"] == []
    assert "IntersectionObserver" in view._esm and PREFIX in view._esm
