"""Feed URLs as a list gives them: checked, stripped of credentials, compared loosely."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from biotui.plaintext import clean_text


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """A URL fit for the configuration, or the reason it is not (``url`` is then empty)."""

    url: str = ""
    host: str = ""
    problem: str = ""
    had_credentials: bool = False


def check_url(raw: str) -> CheckedUrl:
    """Return ``raw`` as an http(s) URL without user name or password, or why it cannot be.

    Credentials never reach the result or the reason: a URL with them is rebuilt without.
    """
    text = raw.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return CheckedUrl(problem="not a valid URL")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{clean_text(scheme)[:20]}'" if scheme else "no scheme"
        return CheckedUrl(problem=f"not an http or https URL ({shown})")
    if not host:
        return CheckedUrl(problem="the URL has no host")
    had_credentials = "@" in parts.netloc
    netloc = parts.netloc.rpartition("@")[2]
    if not netloc or (port is None and netloc.endswith(":")):
        netloc = host
    url = urlunsplit((scheme, netloc, parts.path, parts.query, ""))
    if clean_text(url) != url or " " in url:
        return CheckedUrl(problem="the URL holds spaces or control characters")
    return CheckedUrl(url=url, host=host, had_credentials=had_credentials)


def url_key(url: str) -> str:
    """Return what two URLs share when they name the same feed.

    The same feed when they differ only in the case of scheme and host, or a trailing slash.
    """
    parts = urlsplit(url.strip())
    netloc = parts.netloc.rpartition("@")[2].lower()
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))
