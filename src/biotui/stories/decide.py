"""Join or new: whether two articles tell one story, and which stories a new article joins.

Precision first: a story that should have been one and stays two costs a reader a line; two
events shown as one hide news. So every rule below can only refuse:

- the same feed never gives two articles of one story (a story is one article per source);
- more than :data:`WINDOW_DAYS` apart is another story;
- different events (:func:`~biotui.stories.events.compatible`) are different stories;
- naming different trials, papers or drugs (each article naming some of a kind, none in
  common) is different stories, and so is naming different sums in the titles ($85M, 30%);
- when each title holds a word the other article never uses, and they share no identifier
  and fewer than two names (a company and its drug, a buyer and its target), the two fill
  one template with different slots;
- when most of each title's slot words (companies, drugs, indications) appear nowhere in the
  other article's title or lede, the two fill one template with different names;

and then an article joins on evidence: a shared specific identifier with the same event and
some common words, or near-identical titles, or near-identical ledes with similar titles.

Comparisons run on :class:`Compared` articles: the features with what every comparison
needs worked out once (the words of title and lede together, the identifiers by group, the
events as bits), the cheap refusals first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from biotui.stories.events import EARNINGS
from biotui.stories.features import StoryFeatures

__all__ = [
    "WINDOW_DAYS",
    "WINDOW_SECONDS",
    "Compared",
    "choose",
    "choose_compared",
    "conflict",
    "conflicts",
    "joins",
    "same_story",
]

WINDOW_DAYS = 4
"""Articles of one story appear within this many days of each other."""
WINDOW_SECONDS = WINDOW_DAYS * 86_400

TITLE_SAME = 0.5
"""Title similarity (Jaccard of slot words) that alone, with the same event, makes a story."""
TITLE_NO_EVENT = 0.75
"""Title similarity needed when neither article names an event."""
LEDE_SAME = 0.5
"""Lede similarity that, with :data:`TITLE_WITH_LEDE` of the titles, makes a story."""
TITLE_WITH_LEDE = 0.25
WITH_ID = 0.15
"""Similarity of titles or ledes that, with a shared identifier and event, makes a story."""
COVER_SAME = 0.5
"""Each title's slot words found in the other article (title or lede) at least this share:
the two name the same companies, drugs and indications."""
COVER_NO_EVENT = 0.5
"""The cover needed, with a shared identifier, when one of the two names no event (a
journal's title names none; the news of the paper may)."""
SHARED_NAMES = 2
"""Two articles whose titles each name a stranger to the other must share this many names
(a company and its drug, a buyer and its target) to be one story."""

_EVENT_BITS: dict[str, int] = {EARNINGS: 1}
"""A bit for each event class met (given as classes are first seen)."""


def _event_bits(events: frozenset[str]) -> int:
    bits = 0
    for event in events:
        bit = _EVENT_BITS.get(event)
        if bit is None:
            bit = _EVENT_BITS[event] = 1 << len(_EVENT_BITS)
        bits |= bit
    return bits


class Compared:
    """An article's features with what comparing it needs, worked out once."""

    __slots__ = (
        "event_bits",
        "features",
        "feed",
        "group_bits",
        "groups",
        "ids",
        "lede",
        "names",
        "sums",
        "text",
        "time",
        "title",
    )

    def __init__(self, features: StoryFeatures) -> None:
        self.features = features
        self.feed = features.feed
        self.time = features.time
        self.title = features.title
        self.lede = features.lede
        self.text = features.title | features.lede
        """The slot words of title and lede together."""
        self.ids = features.ids
        self.groups: dict[str, frozenset[str]] = {}
        self.group_bits = 0
        """A bit for each group of identifiers the article names (trial, paper, drug)."""
        if features.ids:
            groups: dict[str, set[str]] = {}
            for key in features.ids:
                groups.setdefault(key.partition(":")[0], set()).add(key)
            self.groups = {group: frozenset(keys) for group, keys in groups.items()}
            self.group_bits = _group_bits(self.groups)
        self.event_bits = _event_bits(features.events)
        self.names = tuple((name, frozenset(name.split(" "))) for name in features.names)
        self.sums = features.sums

    def refuses(self, other: Compared) -> bool:
        """The cheap part of :func:`conflicts`: the same feed, identifiers of a group named
        by both and none shared, different sums. True only when the two conflict."""
        return (
            self.feed == other.feed
            or bool(self.group_bits & other.group_bits and self.ids.isdisjoint(other.ids))
            or bool(self.sums and other.sums and self.sums.isdisjoint(other.sums))
        )


_GROUP_BITS: dict[str, int] = {}


def _group_bits(groups: dict[str, frozenset[str]]) -> int:
    bits = 0
    for group in groups:
        bit = _GROUP_BITS.get(group)
        if bit is None:
            bit = _GROUP_BITS[group] = 1 << len(_GROUP_BITS)
        bits |= bit
    return bits


def _jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def _cover(title: frozenset[str], other: Compared) -> float:
    """The share of ``title``'s words found in the other article's title or lede."""
    if not title:
        return 0.0
    return len(title & other.text) / len(title)


def _strangers(first: Compared, second: Compared) -> bool:
    """Whether each title holds a word the other article never uses, and the two share
    fewer than :data:`SHARED_NAMES` names: one template, other slots."""
    if first.title <= second.text or second.title <= first.text:
        return False
    shared = {name for name, parts in first.names if parts <= second.text}
    shared.update(name for name, parts in second.names if parts <= first.text)
    return len(shared) < SHARED_NAMES


def conflicts(first: Compared, second: Compared) -> bool:
    """Whether the two can never be one story (see the module's rules)."""
    if first.feed == second.feed:
        return True
    if (
        first.time is not None
        and second.time is not None
        and abs(first.time - second.time) > WINDOW_SECONDS
    ):
        return True
    ours, theirs = first.event_bits, second.event_bits
    if ours and theirs and ((ours ^ theirs) & 1 or not ours & theirs):  # 1: quarterly results
        return True
    if first.groups and second.groups:
        for group, keys in first.groups.items():
            other = second.groups.get(group)
            if other is not None and keys.isdisjoint(other):
                return True
    if first.sums and second.sums and first.sums.isdisjoint(second.sums):
        return True
    return _strangers(first, second) and first.ids.isdisjoint(second.ids)


def joins(first: Compared, second: Compared) -> bool:
    """Whether the two articles report one event (see the module's rules)."""
    if conflicts(first, second):
        return False
    title = _jaccard(first.title, second.title)
    cover = min(_cover(first.title, second), _cover(second.title, first))
    shared = not first.ids.isdisjoint(second.ids)
    if not first.event_bits or not second.event_bits:  # no event: an identifier and words
        return (shared and cover >= COVER_NO_EVENT) or (
            not first.event_bits and not second.event_bits and title >= TITLE_NO_EVENT
        )
    if title >= TITLE_SAME or cover >= COVER_SAME:
        return True
    lede = _jaccard(first.lede, second.lede)
    if shared and (title >= WITH_ID or lede >= WITH_ID or cover >= WITH_ID):
        return True
    return lede >= LEDE_SAME and title >= TITLE_WITH_LEDE


def conflict(first: StoryFeatures, second: StoryFeatures) -> bool:
    """Whether the two can never be one story (see the module's rules)."""
    return conflicts(Compared(first), Compared(second))


def same_story(first: StoryFeatures, second: StoryFeatures) -> bool:
    """Whether the two articles report one event (see the module's rules)."""
    return joins(Compared(first), Compared(second))


def choose(new: StoryFeatures, candidates: Sequence[tuple[int, StoryFeatures]]) -> tuple[int, ...]:
    """The stories ``new`` joins, oldest (smallest id) first; empty: it starts its own.

    ``candidates`` are (story, features) of stored articles near it. A story is joined when
    one of its articles tells the same story and none conflicts with ``new``; several stories
    are joined (and so merged) only when none of their articles conflict with each other.
    """
    members: dict[int, list[Compared]] = {}
    for story, features in candidates:
        members.setdefault(story, []).append(Compared(features))
    return choose_compared(Compared(new), members, members.__getitem__)


def choose_compared(
    new: Compared,
    candidates: dict[int, list[Compared]],
    near: Callable[[int], Sequence[Compared]],
) -> tuple[int, ...]:
    """:func:`choose` on compared articles: ``candidates`` by story are looked at for one
    telling the same story, and a story so found is joined when none of its articles
    ``near`` ``new`` (``near(story)``) conflicts with ``new`` or the stories joined before
    it."""
    joined: list[int] = []
    taken: list[Compared] = [new]
    for story in sorted(candidates):
        if not any(joins(new, member) for member in candidates[story]):
            continue
        group = near(story)
        if any(conflicts(member, other) for member in group for other in taken):
            continue
        joined.append(story)
        taken.extend(group)
    return tuple(joined)
