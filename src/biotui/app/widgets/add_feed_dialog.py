"""The add-feed dialog: a feed's or a web page's address in, the feed configured and stored.

The work is ``biotui add``'s (:mod:`biotui.refresh.adding`, :mod:`biotui.refresh.newfeed`),
run in thread workers; nothing is written until a feed has been found and parsed. A page
that offers several feeds lists them, and the one picked is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from biotui.app.format import one_line
from biotui.configwrite import ConfigWriteError, is_built_in
from biotui.feedlist.urls import CheckedUrl
from biotui.model import Config
from biotui.refresh.adding import FoundFeed, NoFeedError, find_feed
from biotui.refresh.newfeed import (
    AddRefused,
    FeedAdded,
    add_found,
    check_new_url,
    new_feed,
    split_tags,
)
from biotui.store import Store

__all__ = ["AddFeedDialog", "FeedAdded"]


@dataclass(frozen=True, slots=True)
class _Wanted:
    """What the dialog was asked: the address as checked, and the name and tags typed."""

    checked: CheckedUrl
    name: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Offer:
    """A page's feeds, offered for picking, and the first of them already fetched."""

    wanted: _Wanted
    found: FoundFeed


class AddFeedDialog(ModalScreen[FeedAdded | None]):
    """Asks for an address (and optionally a name and tags), finds and adds its feed;
    dismissed with :class:`FeedAdded`, or None when cancelled (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, config: Config, store: Store) -> None:
        """Add to ``config`` (its file) and ``store``."""
        super().__init__()
        self._config = config
        self._store = store
        self._busy = False
        self._offer: _Offer | None = None

    def compose(self) -> ComposeResult:
        """The address, name and tags inputs, the list of a page's feeds (hidden until a
        page offers several) and a line for progress and errors."""
        with Vertical(id="add-feed") as box:
            box.border_title = "Add a feed"
            yield Static("The address of a feed, or of a web page that names one:")
            yield Input(placeholder="https://…", id="add-feed-url", compact=True)
            yield Input(
                placeholder="Name (blank: the feed's title)", id="add-feed-name", compact=True
            )
            yield Input(
                placeholder="Tags, separated by commas or spaces", id="add-feed-tags", compact=True
            )
            yield OptionList(id="add-feed-choices", compact=True)
            yield Static("", id="add-feed-status", markup=False)

    @property
    def _status(self) -> Static:
        return self.query_one("#add-feed-status", Static)

    @property
    def _choices(self) -> OptionList:
        return self.query_one("#add-feed-choices", OptionList)

    def _say(self, text: str, *, error: bool = False) -> None:
        self._status.set_class(error, "-error")
        self._status.update(Content(text))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        raw = self.query_one("#add-feed-url", Input).value.strip()
        if self._busy or not raw:
            return
        self._close_offer()
        try:
            checked = check_new_url(self._config, raw)
        except AddRefused as exc:
            self._say(one_line(str(exc)), error=True)
            return
        name = self.query_one("#add-feed-name", Input).value
        tags = split_tags(self.query_one("#add-feed-tags", Input).value)
        self._busy = True
        self._say(f"Looking for a feed at {checked.url}…")
        self._search(_Wanted(checked, name, tags))

    @work(thread=True, exclusive=True, group="add-feed", exit_on_error=False)
    def _search(self, wanted: _Wanted) -> None:
        try:
            found = find_feed(wanted.checked.url, timeout=self._config.settings.timeout)
        except NoFeedError as exc:
            self._report(exc)
            return
        if len(found.offered) > 1:
            self.app.call_from_thread(self._show_offer, _Offer(wanted, found))
            return
        self._add(wanted, found)

    def _show_offer(self, offer: _Offer) -> None:
        self._busy = False
        self._offer = offer
        choices = self._choices
        choices.clear_options()
        choices.add_options(
            Option(Content(f"{link.title or '(untitled)'}  {link.url}"))
            for link in offer.found.offered
        )
        choices.highlighted = 0
        choices.add_class("-shown")
        choices.focus()
        count = len(offer.found.offered)
        self._say(
            f"{offer.found.page_url} offers {count} feeds: pick one with Enter (Escape: back)"
        )

    @on(OptionList.OptionSelected, "#add-feed-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        offer = self._offer
        if self._busy or offer is None:
            return
        self._busy = True
        link = offer.found.offered[event.option_index]
        self._say(f"Fetching {link.url}…")
        self._fetch_pick(offer, event.option_index + 1)

    @work(thread=True, exclusive=True, group="add-feed", exit_on_error=False)
    def _fetch_pick(self, offer: _Offer, pick: int) -> None:
        found = offer.found
        if found.offered[pick - 1].url != found.url:
            try:
                found = find_feed(
                    offer.wanted.checked.url, timeout=self._config.settings.timeout, pick=pick
                )
            except NoFeedError as exc:
                self._report(exc)
                return
        self._add(offer.wanted, found)

    def _add(self, wanted: _Wanted, found: FoundFeed) -> None:
        """Write and store ``found`` (in a worker's thread), then close the dialog."""
        worker = get_current_worker()
        try:
            feed = new_feed(
                self._config, found, host=wanted.checked.host, name=wanted.name, tags=wanted.tags
            )
            added = add_found(
                self._config,
                self._store,
                feed,
                found,
                built_in=is_built_in(self._config.path),
                wanted=lambda: not worker.is_cancelled,
            )
        except (AddRefused, ConfigWriteError) as exc:
            if not worker.is_cancelled:
                self._report(exc)
            return
        self.app.call_from_thread(self._done, added)

    def _report(self, error: Exception) -> None:
        """Show ``error`` in the status line (from a worker's thread)."""
        self.app.call_from_thread(self._failed, one_line(str(error)))

    def _done(self, added: FeedAdded) -> None:
        if self.is_current:
            self.dismiss(added)

    def _failed(self, error: str) -> None:
        self._busy = False
        self._say(error, error=True)

    def _close_offer(self) -> None:
        self._offer = None
        self._choices.remove_class("-shown")
        self._choices.clear_options()

    def action_cancel(self) -> None:
        """Back from a page's list of feeds to the address; else close without adding (a
        search still running finishes unseen)."""
        if self._offer is not None and not self._busy:
            self._close_offer()
            self._say("")
            self.query_one("#add-feed-url", Input).focus()
            return
        self.dismiss(None)
