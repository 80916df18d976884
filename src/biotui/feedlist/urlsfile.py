"""newsboat's ``urls`` file: a URL per line, then its tags; a tag ``~Title`` names the feed.

Words are separated by spaces; a word in double quotes may hold spaces. ``query:``,
``exec:`` and ``filter:`` lines (feeds newsboat makes itself) are skipped with a note.
"""

from __future__ import annotations

from biotui.feedlist.model import FeedList, FeedListError, ImportedFeed, Skipped
from biotui.feedlist.urls import check_url
from biotui.plaintext import clean_text

_GENERATED = ("query:", "exec:", "filter:")


def _words(line: str) -> list[str]:
    """Split a line as newsboat does: on spaces, a double-quoted word kept whole."""
    words: list[str] = []
    current: list[str] = []
    quoted = False
    started = False
    for char in line:
        if char == '"':
            quoted = not quoted
            started = True
        elif char.isspace() and not quoted:
            if started:
                words.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
            started = True
    if started:
        words.append("".join(current))
    return words


def read_urls_file(text: str, source: str) -> FeedList:
    """Read a ``urls`` file; raise FeedListError if no line of it looks like a feed."""
    feeds: list[ImportedFeed] = []
    skipped: list[Skipped] = []
    looked_like_urls = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = _words(line)
        if not words:
            continue
        first = words[0]
        if first.lower().startswith(_GENERATED):
            looked_like_urls = True
            kind = first.split(":", 1)[0].lower()
            skipped.append(Skipped(f"line {number}: a newsboat {kind}: feed, not imported"))
            continue
        if "://" not in first:
            skipped.append(Skipped(f"line {number}: not a URL"))
            continue
        looked_like_urls = True
        checked = check_url(first)
        if not checked.url:
            skipped.append(Skipped(f"line {number}: {checked.problem}"))
            continue
        title = ""
        tags: list[str] = []
        for word in words[1:]:
            if word.startswith("~"):
                title = title or clean_text(word[1:])
            elif not word.startswith("!"):
                tag = clean_text(word)
                if tag and tag not in tags:
                    tags.append(tag)
        note = "credentials in its URL left out" if checked.had_credentials else ""
        feeds.append(
            ImportedFeed(name=title or checked.host, url=checked.url, tags=tuple(tags), note=note)
        )
    if not looked_like_urls:
        raise FeedListError(f"{source}: neither an OPML file nor a newsboat urls file")
    return FeedList(format="urls", feeds=tuple(feeds), skipped=tuple(skipped))
