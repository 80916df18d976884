"""Stories in the app, as a person sees them: a story listed once (its earliest article, at
that article's place) with "+N sources", ``z`` unfolding and folding it, reading or marking
its row covering its articles, the status line counting stories, and the article pane's
"Also reported by" lines. The stories are made through the store's API, with a chooser
that joins articles sharing an identifier key (the grouping's own decisions are tested in
tests/stories)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from app_helpers import (
    OpenApp,
    cursor_row,
    list_rows,
    make_article,
    marked_words,
    screen_text,
    settle,
    until,
)

from biotui.app import queries, story_rows
from biotui.app.screens.help import HELP_TEXT
from biotui.app.widgets.story_sources import StorySource
from biotui.model import Article, Headline
from biotui.store import Store
from biotui.store.stories import StoryBatch, StoryPlacement, StoryWork

WIDE = (150, 36)
NARROW = (80, 24)
LEAD = "Kyverna doses first lupus patient with KYV-101"
SECOND = "First patient dosed in Kyverna lupus trial"
THIRD = "Kyverna starts KYV-101 dosing in lupus"


def group(store: Store, articles: Sequence[tuple[Article, str]]) -> None:
    """Group ``articles``, each with its key: those sharing a key form one story (the
    grouping's own decisions are tested in tests/stories)."""
    keys = {article.id: key for article, key in articles}

    def place(work: StoryWork) -> StoryBatch:
        stories = {member.features: member.story for member in work.members(0, 2**62)}
        placements = []
        for target in work.targets:
            key = keys[target.article]
            if key not in stories:
                stories[key] = work.new_story()
            story = stories[key]
            placements.append(StoryPlacement(target.rowid, story, target.sort_time, key))
        return StoryBatch(placements)  # the features are the key, read back above

    store.stories.assign(list(keys), place)


def fill(store: Store) -> dict[str, Article]:
    """A story of three articles from three feeds (days 3, 4 and 5) between two articles
    of their own (days 6 and 1)."""
    made = {
        "lead": make_article("k1", LEAD, day=3, feed="Wire"),
        "second": make_article("k2", SECOND, day=4, feed="Trade"),
        "third": make_article("k3", THIRD, day=5, feed="Paper"),
        "newer": make_article("n", "Myeloma drug approved", day=6, feed="Wire"),
        "older": make_article("o", "Lupus registry opens", day=1, feed="Trade"),
    }
    for article in made.values():
        store.ingest(article.feed, [article])
    keys = {"lead": "kyv", "second": "kyv", "third": "kyv", "newer": "mm", "older": "reg"}
    group(store, [(made[name], keys[name]) for name in ("older", "lead", "second", "third")])
    group(store, [(made["newer"], keys["newer"])])
    return made


def read_state(store: Store) -> dict[str, bool]:
    return {h.title: h.read for h in store.headlines(store.headline_ids())}


async def test_a_story_is_listed_once_and_z_unfolds_and_folds_it(
    open_app: OpenApp, store: Store
) -> None:
    fill(store)
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 3
        # At the earliest article's place (between day 6 and day 1), with its sources.
        assert "Myeloma drug approved" in rows[0]
        assert "Kyverna doses first" in rows[1] and rows[1].endswith("+2 sources")
        assert "Lupus registry opens" in rows[2]
        assert "3 stories · 5 articles" in screen_text(app)

        await pilot.press("j", "z")
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 5
        assert "Kyverna doses first" in rows[1]
        assert "↳ First patient dosed" in rows[2] and "↳ Kyverna starts" in rows[3]
        assert "Lupus registry opens" in rows[4]
        assert "Kyverna doses first" in cursor_row(app)  # the cursor stays on the story

        await pilot.press("j", "z")  # on an unfolded article: the story folds again
        await settle(pilot)
        assert len(list_rows(app)) == 3
        assert "Kyverna doses first" in cursor_row(app)
        assert read_state(store) == dict.fromkeys(read_state(store), False)  # narrow: none read


async def test_m_on_a_folded_story_marks_all_its_articles(open_app: OpenApp, store: Store) -> None:
    fill(store)
    async with open_app(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("j", "m")
        await settle(pilot)
        state = read_state(store)
        assert state[LEAD] and state[SECOND] and state[THIRD]
        assert not state["Myeloma drug approved"] and not state["Lupus registry opens"]
        await pilot.press("u")  # one undo takes the whole story back
        await settle(pilot)
        assert not any(read_state(store).values())


async def test_reading_a_story_reads_its_articles_and_the_pane_lists_the_others(
    open_app: OpenApp, store: Store
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("j")
        await until(pilot, lambda: "Also reported by" in screen_text(app))
        await settle(pilot)
        text = screen_text(app)
        assert "• Trade · " + SECOND in text and "• Paper · " + THIRD in text
        state = read_state(store)
        assert state[LEAD] and state[SECOND] and state[THIRD]
        assert not state["Myeloma drug approved"]

        source = next(s for s in app.screen.query(StorySource) if "Paper" in str(s.content))
        await pilot.click(source)
        await until(pilot, lambda: "• Wire · " + LEAD in screen_text(app))
        assert "Kyverna doses first" in cursor_row(app)  # the list stays where it was

        await pilot.press("escape", "k")  # an article of its own lists no other source
        await settle(pilot)
        assert "Also reported by" not in screen_text(app)


async def test_a_source_joining_later_neither_moves_nor_unreads_the_story(
    open_app: OpenApp, store: Store
) -> None:
    made = fill(store)
    store.set_read([made[name].id for name in ("lead", "second", "third")], True)
    late = make_article("k4", "Kyverna lupus dosing, a week on", day=7, feed="Weekly")
    store.ingest(late.feed, [late])
    group(store, [(late, "kyv")])
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 3
        assert "Kyverna doses first" in rows[1] and rows[1].endswith("+3 sources")
        assert not rows[1].lstrip().startswith("●")  # still read
        assert "3 stories · 6 articles" in screen_text(app)


async def test_a_filter_shows_a_story_by_its_earliest_matching_article(
    open_app: OpenApp, store: Store
) -> None:
    fill(store)
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("slash", *"patient", "enter")  # the lead and the second match
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 1 and "Kyverna doses first" in rows[0]
        await pilot.press("slash", "ctrl+u", *"starts", "enter")  # the third only
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 1 and "Kyverna starts" in rows[0]


async def test_z_keeps_what_the_filter_marks(open_app: OpenApp, store: Store) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app

        def marks() -> list[str]:
            return marked_words(app, app.screen.headline_list)

        await settle(pilot)
        await pilot.press("slash", *"kyverna", "enter")  # the story's three articles
        await settle(pilot)
        assert marks() == ["Kyverna"]
        await pilot.press("z")
        await settle(pilot)
        assert len(list_rows(app)) == 3
        assert marks() == ["Kyverna"] * 3
        await pilot.press("z")
        await settle(pilot)
        assert len(list_rows(app)) == 1
        assert marks() == ["Kyverna"]


async def test_z_reads_the_storys_other_rows_only(
    open_app: OpenApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unfolding reads the rows it adds, and folding reads none: the rows shown stay."""
    fill(store)
    asked: list[int] = []
    headlines = store.headlines

    def counted(rowids: Sequence[int]) -> list[Headline]:
        asked.extend(rowids)
        return headlines(rowids)

    monkeypatch.setattr(store, "headlines", counted)
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        asked.clear()
        await pilot.press("z")
        await until(pilot, lambda: len(list_rows(app)) == 5)
        await settle(pilot)
        assert sorted(asked) == sorted(store.stories.members(story_of(store, LEAD))[1:])
        asked.clear()
        await pilot.press("z")
        await until(pilot, lambda: len(list_rows(app)) == 3)
        await settle(pilot)
        assert asked == []


def story_of(store: Store, title: str) -> int:
    (rowid,) = [h.rowid for h in store.headlines(store.headline_ids()) if h.title == title]
    return store.stories.story_of([rowid])[rowid]


def test_the_help_describes_the_story_key() -> None:
    assert "unfold" in HELP_TEXT["expand_story"]


async def test_a_list_shown_by_its_first_rows_gets_the_rest_with_the_cursor_kept(
    open_app: OpenApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    monkeypatch.setattr(queries, "FIRST_ROWS", 2)  # the story's row comes with the rest
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await until(pilot, lambda: len(list_rows(app)) == 3)
        assert list_rows(app)[1].endswith("+2 sources")
        await until(pilot, lambda: "3 stories · 5 articles" in screen_text(app))
        await pilot.press("slash", *"lupus", "enter")  # the first two rows, then the rest
        await until(pilot, lambda: len(list_rows(app)) == 2)
        await pilot.press("j")
        await until(pilot, lambda: "Lupus registry" in cursor_row(app))
        await pilot.press("slash", "ctrl+u", "enter")
        await until(pilot, lambda: len(list_rows(app)) == 3)
        assert "Lupus registry" in cursor_row(app)  # where it was, once the rest came


def test_the_start_frame_reads_the_newest_rows_folded(store: Store) -> None:
    fill(store)
    rows = story_rows.newest_folded(store, 3)
    assert [row.title for row in rows] == ["Myeloma drug approved", LEAD, "Lupus registry opens"]
    assert [getattr(row, "sources", 0) for row in rows] == [0, 2, 0]


async def test_the_palette_unfolds_a_story(open_app: OpenApp, store: Store) -> None:
    fill(store)
    async with open_app(size=(120, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Unfold / fold story" in titles
        await pilot.press("j", "ctrl+p", *"unfold / fold", "enter")
        await settle(pilot)
        assert len(list_rows(app)) == 5


async def test_tab_reaches_another_source_and_enter_shows_it(
    open_app: OpenApp, store: Store
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("j")
        await until(pilot, lambda: "Also reported by" in screen_text(app))
        for _ in range(6):  # the list, the article, then its links and sources
            if isinstance(app.focused, StorySource):
                break
            await pilot.press("tab")
        assert isinstance(app.focused, StorySource)
        assert "Trade" in str(app.focused.content)
        await pilot.press("enter")
        await until(pilot, lambda: "• Wire · " + LEAD in screen_text(app))
        assert SECOND in screen_text(app)


async def test_stories_grouped_in_the_background_fold_the_list(
    open_app: OpenApp, store: Store
) -> None:
    """Articles stored without their stories (what a large refresh leaves) are grouped by
    the app in the background, and the list then shows them folded."""
    title = "Kyverna doses first patient with KYV-101 in lupus nephritis trial NCT06123456"
    for feed, day in (("Wire", 3), ("Trade", 4)):
        article = make_article(f"{feed}-k", title, day=day, feed=feed)
        store.ingest(feed, [article])
    store.ingest("Wire", [make_article("n", "Myeloma drug approved", day=6, feed="Wire")])
    assert store.stories.ungrouped() == 3
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await until(pilot, lambda: "2 stories · 3 articles" in screen_text(app))
        assert list_rows(app)[1].endswith("+1 source")
