"""``e`` saves the highlighted article into export_dir and says where; ``y`` copies its link."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from app_helpers import OpenApp, make_article, screen_text, settle, until
from textual.app import App

from biotui.articlefile import article_markdown, file_name
from biotui.model import Config, Settings
from biotui.sources.markdown import parse_markdown
from biotui.store import Store

WIDE = (150, 40)

STORY = make_article(
    "carsgen",
    "CARsgen: KJ-C2219 doses first lupus patient",
    day=12,
    link="https://example.org/carsgen",
    source="PR Newswire",
    credits=("Photo by Diane Serik on Unsplash",),
    body="KJ-C2219 is an allogeneic CAR-T therapy.",
)


def notices(app: App[Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The messages of the notifications ``app`` shows from now on (a toast wraps a long path
    over several lines; this is its whole text)."""
    shown: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append(message)
        notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", recording)
    return shown


def exporting_to(config: Config, folder: Path) -> Config:
    return replace(config, settings=Settings(refresh_on_start=False, export_dir=folder))


async def test_e_saves_the_article_and_says_where(
    open_app: OpenApp,
    store: Store,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.ingest("Test Feed", [STORY, make_article("older", "Older story", day=1)])
    folder = tmp_path / "exports"
    folder.mkdir()
    async with open_app(
        size=WIDE, config=exporting_to(config, folder), notifications=True
    ) as pilot:
        app = pilot.app
        shown = notices(app, monkeypatch)
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: len(shown) == 1 and "Exported" in screen_text(app))
        await pilot.press("e")
        await until(pilot, lambda: len(shown) == 2)
        saved, again = folder / file_name(STORY), folder / file_name(STORY, 2)
        assert shown == [f"Saved {saved}", f"Saved {again}"]
    stored = store.article(STORY.id)
    assert stored is not None
    assert saved.read_text(encoding="utf-8") == article_markdown(stored)
    assert again.read_text(encoding="utf-8") == article_markdown(stored)
    back = parse_markdown(saved.read_text(encoding="utf-8"), feed="Kept", guid="a.md")
    assert (back.title, back.link, back.credits, back.body) == (
        STORY.title,
        STORY.link,
        STORY.credits,
        STORY.body,
    )
    assert sorted(path.name for path in folder.iterdir()) == sorted([saved.name, again.name])


async def test_e_into_a_missing_folder_says_why_in_one_line(
    open_app: OpenApp,
    store: Store,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.ingest("Test Feed", [STORY])
    folder = tmp_path / "gone"
    async with open_app(
        size=WIDE, config=exporting_to(config, folder), notifications=True
    ) as pilot:
        app = pilot.app
        shown = notices(app, monkeypatch)
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: "Not saved: no such folder" in screen_text(app))
        assert shown == [f"Not saved: no such folder: {folder}"]
    assert not folder.exists()


async def test_y_copies_the_link_and_says_so(open_app: OpenApp, store: Store) -> None:
    store.ingest("Test Feed", [STORY, make_article("bare", "No link here", day=1)])
    async with open_app(size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: "Copied https://example.org/carsgen" in screen_text(app))
        assert app.clipboard == "https://example.org/carsgen"
        await pilot.press("j", "y")
        await until(pilot, lambda: "This article has no link to copy" in screen_text(app))
        assert app.clipboard == "https://example.org/carsgen"


async def test_e_and_y_are_in_the_help_and_the_palette(open_app: OpenApp, store: Store) -> None:
    store.ingest("Test Feed", [STORY])
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Export article", "Copy link"} <= set(titles)
        await pilot.press("question_mark")
        await until(pilot, lambda: "copy the article's link to the clipboard" in screen_text(app))
        assert "save the article as a Markdown file" in screen_text(app)


async def test_without_articles_e_and_y_do_nothing(open_app: OpenApp, tmp_path: Path) -> None:
    async with open_app(size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("e", "y")
        await settle(pilot)
        assert "Saved" not in screen_text(app) and "Copied" not in screen_text(app)
        assert app.clipboard == ""
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Export article" not in titles
