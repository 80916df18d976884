"""Seeing why an article matched: highlighted words, the match count, relevance order, errors."""

from __future__ import annotations

from app_helpers import (
    OpenApp,
    cursor_row,
    list_rows,
    make_article,
    marked_words,
    screen_segments,
    screen_text,
    settle,
)
from textual.widgets import Markdown

from biotui.app.widgets.filter_bar import FilterBar
from biotui.app.widgets.headline_list import HeadlineList
from biotui.store import Store

WIDE = (150, 40)


def fill(store: Store) -> None:
    """A title match (older) and a body-only match (newer) for "lupus", and one without."""
    store.ingest(
        "Test Feed",
        [
            make_article(
                "title",
                "CAR-T puts Lupus into remission",
                day=3,
                body="Five patients were treated at one hospital.",
            ),
            make_article(
                "body",
                "Quarterly results of a cell therapy maker",
                day=9,
                body=(
                    "The company also mentioned its lupus programme. "
                    "Read [the lupus filing](https://example.org/filing) and `lupus-code`."
                ),
            ),
            make_article("none", "Gene therapy for sickle cell", day=6, body="No match here."),
        ],
    )


async def type_filter(pilot: object, text: str) -> None:
    """Focus the filter, clear it and type ``text``."""
    await pilot.press("slash", "escape", "slash", *text)  # type: ignore[attr-defined]


async def test_matched_words_are_styled_in_the_headline_rows(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE, initial_filter="lupus") as pilot:
        app = pilot.app
        await settle(pilot)
        headlines = app.screen.query_one(HeadlineList)
        match_style = headlines.get_component_rich_style("headline-list--match")
        assert match_style.underline
        # Row 1 is not under the cursor: the word carries the match style, nothing else does.
        row = headlines.render_line(1)
        assert "CAR-T puts Lupus into remission" in row.text
        styled = [seg.text for seg in row if seg.style and seg.style.underline]
        assert styled == ["Lupus"]
        lupus = next(seg for seg in row if seg.text == "Lupus")
        assert lupus.style is not None and lupus.style.color == match_style.color
        # A body-only match has nothing marked in its row.
        cursor = headlines.render_line(0)
        assert "Quarterly results" in cursor.text
        assert not [seg for seg in cursor if seg.style and seg.style.underline]

        # Under the cursor the marks stay (underlined) in the cursor's colours.
        await type_filter(pilot, "CAR-T remission")
        await settle(pilot)
        row = headlines.render_line(0)
        assert headlines.cursor == 0 and "CAR-T puts" in row.text
        assert [seg.text for seg in row if seg.style and seg.style.underline] == [
            "CAR-T",
            "remission",
        ]

        await pilot.press("escape")
        await settle(pilot)
        assert not marked_words(app)


async def test_matched_words_are_highlighted_in_the_article_body(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE, initial_filter="lupus") as pilot:
        app = pilot.app
        await settle(pilot)
        text = screen_text(app)
        assert "The company also mentioned its lupus programme." in text
        body = app.screen.query_one(Markdown)
        marked = marked_words(app, body)
        assert marked.count("lupus") >= 2  # the sentence and the link text
        assert "The" not in marked and "company" not in marked
        # The link still works where it is marked: its click action survived the highlight.
        link_segments = [
            seg
            for seg in screen_segments(app)
            if seg.text.strip() == "lupus" and seg.style and seg.style.meta.get("@click")
        ]
        assert link_segments
        assert "example.org/filing" in link_segments[0].style.meta["@click"]  # type: ignore[union-attr]
        # The article text itself is unchanged: no markup was added to the Markdown.
        markdown = app.screen.query_one(Markdown)
        assert "[the lupus filing](https://example.org/filing)" in markdown.source

        # The title of a title match is marked too, and a new filter re-marks what is shown.
        await pilot.press("j")
        await settle(pilot)
        title = app.screen.query_one("#article-title")
        assert "remission" in screen_text(app)
        assert marked_words(app, title) == ["Lupus"]
        await type_filter(pilot, "remission")
        await settle(pilot)
        assert marked_words(app, title) == ["remission"]


