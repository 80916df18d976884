"""The side panel as a person sees it: entries, counts, feed errors, and choosing one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
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

from biotui.app.app import BiotuiApp
from biotui.app.screens import panel_control
from biotui.app.widgets.filter_bar import FilterBar
from biotui.app.widgets.headline_list import HeadlineList
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Config, Feed, FeedStatus, SavedSearch, Settings
from biotui.store import Store

WIDE = (150, 36)
NARROW = (80, 30)
ERROR = "HTTP 503 Service Unavailable from the server at feeds.example.org (will retry later)"


@pytest.fixture
def panel_config(tmp_path: Path) -> Config:
    """Two feeds (one failing) and two saved searches, one of them malformed."""
    return Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(
            Feed("Test Feed", path=str(tmp_path / "clips")),
            Feed("Other Feed", path=str(tmp_path / "other")),
            Feed("Broken Feed", url="https://feeds.example.org/rss"),
        ),
        searches=(
            SavedSearch("CAR-T in lupus", "CAR-T lupus"),
            SavedSearch("Half typed", '"CAR-T'),
        ),
    )


def fill(store: Store) -> None:
    """Four articles in two feeds, one starred and read, and a failing third feed."""
    store.ingest(
        "Test Feed",
        [
            make_article("a", "CAR-T reaches lupus patients", day=9),
            make_article("b", "Gene therapy for sickle cell", day=5),
            make_article("c", "Lupus trial of a CAR-T from China", day=2),
        ],
    )
    store.ingest(
        "Other Feed", [make_article("d", "Vaccine maker results", day=7, feed="Other Feed")]
    )
    first = store.headline_ids()[0]
    article = store.article(first)
    assert article is not None
    store.set_starred(article.id, True)
    store.set_read([article.id], True)
    store.save_feed_status(
        FeedStatus(
            "Broken Feed",
            location="https://feeds.example.org/rss",
            last_checked=datetime(2026, 2, 10, tzinfo=UTC),
            last_error=ERROR,
        )
    )


def panel_lines(app: BiotuiApp) -> list[str]:
    """The panel's rows as plain text."""
    panel = app.screen.query_one(SidePanel)
    rows = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
    return [row for row in rows if row]


def entry_lines(app: BiotuiApp, names: list[str]) -> dict[str, str]:
    """The panel's row holding each of ``names``, checking that they come in that order."""
    lines = panel_lines(app)
    positions = [next(i for i, line in enumerate(lines) if name in line) for name in names]
    assert positions == sorted(positions)
    return {name: lines[at] for name, at in zip(names, positions, strict=True)}


async def test_the_panel_lists_all_starred_searches_and_feeds_with_counts(
    open_app: OpenApp, store: Store, panel_config: Config
) -> None:
    fill(store)
    async with open_app(size=WIDE, config=panel_config) as pilot:
        app = pilot.app
        await settle(pilot)
        assert not any(panel.display for panel in app.screen.query(SidePanel))
        assert "Panel" in screen_text(app)  # the key is in the footer
        await pilot.press("b")
        await settle(pilot)
        panel = app.screen.query_one(SidePanel)
        assert panel.display and panel.has_focus
        names = [
            "All articles",
            "Starred",
            "Saved searches",
            "CAR-T in lupus",
            "Half typed",
            "Feeds",
            "Test Feed",
            "Other Feed",
            "Broken Feed",
        ]
        line = entry_lines(app, names)
        assert line["All articles"].endswith("4")
        assert line["Starred"].endswith("0/1")  # unread/total
        assert line["CAR-T in lupus"].endswith("1")  # two match, one is read
        assert line["Test Feed"].endswith("2")
        assert line["Other Feed"].endswith("1")
        assert line["Broken Feed"].startswith("✗ Broken Feed") and line["Broken Feed"].endswith("0")
        assert line["Half typed"].startswith("✗")
        lines = panel_lines(app)
        error_line = lines[lines.index(line["Broken Feed"]) + 1]
        assert error_line.startswith("HTTP 503 Service") and error_line.endswith("…")
        # The list is still beside the panel, not crushed.
        assert app.screen.query_one(HeadlineList).size.width >= 40

        # Highlighted, the failing feed shows its whole error (and it is the tooltip).
        choose_scope(app, "Broken Feed")
        await settle(pilot)
        text = " ".join(panel_lines(app))
        assert "(will retry later)" in text.replace("  ", " ")
        assert panel.tooltip is not None and ERROR in str(panel.tooltip)


