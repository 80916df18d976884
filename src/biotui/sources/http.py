"""Fetch feed bytes over HTTP: the only network code in biotui.

Conditional GET (ETag / Last-Modified), redirects, a per-request time limit covering the whole
body, a cap on the (decompressed) body size and ``Retry-After`` for 429/503 answers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from biotui import __version__
from biotui.errors import SourceError

USER_AGENT = f"biotui/{__version__} (terminal news reader; +feeds)"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 10
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


def make_client(concurrency: int) -> httpx.AsyncClient:
    """Return an HTTP client for a refresh: redirects followed, a clear User-Agent."""
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        trust_env=False,
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 20.0,
    max_bytes: int = MAX_BODY_BYTES,
) -> FetchResult:
    """Fetch ``url``, sending the validators kept from the last fetch.

    The whole exchange, body included, must finish within ``timeout`` seconds. Raises
    SourceError with a one-line reason on any failure; RetryLater for 429/503.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(timeout):
            return await _exchange(client, url, headers, timeout, max_bytes)
    except TimeoutError:
        raise SourceError(f"timed out after {timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise SourceError(f"too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.InvalidURL as exc:
        raise SourceError(f"invalid URL: {exc}") from None
    except httpx.UnsupportedProtocol:
        raise SourceError("redirected to an unsupported URL scheme") from None
    except httpx.DecodingError:
        raise SourceError("the response's compressed body is corrupt") from None
    except httpx.ConnectError as exc:
        raise SourceError(f"cannot connect: {_reason(exc)}") from None
    except httpx.TimeoutException:
        raise SourceError(f"timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise SourceError(f"network error: {_reason(exc)}") from None


async def _exchange(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    timeout: float,
    max_bytes: int,
) -> FetchResult:
    async with client.stream("GET", url, headers=headers, timeout=timeout) as response:
        final_url = str(response.url)
        if response.status_code == 304:
            return FetchResult(
                url=final_url,
                status=304,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
        if response.status_code in (429, 503):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            when = f", retry after {retry_after:%Y-%m-%d %H:%M} UTC" if retry_after else ""
            raise RetryLater(
                f"HTTP {response.status_code} {response.reason_phrase}{when}", retry_after
            )
        if response.status_code >= 400:
            raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise SourceError(f"body too large ({int(declared):,} bytes; limit {max_bytes:,})")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(f"body too large (over {max_bytes:,} bytes)")
            chunks.append(chunk)
        return FetchResult(
            url=final_url,
            status=response.status_code,
            body=b"".join(chunks),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            content_type=response.headers.get("content-type"),
        )


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """Turn a ``Retry-After`` header (seconds or an HTTP date) into a UTC time, or None."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), 7 * 24 * 3600))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:200] if text else type(exc).__name__
