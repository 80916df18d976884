"""The Fever backend against a fake server on 127.0.0.1: what is sent (the key in the form
only, one command a request), paging on a server that answers in id order (the walk back of
FreshRSS and Miniflux), and malformed answers, each one line naming the server."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.sync.backend import Backend, ItemPage, SyncAuthError, SyncError
from biotui.sync.fever import FeverBackend
from biotui.sync.fever.paging import Position

USER, PASSWORD = "ann", "s3cret-Pa55word"
KEY = hashlib.md5(f"{USER}:{PASSWORD}".encode()).hexdigest()
NOW = datetime.now(UTC).replace(microsecond=0)


def item(number: int, *, age: timedelta = timedelta(hours=1), **changes: Any) -> dict[str, Any]:
    made = {
        "id": str(number),
        "feed_id": 7,
        "title": f"Item {number}",
        "author": None,
        "html": "<p>x</p>",
        "url": f"https://example.org/{number}",
        "is_saved": 0,
        "is_read": 0,
        "created_on_time": int((NOW - age).timestamp()),
    }
    return made | changes


class OrderedFever:
    """A Fever server that pages as FreshRSS and Miniflux do: ``max_id`` newest first,
    ``since_id`` oldest first, 50 at most; it records what it was sent."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.sent: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.sent.append(request)
        if request.form.get("api_key") != KEY:
            return Response(json.dumps({"api_version": 3, "auth": 0}))
        answer: dict[str, Any] = {"api_version": 3, "auth": 1}
        if "items" in request.args:
            ids = sorted(self.items, key=lambda i: int(i["id"]))
            if "max_id" in request.args:
                below = int(request.args["max_id"])
                chosen = [i for i in reversed(ids) if int(i["id"]) < below]
            elif "since_id" in request.args:
                chosen = [i for i in ids if int(i["id"]) > int(request.args["since_id"])]
            else:
                wanted = set(request.args["with_ids"].split(","))
                chosen = [i for i in ids if i["id"] in wanted]
            answer["items"] = chosen[:50]
        if "unread_item_ids" in request.args:
            answer["unread_item_ids"] = ",".join(i["id"] for i in self.items if not i["is_read"])
        if "saved_item_ids" in request.args:
            answer["saved_item_ids"] = ",".join(i["id"] for i in self.items if i["is_saved"])
        if request.form.get("mark") == "item":
            target = next((i for i in self.items if i["id"] == request.form["id"]), None)
            if target is None:
                return Response("<h1>Not Found</h1>", status=404)
            flag = "is_read" if request.form["as"] in ("read", "unread") else "is_saved"
            target[flag] = int(request.form["as"] in ("read", "saved"))
        return Response(json.dumps(answer), content_type="application/json")


def serve(httpserver: HTTPServer, handler: Callable[[Request], Response]) -> FeverBackend:
    httpserver.expect_request("/fever/").respond_with_handler(handler)
    return FeverBackend(httpserver.url_for("/fever/"), USER, lambda: PASSWORD, timeout=5)


def drain(backend: Backend, resume: str | None, oldest: datetime) -> tuple[list[ItemPage], str]:
    pages = []
    for _ in range(50):
        page = backend.items(resume, oldest)
        pages.append(page)
        resume = page.resume
        if page.done:
            return pages, resume
    raise AssertionError("the paging never ended")


def test_the_key_travels_in_the_form_and_each_command_alone(httpserver: HTTPServer) -> None:
    server = OrderedFever([item(1), item(2, is_read=1)])
    asked: list[str] = []

    def password() -> str:
        asked.append("once")
        return PASSWORD

    httpserver.expect_request("/fever/").respond_with_handler(server)
    backend = FeverBackend(httpserver.url_for("/fever/"), USER, password)
    assert backend.read_state().unread == frozenset({"1"})
    assert asked == ["once"]
    for request in server.sent:
        assert request.method == "POST" and request.form["api_key"] == KEY
        assert KEY not in request.query_string.decode()
    asked = [r.query_string.decode() for r in server.sent]
    assert asked == ["api&unread_item_ids", "api&saved_item_ids"]


