"""Marking a whole view read with A and undoing marks with u, as a person sees them: the
store through its public API, the list, the side panel's counts and the status line."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import OpenApp, list_rows, make_article, screen_text, settle, show_scope

from biotui.app.app import BiotuiApp
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Config, Feed, Settings
from biotui.store import Store

WIDE = (150, 36)
NARROW = (80, 24)

State = dict[str, tuple[bool, bool]]


@pytest.fixture
def two_feeds(tmp_path: Path) -> Config:
    return Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(
            Feed("Test Feed", path=str(tmp_path / "clips")),
            Feed("Other Feed", path=str(tmp_path / "other")),
        ),
    )


def fill(store: Store) -> None:
    """Three articles in Test Feed (two about lupus), one about lupus in Other Feed."""
    store.ingest(
        "Test Feed",
        [
            make_article("a", "Lupus remission after CAR-T", day=9),
            make_article("b", "Lupus nephritis trial", day=5),
            make_article("c", "Myeloma relapse", day=2),
        ],
    )
    store.ingest("Other Feed", [make_article("d", "Lupus in children", day=7, feed="Other Feed")])


def state(store: Store) -> dict[str, tuple[bool, bool]]:
    """(read, starred) of every article, by title."""
    return {h.title: (h.read, h.starred) for h in store.headlines(store.headline_ids())}


def panel_count(app: BiotuiApp, name: str) -> str:
    """The panel row of ``name``, as drawn."""
    panel = app.screen.query_one(SidePanel)
    rows = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
    return next(row for row in rows if name in row)


async def test_a_marks_the_filtered_feed_read_and_u_restores_it(
    open_app: OpenApp, store: Store, two_feeds: Config
) -> None:
    fill(store)
    async with open_app(size=WIDE, config=two_feeds) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "A All read" in screen_text(app) and "u Undo" in screen_text(app)  # the footer
        await pilot.press("b")
        await settle(pilot)
        await show_scope(pilot, app, "Test Feed")
        await pilot.press("slash", *"lupus", "enter")
        await settle(pilot)
        assert len(list_rows(app)) == 2
        before = state(store)
        assert not before["Lupus nephritis trial"][0]
        lupus_here = ("Lupus remission after CAR-T", "Lupus nephritis trial")
        unread_here = sum(not before[title][0] for title in lupus_here)

        await pilot.press("A")
        await settle(pilot)
        after = state(store)
        expected = dict(before)
        for title in lupus_here:
            expected[title] = (True, before[title][1])
        assert after == expected  # the myeloma article and the other feed's are untouched
        plural = "article" if unread_here == 1 else "articles"
        assert f"Marked {unread_here} {plural} read" in screen_text(app)
        assert panel_count(app, "Test Feed").endswith(" 1")
        assert panel_count(app, "Other Feed").endswith(" 1")

        await pilot.press("u")
        await settle(pilot)
        assert state(store) == before
        assert f"Undid marking read of {unread_here} {plural}" in screen_text(app)
        assert panel_count(app, "Test Feed").endswith(f" {1 + unread_here}")


async def test_u_undoes_m_s_and_a_one_level_at_a_time(open_app: OpenApp, store: Store) -> None:
    store.ingest("Test Feed", [make_article("x", "First", day=3), make_article("y", "Second")])
    async with open_app(size=NARROW) as pilot:  # narrow: nothing is opened, so nothing read
        app = pilot.app
        await settle(pilot)
        start = state(store)
        assert start == {"First": (False, False), "Second": (False, False)}
        steps: list[State] = []
        for keys in (("m",), ("j", "s"), ("A",)):
            await pilot.press(*keys)
            await settle(pilot)
            steps.append(state(store))
        assert steps == [
            {"First": (True, False), "Second": (False, False)},
            {"First": (True, False), "Second": (False, True)},
            {"First": (True, False), "Second": (True, True)},
        ]
        assert "★" in screen_text(app)
        for expected, said in (
            (steps[1], "Undid marking read of 1 article"),
            (steps[0], "Undid starring of 1 article"),
            (start, "Undid marking read of 1 article"),
        ):
            await pilot.press("u")
            await settle(pilot)
            assert state(store) == expected
            assert said in screen_text(app)
        assert "★" not in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert "Nothing to undo" in screen_text(app)
        assert state(store) == start


async def test_reading_an_article_by_opening_it_is_not_undone(
    open_app: OpenApp, store: Store
) -> None:
    store.ingest("Test Feed", [make_article("x", "First", day=3), make_article("y", "Second")])
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("s", "j", "enter")  # star the first, then read the second
        await settle(pilot)
        assert state(store) == {"First": (False, True), "Second": (True, False)}
        await pilot.press("escape", "u")
        await settle(pilot)
        assert state(store) == {"First": (False, False), "Second": (True, False)}
        assert "Undid starring of 1 article" in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert "Nothing to undo" in screen_text(app)
        assert state(store) == {"First": (False, False), "Second": (True, False)}


async def test_the_palette_and_the_help_list_mark_all_read_and_undo(
    open_app: OpenApp, store: Store
) -> None:
    store.ingest("Test Feed", [make_article("x", "First")])
    async with open_app(size=(120, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Mark all read", "Undo marking"} <= set(titles)
        await pilot.press("ctrl+p", *"mark all", "enter")
        await settle(pilot)
        assert state(store) == {"First": (True, False)}
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "undo the last marking" in text and "mark every article listed" in text
