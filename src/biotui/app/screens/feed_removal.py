"""Removing the feed highlighted in the side panel: its counts, the confirmation, then the
removal (``biotui remove``'s, :func:`biotui.feedremoval.remove_feed`) in thread workers, and
the main screen on the new configuration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from biotui.app.format import one_line
from biotui.app.scope import ALL, Scope, tag_scopes
from biotui.app.widgets.remove_feed_dialog import RemovalPlan, RemoveFeedDialog
from biotui.config import load_config
from biotui.configwrite import is_built_in
from biotui.errors import BiotuiError
from biotui.feedremoval import FeedRemovalError, FeedRemoved, remove_feed
from biotui.model import Config

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen

ONLY_FEEDS = "Only a feed can be removed: highlight one in the side panel (b)."


@dataclass(frozen=True, slots=True)
class _Removed:
    """What the removal did, and the configuration as it now is on disk."""

    done: FeedRemoved
    config: Config


def remove_highlighted_feed(screen: MainScreen) -> None:
    """Ask to remove the feed highlighted in ``screen``'s side panel (counted in a thread
    worker first); any other entry, or no panel, is a notification."""
    panel = screen.panel.panel
    scope = panel.highlighted_scope if panel is not None and screen.panel_shown else None
    if scope is None or scope.kind != "feed":
        screen.notify(ONLY_FEEDS, title="Remove feed", severity="warning", markup=False)
        return
    if scope.synced and all(feed.name != scope.name for feed in screen.config.feeds):
        screen.notify(
            f"{one_line(scope.name)} is a feed of the sync server: unsubscribe from it there.",
            title="Remove feed",
            severity="warning",
            markup=False,
        )
        return
    if not _refresh_done(screen):
        return
    screen.run_worker(
        partial(_count, screen, scope.name),
        thread=True,
        exclusive=True,
        group="feed-removal",
        exit_on_error=False,
        description="feed removal counts",
    )


def _refresh_done(screen: MainScreen) -> bool:
    """False (and a notification) while a refresh runs: it could store the feed again."""
    if screen.report.running:
        screen.notify("Wait for the refresh to finish.", title="Remove feed", markup=False)
        return False
    return True


def _count(screen: MainScreen, name: str) -> None:
    try:
        total = screen.store.article_count(feed=name)
        starred = screen.store.article_count(feed=name, starred_only=True)
    except BiotuiError as exc:
        screen.app.call_from_thread(_failed, screen, str(exc))
        return
    plan = RemovalPlan(name, total - starred, starred)
    screen.app.call_from_thread(_confirm, screen, plan)


def _confirm(screen: MainScreen, plan: RemovalPlan) -> None:
    def answered(remove: bool | None) -> None:
        if remove and _refresh_done(screen):
            screen.run_worker(
                partial(_remove, screen, plan.name),
                thread=True,
                exclusive=True,
                group="feed-removal",
                exit_on_error=False,
                description="feed removal",
            )

    screen.app.push_screen(RemoveFeedDialog(plan), answered)


def _remove(screen: MainScreen, name: str) -> None:
    config = screen.config
    try:
        done = remove_feed(config, screen.store, name, built_in=is_built_in(config.path))
    except FeedRemovalError as exc:
        screen.app.call_from_thread(_failed, screen, str(exc))
        return
    try:
        new_config = load_config(done.target)
    except BiotuiError as exc:
        screen.app.call_from_thread(_failed, screen, f"{name} was removed, but: {exc}")
        return
    screen.app.call_from_thread(_removed, screen, _Removed(done, new_config))


def _removed(screen: MainScreen, removed: _Removed) -> None:
    """Use the new configuration; show All articles (or the tag, without the feed) if the
    list showed the removed feed; say what went."""
    done, config = removed.done, removed.config
    panel = screen.panel.panel
    shown = panel.active if panel is not None else None
    position = panel.scopes.index(Scope("feed", done.name)) if panel is not None else 0
    screen.config = config
    screen.panel.use_config(config)
    screen.report.use_config(config)
    if panel is not None and panel.scopes:
        panel.highlight_scope(panel.scopes[min(position, len(panel.scopes) - 1)])
    if shown == Scope("feed", done.name):
        screen.show_scope(ALL)
    elif shown is not None and shown.kind == "tag" and done.name in shown.feeds:
        tags = {tag.name: tag for tag in tag_scopes(config)}
        screen.show_scope(tags.get(shown.name, ALL))
    else:
        screen.reload()
    screen.notify(_summary(done), title="Feed removed", markup=False)


def _summary(done: FeedRemoved) -> str:
    removed = f"{done.removed:,} article{'' if done.removed == 1 else 's'}"
    text = f"Removed {one_line(done.name)} and its {removed}"
    if done.kept_starred:
        text += f"; {done.kept_starred:,} starred kept under Starred"
    if done.copied:
        text += f" (the configuration is now {done.target})"
    return text + "."


def _failed(screen: MainScreen, error: str) -> None:
    screen.notify(one_line(error), title="Not removed", severity="error", markup=False)
