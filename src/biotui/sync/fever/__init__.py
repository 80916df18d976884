"""The Fever API (FreshRSS, Miniflux, Coldsweat): :class:`FeverBackend` (``client.py``), how
items are paged (``paging.py``) and how answers are read (``answers.py``)."""

from biotui.sync.fever.client import FeverBackend

__all__ = ["FeverBackend"]
