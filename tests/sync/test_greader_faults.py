"""Malformed Google Reader answers: each is one line naming the server, never the password
or a token, never a traceback, and a continuation that never ends is stopped."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from werkzeug import Request, Response

from biotui.sync.backend import SyncError
from biotui.sync.greader import GReaderBackend
from biotui.sync.greader import paging as greader_paging

from .greader_fixtures import NOW, OLDEST, PASSWORD, make_backend, make_server
from .greader_server import GReaderServer

__all__ = ["make_backend", "make_server"]

MakeServer = Callable[..., GReaderServer]
MakeBackend = Callable[..., GReaderBackend]


def body(text: str | bytes, status: int = 200) -> Callable[[Request], Response]:
    return lambda request: Response(text, status=status, content_type="application/json")


def one_line(
    error: pytest.ExceptionInfo[SyncError], server: GReaderServer, token_file: Path
) -> str:
    message = str(error.value)
    assert message.startswith(f"{server.url}: ") and "\n" not in message
    assert PASSWORD not in message
    kept = json.loads(token_file.read_text())["auth"]
    assert kept not in message and kept.split("/")[-1] not in message
    return message


CASES = [
    ("subscription/list", "<html>oops</html>", "feeds", "the answer is not valid JSON"),
    ("subscription/list", "[1, 2]", "feeds", "the subscription list answer is not a JSON object"),
    ("subscription/list", '{"subscriptions": {"id": 1}}', "feeds", "has no list 'subscriptions'"),
    ("stream/contents", '{"itemz": []}', "items", "the items answer has no list 'items'"),
    ("stream/contents", '"just a string"', "items", "the items answer is not a JSON object"),
    ("stream/items/ids", '{"itemRefs": 5}', "read_state", "has no list 'itemRefs'"),
    ("stream/items/ids", "{", "read_state", "the answer is not valid JSON"),
    ("token", "", "mark", "the answer to a token request is not a token"),
    ("edit-tag", "fail", "mark", "HTTP 500"),
]


@pytest.mark.parametrize(("path", "text", "call", "words"), CASES)
def test_a_malformed_answer_is_one_line_naming_the_server(
    make_server: MakeServer,
    make_backend: MakeBackend,
    tmp_path: Path,
    path: str,
    text: str,
    call: str,
    words: str,
) -> None:
    server = make_server()
    feed = server.add_feed("https://a.example/feed", "A")
    item = server.add_item(feed, "A", crawled=NOW)
    token_file = tmp_path / "token"
    backend = make_backend(server, token_file=token_file)
    backend.login()
    server.answer(path, body(text, 500 if text == "fail" else 200))
    calls = {
        "feeds": backend.feeds,
        "items": lambda: backend.items(None, OLDEST),
        "read_state": backend.read_state,
        "mark": lambda: backend.mark([item], read=True, starred=None),
    }
    with pytest.raises(SyncError) as caught:
        calls[call]()
    assert words in one_line(caught, server, token_file)


def test_hostile_items_are_left_out_and_wrong_types_read_as_absent(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    items = [
        "not an item",
        {"id": "tag:google.com,2005:reader/item/0000000000000001"},
        {"id": 7, "origin": {"streamId": "feed/1"}},
        {
            "id": "tag:google.com,2005:reader/item/2",
            "origin": {"streamId": "feed/1"},
            "title": ["no"],
            "published": "soon",
            "categories": "user/-/state/com.google/read",
            "summary": {"content": 3},
            "alternate": [{"href": None}],
        },
    ]
    server.answer("stream/contents", body(json.dumps({"items": items})))
    page = make_backend(server).items(None, OLDEST)
    [item] = page.items
    assert item.id == "tag:google.com,2005:reader/item/0000000000000002"
    assert (item.title, item.published, item.read, item.html, item.url) == ("", None, False, "", "")
    assert page.done


def endless(request: Request) -> Response:
    """Every page the same items, and a new continuation each time."""
    number = int(request.args.get("c", "0") or 0) + 1
    return Response(
        json.dumps(
            {
                "items": [
                    {
                        "id": "tag:google.com,2005:reader/item/00000000000000aa",
                        "origin": {"streamId": "feed/1"},
                    }
                ],
                "itemRefs": [{"id": "170"}],
                "continuation": str(number),
            }
        ),
        content_type="application/json",
    )


def test_a_continuation_that_never_ends_is_stopped(
    make_server: MakeServer, make_backend: MakeBackend, tmp_path: Path
) -> None:
    server = make_server()
    token_file = tmp_path / "token"
    backend = make_backend(server, token_file=token_file)
    server.answer("stream/contents", endless)
    server.answer("stream/items/ids", endless)
    with pytest.raises(SyncError) as caught:
        resume = None
        for _ in range(10):
            page = backend.items(resume, OLDEST)
            resume = page.resume
    assert "the reading list gives the same page again and again; stopped" in one_line(
        caught, server, token_file
    )
    with pytest.raises(SyncError) as caught:
        backend.read_state()
    assert "the unread ids give the same page again and again" in one_line(
        caught, server, token_file
    )


def test_a_reading_list_with_ever_new_pages_stops_at_the_bound(
    make_server: MakeServer,
    make_backend: MakeBackend,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    counter = itertools.count(1)

    def fresh(request: Request) -> Response:
        number = next(counter)
        item = {
            "id": f"tag:google.com,2005:reader/item/{number:016x}",
            "origin": {"streamId": "feed/1"},
        }
        return Response(
            json.dumps({"items": [item], "continuation": str(number)}),
            content_type="application/json",
        )

    monkeypatch.setattr(greader_paging, "MAX_PAGES", 5)
    server = make_server()
    token_file = tmp_path / "token"
    backend = make_backend(server, token_file=token_file)
    server.answer("stream/contents", fresh)
    with pytest.raises(SyncError) as caught:
        resume = None
        for _ in range(10):
            resume = backend.items(resume, OLDEST).resume
    assert "the reading list did not end after 5 pages; stopped" in one_line(
        caught, server, token_file
    )


def test_a_resume_from_elsewhere_is_one_line(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    with pytest.raises(
        SyncError, match=r": the stored sync position is not one this version made$"
    ):
        make_backend(server).items('{"m": "contents"}', OLDEST)
