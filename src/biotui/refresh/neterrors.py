"""Why an HTTP exchange failed, in one line: the network error behind urllib3's wrappers
(refused connection, TLS, a closed connection, an answer that is not HTTP) and whether a
timeout caused it. Shared by every client of the network (feeds, pages, sync servers)."""

from __future__ import annotations

from collections.abc import Iterator

from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from biotui.plaintext import clean_text

__all__ = ["chain", "network_error", "reason", "timed_out"]


def chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: a retry error's reason, a protocol error's arguments, causes."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, MaxRetryError) and current.reason is not None:
            todo.append(current.reason)
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def timed_out(exc: BaseException) -> bool:
    """Whether a connect or read timeout is behind ``exc`` (a refused connection is a
    :class:`NewConnectionError`, which urllib3 derives from its connect timeout)."""
    return any(
        isinstance(link, ReadTimeoutError | TimeoutError)
        or (isinstance(link, ConnectTimeoutError) and not isinstance(link, NewConnectionError))
        for link in chain(exc)
    )


def network_error(exc: BaseException) -> str:
    import http.client

    links = list(chain(exc))
    for link in links:
        if isinstance(link, SSLError | _ssl_error()):
            return f"TLS error: {reason(link)}"
    for link in links:
        if isinstance(link, NewConnectionError):
            inner = next((e for e in chain(link) if isinstance(e, OSError) and e.strerror), None)
            why = inner.strerror if inner is not None and inner.strerror else reason(link)
            return f"cannot connect: {why}"
        if isinstance(link, http.client.RemoteDisconnected | ConnectionResetError):
            return "network error: the server closed the connection"
        if isinstance(link, http.client.BadStatusLine):
            return "network error: the answer is not HTTP"
    return f"network error: {reason(exc)}"


def _ssl_error() -> type[Exception]:
    import ssl

    return ssl.SSLError


def reason(exc: BaseException) -> str:
    text = clean_text(str(exc))
    return text[:200] if text else type(exc).__name__
