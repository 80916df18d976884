"""``biotui list --search NAME --new`` and ``--trend``: a saved search read as a watchlist.

``--new`` prints the matches stored since the last ``--new`` of that search, then moves its
bookmark (its own, apart from the app's, so that cron never clears the app's +N). The first
time there is no bookmark: every current match is printed. The bookmark moves only once
everything is printed, to the newest article stored when the command started, so an
article stored meanwhile comes next time and nothing is lost to a reader that went away.
``--trend`` prints the search's matches per day over the last 30 days.
"""

from __future__ import annotations

import sys
from datetime import datetime

from biotui.cli.exitcodes import EXIT_OK
from biotui.cli.listing import compile_filter, list_filter, print_headlines, saved_search_query
from biotui.cli.records import json_line
from biotui.model import Config, SavedSearch
from biotui.store import Store
from biotui.watch.news import CLI, Watchlist, new_rowids
from biotui.watch.trend import daily_counts, trend_days


def find_search(config: Config, name: str) -> SavedSearch:
    """The saved search called ``name`` (any case); QueryError naming those there are."""
    for search in config.searches:
        if search.name.casefold() == name.strip().casefold():
            return search
    saved_search_query(config, name)  # raises, naming the saved searches
    raise AssertionError(name)


def list_new(config: Config, store: Store, name: str, text: str, *, as_json: bool) -> int:
    """Print the matches of saved search ``name`` (narrowed by the filter ``text``) stored
    since the last time this command looked, newest first; then remember."""
    search = find_search(config, name)
    watchlist = Watchlist(search.name, compile_filter(list_filter(config, text, search.name)))
    high = store.watch.high_water()
    after = store.watch.bookmarks(CLI).get(search.name, 0)
    print_headlines(store, new_rowids(store, watchlist, after, high), as_json=as_json)
    sys.stdout.flush()
    if high != after:
        store.watch.set_bookmark(CLI, search.name, high)
    return EXIT_OK


def list_trend(config: Config, store: Store, name: str, text: str, *, as_json: bool) -> int:
    """Print saved search ``name``'s matches (narrowed by ``text``) per local day over the
    last 30 days, oldest first: ``2026-12-07  3``, or JSON lines ``{"date", "count"}``."""
    search = find_search(config, name)
    watchlist = Watchlist(search.name, compile_filter(list_filter(config, text, search.name)))
    now = datetime.now().astimezone()
    counts = daily_counts(store, watchlist, now=now)
    for day, count in zip(trend_days(now), counts, strict=True):
        if as_json:
            print(json_line({"date": day.isoformat(), "count": count}))
        else:
            print(f"{day.isoformat()}  {count}")
    return EXIT_OK
