"""Watchlists: saved searches (``[[searches]]``) followed for what arrives.

- :mod:`.news`: each watchlist's matches stored after a bookmark (the app's "+3" in the side
  panel, the notification after a refresh, ``biotui list --search NAME --new``);
- :mod:`.trend`: a watchlist's matches per day over the last days, and its sparkline;
- :mod:`.desktop`: a desktop notification through ``notify-send``.

The bookmarks themselves are rowids kept by the store (``Store.watch``, schema 8). Nothing
here imports Textual: the app and the CLI share it.
"""
