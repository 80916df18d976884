"""HTTP for the sync backends: one request at a time to one server, through the refresh's
urllib3 client (its deadline, its connection pool), with answers read whole up to a cap.

Every failure is a :class:`~biotui.sync.backend.SyncError` of one line that names the server
and says what went wrong (cannot connect, timed out, HTTP status, too big, not JSON); it never
holds a request's body, headers or query (where passwords, keys and tokens travel).
Redirects are not followed: a server that moved says where, and the configured URL is fixed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from urllib3.exceptions import HTTPError

from biotui import __version__
from biotui.plaintext import clean_text
from biotui.refresh.deadline import DeadlinePassed
from biotui.refresh.http import HttpClient
from biotui.refresh.neterrors import network_error, timed_out
from biotui.sync.backend import SyncAuthError, SyncError

__all__ = ["MAX_ANSWER_BYTES", "Answer", "Transport", "server_name"]

MAX_ANSWER_BYTES = 32 * 1024 * 1024
"""The most an answer may hold: a server sending more (a page that never ends) is an error."""
USER_AGENT = f"biotui/{__version__} (terminal news reader; sync)"
_CHUNK = 256 * 1024

Params = Mapping[str, str] | Sequence[tuple[str, str]]
"""Query or form parameters; a sequence repeats a name (Google Reader's ``i=``)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A server's answer: its status, its headers (lower-case names) and its whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self, server: str) -> Any:
        """The body read as JSON; SyncError naming ``server`` when it is not."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            raise SyncError(f"{server}: the answer is not valid JSON") from None


def server_name(url: str) -> str:
    """``url`` as errors name it: without user, password, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return clean_text(urlunsplit((parts.scheme, host, parts.path, "", "")))[:200]


class Transport:
    """Requests to one server. ``server`` names it in errors (see :func:`server_name`);
    ``timeout`` bounds each whole exchange, body included."""

    def __init__(
        self,
        server: str,
        *,
        timeout: float = 30.0,
        max_bytes: int = MAX_ANSWER_BYTES,
        client: HttpClient | None = None,
    ) -> None:
        self.server = server
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client = client if client is not None else HttpClient(maxsize=2)

    def close(self) -> None:
        """Close the connections (and stop an exchange still running)."""
        self._client.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        query: Params | None = None,
        form: Params | None = None,
        headers: Mapping[str, str] | None = None,
        ok: Sequence[int] = (200,),
    ) -> Answer:
        """Send one request; the answer when its status is in ``ok``. 401 and 403 raise
        SyncAuthError, any other status SyncError; both name the server and the status."""
        target = f"{url}{'&' if '?' in url else '?'}{urlencode(query)}" if query else url
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        answer = self._exchange(method, target, sent, body)
        if answer.status in ok:
            return answer
        said = f"{self.server}: HTTP {answer.status}"
        if answer.status in (301, 302, 303, 307, 308):
            moved = clean_text(answer.headers.get("location", ""))[:200]
            raise SyncError(f"{said}: moved to {moved}; set [sync] url to it")
        if answer.status in (401, 403):
            raise SyncAuthError(f"{said}: the server refused the credentials")
        raise SyncError(said)

    def _exchange(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> Answer:
        try:
            with self._client.exchange(self.timeout) as deadline:
                try:
                    response = self._client.send(method, url, headers, body, self.timeout)
                    deadline.watch_response(response)
                    try:
                        data = _read_capped(response, self.server, self.max_bytes)
                    finally:
                        response.release_conn()
                    names = {key.lower(): value for key, value in response.headers.items()}
                    return Answer(response.status, names, data)
                except (DeadlinePassed, HTTPError, OSError) as exc:
                    if deadline.expired or timed_out(exc):
                        raise SyncError(
                            f"{self.server}: timed out after {self.timeout:g} s"
                        ) from None
                    raise SyncError(f"{self.server}: {network_error(exc)}") from None
        except SyncError:
            raise
        except Exception as exc:  # the client closed under us (the sync was stopped)
            raise SyncError(f"{self.server}: {clean_text(str(exc))[:200]}") from None


def _read_capped(response: Any, server: str, most: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK, decode_content=True):
        size += len(chunk)
        if size > most:
            raise SyncError(f"{server}: the answer is larger than {most:,} bytes")
        parts.append(chunk)
    return b"".join(parts)
