"""Sync with a feed server (Google Reader API, Fever): the articles and read/starred state of
the feeds a server fetches, kept in the store beside the local ones.

- :mod:`.backend`: the records and the one small interface every protocol implements.
- :mod:`.transport`: HTTP for the backends (urllib3 through the refresh's client), one-line
  errors naming the server and never a secret.
- :mod:`.greader`, :mod:`.fever`: the two protocols, a package each.
- :mod:`.connect`: the backend ``[sync]`` names and its password function.
- :mod:`.engine`: ``sync()``, feeds, items page by page and marks (:mod:`.pages`,
  :mod:`.marks`, :mod:`.articles`), reporting a :class:`~.outcome.SyncOutcome`.

Importing this package loads nothing else: the sources, store and app import the parts they
need.
"""
