"""The main screen: filter bar, side panel, headline list, article pane, status line, footer.

It composes the widgets, holds the view's state (filter, scope, order) and routes messages
to its collaborators, one module each (headline requests, list results, article preview,
panel control, flag writes, refresh report, links). At start the cached headlines come
first: the refresh, the panel's counts and the Markdown widget wait until they show.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal
from textual.widgets import Footer

from biotui.app import messages as m
from biotui.app.delays import Delays
from biotui.app.keymap import KeyedScreen
from biotui.app.queries import FirstHeadlines
from biotui.app.scope import ALL, Order, Scope
from biotui.app.screens.article_links import ArticleLinks
from biotui.app.screens.article_preview import ArticlePreview
from biotui.app.screens.article_sharing import ArticleSharing
from biotui.app.screens.bulk_marks import BulkMarks
from biotui.app.screens.feed_adding import open_add_dialog
from biotui.app.screens.flag_writes import FlagWrites
from biotui.app.screens.full_text import FullTextKey
from biotui.app.screens.headline_requests import HeadlineRequests, describe
from biotui.app.screens.links import open_link
from biotui.app.screens.list_results import ListResults
from biotui.app.screens.main_keys import ARTICLE_ACTIONS, LIST_ACTIONS, MAIN_BINDINGS
from biotui.app.screens.panel_control import PanelControl
from biotui.app.screens.refresh_report import RefreshReport
from biotui.app.screens.story_control import StoryKey
from biotui.app.screens.sync_report import SyncHandlers
from biotui.app.widgets.article_view import ArticleView
from biotui.app.widgets.filter_bar import FilterBar
from biotui.app.widgets.headline_list import HeadlineList
from biotui.app.widgets.keys_footer import KeysFooter
from biotui.app.widgets.side_panel import SidePanel
from biotui.app.widgets.status_line import StatusLine
from biotui.model import Config
from biotui.store import Store


class MainScreen(ArticleLinks, ArticleSharing, FullTextKey, StoryKey, SyncHandlers, KeyedScreen):
    """Headlines on the left, the article on the right (one at a time below 100 columns), and
    the side panel left of the headlines when shown (over everything below 100 columns)."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        initial_filter: str = "",
        first_headlines: FirstHeadlines | None = None,
        narrow: bool | None = None,
        delays: Delays | None = None,
    ) -> None:
        """The screen for ``config`` over ``store``, filtered by ``initial_filter``;
        ``first_headlines``: the first list, being read; ``narrow``: the layout for the
        terminal's width if known (no second styling pass); ``delays``: the debounces."""
        super().__init__(classes=None if narrow is None else "-narrow" if narrow else "-wide")
        self.config = config
        self.store = store
        self.delays = delays or Delays()
        self._initial_filter = initial_filter
        self._scope: Scope = ALL
        """Where the list starts from: all articles, the starred ones, or a feed."""
        self._chosen: Scope = ALL
        """The side panel entry the list shows (a saved search while its query is the filter)."""
        self._order: Order = "newest"
        self._total: int | None = None
        self._loaded_once = False
        self.requests = HeadlineRequests(
            self,
            store,
            first=first_headlines,
            anchor=lambda: self.headline_list.highlighted_rowid,
            known_total=lambda: self._total,
        )
        self.results = ListResults(self)
        self.preview = ArticlePreview(self, store, self.delays)
        self.panel = PanelControl(self, store, config, quiet=self.delays.counts)
        self.flags = FlagWrites(self, store)
        self.bulk = BulkMarks(self, store)
        self.report = RefreshReport(self, config, store)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Filter bar, the side panel and the two panes, status line, footer."""
        yield FilterBar(self._initial_filter, id="filter")
        with Horizontal(id="panes"):
            # The side panel is built the first time it is shown (see action_toggle_panel).
            yield HeadlineList(self.stories, id="headlines")
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
        request = self._new_request()
        first = self.requests.take_first(request)
        if isinstance(first, BaseException):
            self.on_filter_failed(m.FilterFailed(request, describe(first)))
        elif first is not None:
            self.on_headlines_loaded(m.HeadlinesLoaded(request, first))
        else:
            self._request_headlines()

    async def _after_first_headlines(self) -> None:
        """The first headlines show: add the footer, say so, prepare the side panel, refresh."""
        footer = KeysFooter(compact=True, show_command_palette=not self.narrow)
        await self.query_one("#footer-slot").mount(footer)
        self.refresh_bindings()  # the footer lists the keys once it hears they are ready
        self.post_message(m.FirstHeadlinesShown())
        self.run_worker(self.panel.prepare(self._chosen), group="panel-build")
        if self.config.settings.refresh_on_start and not self.report.running:
            self.action_refresh()
        else:
            self.report.show_schedule()
        self.set_interval(self.delays.due_check, self.report.start_due)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track whether the article pane has focus (the narrow layout shows only it then)."""
        focused = self.focused
        self.set_class(
            focused is not None and self.article_view in focused.ancestors_with_self,
            "-reading",
        )
        if self.narrow and self.panel_shown and focused is not self.panel.panel:
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
            self.preview.show_highlighted(mark_read=False)
        elif self.panel_shown and not self.panel.focused:
            self.remove_class("-panel")  # it would cover the list the person is using

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim keys that have nothing to act on; show Back only where it means something.

        While the filter input has focus, ``/`` types a slash (``CD19/CD20``) and the list's
        keys are off: keys typed there belong to the filter.
        """
        if self.filter_bar.input.has_focus and action in LIST_ACTIONS:
            return False
        if action in ARTICLE_ACTIONS:
            return True if self.headline_list.row_count else None
        if action == "back":
            return self.has_class("-reading") or (
                self.panel_shown and (self.narrow or self.panel.focused)
            )
        return True

    # -- headlines ---------------------------------------------------------------------------

    def _new_request(
        self, *, keep_rowid: int | None = None, to_top: bool = False
    ) -> m.HeadlineRequest:
        """A request for the current filter, scope and order."""
        return m.HeadlineRequest(
            self.filter_bar.value, self._scope, self._order, keep_rowid, to_top
        )

    def _request_headlines(self, *, keep_rowid: int | None = None, to_top: bool = False) -> None:
        """Load the list for the current filter, scope and order."""
        self.requests.request(self._new_request(keep_rowid=keep_rowid, to_top=to_top))

    def on_query_superseded(self, message: m.QuerySuperseded) -> None:
        """A newer request replaced a running query: run the newest one."""
        self.requests.finished()

    def on_headlines_loaded(self, message: m.HeadlinesLoaded) -> None:
        """Show the new rowids, keeping the cursor where it was."""
        self.requests.finished()
        request, headlines = message.request, message.headlines
        if request.scope == ALL and headlines.scope_total is not None:
            self._total = headlines.scope_total
        self.results.show(request, headlines, self._scope_label(request))
        self.requests.read_rest(request, headlines)
        self._first_list_shown()

    def on_rest_of_list(self, message: m.RestOfList) -> None:
        """Every row of the list whose first rows are shown (if still the list asked for)."""
        self.results.rest(message)

    def _first_list_shown(self) -> None:
        if not self._loaded_once:
            self._loaded_once = True
            self.call_after_refresh(self._after_first_headlines)

    def _scope_label(self, request: m.HeadlineRequest) -> str:
        """The view's name on the status line: a saved search's while it is the filter."""
        chosen = self._chosen
        if chosen.kind == "search" and request.filter_text == chosen.query:
            return chosen.label
        return "" if request.scope == ALL else request.scope.label

    def on_filter_failed(self, message: m.FilterFailed) -> None:
        """Keep the list as it was and say what is wrong with the filter."""
        self.requests.finished()
        self.results.failed(message.request, message.error, first=not self._loaded_once)
        self._first_list_shown()

    @on(FilterBar.Changed)
    def _filter_changed(self, message: FilterBar.Changed) -> None:
        if self._chosen.kind == "search" and message.value != self._chosen.query:
            self._set_chosen(self._scope)
        self.results.forget_error()  # that message was about the filter as it was
        self.preview.postpone()
        self._request_headlines()

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
        """Show and focus the side panel; hide it when it has focus (or focus it if shown)."""
        await self.panel.toggle(self._chosen)

    @on(SidePanel.Chosen)
    def _scope_chosen(self, message: SidePanel.Chosen) -> None:
        self.show_scope(message.scope)

    def show_scope(self, scope: Scope) -> None:
        """Show ``scope``'s articles: a saved search becomes the filter; Starred, a feed, a
        tag or All articles become the scope, with the filter cleared."""
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
        self.panel.set_active(scope)

    def on_counts_loaded(self, message: m.CountsLoaded) -> None:
        """Show the new counts in the panel."""
        self.panel.set_counts(message.counts)

    def on_counts_failed(self, message: m.CountsFailed) -> None:
        """Say that the panel could not be counted."""
        self.status_line.problem = f"Counting failed: {message.error}"

    # -- the article -------------------------------------------------------------------------

    @on(HeadlineList.Highlighted)
    def _highlighted(self, message: HeadlineList.Highlighted) -> None:
        # A new list moving the cursor is seen to by on_headlines_loaded.
        if message.rowid is not None and not self.narrow and message.by_person:
            self.preview.cursor_moved()

    @on(HeadlineList.Selected)
    def _selected(self, message: HeadlineList.Selected) -> None:
        self.preview.show_highlighted()
        self.article_view.focus()

    async def on_article_loaded(self, message: m.ArticleLoaded) -> None:
        """Show the article and mark it read."""
        await self.preview.loaded(message)

    def action_open_link(self) -> None:
        """Open the highlighted article's link."""
        if (headline := self.headline_list.highlighted) is not None:
            open_link(self.app, headline.link)

    def action_focus_filter(self) -> None:
        """Focus the filter input (an article waiting to be shown waits for the typing)."""
        self.preview.postpone()
        self.filter_bar.focus_input()

    def action_back(self) -> None:
        """From the article, go back to the list."""
        self.headline_list.focus()

    def action_toggle_read(self) -> None:
        """Toggle the read marker of the highlighted article."""
        self.flags.toggle_read()

    def action_toggle_star(self) -> None:
        """Toggle the star of the highlighted article."""
        self.flags.toggle_star()

    def action_mark_view_read(self) -> None:
        """Mark every article of the view (scope and filter) read."""
        self.bulk.mark_view_read(self.filter_bar.value, self._scope)

    def action_undo_marks(self) -> None:
        """Undo the last marking action."""
        self.bulk.undo()

    def on_marks_changed(self, message: m.MarksChanged) -> None:
        """A view was marked, or a marking undone: say so and show it."""
        self.bulk.done(message)

    def on_flags_written(self, message: m.FlagsWritten) -> None:
        """Read or starred changed: the unread counts follow shortly."""
        self.panel.schedule()

    def on_store_write_failed(self, message: m.StoreWriteFailed) -> None:
        """Say that a flag could not be saved."""
        self.notify(message.error, title="Not saved", severity="error", markup=False)

    def action_add_feed(self) -> None:
        """Add a feed from its address or a web page's (a dialog)."""
        open_add_dialog(self)

    def action_refresh(self) -> None:
        """Fetch and read every feed in the background."""
        self.report.start()

    def on_refresh_progress(self, message: m.RefreshProgress) -> None:
        """Show how far the refresh got."""
        self.report.progress(message)

    def on_refresh_finished(self, message: m.RefreshFinished) -> None:
        """Report the refresh and reload the list, keeping the cursor on the same article."""
        self.report.finished(message)

    def on_stories_grouped(self, message: m.StoriesGrouped) -> None:
        """Read the list again: it folds the stories grouped in the background."""
        self.reload()

    def reload(self) -> None:
        """Load the list again (articles arrived), the cursor staying on its article."""
        self._total = None
        self._request_headlines()
