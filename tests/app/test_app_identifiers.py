"""Identifiers in the app: the article pane marks them and lists them under Identifiers (a
click opens one), ``i`` offers them in a picker with each one's weekly trend and opens the
one chosen, and the filter's identifier fields list and mark what they name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from app_helpers import OpenApp, make_article, marked_words, screen_segments, screen_text, settle
from app_helpers import until as wait_until
from textual.widgets import Markdown, Sparkline

from biotui.app.widgets.article_view import ArticleView
from biotui.app.widgets.headline_list import HeadlineList
from biotui.app.widgets.identifier_picker import IdentifierPicker
from biotui.store import Store

WIDE = (150, 50)
NOW = datetime.now(UTC)

KYV = make_article(
    "kyv",
    "KYV-101 doses lupus nephritis patients",
    link="https://example.org/kyv",
    source="Wire",
    body="The trial NCT06123456 tests KYV-101, a CD19 CAR-T.\n\nNo other news.",
)
PLAIN = make_article("plain", "A review without codes", day=2, body="Nothing named here.")


def fill(store: Store) -> None:
    """:data:`KYV` (published now), :data:`PLAIN` (long ago), and articles of another feed
    naming KYV-101: two this week, one three weeks ago (the trend)."""
    store.ingest("Test Feed", [replace(KYV, published=NOW), PLAIN])
    other = [
        ("o1", "KYV-101 again", 1),
        ("o2", "Kyverna doses KYV-101", 2),
        ("o3", "Older KYV-101", 20),
    ]
    store.ingest(
        "Other Feed",
        [
            replace(
                make_article(guid, title, feed="Other Feed", body="On KYV-101."),
                published=NOW - timedelta(days=days),
            )
            for guid, title, days in other
        ],
    )


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app asked the browser to open (a graphical browser is said to be there)."""
    monkeypatch.setenv("DISPLAY", ":0")
    return []


def intercept(app: Any, opened: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))


async def test_the_article_pane_lists_and_marks_the_identifiers_and_a_click_opens_one(
    store: Store, open_app: OpenApp, browser: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        intercept(app, browser, monkeypatch)
        await settle(pilot)
        assert app.screen.query_one(HeadlineList).highlighted.title == KYV.title  # type: ignore[union-attr]
        text = screen_text(app)
        assert text.index("Source") < text.index("Identifiers")
        assert "trial   NCT06123456  https://clinicaltrials.gov/study/NCT06123456" in text
        assert "drug    KYV-101  https://clinicaltrials.gov/search?intr=KYV-101" in text
        assert "target  CD19" in text  # its long link wraps to the next line
        assert "https://www.ncbi.nlm.nih.gov/gene/?term=CD19%5Bsym%5D" in text
        view = app.screen.query_one(ArticleView)
        style = view.get_component_rich_style("article-view--identifier")
        body = app.screen.query_one(Markdown)
        marked = [
            seg.text
            for seg in screen_segments(app, body.region)
            if seg.style is not None and seg.style.italic and seg.style.color == style.color
        ]
        assert marked == ["NCT06123456", "KYV-101", "CD19"]
        section = app.screen.query_one("#article-identifiers")
        await pilot.click(section, offset=(3, 1))
        await settle(pilot)
        assert browser == ["https://clinicaltrials.gov/search?intr=KYV-101"]
        await pilot.press("escape", "G")  # back to the list, the oldest: naming nothing
        await settle(pilot)
        assert "Nothing named here." in screen_text(app)
        assert "Identifiers" not in screen_text(app)


async def test_i_offers_the_identifiers_with_their_trend_and_opens_the_one_chosen(
    store: Store, open_app: OpenApp, browser: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        intercept(app, browser, monkeypatch)
        await settle(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentifierPicker))
        picker = app.screen
        text = picker.query_one("#identifier-trend-text")
        await wait_until(pilot, lambda: "NCT06123456: 1 article" in str(text.render()))
        assert "NCT06123456: 1 article of every feed in the last 26 weeks (1 this week)" in str(
            text.render()
        )
        await pilot.press("down")
        await wait_until(pilot, lambda: str(text.render()).startswith("KYV-101:"))
        assert str(text.render()) == (
            "KYV-101: 4 articles of every feed in the last 26 weeks (3 this week)"
        )
        trend = picker.query_one(Sparkline)
        assert list(trend.data or []) == [0] * 23 + [1, 0, 3]
        assert trend.region.height > 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, IdentifierPicker))
        await settle(pilot)
        assert browser == ["https://clinicaltrials.gov/search?intr=KYV-101"]
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentifierPicker))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, IdentifierPicker))
        assert browser == ["https://clinicaltrials.gov/search?intr=KYV-101"]


async def test_i_on_an_article_naming_nothing_opens_no_picker(
    store: Store, open_app: OpenApp
) -> None:
    store.ingest("Test Feed", [PLAIN])
    async with open_app(size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert not isinstance(app.screen, IdentifierPicker)
        assert "names no trial, paper, drug code or target" in screen_text(app)


async def test_an_identifier_filter_lists_and_marks_what_it_names(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE, initial_filter="drug:kyv101 -title:again") as pilot:
        app = pilot.app
        await settle(pilot)
        headlines = app.screen.query_one(HeadlineList)
        titles = [headlines.render_line(y).text for y in range(headlines.row_count)]
        assert len(titles) == 3 and not any("again" in title for title in titles)
        assert "KYV-101" in marked_words(app, headlines)
        assert "KYV-101" in marked_words(app, app.screen.query_one("#article-title"))


async def test_the_app_gives_an_upgraded_stores_older_articles_identifiers_and_stories(
    tmp_path: Path, open_app: OpenApp
) -> None:
    import shutil

    from biotui.search import compile_query

    path = tmp_path / "upgraded" / "biotui.db"
    path.parent.mkdir()
    shutil.copyfile(Path(__file__).parents[1] / "store" / "data" / "schema7.db", path)
    with Store(path) as upgraded:
        query = compile_query("drug:KYV-101").query
        assert upgraded.identifiers.backfill_left() and upgraded.article_count(query) == 0
        assert upgraded.stories.ungrouped() > 0
        async with open_app(size=WIDE, store=upgraded) as pilot:
            await settle(pilot)
            assert not upgraded.identifiers.backfill_left()
            assert upgraded.article_count(query) == 1
            assert upgraded.stories.ungrouped() == 0
