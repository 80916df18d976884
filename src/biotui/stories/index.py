"""Grouped articles held in memory while articles are grouped: found by their keys, each
with its story, so that grouping one more article reads nothing and compares only a few.

A new article's candidates are the members sharing a specific identifier or two title
words under one event class with it (:func:`~biotui.stories.features.index_keys`), within
:data:`~biotui.stories.decide.WINDOW_SECONDS`, at most :data:`CANDIDATES` of them (those
sharing the most). A story found through a candidate is joined only when none of its members
near the new article conflicts (:func:`~biotui.stories.decide.choose_compared`): a member
not found by the keys still refuses, whatever its words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from biotui.stories.decide import WINDOW_SECONDS, Compared, choose_compared
from biotui.stories.features import StoryFeatures, index_keys

__all__ = ["CANDIDATES", "StoryIndex"]

CANDIDATES = 50
"""At most this many members are compared with a new article: those sharing the most
keys with it."""


class _Member:
    __slots__ = ("compared", "keys", "story")

    def __init__(self, story: int, compared: Compared, keys: tuple[str, ...]) -> None:
        self.story = story
        self.compared = compared
        self.keys = keys


class StoryIndex:
    """Grouped articles (by the store's rowid) with their stories and features; every
    member's features carry its time."""

    def __init__(self) -> None:
        self._members: dict[int, _Member] = {}
        self._postings: dict[str, list[int]] = {}
        self._stories: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._members)

    def __contains__(self, article: object) -> bool:
        return article in self._members

    def clear(self) -> None:
        """Forget every member."""
        self._members.clear()
        self._postings.clear()
        self._stories.clear()

    def add(self, article: int, story: int, features: StoryFeatures) -> None:
        """Hold ``article`` of ``story`` (once: an article held already is left as it is)."""
        if article in self._members:
            return
        self._add(article, story, Compared(features))

    def _add(self, article: int, story: int, compared: Compared) -> None:
        keys = index_keys(compared.features)
        self._members[article] = _Member(story, compared, keys)
        postings = self._postings
        for key in keys:
            found = postings.get(key)
            if found is None:
                postings[key] = [article]
            else:
                found.append(article)
        self._stories.setdefault(story, []).append(article)

    def story_of(self, article: int) -> int | None:
        """The story of a member; None for an article not held."""
        member = self._members.get(article)
        return None if member is None else member.story

    def choose(self, features: StoryFeatures) -> tuple[int, ...]:
        """The stories an article with ``features`` (and a time) joins, oldest first (see
        :func:`~biotui.stories.decide.choose`); empty: it starts its own."""
        return self._choose(Compared(features))

    def _choose(self, new: Compared) -> tuple[int, ...]:
        near = self._candidates(new)
        if not near:
            return ()
        candidates: dict[int, list[Compared]] = {}
        for member in near:
            candidates.setdefault(member.story, []).append(member.compared)
        return choose_compared(new, candidates, lambda story: self._near(story, new))

    def group(
        self, article: int, features: StoryFeatures, new_story: Callable[[], int]
    ) -> tuple[int, ...]:
        """Decide ``article``'s story and hold it: the stories it joins (merged here under
        the oldest, which it joins), or none, and then it starts a story ``new_story()``
        gives. Returns the stories joined, oldest first."""
        compared = Compared(features)
        joined = self._choose(compared)
        story = joined[0] if joined else new_story()
        if len(joined) > 1:
            self.merge(story, joined[1:])
        self._add(article, story, compared)
        return joined

    def merge(self, story: int, others: Iterable[int]) -> None:
        """Make the members of ``others`` members of ``story``."""
        into = self._stories.setdefault(story, [])
        for other in others:
            for article in self._stories.pop(other, []):
                self._members[article].story = story
                into.append(article)

    def _candidates(self, new: Compared) -> list[_Member]:
        """The members sharing an identifier or two title words with ``new``, near it in
        time, those sharing the most first (at most :data:`CANDIDATES`)."""
        words: Counter[int] = Counter()
        named: Counter[int] = Counter()
        postings = self._postings
        for key in index_keys(new.features):
            found = postings.get(key)
            if found:
                (named if key[0] == "i" else words).update(found)
        chosen = [article for article, count in words.items() if count >= 2]
        chosen.extend(article for article in named if words[article] < 2)
        members = self._members
        near = []
        for article in chosen:
            member = members[article]
            if _close(member.compared, new):
                near.append((words[article] + named[article], member))
        if len(near) > CANDIDATES:
            near.sort(key=lambda found: -found[0])
            del near[CANDIDATES:]
        return [member for _, member in near]

    def _near(self, story: int, new: Compared) -> list[Compared]:
        members = self._members
        found = (members[article].compared for article in self._stories.get(story, ()))
        return [compared for compared in found if _close(compared, new)]


def _close(member: Compared, new: Compared) -> bool:
    if member.time is None or new.time is None:
        return True
    return abs(member.time - new.time) <= WINDOW_SECONDS
