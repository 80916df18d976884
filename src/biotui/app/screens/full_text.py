"""``f``: fetch the highlighted article's page and show its full text in the article pane.

The page is fetched and read in a thread worker (:func:`biotui.refresh.pages.fetch_full_text`:
the refresh's HTTP client, deadline and body cap), so keys are answered meanwhile; the full
text is stored, and the article pane, if it still shows that article, reads it again (the
store gives the full text with its note). A page with no full text to give leaves the teaser
and says why in one notification. :class:`FullTextKey` gives the main screen its action and
handler; :class:`FullTextFetches` does the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.message import Message

from biotui.app.messages import PageArrived, PagesFinished
from biotui.errors import BiotuiError
from biotui.model import Config

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen
    from biotui.refresh.pages import PageOutcome
    from biotui.store import Store


@dataclass
class FullTextFetched(Message):
    """A page was fetched for the article at ``rowid``: its outcome (``error`` None: the
    full text is stored)."""

    rowid: int
    title: str
    error: str | None


def fetch_in_thread(config: Config, store: Store, article_id: str) -> str | None:
    """Fetch and store ``article_id``'s full text; None when stored, else one line why not."""
    from biotui.refresh.pages import fetch_full_text

    try:
        outcome: PageOutcome = fetch_full_text(config, store, article_id)
    except BiotuiError as exc:  # the store refused the write
        return str(exc)
    return outcome.error


class FullTextFetches:
    """Runs ``f`` for ``screen``: one thread worker per page asked for."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._running: set[int] = set()

    def fetch_highlighted(self) -> None:
        """Fetch the highlighted article's page (again, if it was fetched before)."""
        screen = self._screen
        headline = screen.headline_list.highlighted
        if headline is None:
            return
        if headline.rowid in self._running:
            screen.notify("Already fetching this article's page.", markup=False)
            return
        self._running.add(headline.rowid)
        screen.notify(f"Fetching the full text of “{headline.title}”…", markup=False, timeout=3)
        config, store, rowid, title = screen.config, screen.store, headline.rowid, headline.title

        def work() -> None:
            error = fetch_in_thread(config, store, headline.id)
            screen.post_message(FullTextFetched(rowid, title, error))

        screen.run_worker(
            work, thread=True, group="full-text", exit_on_error=False, description="full text"
        )

    def fetched(self, message: FullTextFetched) -> None:
        """Show the full text if its article is shown, or say why there is none."""
        self._running.discard(message.rowid)
        if message.error is not None:
            self._screen.notify(
                f"No full text for “{message.title}”: {message.error}",
                title="Full text",
                severity="warning",
                markup=False,
            )
            return
        self._screen.preview.reload(message.rowid)


class FullTextKey:
    """The main screen's ``f`` action and the handlers of full texts arriving (mixed into
    it): ``f``'s page, and the pages a refresh fetches for ``full_text`` feeds (handed to
    the screen's :class:`~biotui.app.screens.refresh_report.RefreshReport`)."""

    _full_text: FullTextFetches | None = None

    def action_full_text(self) -> None:
        """Fetch the highlighted article's page and show its full text."""
        if self._full_text is None:
            self._full_text = FullTextFetches(cast("MainScreen", self))
        self._full_text.fetch_highlighted()

    def on_full_text_fetched(self, message: FullTextFetched) -> None:
        """A page came back: show its text, or say why there is none."""
        if self._full_text is not None:
            self._full_text.fetched(message)

    def on_page_arrived(self, message: PageArrived) -> None:
        """A refresh stored a page: count it, and show it if its article is shown."""
        cast("MainScreen", self).report.page_arrived(message)

    def on_pages_finished(self, message: PagesFinished) -> None:
        """A refresh's pages are in."""
        cast("MainScreen", self).report.pages_finished(message)
