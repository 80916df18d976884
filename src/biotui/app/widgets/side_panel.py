"""The side panel: All articles, Starred, the saved searches, the feeds (those of the
``[sync]`` server under a heading of their own), the feeds' tags and the mute rules, with
their counts.

An ``OptionList`` (tens of entries at most). Each entry is a small Rich grid built from plain
strings: a gutter (▸ marks the entry the list shows), the name, the count on the right, and for
a feed whose last refresh failed (or a saved search that does not parse) a ✗ and the error, cut
to one line (in full while the entry is highlighted, and as its tooltip). A saved search is a
watchlist: ``+N`` before its count says how many matches arrived since it was last opened,
and a sparkline under its name its matches per day over the last days.
Choosing an entry posts :class:`SidePanel.Chosen`; the screen decides what that shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from biotui.app.format import one_line
from biotui.app.scope import Count, Scope
from biotui.watch.trend import sparkline

HEADINGS = {
    "search": "Saved searches",
    "feed": "Feeds",
    "synced": "Synced feeds",
    "tag": "Tags",
    "muted": "Muted",
}
"""The heading above the first entry of each kind (``synced``: the server's feeds)."""


def count_text(scope: Scope, count: Count | None) -> str:
    """The number shown for ``scope``: the total for All articles and for a mute rule (the
    articles it hides), unread/total for Starred, the unread articles for a saved search, a
    feed or a tag; blank until counted."""
    if count is None:
        return ""
    if scope.kind in ("all", "muted"):
        return f"{count.total:,}" if count.total is not None else ""
    if count.unread is None:
        return ""
    if scope.kind == "starred":
        return f"{count.unread:,}/{count.total or 0:,}"
    return f"{count.unread:,}"


class SidePanel(OptionList):
    """Where the headline list starts from; Enter or a click chooses an entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="next"),
        Binding("k", "cursor_up", "Up", show=False, id="previous"),
        # In the footer only while the panel has focus; off when nobody removes feeds.
        Binding("delete,x", "remove_entry", "Remove feed", tooltip="Asks first", id="remove_feed"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "side-panel--heading",
        "side-panel--active",
        "side-panel--count",
        "side-panel--unread",
        "side-panel--error",
        "side-panel--new",
        "side-panel--trend",
    }

    @dataclass
    class Chosen(Message):
        """The person chose an entry (Enter or a click)."""

        side_panel: SidePanel
        scope: Scope

        @property
        def control(self) -> SidePanel:
            """The panel that sent the message."""
            return self.side_panel

    def __init__(
        self,
        scopes: Sequence[Scope],
        *,
        active: Scope | None = None,
        on_remove: Callable[[], None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the panel listing ``scopes`` in order (see ``panel_scopes``), with ``active``
        drawn as the one the list shows; ``on_remove`` is called when the person asks to remove
        the highlighted entry (which decides whether it can be)."""
        super().__init__(name=name, id=id, classes=classes, markup=False)
        self._on_remove = on_remove
        self._scopes = list(scopes)
        self._ids = {f"scope-{index}": scope for index, scope in enumerate(self._scopes)}
        self._counts: dict[Scope, Count] = {}
        self._active = active
        self._styles_seen: tuple[Style, ...] = ()

    def set_scopes(self, scopes: Sequence[Scope]) -> None:
        """List ``scopes`` instead (the configuration changed); counts follow separately."""
        self._scopes = list(scopes)
        self._ids = {f"scope-{index}": scope for index, scope in enumerate(self._scopes)}
        self._rebuild()

    @property
    def scopes(self) -> list[Scope]:
        """The entries, in order."""
        return list(self._scopes)

    @property
    def counts(self) -> dict[Scope, Count]:
        """The counts shown (empty until the first ``set_counts``)."""
        return dict(self._counts)

    @property
    def active(self) -> Scope | None:
        """The entry the headline list shows (marked ▸)."""
        return self._active

    @property
    def highlighted_scope(self) -> Scope | None:
        """The entry under the cursor."""
        option = self.highlighted_option
        return None if option is None or option.id is None else self._ids.get(option.id)

    def highlight_scope(self, scope: Scope) -> None:
        """Put the cursor on ``scope``'s entry."""
        for option_id, known in self._ids.items():
            if known == scope:
                self.highlighted = self.get_option_index(option_id)
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer removal only when someone removes entries."""
        if action == "remove_entry":
            return self._on_remove is not None
        return super().check_action(action, parameters)

    def action_remove_entry(self) -> None:
        """Ask to remove the highlighted entry (see ``on_remove``)."""
        if self._on_remove is not None:
            self._on_remove()

    def on_mount(self) -> None:
        """Fill the list and put the cursor on the first entry."""
        self._styles_seen = self._entry_styles()
        self._rebuild()
        self.highlighted = 0

    def set_counts(self, counts: dict[Scope, Count]) -> None:
        """Show new counts."""
        self._counts = dict(counts)
        self._redraw()

    def set_active(self, scope: Scope | None) -> None:
        """Draw ``scope`` as the one the list shows."""
        if scope != self._active:
            self._active = scope
            self._redraw()

    def notify_style_update(self) -> None:
        """Rebuild the entries when the theme or CSS changes their styles."""
        super().notify_style_update()
        if self.is_mounted:
            styles = self._entry_styles()
            if styles != self._styles_seen:
                self._styles_seen = styles
                self._redraw()

    def _entry_styles(self) -> tuple[Style, ...]:
        return tuple(
            self.get_component_rich_style(name, partial=True)
            for name in (
                "side-panel--heading",
                "side-panel--active",
                "side-panel--count",
                "side-panel--unread",
                "side-panel--error",
                "side-panel--new",
                "side-panel--trend",
            )
        )

    def _rebuild(self) -> None:
        """Fill the list from scratch: headings and entries."""
        options: list[Option] = []
        last_kind = ""
        highlighted = self.highlighted_scope
        for option_id, scope in self._ids.items():
            kind = "synced" if scope.synced else scope.kind
            heading = HEADINGS.get(kind)
            if heading is not None and kind != last_kind:
                options.append(Option(self._heading(heading), disabled=True))
            last_kind = kind
            options.append(Option(self._prompt(scope, scope == highlighted), id=option_id))
        self.set_options(options)

    def _redraw(self) -> None:
        """Redraw every entry in place (the cursor stays)."""
        highlighted = self.highlighted_scope
        for option_id, scope in self._ids.items():
            self.replace_option_prompt(option_id, self._prompt(scope, scope == highlighted))
        self._update_tooltip()

    def _heading(self, text: str) -> Text:
        heading_style, *_ = self._styles_seen or self._entry_styles()
        return Text(text, style=heading_style, no_wrap=True, overflow="ellipsis")

    def _prompt(self, scope: Scope, highlighted: bool) -> Table:
        """One entry: a gutter (▸ for the entry shown, ✗ for a failure), the name and the count,
        then the error of a failing feed or search, or a watchlist's sparkline, under the
        name."""
        _, active_style, count_style, unread_style, error_style, new_style, trend_style = (
            self._styles_seen or self._entry_styles()
        )
        count = self._counts.get(scope)
        error = count.error if count is not None else None
        active = scope == self._active
        grid = Table.grid(expand=True, padding=(0, 1, 0, 0))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        if error is not None:
            gutter = Text("✗", style=error_style)
        else:
            gutter = Text("▸" if active else " ", style=active_style)
        name = Text(one_line(scope.label), style=active_style if active else "")
        number = count_text(scope, count)
        unread = count is not None and bool(count.unread) and scope.kind not in ("all", "muted")
        shown = Text(number, style=unread_style if unread else count_style)
        if count is not None and count.new:
            shown = Text.assemble((f"+{count.new:,}", new_style), " ", shown)
        grid.add_row(gutter, name, shown)
        if error is None and count is not None and count.trend:
            grid.add_row(Text(""), Text(sparkline(count.trend), style=trend_style), Text(""))
        if error is not None:
            # The whole error while the cursor is on it (in the cursor's colours), one dim line
            # otherwise.
            message = Text(
                one_line(error),
                style="" if highlighted else error_style + Style(dim=True),
                no_wrap=not highlighted,
                overflow="fold" if highlighted else "ellipsis",
            )
            grid.add_row(Text(""), message, Text(""))
        return grid

    def _update_tooltip(self) -> None:
        scope = self.highlighted_scope
        count = self._counts.get(scope) if scope is not None else None
        self.tooltip = (
            Content(f"{one_line(scope.label)}: {one_line(count.error)}")
            if scope is not None and count is not None and count.error
            else None
        )

    @on(OptionList.OptionHighlighted)
    def _entry_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._redraw()

    @on(OptionList.OptionSelected)
    def _entry_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        scope = self._ids.get(event.option.id or "")
        if scope is not None:
            self.post_message(self.Chosen(self, scope))
