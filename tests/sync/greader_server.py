"""A Google Reader API server of our own on 127.0.0.1, for the sync tests (none of the real
servers installs from the registries the project reaches). It follows what FreshRSS
(``p/api/greader.php``) and Miniflux (``internal/googlereader``) do, quirks switchable.

Use::

    with GReaderServer(username="reader", password="api-password") as server:
        feed = server.add_feed("https://example.org/feed.xml", "Example", ["Biotech"])
        item = server.add_item(feed, "Headline", crawled=1_700_000_000)
        backend = GReaderBackend(server.url, "reader", lambda: "api-password")

State the tests read and change (as a user would on the server's web UI):

- ``add_feed(url, title, categories=()) -> feed id`` (``feed/<n>``, as FreshRSS and Miniflux
  name feeds); ``feeds`` maps feed id → :class:`Feed` (url, title, categories).
- ``add_item(feed_id, title, *, crawled, published=None, html=, url=, author=, read=False,
  starred=False) -> long-form id`` (``tag:google.com,2005:reader/item/<16 hex>``, or the
  24-hex id in ``old_reader`` mode); ``items`` maps that id → :class:`Item`.
- ``set_state(item_id, read=None, starred=None)``; ``unread_ids()``, ``starred_ids()`` (the
  long forms, or 24-hex).
- ``revoke_auth()`` (every session token stops working: the next request is 401),
  ``expire_action_token()`` (the current ``T`` is refused with 401 and
  ``X-Reader-Google-Bad-Token: true``, as Google did).
- ``answer(path, handler)``: the next requests to ``reader/api/0/<path>`` are answered by
  ``handler(request) -> werkzeug Response`` instead (malformed answers); ``answer(path, None)``
  ends that.
- ``requests``: every request as (method, path, query+form pairs), to count them;
  ``logins``: how many ClientLogins succeeded.

Quirks (constructor keywords): ``page_size`` (the default ``n``, FreshRSS's 20), ``max_page``
(the most ``n`` honoured, Miniflux caps ids at 10000), ``user_prefix`` (``user/1`` names the
user in every stream id it gives), ``high_ids`` (ids with the 64th bit set, so short ids are
negative decimals), ``old_reader`` (24-hex ids everywhere), ``miniflux`` (no
``stream/contents``: the fallback answers ``[]``; POSTs authenticate by ``T`` only; the
``items/ids`` continuation is an offset), ``short_ids_only`` (writes refuse long-form ids with
400), ``app`` (``(app_id, app_key)``: Inoreader, which refuses requests without both
headers).

Endpoints: ``POST accounts/ClientLogin`` (``Auth=`` line; 401 ``Error=BadAuthentication``),
``GET reader/api/0/token``, ``subscription/list``, ``subscription/edit``
(``ac=subscribe|unsubscribe``, ``a=`` label, ``t=`` title), ``stream/contents/<stream>``
(``n``, ``c``, ``ot`` crawl seconds inclusive, ``xt``, newest first; a continuation whenever a
page is full, the id of its last item), ``stream/items/ids`` (``s``, ``xt``, ``n``, ``c``, ``ot``;
short decimal ids), ``stream/items/contents`` (POST ``i=`` in any form), ``edit-tag`` (``i``
many; ``a``/``r`` ``user/<x>/state/com.google/read|starred``).
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from werkzeug import Request, Response
from werkzeug.serving import make_server

PREFIX = "tag:google.com,2005:reader/item/"
Handler = Callable[[Request], Response]


@dataclass
class Feed:
    url: str
    title: str
    categories: list[str]


@dataclass
class Item:
    number: int
    feed_id: str
    title: str
    crawled: int
    published: int
    html: str = ""
    url: str = ""
    author: str = ""
    read: bool = False
    starred: bool = False
    hex24: str = ""


@dataclass
class GReaderServer:
    username: str = "reader"
    password: str = "api-password"
    page_size: int = 20
    max_page: int = 10000
    user_prefix: str = "user/-"
    high_ids: bool = False
    old_reader: bool = False
    miniflux: bool = False
    short_ids_only: bool = False
    app: tuple[str, str] | None = None
    feeds: dict[str, Feed] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    requests: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    logins: int = 0

    def __post_init__(self) -> None:
        self._auth = {secrets.token_hex(16)}
        self._action = secrets.token_hex(28) + "Z"
        self._answers: dict[str, Handler] = {}
        self._counter = 0
        self._feeds_made = 0
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> GReaderServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- state the tests read and change -------------------------------------------------
    def add_feed(self, url: str, title: str, categories: Sequence[str] = ()) -> str:
        with self._lock:
            self._feeds_made += 1
            feed_id = f"feed/{self._feeds_made}"
            self.feeds[feed_id] = Feed(url, title, list(categories))
        return feed_id

    def add_item(
        self,
        feed_id: str,
        title: str,
        *,
        crawled: int,
        published: int | None = None,
        html: str = "",
        url: str = "",
        author: str = "",
        read: bool = False,
        starred: bool = False,
    ) -> str:
        with self._lock:
            self._counter += 1
            base = 0x8000_0000_0000_0000 if self.high_ids else 0x0005_F000_0000_0000
            number = base + self._counter
            item = Item(
                number,
                feed_id,
                title,
                crawled,
                crawled if published is None else published,
                html,
                url,
                author,
                read,
                starred,
                hex24=f"{0x5E00 + self._counter:024x}",
            )
            self.items[self._long(item)] = item
            return self._long(item)

    def set_state(
        self, item_id: str, read: bool | None = None, starred: bool | None = None
    ) -> None:
        item = self.items[item_id]
        if read is not None:
            item.read = read
        if starred is not None:
            item.starred = starred

    def unread_ids(self) -> set[str]:
        return {key for key, item in self.items.items() if not item.read}

    def starred_ids(self) -> set[str]:
        return {key for key, item in self.items.items() if item.starred}

    def revoke_auth(self) -> None:
        self._auth.clear()

    def expire_action_token(self) -> None:
        self._action = secrets.token_hex(28) + "Z"

    def answer(self, path: str, handler: Handler | None) -> None:
        if handler is None:
            self._answers.pop(path, None)
        else:
            self._answers[path] = handler

    # -- ids -------------------------------------------------------------------------------
    def _long(self, item: Item) -> str:
        return item.hex24 if self.old_reader else f"{PREFIX}{item.number:016x}"

    def _short(self, item: Item) -> str:
        if self.old_reader:
            return item.hex24
        return str(item.number - (1 << 64) if item.number >= 1 << 63 else item.number)

    def _find(self, raw: str) -> Item | None:
        for item in self.items.values():
            if raw in (self._long(item), self._short(item), f"{item.number:016x}"):
                return item
            if raw.startswith(PREFIX) and not self.old_reader:
                digits = raw[len(PREFIX) :]
                try:
                    if int(digits, 16) == item.number:
                        return item
                except ValueError:
                    return None
        return None

    # -- the protocol ----------------------------------------------------------------------
    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self._lock:
            response = self._dispatch(request)
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        path = request.path.lstrip("/")
        pairs = list(request.args.items(multi=True)) + list(request.form.items(multi=True))
        self.requests.append((request.method, path, pairs))
        if (
            self.app is not None
            and (request.headers.get("AppId"), request.headers.get("AppKey")) != self.app
        ):
            return Response("Invalid AppId or AppKey", status=401)
        if path == "accounts/ClientLogin" and request.method == "POST":
            return self._client_login(request)
        if not path.startswith("reader/api/0/"):
            return Response("Not Found", status=404)
        api = path[len("reader/api/0/") :]
        if not self._authorised(request):
            return Response(
                "Unauthorized", status=401, headers={"X-Reader-Google-Bad-Token": "true"}
            )
        for prefix, handler in self._answers.items():
            if api == prefix or api.startswith(prefix + "/"):
                return handler(request)
        if (
            request.method == "POST"
            and api
            in (
                "edit-tag",
                "subscription/edit",
                "stream/items/contents",
            )
            and request.form.get("T") != self._action
            and not (self.miniflux and request.form.get("T") in self._auth)
        ):
            return Response(
                "Unauthorized", status=401, headers={"X-Reader-Google-Bad-Token": "true"}
            )
        if api == "token" and self.miniflux:  # Miniflux's edit token is the session token
            header = request.headers.get("Authorization", "")
            return Response(header[len("GoogleLogin auth=") :], content_type="text/plain")
        if api == "token":
            return Response(self._action + "\n", content_type="text/plain")
        if api == "subscription/list":
            return self._json(
                {"subscriptions": [self._subscription(k, f) for k, f in self.feeds.items()]}
            )
        if api == "subscription/edit" and request.method == "POST":
            return self._edit_subscription(request)
        if api.startswith("stream/contents/") and not self.miniflux:
            return self._contents(request, api[len("stream/contents/") :])
        if api == "stream/items/ids":
            return self._ids(request)
        if api == "stream/items/contents" and request.method == "POST":
            found = [self._find(raw) for raw in request.form.getlist("i")]
            return self._json(
                {
                    "id": "user/-/state/com.google/reading-list",
                    "items": [self._entry(i) for i in found if i],
                }
            )
        if api == "edit-tag" and request.method == "POST":
            return self._edit_tag(request)
        if self.miniflux:
            return self._json([])
        return Response("Bad Request", status=400)

    def _client_login(self, request: Request) -> Response:
        if (
            request.form.get("Email") != self.username
            or request.form.get("Passwd") != self.password
        ):
            return Response("Error=BadAuthentication\n", status=401, content_type="text/plain")
        token = f"{self.username}/{secrets.token_hex(20)}"
        self._auth.add(token)
        self.logins += 1
        return Response(f"SID={token}\nLSID=null\nAuth={token}\n", content_type="text/plain")

    def _authorised(self, request: Request) -> bool:
        if self.miniflux and request.method == "POST":
            return request.form.get("T") in self._auth
        header = request.headers.get("Authorization", "")
        return (
            header.startswith("GoogleLogin auth=")
            and header[len("GoogleLogin auth=") :] in self._auth
        )

    def _json(self, data: Any) -> Response:
        return Response(json.dumps(data), content_type="application/json")

    def _stream(self, suffix: str) -> str:
        return f"{self.user_prefix}/{suffix}"

    def _subscription(self, feed_id: str, feed: Feed) -> dict[str, Any]:
        return {
            "id": feed_id,
            "title": feed.title,
            "categories": [
                {"id": self._stream(f"label/{name}"), "label": name} for name in feed.categories
            ],
            "url": feed.url,
            "htmlUrl": feed.url.rsplit("/", 1)[0] + "/",
        }

    def _edit_subscription(self, request: Request) -> Response:
        action = request.form.get("ac", "")
        stream = request.form.get("s", "")
        if action == "subscribe" and stream.startswith("feed/http"):
            label = request.form.get("a", "")
            categories = [label.rsplit("/label/", 1)[1]] if "/label/" in label else []
            self._lock.release()
            try:
                self.add_feed(stream[len("feed/") :], request.form.get("t") or stream, categories)
            finally:
                self._lock.acquire()
            return Response("OK")
        if action == "unsubscribe" and stream in self.feeds:
            del self.feeds[stream]
            for key in [k for k, item in self.items.items() if item.feed_id == stream]:
                del self.items[key]
            return Response("OK")
        return Response("Bad Request", status=400)

    def _ordered(self, request: Request, stream: str) -> list[Item]:
        since = int(request.args.get("ot", "0") or 0)
        exclude = request.args.getlist("xt")
        chosen = [item for item in self.items.values() if item.crawled >= since]
        if stream.endswith("/state/com.google/starred"):
            chosen = [item for item in chosen if item.starred]
        if any(x.endswith("/state/com.google/read") for x in exclude):
            chosen = [item for item in chosen if not item.read]
        return sorted(chosen, key=lambda item: (item.crawled, item.number), reverse=True)

    def _page(self, request: Request, stream: str) -> tuple[list[Item], str]:
        ordered = self._ordered(request, stream)
        size = min(int(request.args.get("n", self.page_size)), self.max_page)
        cont = request.args.get("c", "")
        start = 0
        if cont and self.miniflux:
            start = int(cont)
        elif cont:
            numbers = [item.number for item in ordered]
            start = numbers.index(int(cont)) + 1 if int(cont) in numbers else len(ordered)
        page = ordered[start : start + size]
        if self.miniflux:
            following = str(start + len(page)) if start + len(page) < len(ordered) else ""
        else:
            following = str(page[-1].number) if len(page) >= size and page else ""
        return page, following

    def _contents(self, request: Request, stream: str) -> Response:
        page, following = self._page(request, stream)
        answer: dict[str, Any] = {"id": stream, "items": [self._entry(item) for item in page]}
        if following:
            answer["continuation"] = following
        return self._json(answer)

    def _ids(self, request: Request) -> Response:
        page, following = self._page(request, request.args.get("s", ""))
        answer: dict[str, Any] = {"itemRefs": [{"id": self._short(item)} for item in page]}
        if following:
            answer["continuation"] = following
        return self._json(answer)

    def _entry(self, item: Item) -> dict[str, Any]:
        categories = [self._stream("state/com.google/reading-list")]
        feed = self.feeds.get(item.feed_id)
        categories += [self._stream(f"label/{name}") for name in (feed.categories if feed else [])]
        if item.read:
            categories.append(self._stream("state/com.google/read"))
        if item.starred:
            categories.append(self._stream("state/com.google/starred"))
        return {
            "id": self._long(item),
            "crawlTimeMsec": str(item.crawled * 1000),
            "timestampUsec": str(item.crawled * 1_000_000),
            "published": item.published,
            "title": item.title,
            "canonical": [{"href": item.url}],
            "alternate": [{"href": item.url, "type": "text/html"}],
            "categories": categories,
            "origin": {"streamId": item.feed_id, "title": feed.title if feed else ""},
            "summary": {"content": item.html},
            "author": item.author,
        }

    def _edit_tag(self, request: Request) -> Response:
        raw = request.form.getlist("i")
        if self.short_ids_only and any(value.startswith(PREFIX) for value in raw):
            return Response("Bad Request", status=400)
        found = [item for item in (self._find(value) for value in raw) if item]
        for name, value in (("a", True), ("r", False)):
            for tag in request.form.getlist(name):
                state = (
                    tag.rsplit("/state/com.google/", 1)[-1] if "/state/com.google/" in tag else ""
                )
                for item in found:
                    if state == "read":
                        item.read = value
                    elif state == "starred":
                        item.starred = value
        return Response("OK")
