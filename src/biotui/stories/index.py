"""Grouped articles held in memory while articles are grouped: found by their keys, each
with its story, so that grouping one more article reads nothing and compares only a few.

A new article's candidates are the members sharing a specific identifier or two title
words under one event class with it (:func:`~biotui.stories.features.query_keys`), at most
:data:`CANDIDATES` of them (those near it in time sharing the most), less those it surely
conflicts with (:meth:`~biotui.stories.decide.Compared.refuses`). A story found through a
candidate is joined only when none of its members near the new article conflicts
(:func:`~biotui.stories.decide.choose_compared`): a member not found by the keys still
refuses, whatever its words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain

from biotui.stories.decide import WINDOW_SECONDS, Compared, choose_compared
from biotui.stories.features import (
    Key,
    StoryFeatures,
    decode,
    keys_of,
    title_part,
    words_and_ids,
)

__all__ = ["CANDIDATES", "StoryIndex"]

CANDIDATES = 50
"""At most this many members are compared with a new article: those near it sharing the
most keys with it."""


class _Member:
    """A member: its story, and its features compared (read from their text when first
    needed: most members read from the store are never compared)."""

    __slots__ = ("_compared", "story", "text", "time")

    def __init__(
        self, story: int, time: float | None, compared: Compared | None, text: str = ""
    ) -> None:
        self.story = story
        self.time = time
        self._compared = compared
        self.text = text

    @property
    def compared(self) -> Compared:
        if self._compared is None:
            self._compared = Compared(decode(self.text, self.time))
        return self._compared


class StoryIndex:
    """Grouped articles (by the store's rowid) with their stories and features; every
    member's features carry its time."""

    def __init__(self) -> None:
        self._members: dict[int, _Member] = {}
        self._postings: dict[Key, list[int]] = {}
        self._stories: dict[int, list[int]] = {}
        self._waiting: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        """Members read as text and not found by their keys yet: their title words and
        identifiers, for :meth:`admit`."""

    def __len__(self) -> int:
        return len(self._members)

    def __contains__(self, article: object) -> bool:
        return article in self._members

    def clear(self) -> None:
        """Forget every member."""
        self._members.clear()
        self._postings.clear()
        self._stories.clear()
        self._waiting.clear()

    def add(self, article: int, story: int, features: StoryFeatures) -> None:
        """Hold ``article`` of ``story`` (once: an article held already is left as it is)."""
        if article not in self._members:
            member = _Member(story, features.time, Compared(features))
            self._add(article, member, keys_of(features)[0])

    def add_text(self, article: int, story: int, time: float, text: str) -> None:
        """Hold ``article`` of ``story`` at ``time`` with its features as :func:`encode`
        wrote them: it counts in its story at once, and is found by its keys once a batch
        may need it (:meth:`admit`); its features are read whole when it is compared.
        ValueError when ``text`` is not such a form."""
        if article not in self._members:
            waiting = words_and_ids(text)
            self._members[article] = _Member(story, time, None, text)
            self._stories.setdefault(story, []).append(article)
            self._waiting[article] = waiting

    def admit(self, words: frozenset[str], ids: frozenset[str]) -> None:
        """Make findable the members read as text that may be candidates of articles whose
        title words are among ``words`` and identifiers among ``ids``: those sharing two
        of the words or an identifier."""
        if not self._waiting:
            return
        waiting, members = self._waiting, self._members
        found = [
            article
            for article, (title, named) in waiting.items()
            if len(title & words) >= 2 or not named.isdisjoint(ids)
        ]
        for article in found:
            del waiting[article]
            self._post(article, keys_of(title_part(members[article].text))[0])

    def _add(self, article: int, member: _Member, keys: Iterable[Key]) -> None:
        self._members[article] = member
        self._post(article, keys)
        self._stories.setdefault(member.story, []).append(article)

    def _post(self, article: int, keys: Iterable[Key]) -> None:
        postings = self._postings
        for key in keys:
            found = postings.get(key)
            if found is None:
                postings[key] = [article]
            else:
                found.append(article)

    def story_of(self, article: int) -> int | None:
        """The story of a member; None for an article not held."""
        member = self._members.get(article)
        return None if member is None else member.story

    def choose(self, features: StoryFeatures) -> tuple[int, ...]:
        """The stories an article with ``features`` (and a time) joins, oldest first (see
        :func:`~biotui.stories.decide.choose`); empty: it starts its own."""
        return self._choose(Compared(features), keys_of(features)[1])

    def group(
        self, article: int, features: StoryFeatures, new_story: Callable[[], int]
    ) -> tuple[int, ...]:
        """Decide ``article``'s story and hold it: the stories it joins (merged here under
        the oldest, which it joins), or none, and then it starts a story ``new_story()``
        gives. Returns the stories joined, oldest first."""
        compared = Compared(features)
        held, asked = keys_of(features)
        joined = self._choose(compared, asked)
        story = joined[0] if joined else new_story()
        if len(joined) > 1:
            self.merge(story, joined[1:])
        self._add(article, _Member(story, features.time, compared), held)
        return joined

    def merge(self, story: int, others: Iterable[int]) -> None:
        """Make the members of ``others`` members of ``story``."""
        into = self._stories.setdefault(story, [])
        for other in others:
            for article in self._stories.pop(other, []):
                self._members[article].story = story
                into.append(article)

    def _choose(self, new: Compared, keys: tuple[Key, ...]) -> tuple[int, ...]:
        candidates: dict[int, list[Compared]] = {}
        for member in self._candidates(new, keys):
            found = candidates.get(member.story)
            if found is None:
                candidates[member.story] = [member.compared]
            else:
                found.append(member.compared)
        if not candidates:
            return ()
        return choose_compared(new, candidates, lambda story: self._near(story, new))

    def _candidates(self, new: Compared, keys: tuple[Key, ...]) -> list[_Member]:
        """The members found by ``keys`` that ``new`` does not surely conflict with (see
        the module); when there are more than :data:`CANDIDATES`, those near ``new`` in time
        sharing the most."""
        postings = self._postings
        lists = [found for found in map(postings.get, keys) if found]
        if not lists:
            return []
        members = self._members
        refuses = new.refuses
        found = [
            article
            for article in set(chain.from_iterable(lists))
            if not refuses(members[article].compared)
        ]
        if len(found) > CANDIDATES:
            kept = set(found)
            shared = Counter(a for a in chain.from_iterable(lists) if a in kept).most_common()
            near = (a for a, _ in shared if _close(members[a].time, new))
            found = [article for article, _ in zip(near, range(CANDIDATES), strict=False)]
        return [members[article] for article in found]

    def _near(self, story: int, new: Compared) -> list[Compared]:
        members = self._members
        found = (members[article] for article in self._stories.get(story, ()))
        return [member.compared for member in found if _close(member.time, new)]


def _close(time: float | None, new: Compared) -> bool:
    if time is None or new.time is None:
        return True
    return abs(time - new.time) <= WINDOW_SECONDS
