"""[keys], themes and the command palette as a person meets them in the app."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app_helpers import (
    OpenApp,
    list_rows,
    make_article,
    screen_segments,
    screen_text,
    settle,
    until,
)
from rich.style import Style

from biotui.app.screens.help import HelpScreen
from biotui.app.widgets.add_feed_dialog import AddFeedDialog
from biotui.app.widgets.article_view import ArticleView
from biotui.app.widgets.headline_list import HeadlineList
from biotui.config import load_config
from biotui.model import Config, Feed, KeyEntry, SavedSearch, Settings
from biotui.store import Store

WIDE = (130, 30)


def starred(store: Store) -> bool:
    article = store.article(1)
    assert article is not None
    return article.starred


def footer_line(app: object) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]  # type: ignore[arg-type]


async def test_a_rebound_key_does_the_action_and_the_old_one_no_longer(
    open_app: OpenApp, store: Store, config: Config
) -> None:
    store.ingest("Test Feed", [make_article("a", "Rebound story")])
    keyed = replace(config, keys=(KeyEntry("toggle_star", ("z",)),))
    async with open_app(size=WIDE, config=keyed) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "z Star" in footer_line(app) and "s Star" not in footer_line(app)
        await pilot.press("s")
        await settle(pilot)
        assert not starred(store)
        await pilot.press("z")
        await settle(pilot)
        assert starred(store) and "★" in list_rows(app)[0]
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_lines = screen_text(app).splitlines()
        assert any(
            "z" in line.split("star / unstar")[0] for line in help_lines if "star / unstar" in line
        )
        assert not any(line.strip().startswith("s ") and "star" in line for line in help_lines)


async def test_a_key_taken_from_another_action_leaves_it(
    open_app: OpenApp, store: Store, config: Config
) -> None:
    store.ingest("Test Feed", [make_article("a", "One"), make_article("b", "Two", day=2)])
    keyed = replace(config, keys=(KeyEntry("mark_all_read", ("a",)),))
    async with open_app(size=WIDE, config=keyed) as pilot:
        app = pilot.app
        await settle(pilot)
        footer = footer_line(app)
        assert "a All read" in footer and "Add" not in footer and "A All read" not in footer
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, AddFeedDialog)
        assert all(article.read for article in (store.article(1), store.article(2)) if article)
        # add_feed kept no key, but the palette still runs it
        await pilot.press("ctrl+p", *"add feed")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))


def marker_style(app: object) -> Style:
    """The style of the unread marker ● of the first headline."""
    headlines = app.screen.query_one(HeadlineList)  # type: ignore[attr-defined]
    for segment in screen_segments(app, headlines.region):  # type: ignore[arg-type]
        if "●" in segment.text:
            assert segment.style is not None
            return segment.style
    raise AssertionError("no unread marker on screen")


async def test_markers_and_highlights_follow_the_theme(
    open_app: OpenApp, store: Store, config: Config
) -> None:
    store.ingest("Test Feed", [make_article("a", "Lupus story")])
    seen = {}
    for theme in ("textual-dark", "gruvbox"):
        themed = replace(config, settings=replace(config.settings, theme=theme))
        async with open_app(size=WIDE, config=themed, initial_filter="lupus") as pilot:
            await settle(pilot)
            assert pilot.app.theme == theme
            matched = [
                s.style
                for s in screen_segments(pilot.app, pilot.app.screen.query_one(HeadlineList).region)
                if s.text == "Lupus"
            ]
            assert matched and matched[0] is not None
            seen[theme] = (marker_style(pilot.app).color, matched[0].color)
    assert seen["textual-dark"][0] != seen["gruvbox"][0]
    assert seen["textual-dark"][1] != seen["gruvbox"][1]


CONFIG_TEXT = """# my reading list
[settings]
refresh_on_start = false  # not at start

# feeds below
[[feeds]]
name = "Clips"
path = "clips"
"""


async def test_a_theme_chosen_in_the_palette_is_written_back(
    open_app: OpenApp, store: Store, tmp_path: Path
) -> None:
    (tmp_path / "clips").mkdir()
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG_TEXT, encoding="utf-8")
    async with open_app(size=WIDE, config=load_config(path)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("ctrl+p", *"theme")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"nord")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == "nord")
        await settle(pilot)
    text = path.read_text(encoding="utf-8")
    assert 'theme = "nord"' in text
    assert text.replace('theme = "nord"\n', "") == CONFIG_TEXT
    assert load_config(path).settings.theme == "nord"


async def test_the_palette_shows_feeds_and_saved_searches_by_name(
    open_app: OpenApp, store: Store, tmp_path: Path
) -> None:
    store.ingest("Alpha", [make_article("a", "Alpha story", feed="Alpha")])
    store.ingest("Beta", [make_article("b", "Beta lupus story", feed="Beta")])
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(Feed("Alpha", path=str(tmp_path)), Feed("Beta [b]", path=str(tmp_path))),
        searches=(SavedSearch("Lupus news", "lupus"),),
    )
    async with open_app(size=WIDE, config=config) as pilot:
        app = pilot.app
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Feed: Alpha", "Saved search: Lupus news", "Show Starred"} <= set(titles)
        await pilot.press("ctrl+p", *"Feed: Alpha")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: len(list_rows(app)) == 1)
        assert "Alpha story" in list_rows(app)[0]
        await pilot.press("ctrl+p", *"Lupus news")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: any("Beta lupus" in row for row in list_rows(app)))
        assert len(list_rows(app)) == 1


async def test_a_theme_chosen_while_reading_recolours_markers_and_highlights(
    open_app: OpenApp, store: Store, config: Config
) -> None:
    store.ingest("Test Feed", [make_article("a", "Lupus story", body="More on lupus here.")])
    async with open_app(size=WIDE, initial_filter="lupus") as pilot:
        app = pilot.app
        await settle(pilot)
        article = app.screen.query_one(ArticleView)

        def look() -> tuple[object, ...]:
            marks = [
                s.style.color
                for s in screen_segments(app, article.region)
                if s.style is not None and s.style.underline
            ]
            assert marks, "no highlighted word in the article"
            return marker_style(app).color, tuple(marks)

        before = look()
        app.theme = "gruvbox"
        await settle(pilot)
        after = look()
        assert before[0] != after[0]
        assert set(before[1]).isdisjoint(after[1])
