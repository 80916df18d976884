"""Mute rules in the app, as a person sees them: muted headlines are not listed or counted,
the side panel lists each rule with how many it hides, Enter on a rule shows those, and ``A``
leaves them unread; a starred article stays listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import OpenApp, list_rows, make_article, screen_text, settle, show_scope

from biotui.app.app import BiotuiApp
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Config, Feed, MuteRule, Settings
from biotui.store import Store

WIDE = (150, 36)


@pytest.fixture
def muting(tmp_path: Path) -> Config:
    return Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(
            Feed("Test Feed", path=str(tmp_path / "clips")),
            Feed("Other Feed", path=str(tmp_path / "other")),
        ),
        mutes=(
            MuteRule("sponsored OR webinar", "sponsored OR webinar"),
            MuteRule("Test podcasts", 'feed:"Test Feed" title:podcast'),
        ),
    )


def fill(store: Store) -> None:
    """Test Feed: lupus, a sponsored post, a podcast, a webinar; Other Feed: a podcast."""
    store.ingest(
        "Test Feed",
        [
            make_article("a", "Lupus remission after CAR-T", day=9),
            make_article("b", "Sponsored: a better pipette", day=8),
            make_article("c", "Biotech podcast 12", day=7),
            make_article("d", "Join our webinar on trials", day=6),
        ],
    )
    store.ingest("Other Feed", [make_article("e", "Other podcast", day=5, feed="Other Feed")])


def panel_row(app: BiotuiApp, name: str) -> str:
    """The side panel's row holding ``name``, as drawn."""
    panel = app.screen.query_one(SidePanel)
    rows = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
    return next(row for row in rows if name in row)


def unread(store: Store) -> dict[str, bool]:
    """Title -> unread, for every article, muted or not (read through ``show``'s door)."""
    everything = store.headline_ids() + store.headline_ids(muted=True)
    return {h.title: not h.read for h in store.headlines(everything)}


MUTED = {"Sponsored: a better pipette", "Biotech podcast 12", "Join our webinar on trials"}


async def test_muted_headlines_are_hidden_and_the_panel_shows_the_rules(
    open_app: OpenApp, store: Store, muting: Config
) -> None:
    fill(store)
    async with open_app(size=WIDE, config=muting) as pilot:
        app = pilot.app
        await settle(pilot)
        rows = " ".join(list_rows(app))
        assert "Lupus remission" in rows and "Other podcast" in rows
        assert not any(title[:15] in rows for title in MUTED)
        assert "2 articles" in screen_text(app)

        await pilot.press("b")
        await settle(pilot)
        assert panel_row(app, "All articles").endswith("2")
        assert panel_row(app, "Test Feed").endswith("1")
        assert panel_row(app, "Muted")  # the heading
        assert panel_row(app, "sponsored OR webinar").endswith("2")
        assert panel_row(app, "Test podcasts").endswith("1")

        await show_scope(pilot, app, "sponsored OR webinar")
        rows = " ".join(list_rows(app))
        assert "Sponsored: a better pipette" in rows and "Join our webinar" in rows
        assert "Lupus" not in rows and "podcast" not in rows
        assert "sponsored OR webinar · 2 articles" in screen_text(app)

        # A filter narrows within the rule's articles.
        await pilot.press("slash", *"pipette")
        await settle(pilot)
        assert len(list_rows(app)) == 1
        await pilot.press("escape")
        await settle(pilot)


async def test_a_leaves_muted_articles_unread(
    open_app: OpenApp, store: Store, muting: Config
) -> None:
    fill(store)
    async with open_app(size=WIDE, config=muting) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert "Marked 2 articles read" in screen_text(app)
        assert unread(store) == {
            "Lupus remission after CAR-T": False,
            "Other podcast": False,
            **dict.fromkeys(MUTED, True),
        }

        # Nor in a rule's own view.
        await pilot.press("b")
        await settle(pilot)
        await show_scope(pilot, app, "Test podcasts")
        assert "Biotech podcast 12" in " ".join(list_rows(app))
        await pilot.press("A")
        await settle(pilot)
        assert "not marked all at once" in screen_text(app)
        assert unread(store)["Biotech podcast 12"] is True


async def test_a_starred_article_is_never_hidden(
    open_app: OpenApp, store: Store, muting: Config
) -> None:
    fill(store)
    webinar = store.headlines(store.headline_ids())[3]
    assert webinar.title == "Join our webinar on trials"
    store.set_starred(webinar.id, True)
    async with open_app(size=WIDE, config=muting) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "Join our webinar" in " ".join(list_rows(app))
        await pilot.press("b")
        await settle(pilot)
        assert panel_row(app, "sponsored OR webinar").endswith("1")
