"""What reading one feed document gives: :class:`FeedParseResult`, shared by both feed readers."""

from __future__ import annotations

from dataclasses import dataclass, field

from biotui.model import Article


@dataclass(slots=True)
class FeedParseResult:
    """What one feed document gave: its articles, warnings about it, and its title."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""
    source_hashes: dict[str, str] = field(default_factory=dict)
    """The digest of the entry each article was read from, by article id, when ``known`` was
    given (see :func:`biotui.sources.feed.parse_feed`); articles whose entry has no id nor
    link have none."""
    skipped: int = 0
    """Entries not read because ``known`` said the store holds them unchanged."""
