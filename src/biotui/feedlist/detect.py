"""Tell an OPML document from a ``urls`` file and read either, within a size bound."""

from __future__ import annotations

from pathlib import Path

from biotui.feedlist.model import FeedList, FeedListError
from biotui.feedlist.opml import read_opml
from biotui.feedlist.urlsfile import read_urls_file

MAX_LIST_BYTES = 16 * 1024 * 1024
"""The largest feed list read: far above any real one, and memory stays bounded."""


def read_feed_list(data: bytes, source: str) -> FeedList:
    """Read OPML or a newsboat ``urls`` file from ``data``; ``source`` names it in errors."""
    if len(data) > MAX_LIST_BYTES:
        raise FeedListError(f"{source}: too large for a feed list")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<", b"\x00<", b"\xff\xfe", b"\xfe\xff")):
        return read_opml(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FeedListError(f"{source}: neither an OPML file nor a newsboat urls file") from None
    return read_urls_file(text, source)


def read_feed_list_file(path: Path) -> FeedList:
    """Read the feed list at ``path``; one-line FeedError when it cannot be read or is none."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_LIST_BYTES + 1)
    except OSError as exc:
        raise FeedListError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return read_feed_list(data, str(path))
