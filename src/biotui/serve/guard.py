"""Who may talk to ``biotui serve``: the token in the path, the ``Host`` and the ``Origin``.

Any web page open in the user's browser can send requests to a loopback port, and a name
that a hostile DNS server points at 127.0.0.1 (DNS rebinding) makes such a page same-origin
with it. So every request, the page, its files and the websocket alike, must carry the
random token as its first path segment, name the bound host and port in ``Host``, and, when
the browser sends an ``Origin``, come from the server's own origin; anything else is refused
with 403 before any route runs.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware


@dataclass(frozen=True)
class Gate:
    """What a request must show: ``token`` as its first path segment, ``authority`` (the bound
    ``host:port``) as its ``Host``, and ``origin`` (``http://host:port``) if it has one."""

    token: str
    authority: str

    @property
    def origin(self) -> str:
        return f"http://{self.authority}"

    @property
    def prefix(self) -> str:
        """The path every route lives under."""
        return f"/{self.token}"


def new_token() -> str:
    """A fresh random token: 32 bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def authority(host: str, port: int) -> str:
    """``host:port`` as a browser writes it in ``Host`` (an IPv6 address in brackets)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}".lower()


def refusal(gate: Gate, path: str, headers: Mapping[str, str]) -> str | None:
    """Why a request for ``path`` with ``headers`` is refused, or None when it may pass."""
    segment = path.lstrip("/").split("/", 1)[0]
    if not secrets.compare_digest(segment.encode(), gate.token.encode()):
        return "no valid token"
    if headers.get("Host", "").lower() != gate.authority:
        return "wrong Host"
    origin = headers.get("Origin")
    if origin is not None and origin.lower() != gate.origin:
        return "wrong Origin"
    return None


def guard(gate: Gate) -> Middleware:
    """An aiohttp middleware that answers 403 to every request :func:`refusal` refuses."""

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = refusal(gate, request.path, request.headers)
        if reason is not None:
            raise web.HTTPForbidden(text=f"403: {reason}\n")
        response = await handler(request)
        if not response.prepared:
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["Cache-Control"] = "no-store"
        return response

    return check