def test_a_first_sync_walks_back_to_the_history_bound_then_goes_forward(
    httpserver: HTTPServer,
) -> None:
    items = [item(n, age=timedelta(days=60)) for n in range(1, 151)]
    items += [item(n, age=timedelta(hours=n)) for n in range(151, 281)]
    items[139]["is_saved"] = 1  # an old starred item (id 140): given when a page holds it
    server = OrderedFever(items)
    backend = serve(httpserver, server)
    pages, resume = drain(backend, None, NOW - timedelta(days=30))
    given = [i.id for page in pages for i in page.items]
    assert sorted(given, key=int) == ["140"] + [str(n) for n in range(151, 281)]
    asked = [r.query_string.decode() for r in server.sent]
    # back 50 at a time until a page holds only old items, then forward from the newest
    assert asked == [
        "api&items&max_id=9223372036854775807",
        "api&items&max_id=231",
        "api&items&max_id=181",
        "api&items&max_id=131",
        "api&items&since_id=280",
    ]
    server.items.append(item(281))
    server.items.append(item(282))
    pages, _ = drain(backend, resume, NOW - timedelta(days=30))
    assert [i.id for page in pages for i in page.items] == ["281", "282"]
    assert pages[0].items[0].published is not None
    assert pages[0].items[0].published.tzinfo is UTC


def test_a_wrong_key_is_one_line_without_the_key(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/fever/").respond_with_json({"api_version": 3, "auth": 0})
    backend = FeverBackend(httpserver.url_for("/fever/"), USER, lambda: PASSWORD)
    with pytest.raises(SyncAuthError) as refused:
        backend.login()
    message = str(refused.value)
    assert message.startswith(f"{backend.server}: ") and "\n" not in message
    assert KEY not in message and PASSWORD not in message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<html>Fever</html>", "the answer is not valid JSON"),
        ("[1, 2]", "the answer is not a Fever API answer"),
        ('{"api_version": 3}', "the answer is not a Fever API answer"),
        ('{"auth": 1, "items": {"id": 1}}', "the answer's 'items' has the wrong type"),
        ('{"auth": 1, "items": [7]}', "an item of the answer is not an object"),
        ('{"auth": 1, "items": [{"id": -3, "feed_id": 1}]}', "invalid item id (-3)"),
        ('{"auth": 1, "items": [{"id": "12a", "feed_id": 1}]}', "invalid item id ('12a')"),
        ('{"auth": 1, "items": [{"id": 1e3, "feed_id": 1}]}', "invalid item id (1000.0)"),
        ('{"auth": 1, "items": [{"id": 99999999999999999999, "feed_id": 1}]}', "invalid item id"),
        ('{"auth": 1, "items": [{"id": 4}]}', "invalid feed id (None)"),
        ('{"auth": 1, "items": [{"id": 4, "feed_id": 1, "title": ["x"]}]}', "an item's 'title'"),
        (
            '{"auth": 1, "items": [{"id": 4, "feed_id": 1, "created_on_time": "soon"}]}',
            "'created_on_time' is not a number",
        ),
    ],
)
def test_a_malformed_items_answer_is_one_line_naming_the_server(
    httpserver: HTTPServer, body: str, words: str
) -> None:
    httpserver.expect_request("/fever/").respond_with_data(body)
    backend = FeverBackend(httpserver.url_for("/fever/"), USER, lambda: PASSWORD)
    with pytest.raises(SyncError) as failed:
        backend.items("fever:next:0:0:o", NOW)
    message = str(failed.value)
    assert message.startswith(f"{backend.server}: ") and words in message
    assert "\n" not in message and KEY not in message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"auth": 1}', "the answer's 'unread_item_ids' is missing"),
        ('{"auth": 1, "unread_item_ids": "1,x"}', "invalid unread_item_id ('x')"),
        ('{"auth": 1, "unread_item_ids": {"a": 1}}', "'unread_item_ids' has the wrong type"),
    ],
)
def test_a_malformed_read_state_is_one_line(httpserver: HTTPServer, body: str, words: str) -> None:
    httpserver.expect_request("/fever/").respond_with_data(body)
    backend = FeverBackend(httpserver.url_for("/fever/"), USER, lambda: PASSWORD)
    with pytest.raises(SyncError) as failed:
        backend.read_state()
    assert str(failed.value).startswith(f"{backend.server}: ") and words in str(failed.value)


