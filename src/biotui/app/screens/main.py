"""The main screen: filter bar, side panel, headline list, article pane, status line, footer.

It composes the widgets and routes their messages; slow work (queries, counts, article reads,
refreshes, flag writes) runs in thread workers that post results back as messages. At start the
cached headlines come first: the refresh, the side panel's counts and the Markdown widget wait
until the first headlines are on screen.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import get_current_worker

from biotui.app.format import is_openable_link, one_line
from biotui.app.messages import (
    ArticleLoaded,
    CountsFailed,
    CountsLoaded,
    FilterFailed,
    FirstHeadlinesShown,
    FlagsWritten,
    HeadlineRequest,
    HeadlinesLoaded,
    QuerySuperseded,
    RefreshFinished,
    RefreshProgress,
    StoreWriteFailed,
)
from biotui.app.queries import FirstHeadlines, Headlines, read_counts, read_headlines
from biotui.app.scope import ALL, Order, Scope, panel_scopes
from biotui.app.widgets.article_view import ArticleView
from biotui.app.widgets.filter_bar import FilterBar
from biotui.app.widgets.headline_list import HeadlineList
from biotui.app.widgets.keys_footer import KeysFooter
from biotui.app.widgets.side_panel import SidePanel
from biotui.app.widgets.status_line import StatusLine
from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.store import Store

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from biotui.search import Highlighter

MAX_FAILURES_NOTIFIED = 5
"""Failed feeds listed by name in the notification after a refresh."""
RELOAD_DELAY = 0.5
"""Seconds between reloads of the list while a refresh brings articles in."""
COUNTS_DELAY = 0.5
"""Seconds of quiet (after read/star changes or arriving articles) before recounting."""

PREVIEW_DELAY = 0.12
"""Seconds the cursor must rest on a headline before the wide layout shows its article."""
RELOAD_PREVIEW_DELAY = 0.35
"""The same when the list itself moved the cursor (typing a filter): a pause in typing."""

_LIST_ACTIONS = frozenset(
    {
        "focus_filter",
        "toggle_panel",
        "toggle_order",
        "open_link",
        "toggle_read",
        "toggle_star",
        "refresh",
    }
)
"""Screen actions whose keys are letters (or ``/``): off while the filter input has focus."""


def _describe(failure: BaseException) -> str:
    """One line saying what went wrong."""
    return one_line(str(failure)) or repr(failure)


def graphical_browser_likely() -> bool:
    """False on a Linux/BSD console with no display, where ``webbrowser`` would start a text
    browser fighting the TUI for the terminal."""
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def failures_text(failures: list[tuple[str, str]]) -> str:
    """What the status line says after a refresh in which ``failures`` (feed, error) failed:
    which or how many, and where to read the errors."""
    if not failures:
        return ""
    if len(failures) == 1:
        what = f"{one_line(failures[0][0])} failed"
    else:
        what = f"{len(failures)} feeds failed"
    return f"{what} — b for details"


class MainScreen(Screen[None]):
    """Headlines on the left, the article on the right (one at a time below 100 columns), and
    the side panel left of the headlines when shown (over everything below 100 columns)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding runs as soon as the app reads the key, so the keys typed right
        # after it (in the same read: a paste, fast typing over SSH) go to the filter.
        Binding("slash", "focus_filter", "Filter", key_display="/", priority=True),
        Binding("b", "toggle_panel", "Panel"),
        Binding("O", "toggle_order", "Order"),
        Binding("o", "open_link", "Open"),
        Binding("m", "toggle_read", "Read"),
        Binding("s", "toggle_star", "Star"),
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        initial_filter: str = "",
        first_headlines: FirstHeadlines | None = None,
        narrow: bool | None = None,
    ) -> None:
        """Create the screen for ``config`` over ``store``, filtered by ``initial_filter``;
        ``first_headlines``, if given, is the first list already being read. ``narrow`` is
        the layout for the terminal's width when known (the first frame then needs no
        second styling pass when the width classes arrive)."""
        super().__init__(classes=None if narrow is None else "-narrow" if narrow else "-wide")
        self.config = config
        self.store = store
        self._initial_filter = initial_filter
        self._first_headlines = first_headlines
        self._scope: Scope = ALL
        """Where the list starts from: all articles, the starred ones, or a feed."""
        self._chosen: Scope = ALL
        """The side panel entry the list shows (a saved search while its query is the filter)."""
        self._order: Order = "newest"
        self._total: int | None = None
        self._query_running = False
        self._pending: HeadlineRequest | None = None
        """The latest request made while a query ran; it runs when that one ends."""
        self._query_generation = 0
        """Bumped by every request: a running query of an older generation stops early."""
        self._loaded_once = False
        self._shown_rowid: int | None = None
        # An article the app shows on its own (at start, after a new filter) stays unread
        # until the person moves to it or opens it.
        self._mark_when_loaded = False
        self._preview_timer: Timer | None = None
        self._marks_timer: Timer | None = None
        self._error_timer: Timer | None = None
        self._highlighter: Highlighter | None = None
        """What the current filter marks; the article pane takes it at a pause in typing."""
        self._reload_timer: Timer | None = None
        self._counts_timer: Timer | None = None
        self._counts_stale = True
        self._refreshing = False
        self._refresh_errors: list[tuple[str, str]] = []
        self._write_lock = threading.Lock()
        self._want_read: dict[str, bool] = {}
        self._want_star: dict[str, bool] = {}
        self._panel: SidePanel | None = None

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Filter bar, the side panel and the two panes, status line, footer."""
        yield FilterBar(self._initial_filter, id="filter")
        with Horizontal(id="panes"):
            # The side panel is built the first time it is shown (see action_toggle_panel).
            yield HeadlineList(self.store.headlines, id="headlines")
            yield ArticleView(id="article")
        yield StatusLine(id="status")
        # The footer's keys (a dozen widgets to style) join once the first headlines show.
        yield Container(id="footer-slot")

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
    def side_panel(self) -> SidePanel | None:
        """The side panel, once built (the first time it is shown)."""
        return self._panel

    @property
    def panel_focused(self) -> bool:
        """True while the side panel has focus."""
        return self._panel is not None and self._panel.has_focus

    @property
    def status_line(self) -> StatusLine:
        """The status line."""
        return self.query_one("#status", StatusLine)

    @property
    def narrow(self) -> bool:
        """True when only one pane fits (the screen has the ``-narrow`` breakpoint class)."""
        return self.has_class("-narrow")

    @property
    def panel_shown(self) -> bool:
        """True while the side panel is shown."""
        return self.has_class("-panel")

    def on_mount(self) -> None:
        """Focus the list and load the cached headlines; the rest waits until they show.

        When the first list, read since before Textual was imported, is ready, it is shown
        here, before the first frame is drawn.
        """
        self.headline_list.focus()
        first = self._first_headlines
        request = self._new_request()
        if (
            first is not None
            and first.done()
            and first.matches(request.filter_text, request.scope, request.order)
        ):
            self._first_headlines = None
            self._query_running = True
            try:
                headlines = first.result()
            except Exception as failure:  # shown like any failed query
                self.on_filter_failed(FilterFailed(request, _describe(failure)))
            else:
                self.on_headlines_loaded(HeadlinesLoaded(request, headlines))
            return
        self._request_headlines()

    async def _after_first_headlines(self) -> None:
        """The first headlines are on screen: add the footer, say so (to the app), and start
        the refresh if configured to."""
        footer = KeysFooter(compact=True, show_command_palette=not self.narrow)
        await self.query_one("#footer-slot").mount(footer)
        self.refresh_bindings()  # the footer lists the keys once it hears they are ready
        self.post_message(FirstHeadlinesShown())
        if self.config.settings.refresh_on_start and not self._refreshing:
            self.action_refresh()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track whether the article pane has focus (the narrow layout shows only it then)."""
        focused = self.focused
        self.set_class(
            focused is not None and self.article_view in focused.ancestors_with_self,
            "-reading",
        )
        if self.narrow and self.panel_shown and focused is not self.side_panel:
            self.remove_class("-panel")  # below 100 columns the panel covers the rest

    def on_resize(self) -> None:
        """Adapt to the new width: the footer, and the article pane when it reappears."""
        self.call_after_refresh(self._after_resize)

    def _after_resize(self) -> None:
        # Narrow terminals need the footer's room for biotui's own keys (ctrl+p still works).
        for footer in self.query(Footer):  # none before the first headlines show
            if footer.show_command_palette == self.narrow:
                footer.show_command_palette = not self.narrow
                footer.refresh(recompose=True)
        if not self.narrow:
            self._show_highlighted(mark_read=False)
        elif self.panel_shown and not self.panel_focused:
            self.remove_class("-panel")  # it would cover the list the person is using

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim keys that have nothing to act on; show Back only where it means something.

        While the filter input has focus, ``/`` types a slash (``CD19/CD20``) and the list's
        keys are off: keys typed there belong to the filter.
        """
        if self.filter_bar.input.has_focus and action in _LIST_ACTIONS:
            return False
        if action in ("open_link", "toggle_read", "toggle_star"):
            return True if self.headline_list.row_count else None
        if action == "back":
            return self.has_class("-reading") or (
                self.panel_shown and (self.narrow or self.panel_focused)
            )
        return True

    # -- headlines ---------------------------------------------------------------------------

    def _request_headlines(self, *, keep_rowid: int | None = None, to_top: bool = False) -> None:
        """Load the list for the current filter, scope and order.

        One query runs at a time: a request made meanwhile waits, and only the latest waiting
        one runs, so fast typing never piles up queries.
        """
        request = self._new_request(keep_rowid=keep_rowid, to_top=to_top)
        self._query_generation += 1  # a query still running for an older request stops
        if self._query_running:
            pending = self._pending
            if pending is not None:
                request = replace(
                    request,
                    keep_rowid=request.keep_rowid or pending.keep_rowid,
                    to_top=request.to_top or pending.to_top,
                )
            self._pending = request
            return
        self._query_running = True
        self._start_query(request)

    def _new_request(
        self, *, keep_rowid: int | None = None, to_top: bool = False
    ) -> HeadlineRequest:
        """A request for the current filter, scope and order."""
        return HeadlineRequest(self.filter_bar.value, self._scope, self._order, keep_rowid, to_top)

    def _start_query(self, request: HeadlineRequest) -> None:
        """Start the worker for ``request`` (the only one running)."""
        first, self._first_headlines = self._first_headlines, None
        if first is None or not first.matches(request.filter_text, request.scope, request.order):
            first = None
        anchor = None
        if not request.to_top:
            anchor = request.keep_rowid or self.headline_list.highlighted_rowid
        self.load_headlines(request, self._query_generation, anchor, self._total, first)

    def _query_finished(self) -> None:
        self._query_running = False
        if self._pending is not None:
            request, self._pending = self._pending, None
            self._query_running = True
            self._start_query(request)

    @work(thread=True, group="query", exit_on_error=False)
    def load_headlines(
        self,
        request: HeadlineRequest,
        generation: int,
        anchor: int | None,
        known_total: int | None,
        first: FirstHeadlines | None = None,
    ) -> None:
        """Run the query for ``request`` (or wait for ``first``, the same query started before
        the screen existed) and post the ordered rowids, or why it failed.

        A newer request (``generation`` no longer the screen's) interrupts the query: it
        ends within milliseconds and posts only :class:`QuerySuperseded`.
        """

        def superseded() -> bool:
            return generation != self._query_generation

        try:
            if first is not None:
                headlines = first.result()
            else:
                with self.store.interruptible(superseded):
                    headlines = read_headlines(
                        self.store,
                        request.filter_text,
                        request.scope,
                        request.order,
                        known_total=known_total,
                        anchor=anchor,
                    )
        except Exception as failure:  # the list must stay usable whatever a query does
            if superseded():
                self.post_message(QuerySuperseded(request))
            else:
                self.post_message(FilterFailed(request, _describe(failure)))
            return
        if superseded():
            self.post_message(QuerySuperseded(request))
        else:
            self.post_message(HeadlinesLoaded(request, headlines))

    def on_query_superseded(self, message: QuerySuperseded) -> None:
        """A newer request replaced a running query: run the newest one."""
        self._query_finished()

    def on_headlines_loaded(self, message: HeadlinesLoaded) -> None:
        """Show the new rowids, keeping the cursor where it was."""
        self._query_finished()
        self._show_headlines(message.request, message.headlines)

    def _show_headlines(self, request: HeadlineRequest, headlines: Headlines) -> None:
        if request.scope == ALL and headlines.scope_total is not None:
            self._total = headlines.scope_total
        headline_list = self.headline_list
        ids = headlines.ids
        had_rows = bool(headline_list.row_count)
        if ids:
            headline_list.empty_text = ""
        elif headlines.searched:
            headline_list.empty_text = "No articles match the filter."
        elif request.scope.kind == "starred":
            headline_list.empty_text = "No starred articles. Press s on a headline to star it."
        elif request.scope.kind == "feed":
            headline_list.empty_text = "No articles from this feed yet. Press r to refresh."
        elif request.scope.kind == "tag":
            headline_list.empty_text = "No articles from these feeds yet. Press r to refresh."
        else:
            headline_list.empty_text = "No articles yet. Press r to refresh."
        headline_list.set_ids(
            ids,
            keep_rowid=request.keep_rowid,
            highlighter=headlines.highlighter,
            to_top=request.to_top,
            page=None if headlines.rows is None else (headlines.page_no, headlines.rows),
        )
        self._mark_matches(headlines.highlighter)
        if request.filter_text == self.filter_bar.value:
            self.filter_bar.show_error(None)
        status = self.status_line
        status.shown = len(ids)
        status.total = headlines.scope_total
        status.filtered = headlines.searched
        status.rank_skipped = headlines.rank_skipped
        status.scope = self._scope_label(request)
        if bool(ids) != had_rows and not self.filter_bar.input.has_focus:
            # Open, Read and Star dim on an empty list. While the filter has focus they are
            # off anyway, and the footer is rebuilt when the focus leaves it: rebuilding it
            # (tens of ms) at every keystroke that empties or fills the list would slow typing.
            self.refresh_bindings()
        self._show_after_reload()
        if not self._loaded_once:
            self._loaded_once = True
            self.call_after_refresh(self._after_first_headlines)

    def _scope_label(self, request: HeadlineRequest) -> str:
        """What the status line calls the view: a saved search's name while its query is the
        filter, else the scope (blank for all articles)."""
        chosen = self._chosen
        if chosen.kind == "search" and request.filter_text == chosen.query:
            return chosen.label
        return "" if request.scope == ALL else request.scope.label

    def on_filter_failed(self, message: FilterFailed) -> None:
        """Keep the list as it was and say what is wrong with the filter."""
        self._query_finished()
        if message.request.filter_text == self.filter_bar.value:
            if self._loaded_once:
                error = f"{message.error} (the list shows the last results)"
                if self.filter_bar.input.has_focus:
                    # Typing makes a filter malformed for a key or two ("CAR-T OR" on the way
                    # to "CAR-T OR lupus"): the message waits for a pause, so it does not
                    # flash, and the screen is not laid out again twice per keystroke.
                    self._stop_error_timer()
                    self._error_timer = self.set_timer(
                        RELOAD_PREVIEW_DELAY, partial(self.filter_bar.show_error, error)
                    )
                else:
                    self.filter_bar.show_error(error)
            else:
                self.filter_bar.show_error(message.error)
                self.headline_list.empty_text = (
                    "Nothing listed: fix the filter, or press / then Escape to clear it."
                )
        if not self._loaded_once:
            self._loaded_once = True
            self.call_after_refresh(self._after_first_headlines)

    def _stop_error_timer(self) -> None:
        if self._error_timer is not None:
            self._error_timer.stop()
            self._error_timer = None

    @on(FilterBar.Changed)
    def _filter_changed(self, message: FilterBar.Changed) -> None:
        if self._chosen.kind == "search" and message.value != self._chosen.query:
            self._set_chosen(self._scope)
        self._stop_error_timer()  # that message was about the filter as it was
        self._postpone_article()
        self._request_headlines()

    def _postpone_article(self) -> None:
        """An article (or its marks) waiting for a pause waits on: the person is typing, and
        building it now would hold up the list the next keystroke asks for."""
        for timer in (self._preview_timer, self._marks_timer):
            if timer is not None:
                timer.reset()

    @on(FilterBar.Submitted)
    @on(FilterBar.Cancelled)
    def _filter_done(self) -> None:
        self.headline_list.focus()

    @on(HeadlineList.FetchFailed)
    def _fetch_failed(self, message: HeadlineList.FetchFailed) -> None:
        self.status_line.problem = message.error

    def action_toggle_order(self) -> None:
        """Switch between newest first and relevance (which needs a text filter)."""
        self._order = "relevance" if self._order == "newest" else "newest"
        self.status_line.relevance = self._order == "relevance"
        if self.filter_bar.value.strip():
            self._request_headlines(to_top=True)

    # -- side panel --------------------------------------------------------------------------

    async def action_toggle_panel(self) -> None:
        """Show and focus the side panel; hide it when it has focus (or focus it if shown).

        The panel is built the first time: nothing at start waits for it.
        """
        panel = self._panel
        if panel is None:
            panel = self._panel = SidePanel(
                panel_scopes(self.config), active=self._chosen, id="panel"
            )
            await self.query_one("#panes", Horizontal).mount(panel, before="#headlines")
        if not self.panel_shown:
            self.add_class("-panel")
            panel.highlight_scope(self._chosen)
            panel.focus()
            if self._counts_stale:
                self._schedule_counts(0)
        elif panel.has_focus or self.narrow:
            self.remove_class("-panel")
            self.headline_list.focus()
        else:
            panel.focus()
        self.refresh_bindings()

    @on(SidePanel.Chosen)
    def _scope_chosen(self, message: SidePanel.Chosen) -> None:
        """Show the chosen entry's articles: a saved search becomes the filter; Starred, a
        feed, a tag or All articles become the scope, with the filter cleared."""
        scope = message.scope
        if scope.kind == "search":
            self._scope = ALL
            self.filter_bar.set_value(scope.query)
        else:
            self._scope = scope
            self.filter_bar.set_value("")
        self._set_chosen(scope)
        if self.narrow:
            self.remove_class("-panel")
        self.headline_list.focus()
        self._request_headlines(to_top=True)

    def _set_chosen(self, scope: Scope) -> None:
        self._chosen = scope
        if self._panel is not None:
            self._panel.set_active(scope)

    def _schedule_counts(self, delay: float = COUNTS_DELAY) -> None:
        """Recount the side panel after ``delay`` seconds of quiet (later, if it is hidden)."""
        self._counts_stale = True
        if not self.panel_shown:
            return
        if self._counts_timer is not None:
            self._counts_timer.stop()
            self._counts_timer = None
        if delay <= 0:
            self._start_counts()
        else:
            self._counts_timer = self.set_timer(delay, self._start_counts)

    def _start_counts(self) -> None:
        self._counts_timer = None
        self._counts_stale = False
        self.load_counts()

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def load_counts(self) -> None:
        """Count every side panel entry and post the numbers."""
        worker = get_current_worker()
        try:
            counts = read_counts(self.store, self.config)
        except BiotuiError as failure:
            if not worker.is_cancelled:
                self.post_message(CountsFailed(one_line(str(failure))))
            return
        if not worker.is_cancelled:
            self.post_message(CountsLoaded(counts))

    def on_counts_loaded(self, message: CountsLoaded) -> None:
        """Show the new counts in the panel."""
        if self._panel is not None:
            self._panel.set_counts(message.counts)

    def on_counts_failed(self, message: CountsFailed) -> None:
        """Say that the panel could not be counted."""
        self.status_line.problem = f"Counting failed: {message.error}"

    def on_flags_written(self, message: FlagsWritten) -> None:
        """Read or starred changed: the unread counts follow shortly."""
        self._schedule_counts()

    # -- the article -------------------------------------------------------------------------

    @on(HeadlineList.Highlighted)
    def _highlighted(self, message: HeadlineList.Highlighted) -> None:
        if message.rowid is None:
            return
        if self.narrow:
            return
        if not message.by_person:
            return  # a new list moved the cursor: on_headlines_loaded sees to the article
        self._stop_preview()
        if self._shown_rowid is None:
            self._show_highlighted()
        else:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, self._show_highlighted)

    def _mark_matches(self, highlighter: Highlighter | None) -> None:
        """Mark what the new filter matched in the article shown: at once, or while a filter
        is being typed at the next pause (re-marking every block of a long article at each
        keystroke would hold up the list)."""
        self._highlighter = highlighter
        if not self.filter_bar.input.has_focus:
            self._apply_marks()
        elif highlighter is not self.article_view.highlighter:
            if self._marks_timer is not None:
                self._marks_timer.stop()
            self._marks_timer = self.set_timer(RELOAD_PREVIEW_DELAY, self._apply_marks)

    def _apply_marks(self) -> None:
        if self._marks_timer is not None:
            self._marks_timer.stop()
            self._marks_timer = None
        self.article_view.set_highlighter(self._highlighter)

    def _show_after_reload(self) -> None:
        """After a new list: show the article under the cursor if it is another one (or
        clear the pane when the list is empty).

        The list paints first; while a filter is being typed the article waits for a pause,
        so typing is never held up by building (or clearing) an article.
        """
        rowid = self.headline_list.highlighted_rowid
        if rowid is None and (self.narrow or not self.filter_bar.input.has_focus):
            self._clear_article()
            return
        if self.narrow or rowid == self._shown_rowid:
            return
        self._stop_preview()
        if self._shown_rowid is None and not self.filter_bar.input.has_focus:
            self.call_after_refresh(self._show_highlighted, mark_read=False)
        else:
            self._preview_timer = self.set_timer(
                RELOAD_PREVIEW_DELAY, partial(self._show_highlighted, mark_read=False)
            )

    def _stop_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    def _clear_article(self) -> None:
        self._stop_preview()
        self._shown_rowid = None
        self.article_view.clear()

    @on(HeadlineList.Selected)
    def _selected(self, message: HeadlineList.Selected) -> None:
        self._show_highlighted()
        self.article_view.focus()

    def _show_highlighted(self, *, mark_read: bool = True) -> None:
        """Load the highlighted article unless it is already shown; ``mark_read`` marks it read."""
        self._preview_timer = None
        self._apply_marks()
        headline = self.headline_list.highlighted
        if headline is None:
            if self._shown_rowid is not None:
                self._clear_article()
            return
        if headline.rowid != self._shown_rowid:
            self._shown_rowid = headline.rowid
            self._mark_when_loaded = mark_read
            self.load_article(headline.rowid)
        elif mark_read and not headline.read:
            self._set_read(headline.rowid, headline.id, True)

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load_article(self, rowid: int) -> None:
        """Read the full article for ``rowid`` and post it.

        The first call also imports the Markdown widget's module here, off the event loop.
        """
        import textual.widgets.markdown  # noqa: F401

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
        """Focus the filter input (an article waiting to be shown waits for the typing)."""
        self._postpone_article()
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
                return
        if read is not None or starred is not None:
            self.post_message(FlagsWritten())

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
        """Run ``refresh_all`` in this thread, posting progress as each feed finishes.

        Quitting cancels the worker, which stops the refresh at once (the app would otherwise
        wait for every feed before it exits).
        """
        cancelled = get_current_worker().cancelled_event
        try:
            from biotui.refresh import FeedOutcome, refresh_all

            new = 0

            def progress(outcome: FeedOutcome) -> None:
                nonlocal new
                new += outcome.counts.new
                changed = bool(outcome.counts.new or outcome.counts.updated)
                self.post_message(
                    RefreshProgress(
                        outcome.feed, outcome.done, outcome.total, outcome.error, changed, new
                    )
                )

            outcomes = refresh_all(self.config, self.store, on_progress=progress, cancel=cancelled)
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
        self.status_line.activity = (
            f"Refreshing {message.done}/{message.total} feeds · {message.new:,} new…"
        )
        if message.error is not None:
            self._refresh_errors.append((message.feed, message.error))
            self.status_line.problem = self._problem_text()
        if message.changed and self._reload_timer is None:
            # Show what has arrived without waiting for the slowest feed; at most twice a second.
            self._reload_timer = self.set_timer(RELOAD_DELAY, self._reload_during_refresh)
        if message.changed or message.error is not None:
            self._schedule_counts()

    def _reload_during_refresh(self) -> None:
        self._reload_timer = None
        self._total = None
        # No keep_rowid: the list keeps the article highlighted when the new list arrives, not
        # the one highlighted now (keys pressed while the query runs must not be undone).
        self._request_headlines()

    def _problem_text(self) -> str:
        """While refreshing: the latest feed error, and how many more there are."""
        errors = self._refresh_errors
        if not errors:
            return ""
        feed, error = errors[-1]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{feed}: {error}{more}"

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Report the refresh and reload the list, keeping the cursor on the same article."""
        self._refreshing = False
        self._schedule_counts(0)
        status = self.status_line
        if message.error is not None:
            status.activity = ""
            status.problem = f"Refresh failed: {message.error}"
            return
        self._refresh_errors = list(message.failures)
        parts = [f"{message.new} new"]
        if message.updated:
            parts.append(f"{message.updated} updated")
        status.activity = f"Refreshed {message.feeds} feeds: {', '.join(parts)}"
        status.problem = failures_text(message.failures)
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
        self._request_headlines()  # keeps the article highlighted when the list arrives
