"""The one deadline of an HTTP exchange, enforced by a timer.

When the deadline passes, the timer shuts the exchange's socket down: through the response's
public ``shutdown()`` once there is a response, and through the connection's socket while the
answer's head is awaited (a server sending its head a byte at a time would otherwise hold the
exchange for as long as it likes, each byte within any per-read timeout). The connection
classes learn their thread's exchange from :data:`EXCHANGE` when they send a request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class DeadlinePassed(Exception):
    """Raised when a request would start after its exchange's deadline."""


EXCHANGE = threading.local()
"""The deadline of the exchange the current thread runs (``deadline``), for its connections."""


class Deadline:
    """When one exchange must be over: past it, what the exchange waits on is shut down."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._lock = threading.Lock()
        self._connection: HTTPConnection | None = None
        self._response: urllib3.BaseHTTPResponse | None = None
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True
        self._timer.start()

    def watch_connection(self, connection: HTTPConnection) -> None:
        """``connection`` is about to send a request of this exchange."""
        with self._lock:
            if self.expired:
                raise DeadlinePassed
            self._connection, self._response = connection, None

    def watch_response(self, response: urllib3.BaseHTTPResponse) -> None:
        """The exchange now reads ``response``'s body."""
        with self._lock:
            if self.expired:
                raise DeadlinePassed
            self._response = response

    def expire(self) -> None:
        """Stop whatever read or write the exchange is waiting on."""
        with self._lock:
            self.expired = True
            response, connection = self._response, self._connection
        with contextlib.suppress(Exception):
            if response is not None:
                response.shutdown()
            elif connection is not None and connection.sock is not None:
                connection.sock.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        """The exchange is over: nothing more to watch."""
        self._timer.cancel()
        with self._lock:
            self._connection = self._response = None


class _Connection(HTTPConnection):
    """An HTTP connection whose requests are watched by their exchange's deadline."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline: Deadline | None = getattr(EXCHANGE, "deadline", None)
        if deadline is not None:
            deadline.watch_connection(self)
        super().request(*args, **kwargs)


class _TLSConnection(HTTPSConnection):
    """An HTTPS connection whose requests are watched by their exchange's deadline."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline: Deadline | None = getattr(EXCHANGE, "deadline", None)
        if deadline is not None:
            deadline.watch_connection(self)
        super().request(*args, **kwargs)


class Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection
