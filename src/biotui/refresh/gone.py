"""Which stored files of a local feed were deleted, found after a complete walk of it.

A stored file is gone only when the walk of the feed's root finished without error, listed
at least one file, did not list it, and its path now answers "no such file": a missing,
unmounted or unreadable folder, a glob matching nothing, or a file the walk skips but that is
still there (hidden now, in a folder that cannot be read) removes nothing. Only a text file
under the feed's root has an article id derivable from its path; a saved feed's entries keep
their own ids, so its deleted file only loses its signature.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from biotui.model import article_id
from biotui.plaintext import clean_text

_ABSENT = frozenset({errno.ENOENT, errno.ENOTDIR})


@dataclass(frozen=True, slots=True)
class GoneFiles:
    """The stored files of a feed found deleted, and the articles to remove with them."""

    paths: tuple[str, ...] = ()
    """Their stored paths: their signatures are forgotten."""
    ids: tuple[str, ...] = ()
    """The public ids of their articles (text files only), removed unless starred."""


def find_gone(
    feed: str, spec: str, root: Path, listed: Collection[str], known: Iterable[str]
) -> tuple[GoneFiles, str | None]:
    """The files of ``known`` (stored paths) that the complete walk ``listed`` (every path it
    yielded) no longer holds and that are absent on disk, and a warning when the walk is not
    trusted to say so (then nothing is gone)."""
    from biotui.sources import local_guid
    from biotui.sources.local import FEED_EXTENSIONS

    unlisted = [path for path in known if path not in listed]
    if not unlisted:
        return GoneFiles(), None
    if not listed:
        return GoneFiles(), _nothing_listed(spec)
    paths: list[str] = []
    ids: list[str] = []
    for stored in unlisted:
        try:
            os.lstat(stored)
            continue  # still there: skipped by the walk, not deleted
        except OSError as exc:
            if exc.errno not in _ABSENT:
                continue
        paths.append(stored)
        path = Path(stored)
        if path.suffix.lower() in FEED_EXTENSIONS or not path.is_relative_to(root):
            continue
        ids.append(article_id(feed, local_guid(path, root)))
    keep = {article_id(feed, local_guid(Path(path), root)) for path in listed} if ids else set()
    return GoneFiles(tuple(paths), tuple(i for i in ids if i not in keep)), None


def _nothing_listed(spec: str) -> str:
    """Why a walk that listed no file removes nothing."""
    where = clean_text(spec)
    if not os.path.lexists(os.path.expanduser(spec)) and any(char in spec for char in "*?["):
        return f"{where}: the pattern matches no file: nothing removed"
    return f"{where}: no file found (empty, unmounted or unreadable folder?): nothing removed"
