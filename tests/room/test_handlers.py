"""The phones' handlers in a real tornado application over a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from patternfit.room.handlers import LIMITER
from patternfit.room.store import RoomStore

from tests.room.serve import Client, serving

CONNECTION = {"name": "Order created <script>", "characteristics": {}}


@pytest.fixture
def server(store_target: str) -> Iterator[Client]:
    with serving(store_target) as client:
        yield client


def test_the_phone_page_is_small_plain_html_with_the_catalog_labels(server: Client, store: RoomStore) -> None:
    """GET /room/<id>: the questions in the room's order, labels from the catalog, titles escaped, no Jupyter."""
    room = store.create("Orders <b>", CONNECTION, ["consumer_count", "response_expectation"])
    page = server.get(room.path)
    assert page.code == 200
    text = page.text
    assert "Orders &lt;b&gt;" in text and "<b>" not in text
    assert text.index('id="q-consumer_count"') < text.index('id="q-response_expectation"')
    assert "Not sure" in text and "jupyter" not in text.lower()
    assert len(page.body) < 60_000


def test_answers_are_checked_against_the_catalog(server: Client, store: RoomStore) -> None:
    """A good post answers 200 {ok}; a bad key or value 400 naming the key and what is allowed."""
    room = store.create("Orders", CONNECTION, [])
    url = f"{room.path}/answers"
    ok = server.post_json(url, {"participant": "phone0001", "answers": {"consumer_count": 3}, "unsure": [],
                                "role": "ops"})  # fmt: skip
    assert ok.code == 200 and ok.json() == {"ok": True}
    bad_value = server.post_json(url, {"participant": "phone0001", "answers": {"response_expectation": "soon"}})
    assert bad_value.code == 400
    error = bad_value.json()["error"]
    assert error.startswith("response_expectation:") and "allowed" in error
    bad_key = server.post_json(url, {"participant": "phone0001", "answers": {"latency": "x"}})
    assert bad_key.code == 400 and bad_key.json()["error"].startswith("latency:")
    assert server.post_json(url, {"participant": "x", "answers": {}}).code == 400
    assert server.post_json(url, "{not json").code == 400
    assert [s.answers for s in store.answer_sets(room.id)] == [{"consumer_count": 3}]


def test_sub_answers_and_unsure_are_taken(server: Client, store: RoomStore) -> None:
    """`sub.<key>` answers and unsure keys go into the store as posted."""
    room = store.create("Orders", CONNECTION, [])
    body = {"participant": "phone0002", "answers": {"sub.branching": "linear"}, "unsure": ["freshness_value"]}
    assert server.post_json(f"{room.path}/answers", body).code == 200
    (only,) = store.answer_sets(room.id)
    assert only.answers == {"sub.branching": "linear"} and only.unsure == ("freshness_value",)


def test_a_closed_or_unknown_room_takes_no_answers(server: Client, store: RoomStore) -> None:
    """404 for an unknown or closed room, and the phone page says plainly that it is closed."""
    room = store.create("Orders", CONNECTION, [])
    store.set_open(room.id, False)
    body = {"participant": "phone0003", "answers": {"consumer_count": 1}}
    assert server.post_json(f"{room.path}/answers", body).code == 404
    page = server.get(room.path)
    assert page.code == 404 and "closed" in page.text
    assert server.post_json("/room/AAAAAAAAAAAAAAAAAAAAAA/answers", body).code == 404
    assert store.answer_sets(room.id) == []


def test_posts_must_be_json_from_this_host(server: Client, store: RoomStore) -> None:
    """A form post (no JSON) or a post from another site's page is refused; nothing is stored."""
    room = store.create("Orders", CONNECTION, [])
    body = json.dumps({"participant": "phone0004", "answers": {"consumer_count": 1}})
    form = server.request("POST", f"{room.path}/answers", body, Content_Type="text/plain")
    assert form.code == 415
    cross = server.post_json(f"{room.path}/answers", body, Origin="http://evil.example")
    assert cross.code == 403
    same = server.post_json(f"{room.path}/answers", body, Origin=f"http://127.0.0.1:{server.port}")
    assert same.code == 200
    assert store.counts(room.id) == (1, 1)


def test_the_short_code_leads_to_an_open_room_only_and_is_rate_limited(server: Client, store: RoomStore) -> None:
    """POST /room with the code redirects to the room while it is open; guesses are limited per address."""
    LIMITER.seen.clear()
    room = store.create("Orders", CONNECTION, [])
    found = server.post_form("/room", f"code={room.code}")
    assert found.code == 303 and found.headers["Location"] == room.path
    store.set_open(room.id, False)
    gone = server.post_form("/room", f"code={room.code}")
    assert gone.code == 404
    codes = [server.post_form("/room", "code=000000").code for _ in range(12)]
    assert 429 in codes
    LIMITER.seen.clear()


def test_no_request_shows_other_peoples_answers(server: Client, store: RoomStore) -> None:
    """Neither the phone page nor a post's reply carries anyone's answers."""
    room = store.create("Orders", CONNECTION, ["consumer_count"])
    server.post_json(f"{room.path}/answers", {"participant": "secretphone1", "answers": {"consumer_count": 7},
                                              "role": "ops-secret"})  # fmt: skip
    page = server.get(room.path).text
    assert "secretphone1" not in page and "ops-secret" not in page