def test_malformed_feeds_are_one_line(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/fever/").respond_with_data(
        '{"auth": 1, "groups": [], "feeds": [{"id": "feed one"}]}'
    )
    backend = FeverBackend(httpserver.url_for("/fever/"), USER, lambda: PASSWORD)
    with pytest.raises(SyncError, match=r": the answer holds an invalid feed id \('feed one'\)$"):
        backend.feeds()


def test_a_server_answering_the_same_page_again_stops_the_paging(httpserver: HTTPServer) -> None:
    same = {"auth": 1, "items": [item(n) for n in range(1, 51)]}
    httpserver.expect_request("/fever/").respond_with_json(same)
    backend = FeverBackend(httpserver.url_for("/fever/"), USER, lambda: PASSWORD)
    page = backend.items("fever:next:0:0:o", NOW - timedelta(days=1))
    assert len(page.items) == 50 and not page.done
    with pytest.raises(SyncError, match="the server answered items outside the range asked"):
        backend.items(page.resume, NOW - timedelta(days=1))


def test_marks_send_only_what_changes_and_skip_items_gone(httpserver: HTTPServer) -> None:
    server = OrderedFever([item(1), item(2, is_read=1), item(3, is_saved=1)])
    backend = serve(httpserver, server)
    backend.mark(["1", "2", "404"], read=True, starred=None)
    marks = [dict(r.form) for r in server.sent if "mark" in r.form]
    assert [(m["id"], m["as"]) for m in marks] == [("1", "read")]
    server.sent.clear()
    backend.mark(["1", "3", "404", "not-an-id"], read=None, starred=True)
    marks = [dict(r.form) for r in server.sent if "mark" in r.form]
    assert [(m["id"], m["as"]) for m in marks] == [("1", "saved"), ("404", "saved")]
    assert backend.read_state().starred == frozenset({"1", "3"})
    assert backend.read_state().unread == frozenset({"3"})


def test_a_server_of_one_item_is_probed_for_its_order_once_pages_fill(
    httpserver: HTTPServer,
) -> None:
    base = 1_700_000_000_000_000  # FreshRSS's ids: microseconds, far apart
    server = OrderedFever([item(base)])
    backend = serve(httpserver, server)
    pages, resume = drain(backend, None, NOW - timedelta(days=30))
    assert [i.id for page in pages for i in page.items] == [str(base)]
    server.items += [item(base + 1000 * n) for n in range(1, 121)]
    server.sent.clear()
    pages, _ = drain(backend, resume, NOW - timedelta(days=30))
    given = [i.id for page in pages for i in page.items]
    assert given == [str(base + 1000 * n) for n in range(1, 121)]
    asked = [r.query_string.decode() for r in server.sent]
    # one probe of the order, then since_id pages only (never ids asked one by one)
    assert asked.count("api&items&max_id=9223372036854775807") == 1
    assert not [query for query in asked if "with_ids" in query] and len(asked) == 4


@pytest.mark.parametrize(
    "position",
    [
        Position("back", 12, 99, "ordered"),
        Position("scan", 5, order="unordered"),
        Position("next", 7, order="unknown"),
        Position("next", 2**63 - 1, order="ordered"),
    ],
)
def test_a_resume_string_names_its_position_again(position: Position) -> None:
    assert Position.decode(position.encode()) == position


@pytest.mark.parametrize(
    "resume", ["", "user/-/state/x", "fever:next:1:2", "fever:next:-1:2:o", "fever:side:1:2:o"]
)
def test_a_resume_string_from_elsewhere_starts_a_first_sync(resume: str) -> None:
    assert Position.decode(resume) == Position("back")
