"""The add-feed dialog: a feed's or a web page's address in, the feed configured and stored.

The work is ``biotui add``'s (:mod:`biotui.refresh.adding`, :mod:`biotui.configwrite`), run
in a thread worker; nothing is written until a feed has been found and parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from biotui.app.format import one_line
from biotui.config import load_config
from biotui.configwrite import ConfigWriteError, add_to_config, is_built_in, unique_name
from biotui.errors import BiotuiError
from biotui.feedlist import ImportedFeed, url_key
from biotui.feedlist.urls import check_url
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.refresh.adding import (
    NoFeedError,
    find_feed,
    first_articles,
    store_first_refresh,
)
from biotui.store import Store


@dataclass(frozen=True, slots=True)
class FeedAdded:
    """A feed was added: its name, and the configuration as it now is on disk."""

    name: str
    config: Config


class AddFailed(Exception):
    """The feed could not be added; the message is the one line to show."""


def add_from_url(
    config: Config, store: Store, raw_url: str, *, wanted: Callable[[], bool] = lambda: True
) -> FeedAdded:
    """Find the feed ``raw_url`` names, write it into the configuration and store its
    articles; ``wanted`` is asked before anything is written. Raises :class:`AddFailed`;
    nothing is written then."""
    checked = check_url(raw_url)
    if not checked.url:
        raise AddFailed(f"{clean_text(raw_url)[:200]}: {checked.problem}")
    configured = {url_key(feed.url): feed for feed in config.feeds if feed.url is not None}
    try:
        found = find_feed(checked.url, timeout=config.settings.timeout)
    except NoFeedError as exc:
        raise AddFailed(str(exc)) from None
    for url in (checked.url, found.url):
        known = configured.get(url_key(url))
        if known is not None:
            raise AddFailed(f"already configured as {known.name}: {known.url}")
    name = unique_name(found.title or checked.host, (feed.name for feed in config.feeds))
    parsed = first_articles(found, name)
    feed = ImportedFeed(name, found.url, ())
    if not wanted():
        raise AddFailed("cancelled")
    try:
        written = add_to_config(config.path, feed, built_in=is_built_in(config.path))
        new_config = load_config(written.target)
    except (ConfigWriteError, BiotuiError) as exc:
        raise AddFailed(str(exc)) from None
    try:
        store_first_refresh(store, name, found, parsed)
    except BiotuiError as exc:
        raise AddFailed(f"{name} was added, but its articles were not stored: {exc}") from None
    return FeedAdded(name, new_config)


class AddFeedDialog(ModalScreen[FeedAdded | None]):
    """Asks for an address, finds and adds its feed; dismissed with :class:`FeedAdded`, or
    None when cancelled (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, config: Config, store: Store) -> None:
        """Add to ``config`` (its file) and ``store``."""
        super().__init__()
        self._config = config
        self._store = store
        self._busy = False

    def compose(self) -> ComposeResult:
        """The address input and a line for progress and errors."""
        with Vertical(id="add-feed") as box:
            box.border_title = "Add a feed"
            yield Static("The address of a feed, or of a web page that names one:")
            yield Input(placeholder="https://…", id="add-feed-url")
            yield Static("", id="add-feed-status", markup=False)

    @property
    def _status(self) -> Static:
        return self.query_one("#add-feed-status", Static)

    @on(Input.Submitted, "#add-feed-url")
    def _submitted(self, event: Input.Submitted) -> None:
        url = event.value.strip()
        if self._busy or not url:
            return
        self._busy = True
        self._status.remove_class("-error")
        self._status.update(Content(f"Looking for a feed at {clean_text(url)[:200]}…"))
        self._add(url)

    @work(thread=True, exclusive=True, group="add-feed", exit_on_error=False)
    def _add(self, url: str) -> None:
        worker = get_current_worker()
        try:
            added = add_from_url(
                self._config, self._store, url, wanted=lambda: not worker.is_cancelled
            )
        except AddFailed as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, one_line(str(exc)))
            return
        self.app.call_from_thread(self._done, added)

    def _done(self, added: FeedAdded) -> None:
        if self.is_current:
            self.dismiss(added)

    def _failed(self, error: str) -> None:
        self._busy = False
        self._status.add_class("-error")
        self._status.update(Content(error))

    def action_cancel(self) -> None:
        """Close without adding (a search still running finishes unseen)."""
        self.dismiss(None)
