"""The decide page as Voila serves it draws only what is in view (issue 16): the SVG bar charts
always, the plotly charts and the record once the browser says they are in view. What it does
show is never out of date without saying so, and a record offered for download is always the
record of the answers on the page."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from patternfit.apps.decide.app import DecisionApp
from patternfit.model.catalog import Model

PLOTLY = ("contributions", "profiles")


@pytest.fixture
def lazy(model: Model) -> DecisionApp:
    return DecisionApp(model, lazy=True)


@pytest.fixture
def record_md(model: Model) -> bytes:
    """A record of the fan-out example, accepted, decided by Ana Lima (as the eager page saves it)."""
    app = DecisionApp(model)
    app.record.deciders.value = "Ana Lima"
    app.record.status.value = "accepted"
    return app.record.markdown.encode("utf-8")


def _charts_named(app: DecisionApp) -> dict[str, int]:
    found = re.search(r'data-pf-charts="([^"]+)"', app.card.value)
    assert found
    return json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"'))


def _see(app: DecisionApp, *names: str) -> None:
    """What the browser's InView widget sends when these parts are in view."""
    app.inview.seen = sorted(app.part_name(n) for n in names)


def _plotly_rev(app: DecisionApp, name: str) -> int | None:
    outputs: Any = app.charts[name].outputs
    if not outputs:
        return None
    return int(outputs[0]["data"]["application/vnd.plotly.v1+json"]["layout"]["meta"]["pf_rev"])


def test_at_open_only_the_svg_charts_are_drawn(lazy: DecisionApp) -> None:
    assert set(lazy.inview.names) == {lazy.part_name(n) for n in (*lazy.charts, "record")}
    assert _charts_named(lazy) == {"scores": lazy.rev, "acceptability": lazy.rev}
    assert all(f'data-pf-rev="{lazy.rev}"' in lazy.charts[n].value for n in ("scores", "acceptability"))
    assert all(not lazy.charts[n].outputs for n in PLOTLY)
    assert all("pf-stale" in lazy.charts_view.boxes[n]._dom_classes for n in PLOTLY)
    # the text alternatives are current for every chart, drawn or not
    assert "trade-off profiles" in lazy.charts_view.texts["profiles"].value
    # the record panel's form is made when it first comes into view
    assert lazy.record.record is None and not lazy.record.built
    assert "appear when this panel is in view" in lazy.record.widget.children[1].value
    # the download hooks are there from the start, withdrawn until the record is prepared
    assert "pf-download-md" in lazy.record.download_md._dom_classes
    assert "pf-button-disabled" in lazy.record.download_md.value and "<a " not in lazy.record.download_md.value


def test_a_chart_coming_into_view_is_drawn_and_named_by_the_card(lazy: DecisionApp) -> None:
    _see(lazy, "contributions")
    assert _plotly_rev(lazy, "contributions") == lazy.rev
    assert "pf-stale" not in lazy.charts_view.boxes["contributions"]._dom_classes
    assert _charts_named(lazy)["contributions"] == lazy.rev
    assert "profiles" not in _charts_named(lazy) and not lazy.charts["profiles"].outputs


def test_a_chart_that_changes_out_of_view_is_marked_until_seen(lazy: DecisionApp) -> None:
    _see(lazy, "contributions")
    drawn = _plotly_rev(lazy, "contributions")
    _see(lazy)  # scrolled away
    lazy.set_answer("consumer_churn", "high")
    assert _plotly_rev(lazy, "contributions") == drawn  # not sent while out of view …
    assert "pf-stale" in lazy.charts_view.boxes["contributions"]._dom_classes  # … and it says so
    assert "contributions" not in _charts_named(lazy)
    assert _charts_named(lazy)["scores"] == lazy.rev  # the SVG charts follow every answer
    _see(lazy, "contributions")
    assert _plotly_rev(lazy, "contributions") == lazy.rev
    assert _charts_named(lazy)["contributions"] == lazy.rev


def test_the_record_is_prepared_in_view_and_never_offers_old_answers(model: Model, lazy: DecisionApp) -> None:
    eager = DecisionApp(model)
    _see(lazy, "record")
    assert lazy.record.markdown and lazy.record.markdown == eager.record.markdown
    assert "pf-button-disabled" not in lazy.record.download_md.value
    _see(lazy)
    for app in (lazy, eager):
        app.set_answer("response_expectation", "result_now")
    # out of view the old record is withdrawn at once, not left downloadable
    assert lazy.record.record is None and "pf-button-disabled" in lazy.record.download_md.value
    _see(lazy, "record")
    assert lazy.record.markdown == eager.record.markdown and "recommended: workflow" in lazy.record.markdown


def test_a_reopened_records_people_wait_for_the_form(model: Model, lazy: DecisionApp, record_md: bytes) -> None:
    """A record opened before the panel was ever in view fills the form once it is."""
    assert lazy.load_file(record_md, "0007-orders.md")
    _see(lazy, "record")
    assert lazy.record.deciders.value == "Ana Lima" and lazy.record.status.value == "accepted"
    assert "Ana Lima" in lazy.record.markdown


def test_saving_renders_the_record_first(lazy: DecisionApp, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATTERNFIT_DECISIONS", str(tmp_path))
    path = lazy.record.save_to_folder()
    assert path is not None and path.read_text(encoding="utf-8") == lazy.record.markdown
    assert lazy.record.visible is False  # saving did not pretend the panel is in view


def test_other_pages_parts_are_ignored(lazy: DecisionApp, model: Model) -> None:
    other = DecisionApp(model, lazy=True)
    lazy.inview.seen = [other.part_name("contributions")]
    assert not lazy.charts["contributions"].outputs


def test_a_part_scrolling_into_view_leaves_the_error_notice_shown(lazy: DecisionApp) -> None:
    """A chart coming into view is nothing the visitor asked for: the error notice of a refused upload stays."""
    lazy.load_file(b"name: [unclosed\n", "broken.yaml")
    assert lazy.notice.visible and "broken.yaml" in lazy.notice.error.value
    _see(lazy, "contributions", "record")
    assert lazy.notice.visible and "broken.yaml" in lazy.notice.error.value
