"""The article pane as a person sees it, and feed text that tries to be markup or controls."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest
from app_helpers import OpenApp, list_rows, make_article, screen_text, settle, until
from textual.widgets import Markdown

from biotui.app.delays import NO_DELAYS
from biotui.app.widgets.article_view import BODY_LIMIT, ArticleView
from biotui.store import Store

WIDE = (150, 50)
NARROW = (80, 40)

CLIPPING = make_article(
    "carsgen",
    "Allogeneic CAR-T KJ-C2219 doses first lupus patient",
    day=12,
    link="https://example.org/carsgen",
    author="Staff reporter",
    source="PR Newswire / CARsgen Therapeutics",
    source_title="CARsgen's CD19/CD20 CAR-T Therapy Administers First Dose",
    section="Global Biotech News",
    place="Shanghai, China / Global",
    credits=("Photo by Diane Serik on Unsplash", "Photo by Sangharsh Lohakare on Unsplash"),
    body="KJ-C2219 is an allogeneic CAR-T therapy.\n\nIt targets **CD19/CD20**.",
)


async def test_enter_shows_the_article_with_source_and_credits(
    store: Store, open_app: OpenApp
) -> None:
    store.ingest("Test Feed", [CLIPPING])
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen.focused, ArticleView)
        text = screen_text(app)
        assert "Allogeneic CAR-T KJ-C2219 doses first lupus patient" in text
        assert "PR Newswire / CARsgen Therapeutics · Staff reporter · 2026-02-1" in text
        assert "https://example.org/carsgen" in text
        assert "KJ-C2219 is an allogeneic CAR-T therapy." in text
        assert "It targets CD19/CD20." in text
        assert "Source" in text and "Credits" in text
        assert "Original title" in text
        assert "CARsgen's CD19/CD20 CAR-T Therapy Administers First Dose" in text
        assert "Global Biotech News" in text
        assert "Shanghai, China / Global" in text
        assert "• Photo by Diane Serik on Unsplash" in text
        assert "• Photo by Sangharsh Lohakare on Unsplash" in text
        assert text.index("Source") < text.index("Credits")
        assert text.index("It targets") < text.index("Original title")


async def test_no_credits_section_without_credits_and_notes_are_shown(
    store: Store, open_app: OpenApp
) -> None:
    store.ingest(
        "Test Feed",
        [make_article("x", "Plain story", body="Text.", notes=("body truncated at 1 MB",))],
    )
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        text = screen_text(app)
        assert "Plain story" in text
        assert "Credits" not in text
        assert "Note: body truncated at 1 MB" in text


INJECTIONS = [
    "[/]",
    "[@click=app.quit]x",
    "[@click=app.quit]click me[/]",
    "Price [b]up",
    "[red]not red[/red]",
    "[link=https://evil.example]x[/link]",
]


@pytest.mark.parametrize("title", INJECTIONS)
async def test_markup_in_feed_text_shows_literally(
    title: str, store: Store, open_app: OpenApp
) -> None:
    store.ingest(
        "Test Feed",
        [
            make_article(
                "evil",
                title,
                source=title,
                author=title,
                section=title,
                credits=(title,),
                body="Body",
            )
        ],
    )
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        assert title in list_rows(app)[0]
        text = screen_text(app)
        assert f"{title} · {title} ·" in text  # the metadata line
        assert f"• {title}" in text  # the credit
        # Clicking the title, where a live action link would sit, does nothing.
        await pilot.click("#article-title", offset=(1, 0))
        await pilot.click("#article-title", offset=(3, 0))
        await settle(pilot)
        assert app.is_running


async def test_control_sequences_never_reach_the_screen(store: Store, open_app: OpenApp) -> None:
    store.ingest(
        "Test Feed",
        [
            make_article(
                "esc",
                "Plain \x1b[31mred\x1b[0m \x1b]0;pwned\x07title\u202e\x9b",
                source="\x1b[2Jsource",
                credits=("\x1b[1mcredit",),
                body="Body \x1b[5mblink\x1b[0m and \x07bell",
            )
        ],
    )
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "\x9b" not in text
        assert "Plain red title" in text
        assert "Body blink and bell" in text
        svg = app.export_screenshot()
        assert "pwned" not in text and "pwned" not in svg


async def test_o_opens_the_link_in_the_browser(
    store: Store, open_app: OpenApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.ingest(
        "Test Feed",
        [
            make_article("a", "Has a link", day=3, link="https://example.org/a"),
            make_article("b", "Script link", day=2, link="javascript:alert(1)"),
        ],
    )
    monkeypatch.setenv("DISPLAY", ":0")
    opened: list[str] = []
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
        await settle(pilot)
        await pilot.press("o")
        await pilot.press("j", "o")
        await settle(pilot)
        assert opened == ["https://example.org/a"]
        markdown = app.screen.query_one(Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.org/in-body"))
        markdown.post_message(Markdown.LinkClicked(markdown, "javascript:alert(2)"))
        await settle(pilot)
        assert opened == ["https://example.org/a", "https://example.org/in-body"]


async def test_o_without_a_graphical_browser_shows_the_link_instead(
    store: Store, open_app: OpenApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.ingest("Test Feed", [make_article("a", "Has a link", link="https://example.org/a")])
    monkeypatch.setattr("sys.platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    opened: list[str] = []
    async with open_app(size=WIDE, notifications=True) as pilot:
        app = pilot.app
        monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == []
        assert "https://example.org/a" in screen_text(app)


async def test_a_huge_body_is_cut_for_display_with_a_note(store: Store, open_app: OpenApp) -> None:
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20
    body = "\n\n".join(f"{i}. {paragraph}" for i in range(BODY_LIMIT // len(paragraph) * 3))
    store.ingest("Test Feed", [make_article("big", "Huge", body=body)])
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        markdown = app.screen.query_one(Markdown)
        assert len(markdown.source) <= BODY_LIMIT
        view = app.screen.query_one(ArticleView)
        view.scroll_end(animate=False, immediate=True)
        await settle(pilot)
        assert f"Note: Only the first {BODY_LIMIT:,} characters" in screen_text(app)


async def test_the_blocks_of_articles_read_before_are_freed(
    store: Store, open_app: OpenApp
) -> None:
    """Removed blocks are cyclic garbage: with the automatic collector off, only the pane's
    own collection (once the reader rests on an article) frees them. It waits a moment, as
    in use: right after a body is replaced, its old blocks are still referenced."""
    from textual.widgets.markdown import MarkdownBlock

    body = "\n\n".join(f"Paragraph {n} of a long article." for n in range(8))
    store.ingest(
        "Test Feed",
        [make_article(f"g{n}", f"Headline {n}", day=n + 1, body=body) for n in range(8)],
    )
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        async with open_app(size=WIDE, delays=replace(NO_DELAYS, collect=0.1)) as pilot:

            def unshown() -> int:
                """Blocks alive but not on screen (other tests' apps may hold some)."""
                alive = sum(1 for obj in gc.get_objects() if isinstance(obj, MarkdownBlock))
                return alive - len(pilot.app.screen.query(MarkdownBlock))

            await settle(pilot)
            before = unshown()
            for _ in range(7):
                await pilot.press("j")
                await settle(pilot)
            assert len(pilot.app.screen.query(MarkdownBlock)) >= 8
            await until(pilot, lambda: unshown() <= before)  # after the last one's collection
    finally:
        if was_enabled:
            gc.enable()
