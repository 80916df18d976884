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
"""

from __future__ import annotations

from collections.abc import Sequence

from biotui.stories.events import compatible
from biotui.stories.features import StoryFeatures

__all__ = ["WINDOW_DAYS", "WINDOW_SECONDS", "choose", "conflict", "same_story"]

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


def _jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def _groups(ids: frozenset[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key in ids:
        found.setdefault(key.partition(":")[0], set()).add(key)
    return found


def _cover(title: frozenset[str], other: StoryFeatures) -> float:
    """The share of ``title``'s words found in the other article's title or lede."""
    if not title:
        return 0.0
    return len(title & (other.title | other.lede)) / len(title)


def _mentioned(names: frozenset[str], words: frozenset[str]) -> set[str]:
    return {name for name in names if all(part in words for part in name.split(" "))}


def _strangers(first: StoryFeatures, second: StoryFeatures) -> bool:
    """Whether each title holds a word the other article never uses, and the two share
    fewer than :data:`SHARED_NAMES` names: one template, other slots."""
    first_text, second_text = first.title | first.lede, second.title | second.lede
    if not first.title - second_text or not second.title - first_text:
        return False
    return len(_shared_names(first, second)) < SHARED_NAMES


def _shared_names(first: StoryFeatures, second: StoryFeatures) -> set[str]:
    """The names of either title that the other article mentions."""
    return _mentioned(first.names, second.title | second.lede) | _mentioned(
        second.names, first.title | first.lede
    )


def conflict(first: StoryFeatures, second: StoryFeatures) -> bool:
    """Whether the two can never be one story (see the module's rules)."""
    if first.feed == second.feed:
        return True
    if (
        first.time is not None
        and second.time is not None
        and abs(first.time - second.time) > WINDOW_SECONDS
    ):
        return True
    if first.events and second.events and not compatible(first.events, second.events):
        return True
    ours, theirs = _groups(first.ids), _groups(second.ids)
    for group, keys in ours.items():
        if group in theirs and not keys & theirs[group]:
            return True
    if first.sums and second.sums and not first.sums & second.sums:
        return True
    return _strangers(first, second) and not first.ids & second.ids


def same_story(first: StoryFeatures, second: StoryFeatures) -> bool:
    """Whether the two articles report one event (see the module's rules)."""
    if conflict(first, second):
        return False
    title = _jaccard(first.title, second.title)
    lede = _jaccard(first.lede, second.lede)
    cover = min(_cover(first.title, second), _cover(second.title, first))
    shared = bool(first.ids & second.ids)
    if not first.events or not second.events:  # no event to compare: an identifier and words
        return (shared and cover >= COVER_NO_EVENT) or (
            not first.events and not second.events and title >= TITLE_NO_EVENT
        )
    if shared and max(title, lede, cover) >= WITH_ID:
        return True
    return (
        title >= TITLE_SAME
        or cover >= COVER_SAME
        or (lede >= LEDE_SAME and title >= TITLE_WITH_LEDE)
    )


def choose(new: StoryFeatures, candidates: Sequence[tuple[int, StoryFeatures]]) -> tuple[int, ...]:
    """The stories ``new`` joins, oldest (smallest id) first; empty: it starts its own.

    ``candidates`` are (story, features) of stored articles near it. A story is joined when
    one of its articles tells the same story and none conflicts with ``new``; several stories
    are joined (and so merged) only when none of their articles conflict with each other.
    """
    members: dict[int, list[StoryFeatures]] = {}
    for story, features in candidates:
        members.setdefault(story, []).append(features)
    joined: list[int] = []
    taken: list[StoryFeatures] = [new]
    for story in sorted(members):
        group = members[story]
        if not any(same_story(new, member) for member in group):
            continue
        if any(conflict(member, other) for member in group for other in taken):
            continue
        joined.append(story)
        taken.extend(group)
    return tuple(joined)
