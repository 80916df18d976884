"""The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux):
:class:`GReaderBackend` (``client.py``) over its session and tokens (``session.py``), the
reading list's paging (``paging.py``, ``resume.py``), its answers (``items.py``) and item ids
(``ids.py``)."""

from biotui.sync.greader.client import CHUNK, GReaderBackend

__all__ = ["CHUNK", "GReaderBackend"]
