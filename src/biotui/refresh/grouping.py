"""Articles grouped into stories: the refresh layer's part between the pure grouping
(:mod:`biotui.stories`) and the store (:class:`biotui.store.stories.Stories`).

An article's features are worked out in the parsing worker, beside its parse
(:func:`grouping_of`); the writer hands them to the store, which finds candidates by index
and asks :func:`choose_stories` which stories the article joins. Articles stored without
features (a store upgraded from before stories, a feed added with ``biotui add``, a batch
whose grouping failed) are grouped afterwards by :func:`group_pending`, a chunk per
transaction, earliest first: it can stop anywhere and go on later.

The store never imports the grouping: it gets its decision as a callable.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from biotui.model import Article
from biotui.refresh.tasks import Grouping

if TYPE_CHECKING:
    from biotui.store import Store
    from biotui.store.stories import Pending, StoryCandidate, StoryEntry

__all__ = [
    "PENDING_CHUNK",
    "WINDOW_US",
    "choose_stories",
    "group_pending",
    "grouping_of",
    "store_groupings",
]

PENDING_CHUNK = 500
"""Articles grouped per transaction when grouping stored ones."""

_US = 1_000_000


WINDOW_US = 4 * 86_400 * _US
"""How far apart in time (microseconds) candidates are looked for: the grouping's window
(checked equal to :data:`biotui.stories.WINDOW_SECONDS` by the tests)."""


def grouping_of(article: Article) -> Grouping:
    """The story features of ``article`` from its title and body."""
    return _grouping(article.id, article.feed, article.title, article.body)


def _grouping(article: str, feed: str, title: str, body: str) -> Grouping:
    from biotui.stories import encode, features_of, index_keys

    features = features_of(title, body, feed)
    return Grouping(article, index_keys(features), encode(features))


def choose_stories(
    entry: StoryEntry, sort_time: int, candidates: Sequence[StoryCandidate]
) -> tuple[int, ...]:
    """The store's chooser: which candidates' stories the article of ``entry`` (at
    ``sort_time``, microseconds) joins. A candidate whose features cannot be read is left
    out."""
    from biotui.stories import choose, decode

    new = decode(entry.features, sort_time / _US)
    near = []
    for candidate in candidates:
        try:
            near.append((candidate.story, decode(candidate.features, candidate.sort_time / _US)))
        except ValueError:
            continue
    return choose(new, near)


def store_groupings(store: Store, groupings: Sequence[Grouping]) -> int:
    """Group the articles of ``groupings`` (stored already) into stories."""
    from biotui.store.stories import StoryEntry

    entries = [StoryEntry(g.article, g.keys, g.features) for g in groupings]
    return store.stories.assign(entries, choose_stories, window=WINDOW_US)


def group_pending(
    store: Store, *, cancel: threading.Event | None = None, chunk: int = PENDING_CHUNK
) -> int:
    """Group every stored article not grouped yet, earliest first, ``chunk`` per
    transaction, until none is left or ``cancel`` is set. Returns how many were grouped."""
    after: tuple[int, int] | None = None
    done = 0
    while cancel is None or not cancel.is_set():
        pending = store.stories.pending(after, chunk)
        if not pending:
            break
        done += store_groupings(store, [_of_pending(item) for item in pending])
        after = (pending[-1].sort_time, pending[-1].rowid)
    return done


def _of_pending(item: Pending) -> Grouping:
    return _grouping(item.id, item.feed, item.title, item.body_start)
