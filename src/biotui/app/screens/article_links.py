"""The links of the article shown: those of its body (a click), and the identifiers it names
(a click in its Identifiers section, or ``i`` and a choice in the picker); each opens in the
browser through :func:`~biotui.app.screens.links.open_link`. :class:`ArticleLinks` gives the
main screen its action and handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.worker import get_current_worker

from biotui.app.screens.links import open_link
from biotui.errors import BiotuiError

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from biotui.app.screens.main import MainScreen
    from biotui.identifiers import Identifier


class ArticleLinks:
    """The main screen's ``i`` and the handlers of clicked links (a mixin of MainScreen)."""

    def on_markdown_link_clicked(self, message: Markdown.LinkClicked) -> None:
        """Open links from the article body in the browser (see :func:`open_link`)."""
        message.stop()
        open_link(cast("MainScreen", self).app, message.href)

    def action_open_identifier(self, index: int) -> None:
        """Open the shown article's identifier number ``index`` (a click on its line in the
        Identifiers section)."""
        screen = cast("MainScreen", self)
        identifiers = screen.article_view.identifiers
        if 0 <= index < len(identifiers):
            open_link(screen.app, identifiers[index].url)

    def action_identifiers(self) -> None:
        """List the highlighted article's identifiers (read in a thread worker) to open one."""
        screen = cast("MainScreen", self)
        headline = screen.headline_list.highlighted
        if headline is None:
            return
        screen.run_worker(
            lambda: _read(screen, headline.rowid),
            thread=True,
            exclusive=True,
            group="identifiers",
            exit_on_error=False,
            description="identifiers",
        )


def _read(screen: MainScreen, rowid: int) -> None:
    """Read the identifiers of article ``rowid``, then offer them (or say there are none)."""
    try:
        found = screen.store.identifiers.of(rowid)
    except BiotuiError as exc:
        screen.app.call_from_thread(screen.notify, str(exc), severity="error", markup=False)
        return
    if not get_current_worker().is_cancelled:
        screen.app.call_from_thread(_offer, screen, found)


def _offer(screen: MainScreen, found: tuple[Identifier, ...]) -> None:
    if not found:
        screen.notify("This article names no trial, paper, drug code or target.", markup=False)
        return
    from biotui.app.widgets.identifier_picker import IdentifierPicker

    def chosen(url: str | None) -> None:
        if url is not None:
            open_link(screen.app, url)

    screen.app.push_screen(IdentifierPicker(found, screen.store), chosen)
