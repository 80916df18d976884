"""HTTP basic auth for a private feed, and where its credentials may go.

Credentials go to the feed's own host only: a redirect to another host (scheme, host and
port), or from https to plain http, drops them for the rest of the exchange. The one change
of origin that keeps them is the upgrade of the feed's own ``http`` URL to ``https`` on the
default ports, which many servers do for every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.util import make_headers

from biotui.secrets import Secret

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class BasicAuth:
    """A feed's user name and password; the password's repr hides it."""

    username: str
    password: Secret

    def headers(self) -> dict[str, str]:
        """The ``Authorization`` header carrying these credentials."""
        made = make_headers(basic_auth=f"{self.username}:{self.password.reveal()}")
        return {"Authorization": made["authorization"]}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def keeps_credentials(feed_url: str, current: str, target: str) -> bool:
    """Whether a redirect from ``current`` to ``target`` may carry ``feed_url``'s credentials."""
    here, there = _origin(current), _origin(target)
    if here[0] == "https" and there[0] == "http":
        return False
    own = _origin(feed_url)
    if there == own:
        return True
    upgrade = own[0] == "http" and own[2] == 80 and there == ("https", own[1], 443)
    return upgrade
