"""The main screen: filter bar, headline list, article pane, status line and footer.

It composes the widgets and routes their messages; slow work (queries, article reads, refreshes,
flag writes) runs in thread workers that post results back as messages.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import replace
from functools import partial
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Markdown
from textual.worker import get_current_worker

from biotui.app.format import is_openable_link, one_line
from biotui.app.messages import (
    ArticleLoaded,
    FilterFailed,
    HeadlinesLoaded,
    RefreshFinished,
    RefreshProgress,
    StoreWriteFailed,
)
from biotui.app.widgets.article_view import ArticleView
from biotui.app.widgets.filter_bar import FilterBar
from biotui.app.widgets.headline_list import HeadlineList
from biotui.app.widgets.status_line import StatusLine
from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.search import parse_filter
from biotui.store import Store

MAX_FAILURES_NOTIFIED = 5
RELOAD_DELAY = 0.5
"""Seconds between reloads of the list while a refresh brings articles in."""
"""Failed feeds listed by name in the notification after a refresh."""

PREVIEW_DELAY = 0.12
"""Seconds the cursor must rest on a headline before the wide layout shows its article."""


def graphical_browser_likely() -> bool:
    """False on a Linux/BSD console with no display, where ``webbrowser`` would start a text
    browser fighting the TUI for the terminal."""
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class MainScreen(Screen[None]):
    """Headlines on the left, the article on the right (one at a time below 100 columns)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("o", "open_link", "Open"),
        Binding("m", "toggle_read", "Read"),
        Binding("s", "toggle_star", "Star"),
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, config: Config, store: Store, *, initial_filter: str = "") -> None:
        """Create the screen for ``config`` over ``store``, filtered by ``initial_filter``."""
        super().__init__()
        self.config = config
        self.store = store
        self._filter = initial_filter
        self._total: int | None = None
        self._shown_rowid: int | None = None
        # An article the app shows on its own (at start, after a new filter) stays unread
        # until the person moves to it or opens it.
        self._mark_when_loaded = False
        self._preview_timer: Timer | None = None
        self._reload_timer: Timer | None = None
        self._refreshing = False
        self._refresh_errors: list[tuple[str, str]] = []
        self._write_lock = threading.Lock()
        self._want_read: dict[str, bool] = {}
        self._want_star: dict[str, bool] = {}

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Filter bar, the two panes, status line, footer."""
        yield FilterBar(self._filter, id="filter")
        with Horizontal(id="panes"):
            yield HeadlineList(self.store.headlines, id="headlines")
            yield ArticleView(id="article")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    @property
    def headline_list(self) -> HeadlineList:
        """The headline list."""
        return self.query_one("#headlines", HeadlineList)

    @property
    def article_view(self) -> ArticleView:
        """The article pane."""
        return self.query_one("#article", ArticleView)

    @property
    def filter_bar(self) -> FilterBar:
        """The filter bar."""
        return self.query_one("#filter", FilterBar)

    @property
    def status_line(self) -> StatusLine:
        """The status line."""
        return self.query_one("#status", StatusLine)

    @property
    def narrow(self) -> bool:
        """True when only one pane fits (the screen has the ``-narrow`` breakpoint class)."""
        return self.has_class("-narrow")

    def on_mount(self) -> None:
        """Focus the list, load the cached headlines, and refresh if configured to."""
        self.headline_list.focus()
        self.load_headlines(self._filter)
        if self.config.settings.refresh_on_start:
            self.action_refresh()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track whether the article pane has focus (the narrow layout shows only it then)."""
        focused = self.focused
        self.set_class(
            focused is not None and self.article_view in focused.ancestors_with_self,
            "-reading",
        )

    def on_resize(self) -> None:
        """Adapt to the new width: the footer, and the article pane when it reappears."""
        self.call_after_refresh(self._after_resize)

    def _after_resize(self) -> None:
        # Narrow terminals need the footer's room for biotui's own keys (ctrl+p still works).
        footer = self.query_one(Footer)
        if footer.show_command_palette == self.narrow:
            footer.show_command_palette = not self.narrow
            footer.refresh(recompose=True)
        if not self.narrow:
            self._show_highlighted(mark_read=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim keys that have nothing to act on; show Back only where it means something."""
        if action in ("open_link", "toggle_read", "toggle_star"):
            return True if self.headline_list.row_count else None
        if action == "back":
            return self.has_class("-reading")
        return True

    # -- headlines ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="query", exit_on_error=False)
    def load_headlines(self, filter_text: str, keep_rowid: int | None = None) -> None:
        """Run the query for ``filter_text`` and post the ordered rowids."""
        worker = get_current_worker()
        error: str | None = None
        total: int | None = None
        try:
            query = None
            if filter_text.strip():
                result = parse_filter(filter_text)
                query, error = result.query, result.error
            ids = self.store.headline_ids(query)
            if query is None:
                total = len(ids)
            elif self._total is None:
                total = self.store.article_count()
        except BiotuiError as failure:
            if not worker.is_cancelled:
                self.post_message(FilterFailed(filter_text, str(failure)))
            return
        if not worker.is_cancelled:
            self.post_message(HeadlinesLoaded(ids, filter_text, error, total, keep_rowid))

    def on_headlines_loaded(self, message: HeadlinesLoaded) -> None:
        """Show the new rowids, keeping the cursor where it was."""
        self._filter = message.filter_text
        if message.total is not None:
            self._total = message.total
        headline_list = self.headline_list
        if message.ids:
            headline_list.empty_text = ""
        elif message.filter_text.strip():
            headline_list.empty_text = "No articles match the filter."
        else:
            headline_list.empty_text = "No articles yet. Press r to refresh."
        headline_list.set_ids(message.ids, keep_rowid=message.keep_rowid)
        self.filter_bar.show_error(message.error)
        status = self.status_line
        status.shown = len(message.ids)
        status.total = self._total
        status.filtered = bool(message.filter_text.strip())
        self.refresh_bindings()
        if not message.ids:
            self._shown_rowid = None
            self.article_view.clear()
        elif not self.narrow:
            self._show_highlighted(mark_read=False)

    def on_filter_failed(self, message: FilterFailed) -> None:
        """Keep the list as it was and say what is wrong with the filter."""
        if message.filter_text == self.filter_bar.value:
            self.filter_bar.show_error(message.error)

    @on(FilterBar.Changed)
    def _filter_changed(self, message: FilterBar.Changed) -> None:
        self.load_headlines(message.value)

    @on(FilterBar.Submitted)
    @on(FilterBar.Cancelled)
    def _filter_done(self) -> None:
        self.headline_list.focus()

    @on(HeadlineList.FetchFailed)
    def _fetch_failed(self, message: HeadlineList.FetchFailed) -> None:
        self.status_line.problem = message.error

    # -- the article -------------------------------------------------------------------------

    @on(HeadlineList.Highlighted)
    def _highlighted(self, message: HeadlineList.Highlighted) -> None:
        if message.rowid is None:
            return
        if self.narrow:
            return
        if self._preview_timer is not None:
            self._preview_timer.stop()
        mark_read = message.by_person
        if self._shown_rowid is None:
            self._show_highlighted(mark_read=mark_read)
        else:
            self._preview_timer = self.set_timer(
                PREVIEW_DELAY, partial(self._show_highlighted, mark_read=mark_read)
            )

    @on(HeadlineList.Selected)
    def _selected(self, message: HeadlineList.Selected) -> None:
        self._show_highlighted()
        self.article_view.focus()

    def _show_highlighted(self, *, mark_read: bool = True) -> None:
        """Load the highlighted article unless it is already shown; ``mark_read`` marks it read."""
        self._preview_timer = None
        headline = self.headline_list.highlighted
        if headline is None:
            return
        if headline.rowid != self._shown_rowid:
            self._shown_rowid = headline.rowid
            self._mark_when_loaded = mark_read
            self.load_article(headline.rowid)
        elif mark_read and not headline.read:
            self._set_read(headline.rowid, headline.id, True)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load_article(self, rowid: int) -> None:
        """Read the full article for ``rowid`` and post it."""
        worker = get_current_worker()
        try:
            article = self.store.article(rowid)
        except BiotuiError as failure:
            if not worker.is_cancelled:
                self.post_message(ArticleLoaded(rowid, None, str(failure)))
            return
        if not worker.is_cancelled:
            self.post_message(ArticleLoaded(rowid, article))

    async def on_article_loaded(self, message: ArticleLoaded) -> None:
        """Show the article and mark it read."""
        if message.rowid != self._shown_rowid:
            return
        article = message.article
        if article is None:
            await self.article_view.clear(message.error or "This article is no longer stored.")
            return
        if self._mark_when_loaded and not article.read:
            article = replace(article, read=True)
            self._set_read(message.rowid, article.id, True)
        await self.article_view.show(article)

    def on_markdown_link_clicked(self, message: Markdown.LinkClicked) -> None:
        """Open links from the article body in the browser (see ``is_openable_link``)."""
        message.stop()
        self.open_link(message.href)

    def open_link(self, url: str) -> None:
        """Open ``url`` in the browser, or say why not."""
        url = one_line(url)
        if not is_openable_link(url):
            self.notify(f"Not opening this link: {url or '(none)'}", markup=False)
            return
        if not graphical_browser_likely():
            self.notify(f"No browser available here. Link: {url}", markup=False, timeout=10)
            return
        self.app.open_url(url)
        self.notify(f"Opening {url}", markup=False)

    def action_open_link(self) -> None:
        """Open the highlighted article's link."""
        headline = self.headline_list.highlighted
        if headline is not None:
            self.open_link(headline.link)

    def action_focus_filter(self) -> None:
        """Focus the filter input."""
        self.filter_bar.focus_input()

    def action_back(self) -> None:
        """From the article, go back to the list."""
        self.headline_list.focus()

    # -- read and star -----------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        """Toggle the read marker of the highlighted article."""
        headline = self.headline_list.highlighted
        if headline is not None:
            self._set_read(headline.rowid, headline.id, not headline.read)

    def action_toggle_star(self) -> None:
        """Toggle the star of the highlighted article."""
        headline = self.headline_list.highlighted
        if headline is None:
            return
        starred = not headline.starred
        self.headline_list.update_headline(headline.rowid, starred=starred)
        if self._article_shown(headline.id):
            self.article_view.set_flags(starred=starred)
        self._want_star[headline.id] = starred
        self.write_flags(headline.id)

    def _set_read(self, rowid: int, article_id: str, read: bool) -> None:
        self.headline_list.update_headline(rowid, read=read)
        if self._article_shown(article_id):
            self.article_view.set_flags(read=read)
        self._want_read[article_id] = read
        self.write_flags(article_id)

    def _article_shown(self, article_id: str) -> bool:
        article = self.article_view.article
        return article is not None and article.id == article_id

    @work(thread=True, group="writes", exit_on_error=False)
    def write_flags(self, article_id: str) -> None:
        """Save the latest wanted read/starred state of ``article_id``.

        Each toggle starts one of these; whichever runs last writes the latest wish, so the
        store ends in the state the person chose even if the threads run out of order.
        """
        with self._write_lock:
            read = self._want_read.pop(article_id, None)
            starred = self._want_star.pop(article_id, None)
            try:
                if read is not None:
                    self.store.set_read([article_id], read)
                if starred is not None:
                    self.store.set_starred(article_id, starred)
            except BiotuiError as failure:
                self.post_message(StoreWriteFailed(str(failure)))

    def on_store_write_failed(self, message: StoreWriteFailed) -> None:
        """Say that a flag could not be saved."""
        self.notify(message.error, title="Not saved", severity="error", markup=False)

    # -- refresh -----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Fetch and read every feed in the background."""
        if self._refreshing:
            self.notify("A refresh is already running.")
            return
        self._refreshing = True
        self._refresh_errors = []
        self.status_line.problem = ""
        self.status_line.activity = f"Refreshing 0/{len(self.config.feeds)} feeds…"
        self.run_refresh()

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def run_refresh(self) -> None:
        """Run ``refresh_all`` in this thread, posting progress as each feed finishes."""
        try:
            from biotui.refresh import FeedOutcome, refresh_all

            def progress(outcome: FeedOutcome) -> None:
                changed = bool(outcome.counts.new or outcome.counts.updated)
                self.post_message(
                    RefreshProgress(
                        outcome.feed, outcome.done, outcome.total, outcome.error, changed
                    )
                )

            outcomes = refresh_all(self.config, self.store, on_progress=progress)
        except Exception as failure:  # the UI must survive any refresh bug
            self.post_message(RefreshFinished(error=one_line(str(failure)) or repr(failure)))
            return
        self.post_message(
            RefreshFinished(
                feeds=len(outcomes),
                new=sum(outcome.counts.new for outcome in outcomes),
                updated=sum(outcome.counts.updated for outcome in outcomes),
                failures=[(o.feed, o.error) for o in outcomes if o.error is not None],
            )
        )

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        """Show how far the refresh got and the latest feed error."""
        self.status_line.activity = f"Refreshing {message.done}/{message.total} feeds…"
        if message.error is not None:
            self._refresh_errors.append((message.feed, message.error))
            self.status_line.problem = self._problem_text()
        if message.changed and self._reload_timer is None:
            # Show what has arrived without waiting for the slowest feed; at most twice a second.
            self._reload_timer = self.set_timer(RELOAD_DELAY, self._reload_during_refresh)

    def _reload_during_refresh(self) -> None:
        self._reload_timer = None
        self._total = None
        self.load_headlines(self.filter_bar.value, self.headline_list.highlighted_rowid)

    def _problem_text(self) -> str:
        errors = self._refresh_errors
        if not errors:
            return ""
        feed, error = errors[-1]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{feed}: {error}{more}"

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Report the refresh and reload the list, keeping the cursor on the same article."""
        self._refreshing = False
        status = self.status_line
        if message.error is not None:
            status.activity = ""
            status.problem = f"Refresh failed: {message.error}"
            return
        self._refresh_errors = list(message.failures)
        parts = [f"{message.new} new"]
        if message.updated:
            parts.append(f"{message.updated} updated")
        if message.failures:
            parts.append(f"{len(message.failures)} failed")
        status.activity = f"Refreshed {message.feeds} feeds: {', '.join(parts)}"
        status.problem = self._problem_text()
        if message.failures:
            shown = message.failures[:MAX_FAILURES_NOTIFIED]
            lines = [f"{feed}: {error}" for feed, error in shown]
            if len(message.failures) > len(shown):
                lines.append(f"… and {len(message.failures) - len(shown)} more")
            self.notify(
                "\n".join(one_line(line) for line in lines),
                title="Some feeds failed",
                severity="warning",
                markup=False,
                timeout=8,
            )
        self._total = None
        self.load_headlines(self.filter_bar.value, self.headline_list.highlighted_rowid)
