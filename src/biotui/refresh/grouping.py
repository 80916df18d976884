"""Articles grouped into stories: the refresh layer's part between the pure grouping
(:mod:`biotui.stories`) and the store (:class:`biotui.store.stories.Stories`).

An article's features are worked out in the parsing worker, beside its parse
(:func:`grouping_of`); the writer hands each stored batch to its :class:`Grouper`, which
decides in memory (a :class:`~biotui.stories.index.StoryIndex` of the grouped articles near
the batch in time, read from the store once and kept from batch to batch) and has the store
write the decisions in one transaction. Articles stored without features (a store upgraded
from before stories, a feed added with ``biotui add``, a batch whose grouping failed) are
grouped afterwards by :func:`group_pending`, earliest first, a chunk per transaction, for a
bounded time if asked: it can stop anywhere and go on later.

The store never imports the grouping: it gets the decisions from a callable.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from biotui.model import Article
from biotui.refresh.tasks import Grouping, Parsed

if TYPE_CHECKING:
    from biotui.identifiers import Identifier
    from biotui.store import Store
    from biotui.store.stories import Pending, StoryBatch, StoryTarget, StoryWork
    from biotui.stories import StoryFeatures
    from biotui.stories.index import StoryIndex

__all__ = [
    "HELD",
    "PENDING_CHUNK",
    "REFRESH_BUDGET_S",
    "REFRESH_SHARE",
    "WINDOW_US",
    "Grouper",
    "PendingGrouping",
    "PendingRun",
    "group_pending",
    "grouping_of",
]

PENDING_CHUNK = 500
"""Articles grouped per transaction when grouping stored ones."""
REFRESH_BUDGET_S = 2.0
"""The longest a refresh goes on grouping stored articles not grouped yet (an upgraded store's,
or those its writer left) once its feeds are done; ``biotui group`` and the app's background
work finish them."""
REFRESH_SHARE = 0.05
"""The share of a refresh's time its writer may spend grouping the batches it stores, and
again at its end (with :data:`REFRESH_BUDGET_S` at most): a large refresh stays about as quick
as one without stories, and the articles it leaves are grouped later (the app's background
work, the next refreshes, ``biotui group``)."""
HELD = 30_000
"""At most this many grouped articles are held in memory; past it, only those near the
next batch are read again."""
READ_WHOLE = 2_000
READ_PER_TARGET = 20
"""A time range holding at most ``max(READ_WHOLE, READ_PER_TARGET * articles to group)``
grouped articles is read whole (and held for the next batches); a busier one only by the
keys of the articles to group."""
READ_WHOLE_PENDING = HELD // 2
"""What :data:`READ_WHOLE` is for :func:`group_pending` (half of what it may hold): its
batches follow each other in time, so a range read whole serves the next ones too, where
reading by keys would be done again for each."""

_US = 1_000_000


WINDOW_US = 4 * 86_400 * _US
"""How far apart in time (microseconds) candidates are looked for: the grouping's window
(checked equal to :data:`biotui.stories.WINDOW_SECONDS` by the tests)."""


def grouping_of(article: Article, identifiers: Iterable[Identifier] | None = None) -> Grouping:
    """The story features of ``article`` from its title and body. ``identifiers`` are those
    of the whole article when the parse found them already (the grouping keeps the ones its
    title and lede name, and searches nothing again); without them, the title and lede are
    searched."""
    return _grouping(article.id, article.feed, article.title, article.body, identifiers)


def _grouping(
    article: str, feed: str, title: str, body: str, identifiers: Iterable[Identifier] | None
) -> Grouping:
    from biotui.stories import encode, features_of

    features = features_of(title, body, feed, article_identifiers=identifiers)
    return Grouping(article, encode(features))


class Grouper:
    """Groups stored articles into stories, batch after batch (:meth:`add`), keeping the
    grouped articles near them in memory between batches. One per refresh (or run of
    :func:`group_pending`); its batches come from one thread."""

    def __init__(self, store: Store, *, read_whole: int = READ_WHOLE, held: int = HELD) -> None:
        """``held`` bounds the grouped articles kept in memory (:data:`HELD`); a time range
        holding up to ``read_whole`` (:data:`READ_WHOLE`) is read whole."""
        from biotui.stories.index import StoryIndex

        self._store = store
        self._read_whole = read_whole
        self._held = held
        self._index: StoryIndex = StoryIndex()
        self._loaded: list[tuple[int, int]] = []
        """The time ranges (microseconds) whose grouped articles the index holds."""
        self._token: object = None
        self.joined = 0
        """How many articles the batches stored so far put in a story of several."""
        self._joining = 0

    def add(self, groupings: Sequence[Grouping]) -> int:
        """Group the articles of ``groupings`` (stored already) into stories; returns how
        many were grouped. StoreError when the store fails (nothing of the batch is kept)."""
        if not groupings:
            return 0
        texts = {grouping.article: grouping.features for grouping in groupings}
        try:
            self._joining = 0
            grouped = self._store.stories.assign(list(texts), lambda work: self._place(work, texts))
            self.joined += self._joining
            return grouped
        except BaseException:
            self._forget()  # what the index was told may not have been written
            raise

    def add_parsed(self, results: Iterable[Parsed]) -> None:
        """Group the articles of ``results`` (stored already) that the workers worked out
        features for; when the store fails, they are left to :func:`group_pending`."""
        from biotui.errors import BiotuiError

        groupings = [grouping for result in results for grouping in result.groupings]
        with contextlib.suppress(BiotuiError):
            self.add(groupings)

    def _forget(self) -> None:
        self._index.clear()
        self._loaded = []
        self._token = None

    def _place(self, work: StoryWork, texts: dict[str, str]) -> StoryBatch:
        from biotui.store.stories import StoryBatch, StoryPlacement
        from biotui.stories import decode, stored_keys

        if work.token != self._token or len(self._index) > self._held:
            self._forget()
        self._token = work.token
        batch: list[tuple[StoryTarget, str, StoryFeatures]] = []
        for target in work.targets:
            text = texts[target.article]
            with contextlib.suppress(ValueError):  # left for group_pending to read again
                batch.append((target, text, decode(text, target.sort_time / _US)))
        self._read_near(work, [features for _, _, features in batch])
        self._index.admit(
            frozenset().union(*(features.title for _, _, features in batch)),
            frozenset().union(*(features.ids for _, _, features in batch)),
        )
        merged: dict[int, int] = {}
        placed: list[StoryPlacement] = []
        for target, text, features in batch:
            joined = self._index.group(target.rowid, features, work.new_story)
            self._joining += bool(joined)
            story = joined[0] if joined else self._index.story_of(target.rowid) or 0
            for other in joined[1:]:
                merged[other] = story
            keys = stored_keys(features)
            placed.append(StoryPlacement(target.rowid, story, target.sort_time, text, keys))
        final = {old: _final(merged, old) for old in merged}
        placements = [replace(p, story=_final(merged, p.story)) for p in placed]
        return StoryBatch(placements, final)

    def _read_near(self, work: StoryWork, batch: Sequence[StoryFeatures]) -> None:
        """Hold the grouped articles that may be candidates of the ``batch`` of targets or
        stand in a candidate's story: within the window of each target, every one where few
        are stored for each target (the range is then held whole for the next batches),
        else those the store finds by the batch's keys."""
        from biotui.stories import stored_keys

        for start, end in _missing(_windows(work.targets), self._loaded):
            whole = max(self._read_whole, READ_PER_TARGET * len(work.targets))
            if work.count(start, end) <= whole:
                members = work.members(start, end)
                self._loaded = _union([*self._loaded, (start, end)])
            else:
                keys = [stored_keys(features) for features in batch]
                members = work.members_by_keys(keys, start, end)
            for member in members:
                with contextlib.suppress(ValueError):  # features no grouping can read
                    time = member.sort_time / _US
                    self._index.add_text(member.article, member.story, time, member.features)


