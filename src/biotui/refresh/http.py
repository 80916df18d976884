"""Fetch feed bytes over HTTP with urllib3: the only network code in biotui.

Conditional GET (ETag / Last-Modified), redirects (http and https only), gzip and deflate
decoded by urllib3 with the body cap counted on the decoded bytes, one deadline for the whole
exchange (redirects and body included) and ``Retry-After`` for 429/503 answers. Each
:class:`HttpClient` is one urllib3 ``PoolManager``: connections are kept open between requests
(HTTP keep-alive). Environment proxies are ignored (urllib3 reads no environment): a refresh
talks to the feeds' hosts only.

The deadline is a timer that shuts the exchange down (:mod:`biotui.refresh.deadline`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    DecodeError,
    HTTPError,
    IncompleteRead,
    ProtocolError,
)

from biotui import __version__
from biotui.errors import SourceError
from biotui.plaintext import clean_text
from biotui.refresh.auth import BasicAuth, keeps_credentials
from biotui.refresh.deadline import EXCHANGE, Deadline, DeadlinePassed, Pool, TLSPool
from biotui.refresh.neterrors import network_error, reason, timed_out

USER_AGENT = f"biotui/{__version__} (terminal news reader; +feeds)"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 10
MAX_RETRY_AFTER = timedelta(days=7)
"""The longest wait a ``Retry-After`` may impose, in seconds or as a date."""
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
_HEADERS = {"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 256 * 1024
_ERROR_BYTES = 8192
"""How much of an error answer's body ``explain`` reads."""
_RETRIES = urllib3.Retry(
    total=1, connect=0, read=1, status=0, other=0, redirect=False, raise_on_status=False
)
"""One more try when a kept connection turns out closed by the server; nothing else."""


class Sink(Protocol):
    """Where a body goes as it arrives: a binary file, or anything with its ``write``."""

    def write(self, data: bytes, /) -> object:
        """Take the next bytes of the body."""
        ...


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one request gave: the body, or ``not_modified`` for a 304."""

    url: str
    """The final URL, after redirects."""
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304: nothing changed since the last fetch."""
        return self.status == 304