async def test_status_line_counts_the_matches_of_all_articles(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "3 articles · newest first" in screen_text(app)
        await type_filter(pilot, "lupus")
        await settle(pilot)
        assert "2 of 3 articles · newest first" in screen_text(app)
        await type_filter(pilot, "nothing-like-this")
        await settle(pilot)
        text = screen_text(app)
        assert "0 of 3 articles" in text
        assert "No articles match the filter." in text


async def test_article_pane_follows_the_filter_once_typing_pauses(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "The company also mentioned its lupus programme." in screen_text(app)
        # Nothing matches: after the pause the pane no longer shows an article.
        await type_filter(pilot, "nothing-like-this")
        await settle(pilot)
        text = screen_text(app)
        assert "No article selected." in text
        assert "lupus programme" not in text
        # A filter that matches again: the newest match is shown, still while typing.
        await pilot.press(*["backspace"] * len("nothing-like-this"), *"remission")
        await settle(pilot)
        assert app.screen.filter_bar.input.has_focus
        assert "Five patients were treated at one hospital." in screen_text(app)


async def test_order_key_switches_to_relevance_where_title_matches_come_first(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE, initial_filter="lupus") as pilot:
        app = pilot.app
        await settle(pilot)
        rows = list_rows(app)
        assert "Quarterly results" in rows[0] and "puts Lupus into remission" in rows[1]
        assert "Order" in screen_text(app)  # the key is in the footer

        await pilot.press("O")
        await settle(pilot)
        rows = list_rows(app)
        assert "puts Lupus into remission" in rows[0] and "Quarterly results" in rows[1]
        assert "puts Lupus into remission" in cursor_row(app)
        assert "2 of 3 articles · by relevance" in screen_text(app)

        await pilot.press("O")
        await settle(pilot)
        assert "Quarterly results" in list_rows(app)[0]
        assert "newest first" in screen_text(app)


async def test_relevance_without_a_filter_stays_newest_first(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        before = list_rows(app)
        await pilot.press("O")
        await settle(pilot)
        assert list_rows(app) == before
        assert "newest first (relevance needs a filter)" in screen_text(app)


async def test_a_filter_error_shows_its_message_and_keeps_the_last_results(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        await type_filter(pilot, "lupus")
        await settle(pilot)
        good = list_rows(app)
        assert len(good) == 2
        bar = app.screen.query_one(FilterBar)
        for broken in (' "first pat', " (remission", " OR", " colour:red"):
            bar.input.insert_text_at_cursor(broken)  # as if pasted: one change
            await settle(pilot)  # the message waits for a pause in typing
            assert bar.has_class("-error"), broken
            text = screen_text(app)
            assert "(the list shows the last results)" in text
            assert list_rows(app) == good
            assert "2 of 3 articles" in text
            assert app.is_running
            for _ in broken:
                await pilot.press("backspace")
            await settle(pilot)
            assert not app.screen.query_one(FilterBar).has_class("-error")
            assert list_rows(app) == good


async def test_a_malformed_filter_at_start_says_so_instead_of_no_results(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE, initial_filter='lupus "unclosed') as pilot:
        app = pilot.app
        await settle(pilot)
        assert app.screen.query_one(FilterBar).has_class("-error")
        assert "fix the filter" in screen_text(app)
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert len(list_rows(app)) == 3


async def test_every_keystroke_updates_the_list(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("slash", *"sickle")
        await settle(pilot)
        assert [row for row in list_rows(app) if "sickle" in row]
        assert len(list_rows(app)) == 1
        await pilot.press(*" OR lupus")
        await settle(pilot)
        assert len(list_rows(app)) == 3


async def test_a_filter_longer_than_the_input_scrolls_to_the_cursor(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=(60, 20)) as pilot:
        app = pilot.app
        await settle(pilot)
        words = " ".join(f"w{n:02d}" for n in range(30))  # 119 characters in a 60-column input
        await pilot.press("slash", *["space" if c == " " else c for c in words])
        await settle(pilot)
        first_line = screen_text(app).splitlines()[0]
        assert "w29" in first_line and "w00" not in first_line  # the end shows, not the start
        await pilot.press("home")
        await settle(pilot)
        first_line = screen_text(app).splitlines()[0]
        assert "w00" in first_line and "w29" not in first_line