def _final(merged: dict[int, int], story: int) -> int:
    while story in merged:
        story = merged[story]
    return story


def _windows(targets: Iterable[StoryTarget]) -> list[tuple[int, int]]:
    """The time ranges within the window of one of ``targets``, merged."""
    return _union([(t.sort_time - WINDOW_US, t.sort_time + WINDOW_US) for t in targets])


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _missing(wanted: list[tuple[int, int]], held: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the ``wanted`` ranges outside the ``held`` ones (both merged, sorted)."""
    missing: list[tuple[int, int]] = []
    for start, end in wanted:
        for held_start, held_end in held:
            if held_end < start or held_start > end:
                continue
            if held_start > start:
                missing.append((start, held_start - 1))
            start = max(start, held_end + 1)
            if start > end:
                break
        if start <= end:
            missing.append((start, end))
    return missing


@dataclass(frozen=True, slots=True)
class PendingRun:
    """What :func:`group_pending` did: how many articles it grouped, whether none is left
    to group, and how many of them joined a story of several articles (those change what a
    list folds)."""

    done: int
    finished: bool
    joined: int = 0


def group_pending(
    store: Store,
    *,
    cancel: threading.Event | None = None,
    chunk: int | None = None,
    budget_s: float | None = None,
) -> PendingRun:
    """Group stored articles not grouped yet, earliest first, ``chunk`` (default
    :data:`PENDING_CHUNK`) per transaction, until none is left, ``cancel`` is set or
    ``budget_s`` seconds have passed (checked after each chunk). What was grouped stays
    grouped; a later call goes on where this one stopped."""
    return PendingGrouping(store, chunk=chunk).run(cancel=cancel, budget_s=budget_s)


class PendingGrouping:
    """:func:`group_pending` in slices: each :meth:`run` goes on after the last article the
    one before it grouped, with the grouped articles it read still in memory, so that many
    short slices cost what one long run does (a new run would look for the first ungrouped
    article from the start again, and read its neighbours again)."""

    def __init__(self, store: Store, *, chunk: int | None = None, held: int = HELD) -> None:
        """``chunk`` articles per transaction (default :data:`PENDING_CHUNK`), at most
        ``held`` grouped articles kept in memory between them."""
        self._store = store
        self._chunk = chunk or PENDING_CHUNK
        self._grouper = Grouper(store, read_whole=held * READ_WHOLE_PENDING // HELD, held=held)
        self._after: tuple[int, int] | None = None
        self._left: bool | None = None

    def run(
        self, *, cancel: threading.Event | None = None, budget_s: float | None = None
    ) -> PendingRun:
        """Group the next articles, until none is left, ``cancel`` is set or ``budget_s``
        seconds have passed (checked after each chunk)."""
        began = time.monotonic()
        stories = self._store.stories
        joined = self._grouper.joined
        if self._left is None:  # a count, where looking for one would read them all
            self._left = stories.ungrouped() > 0
        if not self._left:
            return PendingRun(0, True)
        done = 0
        while cancel is None or not cancel.is_set():
            pending = stories.pending(self._after, self._chunk)
            if not pending:
                self._left = False
                return PendingRun(done, True, self._grouper.joined - joined)
            done += self._grouper.add([_of_pending(item) for item in pending])
            self._after = (pending[-1].sort_time, pending[-1].rowid)
            if budget_s is not None and time.monotonic() - began >= budget_s:
                break
        return PendingRun(done, False, self._grouper.joined - joined)


def _of_pending(item: Pending) -> Grouping:
    return _grouping(item.id, item.feed, item.title, item.body_start, None)
