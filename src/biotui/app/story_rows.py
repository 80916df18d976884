"""Stories in the headline list: a story shows once, as its earliest listed article with
"+N sources", and a key unfolds its other articles under it.

The store lists each story once (``Store.list_ids(folded=True)``, in SQL). Each page of rows
read for drawing learns its stories' sizes with it (:class:`StoryRows`), so drawing never
reads more than the page. Nothing here imports Textual.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from biotui.app.rowid_search import position
from biotui.model import Headline
from biotui.store import Store


@dataclass(frozen=True, slots=True)
class StoryHeadline(Headline):
    """A headline with its place in a story, as the list draws it."""

    sources: int = 0
    """The story's other articles ("+N sources"); 0 for an article alone or unfolded
    under its story's row."""
    member: bool = False
    """True when the row is unfolded under its story's row (drawn indented)."""


def newest_folded(store: Store, limit: int) -> list[Headline]:
    """At most ``limit`` of the newest headlines, each story once with its sources (what
    the list's first rows show, for the start frame): read by index, without the list."""
    rows = store.newest_headlines(limit * 2)
    followers = store.stories.followers([row.rowid for row in rows])
    shown = [row for row in rows if row.rowid not in followers][:limit]
    return decorate(shown, store.stories.sizes([row.rowid for row in shown]), frozenset())


def story_others(store: Store, rowid: int) -> list[int]:
    """The rowids of the other articles of ``rowid``'s story, earliest first (none when it
    is not grouped or alone)."""
    story = store.stories.story_of([rowid]).get(rowid)
    if story is None:
        return []
    return [member for member in store.stories.members(story) if member != rowid]


def story_article_ids(store: Store, rowid: int) -> list[str]:
    """The public ids of every article of ``rowid``'s story, its own first."""
    rowids = [rowid, *story_others(store, rowid)]
    return [headline.id for headline in store.headlines(rowids)]


def read_rows(
    store: Store, rowids: Sequence[int], members: frozenset[int] = frozenset()
) -> list[Headline]:
    """The headlines of ``rowids``, in that order, with their stories' sizes; ``members`` are
    the rowids shown unfolded under their story's row (none: the page read with a new list)."""
    return decorate(store.headlines(rowids), store.stories.sizes(rowids), members)


def decorate(
    rows: Sequence[Headline], sizes: Mapping[int, int], members: frozenset[int]
) -> list[Headline]:
    """``rows`` with their stories: ``sizes`` (rowid -> articles in its story, for stories
    of more than one) and the rowids unfolded under their story's row (``members``)."""
    if not sizes:
        return list(rows)
    result: list[Headline] = []
    for row in rows:
        size = sizes.get(row.rowid, 1)
        if size < 2:
            result.append(row)
            continue
        fields = {name: getattr(row, name) for name in Headline.__dataclass_fields__}
        member = row.rowid in members
        result.append(StoryHeadline(**fields, sources=0 if member else size - 1, member=member))
    return result


class StoryRows:
    """Reads the list's rows with their stories (the list's ``fetch``: thread-safe), and
    holds which stories are unfolded.

    Unfolding works on the list shown: :meth:`unfold` puts a story's other articles under
    its row, :meth:`refold` takes them out again, :meth:`reapply` unfolds the same stories
    in a new list (after a refresh or a new filter).
    """

    def __init__(self, store: Store) -> None:
        """Read rows from ``store``."""
        self._store = store
        self.unfolded: dict[int, tuple[int, ...]] = {}
        """Each unfolded story's row (a rowid) -> the rowids shown under it."""
        self._members: frozenset[int] = frozenset()

    def __call__(self, rowids: Sequence[int]) -> list[Headline]:
        """The headlines of ``rowids``, in that order, each with its story."""
        return read_rows(self._store, rowids, self._members)

    def folds(self, headline: Headline | None) -> bool:
        """True when the row of ``headline`` stands for other articles folded under it (so
        reading or marking it covers them)."""
        return (
            isinstance(headline, StoryHeadline)
            and headline.sources > 0
            and headline.rowid not in self.unfolded
        )

    def is_member(self, rowid: int) -> bool:
        """True when ``rowid`` is shown unfolded under its story's row."""
        return rowid in self._members

    def story_row(self, rowid: int) -> int | None:
        """The row ``rowid`` is unfolded under (itself when it is an unfolded story's row);
        None when it is neither."""
        if rowid in self.unfolded:
            return rowid
        for lead, members in self.unfolded.items():
            if rowid in members:
                return lead
        return None

    def unfold(self, ids: array[int], lead: int, others: Sequence[int]) -> array[int]:
        """``ids`` with ``others`` shown under ``lead`` (unchanged if ``lead`` is not
        listed or has no others)."""
        others = tuple(rowid for rowid in others if rowid != lead)
        if not others:
            return ids
        found = position(ids, lead)
        if found is None:
            return ids
        at = found + 1
        self.unfolded[lead] = others
        self._set_members()
        unfolded = _without(ids, others, start=at)
        unfolded[at:at] = array(ids.typecode, others)
        return unfolded

    def refold(self, ids: array[int], lead: int) -> array[int]:
        """``ids`` without the articles shown under ``lead``."""
        others = self.unfolded.pop(lead, ())
        self._set_members()
        if not others:
            return ids
        return _without(ids, others)

    def reapply(self, ids: array[int]) -> array[int]:
        """A new (folded) list with the stories unfolded before unfolded again, as far as
        their rows are listed; the others are forgotten."""
        unfolded, self.unfolded = self.unfolded, {}
        for lead, others in unfolded.items():
            ids = self.unfold(ids, lead, others)
        self._set_members()
        return ids

    def _set_members(self) -> None:
        self._members = frozenset(rowid for others in self.unfolded.values() for rowid in others)


def _without(ids: array[int], rowids: Sequence[int], start: int = 0) -> array[int]:
    """A copy of ``ids`` without ``rowids`` (a story's few articles) from ``start`` on: each
    is searched for in the array's bytes (:func:`~biotui.app.rowid_search.position`), so a
    list of any length costs a few copies and no Python loop over its rows."""
    kept = ids[:]
    for rowid in rowids:
        at = position(kept, rowid, start)
        if at is not None:
            del kept[at]
    return kept
