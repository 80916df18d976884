"""One story, many feeds: whether a new article reports the same event as stored ones.

Pure: features in, a decision out (no store, no network). ``features_of(title, body, feed,
identifiers, time)`` gives an article's :class:`StoryFeatures`; ``encode``/``decode`` keep them
as text beside the article; ``index_keys``/``query_keys`` say what an article is found by and
what its candidates are found by in memory (:mod:`biotui.stories.index`), ``stored_keys``
what the store finds it by; ``same_story(a, b)`` compares two articles and
``choose(new, candidates)`` picks the stories a new article joins. ``WINDOW_SECONDS`` is how
far apart in time candidates are looked for.
"""

from __future__ import annotations

from biotui.stories.decide import WINDOW_DAYS, WINDOW_SECONDS, choose, conflict, same_story
from biotui.stories.features import (
    StoryFeatures,
    decode,
    encode,
    features_of,
    index_keys,
    query_keys,
    stored_keys,
)

__all__ = [
    "WINDOW_DAYS",
    "WINDOW_SECONDS",
    "StoryFeatures",
    "choose",
    "conflict",
    "decode",
    "encode",
    "features_of",
    "index_keys",
    "query_keys",
    "same_story",
    "stored_keys",
]
