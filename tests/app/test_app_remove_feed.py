"""Removing a feed from the side panel (Delete or x, then a confirmation): the feed leaves the
panel and the configuration file, its unstarred articles the list; starred ones stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import (
    OpenApp,
    choose_scope,
    list_rows,
    make_article,
    screen_text,
    settle,
    show_scope,
    until,
)
from textual.pilot import Pilot

from biotui.app.widgets.remove_feed_dialog import RemoveFeedDialog
from biotui.app.widgets.side_panel import SidePanel
from biotui.config import load_config
from biotui.model import Config, article_id
from biotui.store import Store

CONFIG = """# my feeds: keep this comment
[settings]
refresh_on_start = false

# genes, weekly
[[feeds]]
name = "Gene Letters"
url = "https://example.org/genes.rss"
tags = ["bio"]

# cells
[[feeds]]
name = "Cell Notes"
url = "https://example.org/cells.rss" # keep me
tags = ["bio"]
"""

WIDE = (120, 30)


@pytest.fixture
def file_config(tmp_path: Path, store: Store) -> Config:
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    genes = [make_article(f"g{n}", f"Gene story {n}", feed="Gene Letters") for n in range(3)]
    store.ingest("Gene Letters", genes)
    store.ingest("Cell Notes", [make_article("c1", "Cell story", feed="Cell Notes")])
    store.set_starred(article_id("Gene Letters", "g0"), True)
    return load_config(path)


def panel_labels(pilot: Pilot[None]) -> list[str]:
    return [scope.label for scope in pilot.app.screen.query_one(SidePanel).scopes]


async def ask_to_remove(pilot: Pilot[None], label: str) -> None:
    """Focus the side panel, highlight ``label`` and press x."""
    app = pilot.app
    if not isinstance(app.focused, SidePanel):
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.focused, SidePanel))
    choose_scope(app, label)
    await pilot.press("x")


async def test_confirming_removes_the_feed_and_its_unstarred_articles(
    open_app: OpenApp, file_config: Config
) -> None:
    async with open_app(config=file_config, size=WIDE, notifications=True) as pilot:
        app = pilot.app
        assert "Remove feed" not in screen_text(app)  # only while the panel has focus
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.focused, SidePanel))
        assert "Remove feed" in screen_text(app)
        await show_scope(pilot, app, "Gene Letters")
        assert "Remove feed" not in screen_text(app)
        assert len([row for row in list_rows(app) if "Gene story" in row]) == 3
        await ask_to_remove(pilot, "Gene Letters")
        await until(pilot, lambda: isinstance(app.screen, RemoveFeedDialog))
        text = screen_text(app)
        assert "Remove the feed Gene Letters" in text
        assert "Its 2 articles will be deleted" in text
        assert "Its 1 starred article stays" in text
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, RemoveFeedDialog))
        await until(pilot, lambda: "Gene Letters" not in panel_labels(pilot))
        await settle(pilot)
        assert "Removed Gene Letters and its 2 articles" in screen_text(app)
        # The list showed the feed: it shows all articles now, the starred one among them.
        rows = [row for row in list_rows(app) if "story" in row]
        assert any("Cell story" in row for row in rows)
        assert [row for row in rows if "Gene story" in row] == [
            next(row for row in rows if "Gene story 0" in row)
        ]
        await show_scope(pilot, app, "Starred")
        assert any("Gene story 0" in row for row in list_rows(app))
        await pilot.press("enter")
        await until(pilot, lambda: "Gene story 0" in screen_text(app))
    text = file_config.path.read_text(encoding="utf-8")
    assert "Gene Letters" not in text and "# genes, weekly" not in text
    assert "# my feeds: keep this comment" in text and "# cells" in text and "# keep me" in text
    assert [feed.name for feed in load_config(file_config.path).feeds] == ["Cell Notes"]


async def test_the_remove_button_and_y_confirm_too(
    open_app: OpenApp, file_config: Config, store: Store
) -> None:
    async with open_app(config=file_config, size=WIDE) as pilot:
        app = pilot.app
        await ask_to_remove(pilot, "Cell Notes")
        await until(pilot, lambda: isinstance(app.screen, RemoveFeedDialog))
        await pilot.click("#remove-feed-confirm")
        await until(pilot, lambda: "Cell Notes" not in panel_labels(pilot))
        await ask_to_remove(pilot, "Gene Letters")
        await until(pilot, lambda: isinstance(app.screen, RemoveFeedDialog))
        await pilot.press("y")
        await until(pilot, lambda: "Gene Letters" not in panel_labels(pilot))
        await settle(pilot)
    assert load_config(file_config.path).feeds == ()
    assert store.article_count() == 1  # the starred one


@pytest.mark.parametrize("key", ["escape", "n"])
async def test_cancelling_changes_nothing(
    open_app: OpenApp, file_config: Config, store: Store, key: str
) -> None:
    async with open_app(config=file_config, size=WIDE) as pilot:
        app = pilot.app
        await ask_to_remove(pilot, "Gene Letters")
        await until(pilot, lambda: isinstance(app.screen, RemoveFeedDialog))
        await pilot.press(key)
        await until(pilot, lambda: not isinstance(app.screen, RemoveFeedDialog))
        await settle(pilot)
        assert "Gene Letters" in panel_labels(pilot)
        assert len([row for row in list_rows(app) if "Gene story" in row]) == 3
    assert file_config.path.read_text(encoding="utf-8") == CONFIG
    assert store.article_count(feed="Gene Letters") == 3


@pytest.mark.parametrize("label", ["All articles", "Starred", "bio"])
async def test_the_key_on_an_entry_that_is_not_a_feed_removes_nothing(
    open_app: OpenApp, file_config: Config, store: Store, label: str
) -> None:
    async with open_app(config=file_config, size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await ask_to_remove(pilot, label)
        await until(pilot, lambda: "Only a feed can be removed" in screen_text(app))
        assert not isinstance(app.screen, RemoveFeedDialog)
    assert file_config.path.read_text(encoding="utf-8") == CONFIG
    assert store.article_count() == 4


async def test_a_failed_removal_is_one_line_and_loses_nothing(
    open_app: OpenApp, file_config: Config, store: Store
) -> None:
    async with open_app(config=file_config, size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await ask_to_remove(pilot, "Gene Letters")
        await until(pilot, lambda: isinstance(app.screen, RemoveFeedDialog))
        # Someone edits the file meanwhile: the feed is no longer there to remove.
        edited = CONFIG.replace('name = "Gene Letters"', 'name = "Gene Weekly"')
        file_config.path.write_text(edited, encoding="utf-8")
        await pilot.press("y")
        await until(pilot, lambda: "no feed named 'Gene Letters'" in screen_text(app))
        assert "Gene Letters" in panel_labels(pilot)
    assert file_config.path.read_text(encoding="utf-8") == edited
    assert store.article_count(feed="Gene Letters") == 3


async def test_the_palette_offers_removal_while_the_panel_shows(
    open_app: OpenApp, file_config: Config
) -> None:
    async with open_app(config=file_config, size=WIDE) as pilot:
        app = pilot.app
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Remove feed" not in titles
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.focused, SidePanel))
        choose_scope(app, "Cell Notes")
        await pilot.press("ctrl+p", *"remove feed")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RemoveFeedDialog))
        assert "Remove the feed Cell Notes" in screen_text(app)
