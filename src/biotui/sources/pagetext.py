"""What an article's web page gave: the record a full-text fetch returns.

Its own module, free of the readers: the refresh's tasks and the app name it without loading
the web-page stack that :mod:`biotui.sources.fullpage` needs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PageText"]


@dataclass(frozen=True, slots=True)
class PageText:
    """What a page gave: its main text as a Markdown ``body`` (with ``notes`` on how it was
    read), or, when ``body`` is empty, a one-line ``reason`` why there is none."""

    body: str = ""
    notes: tuple[str, ...] = ()
    reason: str = ""

    @property
    def ok(self) -> bool:
        """Whether the page gave a full text."""
        return bool(self.body)
