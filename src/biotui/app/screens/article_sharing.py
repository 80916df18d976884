"""Keeping and sharing the highlighted article: ``e`` saves it as a Markdown file into the
``export_dir`` setting's folder, ``y`` copies its link to the clipboard."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from biotui.app.format import one_line
from biotui.articlesave import save_article
from biotui.errors import BiotuiError
from biotui.paths import export_folder

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen

SAVED_TIMEOUT = 10.0
"""Seconds the notification naming the saved file stays (long enough to read a path)."""


class ArticleSharing:
    """The main screen's ``e`` and ``y`` actions (mixed into :class:`MainScreen`)."""

    def action_export_article(self) -> None:
        """Save the highlighted article as Markdown into ``export_dir``, and say where."""
        export_highlighted(cast("MainScreen", self))

    def action_copy_link(self) -> None:
        """Copy the highlighted article's link to the clipboard, and say so."""
        copy_link(cast("MainScreen", self))


def export_highlighted(screen: MainScreen) -> None:
    """Save the highlighted article in a thread worker (reading it whole and writing the file
    never hold up the interface); a notification names the file or says why not."""
    headline = screen.headline_list.highlighted
    if headline is None:
        return
    folder = export_folder(screen.config.settings.export_dir)
    screen.run_worker(
        partial(_export, screen, headline.rowid, folder),
        thread=True,
        group="export",
        exit_on_error=False,
        description="export",
    )


def _export(screen: MainScreen, rowid: int, folder: Path) -> None:
    """Read the article and write its file; notify (thread-safe) what happened."""
    try:
        article = screen.store.article(rowid)
        if article is None:
            raise BiotuiError("this article is no longer stored")
        path = save_article(article, folder)
    except BiotuiError as exc:
        screen.app.notify(f"Not saved: {one_line(str(exc))}", severity="error", markup=False)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        screen.app.notify(
            one_line(f"Not saved: {reason}: {exc.filename or folder}"),
            severity="error",
            markup=False,
        )
    else:
        screen.app.notify(f"Saved {path}", title="Exported", markup=False, timeout=SAVED_TIMEOUT)


def copy_link(screen: MainScreen) -> None:
    """Copy the highlighted article's link with the terminal's clipboard (OSC 52, which also
    works over SSH in terminals that support it), or say the article has none."""
    headline = screen.headline_list.highlighted
    if headline is None:
        return
    link = one_line(headline.link)
    if not link:
        screen.app.notify("This article has no link to copy", markup=False)
        return
    screen.app.copy_to_clipboard(link)
    screen.app.notify(f"Copied {link}", markup=False)
