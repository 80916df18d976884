"""biotui's actions are in the command palette, next to Textual's own."""

from __future__ import annotations

from app_helpers import OpenApp, make_article, screen_text, settle

from biotui.store import Store


async def test_the_palette_lists_and_runs_biotuis_actions(open_app: OpenApp, store: Store) -> None:
    store.ingest("Test Feed", [make_article("a", "Palette story")])
    async with open_app(size=(120, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Refresh", "Star / unstar", "Side panel", "Quit"} <= set(titles)
        await pilot.press("ctrl+p", *"star / un")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "★" in screen_text(app)
        assert store.article(1) is not None and store.article(1).starred  # type: ignore[union-attr]
