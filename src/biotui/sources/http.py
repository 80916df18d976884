"""Fetch feed bytes over HTTP: the only network code in biotui.

Conditional GET (ETag / Last-Modified), redirects, a per-request time limit covering the whole
body, a cap on the (decompressed) body size and ``Retry-After`` for 429/503 answers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import BinaryIO

import aiohttp

from biotui import __version__
from biotui.errors import SourceError
from biotui.plaintext import clean_text

USER_AGENT = f"biotui/{__version__} (terminal news reader; +feeds)"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 10
MAX_RETRY_AFTER = timedelta(days=7)
"""The longest wait a ``Retry-After`` may impose, in seconds or as a date."""
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


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


def make_client(concurrency: int) -> aiohttp.ClientSession:
    """Return an HTTP session for a refresh: redirects followed, a clear User-Agent.

    Call it inside the event loop that will use it; close it with ``await session.close()``
    (or use it as ``async with``). Environment proxies are ignored, like every other
    environment setting: a refresh talks to the feeds' hosts only.
    """
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency),
        headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        timeout=aiohttp.ClientTimeout(total=None),  # fetch() bounds each whole exchange
        trust_env=False,
    )


async def fetch(
    client: aiohttp.ClientSession,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 20.0,
    max_bytes: int = MAX_BODY_BYTES,
    sink: BinaryIO | None = None,
) -> FetchResult:
    """Fetch ``url``, sending the validators kept from the last fetch.

    The whole exchange, body included, must finish within ``timeout`` seconds. The body is
    written to ``sink`` as it arrives when one is given (the result's ``body`` is then empty),
    so that many big feeds fetched at once do not fill this process's memory. Raises
    SourceError with a one-line reason on any failure; RetryLater for 429/503.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(timeout):
            return await _exchange(client, url, headers, max_bytes, sink)
    except TimeoutError:
        raise SourceError(f"timed out after {timeout:g} s") from None
    except aiohttp.TooManyRedirects:
        raise SourceError(f"too many redirects (more than {MAX_REDIRECTS})") from None
    except (aiohttp.NonHttpUrlRedirectClientError, aiohttp.InvalidUrlRedirectClientError):
        raise SourceError("redirected to an unsupported URL scheme") from None
    except aiohttp.InvalidURL as exc:
        raise SourceError(f"invalid URL: {_reason(exc)}") from None
    except aiohttp.ClientPayloadError:
        raise SourceError("the response's body is corrupt or cut short") from None
    except aiohttp.ClientSSLError as exc:
        raise SourceError(f"TLS error: {_reason(exc)}") from None
    except aiohttp.ClientConnectorError as exc:
        raise SourceError(f"cannot connect: {exc.os_error.strerror or _reason(exc)}") from None
    except aiohttp.ServerDisconnectedError:
        raise SourceError("network error: the server closed the connection") from None
    except (aiohttp.ClientError, OSError) as exc:
        raise SourceError(f"network error: {_reason(exc)}") from None


async def _exchange(
    client: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str],
    max_bytes: int,
    sink: BinaryIO | None,
) -> FetchResult:
    async with client.get(url, headers=headers, max_redirects=MAX_REDIRECTS) as response:
        final_url = str(response.url)
        if response.status == 304:
            return FetchResult(
                url=final_url,
                status=304,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
        reason = clean_text(response.reason or "")
        if response.status in (429, 503):
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            when = f", retry after {retry_after:%Y-%m-%d %H:%M} UTC" if retry_after else ""
            raise RetryLater(f"HTTP {response.status} {reason}".strip() + when, retry_after)
        if response.status >= 400:
            raise SourceError(f"HTTP {response.status} {reason}".strip())
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise SourceError(f"body too large ({int(declared):,} bytes; limit {max_bytes:,})")
        # Decompressed bytes, read as they come: a gzip bomb stops at the cap.
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_any():
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(f"body too large (over {max_bytes:,} bytes)")
            if sink is None:
                chunks.append(chunk)
            else:
                sink.write(chunk)
        return FetchResult(
            url=final_url,
            status=response.status,
            body=b"".join(chunks),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
        )


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


def _reason(exc: BaseException) -> str:
    text = clean_text(str(exc))
    return text[:200] if text else type(exc).__name__
