"""``f`` in the app: the highlighted article's page fetched in a worker from a server on
127.0.0.1, its full text shown in the pane with a note, found and marked by the filter; a
failing page leaves the teaser and says why; keys are answered while a page is on its way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import (
    OpenApp,
    cursor_row,
    make_article,
    marked_words,
    screen_segments,
    screen_text,
    settle,
    until,
)
from pytest_httpserver import HTTPServer
from textual.app import App
from textual.widget import Widget

from biotui.app.widgets.article_view import ArticleView
from biotui.model import Article, Config, Settings
from biotui.store import Store
from page_site import PROSE, RELEASE, serve_site

WIDE = (150, 50)


@pytest.fixture
def base(httpserver: HTTPServer) -> Iterator[str]:
    """The pages' address on 127.0.0.1 (released at the end: see ``RELEASE``)."""
    serve_site(httpserver)
    yield httpserver.url_for("").rstrip("/").replace("//localhost:", "//127.0.0.1:")
    RELEASE.set()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """No refresh on start; a short deadline, so the slow page times out."""
    return Config(
        path=tmp_path / "feeds.toml", settings=Settings(refresh_on_start=False, timeout=0.5)
    )


def words(app: App[None], widget: Widget | None = None) -> str:
    """The text of the screen (or where ``widget`` is), its lines joined and spaces tidied."""
    region = None if widget is None else widget.region
    text = "".join(segment.text for segment in screen_segments(app, region))
    return " ".join(text.replace("▌", " ").replace("▕", " ").split())


def teaser(base: str, guid: str, day: int) -> Article:
    return make_article(
        guid, f"Story {guid}", day=day, link=f"{base}/pages/{guid}", body=f"Teaser of {guid}."
    )


async def test_f_shows_the_full_text_with_a_note_and_the_filter_finds_and_marks_it(
    store: Store, open_app: OpenApp, base: str
) -> None:
    store.ingest("Test Feed", [teaser(base, "full", 2), teaser(base, "nav", 1)])
    async with open_app(size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "Teaser of full." in screen_text(app)
        await pilot.press("f")
        await until(pilot, lambda: "Nephrologists followed" in screen_text(app))
        view = app.screen.query_one(ArticleView)
        text = words(app, view)
        assert "full text from the page" in text  # on the metadata line, under the title
        assert "Teaser of full." not in text
        view.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        assert "Note: Full text fetched from the article's page on " in screen_text(app)
        assert "Fetching the full text of “Story full”…" in screen_text(app)
        await pilot.press("slash", *"nephrologists", "enter")
        await settle(pilot)
        assert "Story full" in cursor_row(app) and "Story nav" not in screen_text(app)
        view.scroll_home(animate=False, immediate=True)
        await settle(pilot)
        assert "Nephrologists" in marked_words(app, view)
    shown = store.article(teaser(base, "full", 2).id)
    assert shown is not None and PROSE in shown.body


@pytest.mark.parametrize(
    ("guid", "reason"),
    [
        ("missing", "HTTP 404 NOT FOUND"),
        ("nav", "no article text on the page"),
        ("pdf", "not an HTML page (application/pdf)"),
        ("slow", "timed out after 0.5 s"),
    ],
)
async def test_a_failing_page_leaves_the_teaser_and_says_why(
    store: Store, open_app: OpenApp, base: str, guid: str, reason: str
) -> None:
    store.ingest("Test Feed", [teaser(base, guid, 1)])
    async with open_app(size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("f")
        await until(pilot, lambda: "No full text" in screen_text(app))
        text = words(app)
        assert reason in text and f"Story {guid}" in text
        assert f"Teaser of {guid}." in text and "full text from the page" not in text


async def test_keys_are_answered_while_a_page_is_on_its_way(
    store: Store, open_app: OpenApp, base: str, config: Config
) -> None:
    slow_config = Config(path=config.path, settings=Settings(refresh_on_start=False, timeout=30))
    store.ingest("Test Feed", [teaser(base, "slow", 2), teaser(base, "full", 1)])
    async with open_app(size=WIDE, config=slow_config) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("f")
        await pilot.press("j")
        await until(pilot, lambda: "Story full" in cursor_row(app))
        await until(pilot, lambda: "Teaser of full." in screen_text(app))
        assert not RELEASE.is_set()  # the slow page has not answered yet
        RELEASE.set()
        await settle(pilot)
        assert "Teaser of full." in screen_text(app)  # the pane stays on the article shown
    shown = store.article(teaser(base, "slow", 2).id)
    assert shown is not None and PROSE in shown.body  # stored all the same