class RetryLater(SourceError):
    """The server asked us to come back later (429 or 503 with ``Retry-After``)."""

    def __init__(self, message: str, retry_after: datetime | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class HttpClient:
    """A refresh's HTTP client: one urllib3 pool manager, keeping ``maxsize`` connections
    per host (the refresh's concurrency). Safe to share between threads; close it (or use it
    as a context manager) when the refresh ends: that stops the exchanges still running."""

    def __init__(self, maxsize: int = 16) -> None:
        """Make a client; nothing is opened until the first request."""
        self._manager = urllib3.PoolManager(num_pools=64, maxsize=maxsize, block=False)
        self._manager.pool_classes_by_scheme = {"http": Pool, "https": TLSPool}
        self._lock = threading.Lock()
        self._running: set[Deadline] = set()
        self._closed = False

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the running exchanges and close every connection; idempotent."""
        with self._lock:
            self._closed = True
            running, self._running = list(self._running), set()
        for deadline in running:
            deadline.expire()
        self._manager.clear()

    @contextlib.contextmanager
    def exchange(self, seconds: float) -> Iterator[Deadline]:
        """Run one exchange of this thread under a deadline ``seconds`` from now."""
        with self._lock:
            if self._closed:
                raise SourceError("the refresh is over")
            deadline = Deadline(seconds)
            self._running.add(deadline)
        EXCHANGE.deadline = deadline
        try:
            yield deadline
        finally:
            EXCHANGE.deadline = None
            deadline.finish()
            with self._lock:
                self._running.discard(deadline)

    def get(self, url: str, headers: dict[str, str], seconds: float) -> urllib3.BaseHTTPResponse:
        """Send a GET for ``url``; the answer with its body still to read."""
        return self.send("GET", url, headers, None, seconds)

    def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None, seconds: float
    ) -> urllib3.BaseHTTPResponse:
        """Send one request (no redirect followed); the answer with its body still to read."""
        timeout = urllib3.Timeout(connect=seconds, read=seconds)
        return self._manager.urlopen(
            method,
            url,
            body=body,
            headers=headers,
            redirect=False,
            retries=_RETRIES,
            timeout=timeout,
            preload_content=False,
            decode_content=True,
        )


def fetch(
    client: HttpClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 20.0,
    max_bytes: int = MAX_BODY_BYTES,
    sink: Sink | None = None,
    user_agent: str | None = None,
    auth: BasicAuth | None = None,
    accept: str | None = None,
    explain: Callable[[bytes], str] | None = None,
) -> FetchResult:
    """Fetch ``url``, sending the validators kept from the last fetch.

    The whole exchange, redirects and body included, must finish within ``timeout``
    seconds. The body is written to ``sink`` as it arrives when one is given (the result's
    ``body`` is then empty), so that many big feeds fetched at once do not fill this
    process's memory. Raises SourceError with a one-line reason on any failure; RetryLater
    for 429/503. ``user_agent`` replaces biotui's own User-Agent header. ``auth`` is sent
    as HTTP basic auth to ``url``'s own host only (:mod:`biotui.refresh.auth`). ``accept``
    replaces the ``Accept`` header, which asks for feeds (a web page asks for HTML).
    ``explain`` reads the start of an error answer's body (an API's message) into words
    added to the error.
    """
    _check_url(url)
    headers = dict(_HEADERS)
    if user_agent:
        headers["User-Agent"] = user_agent
    if accept:
        headers["Accept"] = accept
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if auth is not None:
        headers.update(auth.headers())
    started = time.monotonic()
    with client.exchange(timeout) as deadline:
        try:
            at = started + timeout
            return _follow(client, url, headers, deadline, at, max_bytes, sink, explain)
        except RetryLater:
            raise
        except (SourceError, DeadlinePassed, HTTPError, OSError) as exc:
            if deadline.expired or timed_out(exc):
                raise SourceError(f"timed out after {timeout:g} s") from None
            if isinstance(exc, SourceError):
                raise
            raise SourceError(network_error(exc)) from None


def _follow(
    client: HttpClient,
    url: str,
    headers: dict[str, str],
    deadline: Deadline,
    at: float,
    max_bytes: int,
    sink: Sink | None,
    explain: Callable[[bytes], str] | None = None,
) -> FetchResult:
    first = url
    for _ in range(MAX_REDIRECTS + 1):
        response = client.get(url, headers, max(at - time.monotonic(), 0.001))
        complete = False
        try:
            location = response.headers.get("Location")
            if response.status not in _REDIRECTS or not location:
                result = _result(response, url, deadline, max_bytes, sink, explain)
                complete = True
                return result
            target = _redirect_target(url, location)
            if "Authorization" in headers and not keeps_credentials(first, url, target):
                headers = {k: v for k, v in headers.items() if k != "Authorization"}
            url = target
        finally:
            if not complete:  # a body not read (a redirect's, an error's): the connection goes
                response.close()
            response.release_conn()
    raise SourceError(f"too many redirects (more than {MAX_REDIRECTS})")


def _result(
    response: urllib3.BaseHTTPResponse,
    url: str,
    deadline: Deadline,
    max_bytes: int,
    sink: Sink | None,
    explain: Callable[[bytes], str] | None = None,
) -> FetchResult:
    etag = response.headers.get("ETag")
    last_modified = response.headers.get("Last-Modified")
    if response.status == 304:
        return FetchResult(url=url, status=304, etag=etag, last_modified=last_modified)
    if response.status >= 400:
        reason = clean_text(response.reason or "")
        if response.status in (429, 503):
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            when = f", retry after {retry_after:%Y-%m-%d %H:%M} UTC" if retry_after else ""
            raise RetryLater(f"HTTP {response.status} {reason}".strip() + when, retry_after)
        said = _explained(response, explain)
        raise SourceError(f"HTTP {response.status} {reason}".strip() + said)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(f"body too large ({int(declared):,} bytes; limit {max_bytes:,})")
    deadline.watch_response(response)
    chunks: list[bytes] = []
    write = chunks.append if sink is None else sink.write
    size = 0
    try:
        for chunk in response.stream(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(f"body too large (over {max_bytes:,} bytes)")
            write(chunk)
    except (IncompleteRead, DecodeError, ProtocolError):
        if deadline.expired:
            raise
        raise SourceError("the response's body is corrupt or cut short") from None
    if deadline.expired:  # a body that ends with the connection ends early when cut off
        raise SourceError("timed out")
    return FetchResult(
        url=url,
        status=response.status,
        body=b"".join(chunks),
        etag=etag,
        last_modified=last_modified,
        content_type=response.headers.get("Content-Type"),
    )


def _explained(response: urllib3.BaseHTTPResponse, explain: Callable[[bytes], str] | None) -> str:
    """``": "`` and what ``explain`` reads in the start of an error's body, or ``""``."""
    if explain is None:
        return ""
    try:
        words = clean_text(explain(response.read(_ERROR_BYTES, decode_content=True)))
    except (HTTPError, OSError):
        return ""
    return f": {words[:300]}" if words else ""


def _check_url(url: str) -> None:
    """SourceError unless ``url`` is an http(s) URL with a host and a valid port."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError as exc:
        raise SourceError(f"invalid URL: {reason(exc)}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(f"invalid URL: not http or https: {clean_text(url)[:200]}")
    if not parts.hostname:
        raise SourceError(f"invalid URL: no host: {clean_text(url)[:200]}")


def _redirect_target(url: str, location: str) -> str:
    target = urljoin(url, location.strip())
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        raise SourceError("redirected to an unsupported URL scheme")
    return target


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """Turn a ``Retry-After`` header (seconds or an HTTP date) into a UTC time, or None.

    Never later than :data:`MAX_RETRY_AFTER` from ``now``: a server cannot silence a feed
    for years.
    """
    if not value:
        return None
    now = now or datetime.now(UTC)
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), MAX_RETRY_AFTER.total_seconds()))
    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return min(when.astimezone(UTC), now + MAX_RETRY_AFTER)
    except (TypeError, ValueError, IndexError, OverflowError):  # a date out of range
        return None