async def test_the_panel_is_counted_before_it_is_asked_for(
    open_app: OpenApp, store: Store, panel_config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    counted: list[int] = []
    real = panel_control.read_counts

    def counting(*args: object, **kwargs: object) -> object:
        counted.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(panel_control, "read_counts", counting)
    async with open_app(size=WIDE, config=panel_config) as pilot:
        app = pilot.app
        await until(pilot, lambda: len(counted) == 1)  # hidden, after the first headlines
        await settle(pilot)
        await pilot.press("b")
        await until(pilot, lambda: entry_lines(app, ["All articles"])["All articles"].endswith("4"))
        assert len(counted) == 1  # shown with the counts it had: no count waited for


async def test_choosing_a_feed_starred_or_all_changes_the_list(
    open_app: OpenApp, store: Store, panel_config: Config
) -> None:
    fill(store)
    async with open_app(size=WIDE, config=panel_config) as pilot:
        app = pilot.app
        await settle(pilot)
        assert len(list_rows(app)) == 4
        await pilot.press("b")
        await settle(pilot)

        # A click chooses too.
        panel = app.screen.query_one(SidePanel)
        drawn = [panel.render_line(y).text for y in range(panel.size.height)]
        y = next(y for y, row in enumerate(drawn) if "Other Feed" in row)
        await pilot.click(SidePanel, offset=(4, y))
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 1 and "Vaccine maker results" in rows[0]
        assert isinstance(app.screen.focused, HeadlineList)
        assert "Other Feed · 1 article" in screen_text(app)

        await pilot.press("b")  # the panel is shown: b focuses it
        await show_scope(pilot, app, "Starred")
        rows = list_rows(app)
        assert len(rows) == 1 and "CAR-T reaches lupus patients" in rows[0]
        assert "Starred · 1 article" in screen_text(app)

        # A filter narrows within the chosen scope.
        await pilot.press("slash", *"sickle")
        await settle(pilot)
        assert list_rows(app) == [" No articles match the filter."]
        assert "Starred · 0 of 1 article" in screen_text(app)

        await pilot.press("escape", "b")
        await show_scope(pilot, app, "All articles")
        assert len(list_rows(app)) == 4
        assert app.screen.query_one(FilterBar).value == ""


async def test_choosing_a_saved_search_puts_its_query_in_the_filter(
    open_app: OpenApp, store: Store, panel_config: Config
) -> None:
    fill(store)
    async with open_app(size=WIDE, config=panel_config) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await show_scope(pilot, app, "CAR-T in lupus")
        assert app.screen.query_one(FilterBar).value == "CAR-T lupus"
        rows = list_rows(app)
        assert len(rows) == 2
        assert all("lupus" in row.lower() for row in rows)
        assert "CAR-T in lupus · 2 of 4 articles" in screen_text(app)

        # Editing the query makes it an ordinary filter again.
        await pilot.press("slash", *" China")
        await settle(pilot)
        assert len(list_rows(app)) == 1
        text = screen_text(app)
        assert "CAR-T in lupus ·" not in text and "1 of 4 articles" in text


async def test_counts_follow_read_changes(
    open_app: OpenApp, store: Store, panel_config: Config
) -> None:
    fill(store)
    async with open_app(size=WIDE, config=panel_config) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert next(line for line in panel_lines(app) if "Other Feed" in line).endswith("1")
        await pilot.press("escape")  # back to the list, the panel stays
        assert app.screen.query_one(SidePanel).display
        rows = list_rows(app)
        await pilot.press(*["j"] * next(i for i, row in enumerate(rows) if "Vaccine" in row))
        await settle(pilot)  # the wide layout shows the article, which marks it read
        assert next(line for line in panel_lines(app) if "Other Feed" in line).endswith("0")
        await pilot.press("m")
        await settle(pilot)
        assert next(line for line in panel_lines(app) if "Other Feed" in line).endswith("1")


async def test_on_a_narrow_terminal_the_panel_covers_the_list(
    open_app: OpenApp, store: Store, panel_config: Config
) -> None:
    fill(store)
    async with open_app(size=NARROW, config=panel_config) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        panel = app.screen.query_one(SidePanel)
        headlines = app.screen.query_one(HeadlineList)
        assert panel.region.width == 80
        assert headlines.region.width == 0
        text = screen_text(app)
        assert "Broken Feed" in text and "Gene therapy" not in text

        await show_scope(pilot, app, "Test Feed")
        assert panel.region.width == 0 and headlines.region.width == 80
        assert len(list_rows(app)) == 3

        await pilot.press("b")
        await settle(pilot)
        assert panel.region.width == 80
        await pilot.press("escape")
        await settle(pilot)
        assert panel.region.width == 0 and isinstance(app.screen.focused, HeadlineList)


async def test_tags_list_their_feeds_unread_articles_and_choosing_one_shows_them(
    open_app: OpenApp, store: Store, panel_config: Config
) -> None:
    fill(store)
    test_feed, other_feed, broken_feed = panel_config.feeds
    tagged = replace(
        panel_config,
        feeds=(
            replace(test_feed, tags=("industry",)),
            replace(other_feed, tags=("industry", "vaccines")),
            replace(broken_feed, tags=("vaccines",)),
        ),
    )
    async with open_app(size=WIDE, config=tagged) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        names = ["Saved searches", "Feeds", "Broken Feed", "Tags", "industry", "vaccines"]
        line = entry_lines(app, names)
        assert line["industry"].endswith("3")  # Test Feed's 2 unread and Other Feed's 1
        assert line["vaccines"].endswith("1")

        await show_scope(pilot, app, "vaccines")
        rows = list_rows(app)
        assert len(rows) == 1 and "Vaccine maker results" in rows[0]
        assert "vaccines · 1 article" in screen_text(app)

        await pilot.press("b")
        await show_scope(pilot, app, "industry")
        assert len(list_rows(app)) == 4
        # A filter narrows within the tag's feeds.
        await pilot.press("slash", *"lupus")
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 2 and all("lupus" in row.lower() for row in rows)
        assert "industry · 2 of 4 articles" in screen_text(app)
