"""Folding a list's stories (pure): each story once, at its earliest listed article."""

from __future__ import annotations

from array import array

from biotui.app.story_rows import fold
from biotui.store.stories import StoryMap

# Story of 1 (first), 4 and 6; story of 2 (first) and 5; 3 alone. Newest first: 6 5 4 3 2 1.
FOLLOWERS = {4: (1, 1), 6: (1, 2), 5: (2, 1)}


def stories(followers: dict[int, tuple[int, int]]) -> StoryMap:
    return StoryMap(followers, frozenset(lead for lead, _ in followers.values()))


def test_every_story_once_at_its_first_article() -> None:
    folded = fold(array("q", [6, 5, 4, 3, 2, 1]), stories(FOLLOWERS))
    assert list(folded.ids) == [3, 2, 1] and folded.hidden == 3


def test_a_story_whose_first_article_is_not_listed_shows_its_earliest_listed() -> None:
    folded = fold(array("q", [6, 5, 4, 3]), stories(FOLLOWERS))
    assert list(folded.ids) == [5, 4, 3] and folded.hidden == 1


def test_within_folds_only_the_first_rows() -> None:
    ids = array("q", [6, 3, 4, 1])
    first_two = {6: FOLLOWERS[6]}
    assert list(fold(ids, stories(first_two), within=2).ids) == [3, 4, 1]


def test_nothing_to_fold_keeps_the_list_itself() -> None:
    ids = array("q", [3, 2, 1])
    assert fold(ids, stories({})).ids is ids and fold(ids, stories(FOLLOWERS)).ids is ids


def test_within_hides_a_first_row_whose_story_starts_further_down() -> None:
    ids = array("q", [6, 3, 4, 1])  # 6 and 4 follow 1, listed last
    assert list(fold(ids, stories({6: FOLLOWERS[6]}), within=2).ids) == [3, 4, 1]


def test_a_filter_keeping_two_followers_of_a_story_shows_the_earlier() -> None:
    folded = fold(array("q", [6, 4, 3]), stories(FOLLOWERS))
    assert list(folded.ids) == [4, 3] and folded.hidden == 1
