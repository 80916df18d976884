"""The app against a real Fever server: Coldsweat on 127.0.0.1 (skipped when it is not
installed), fetching a feed served from 127.0.0.1. ``r`` syncs; the panel shows the server's
feed; a mark made with ``m`` reaches Coldsweat at the next ``r``, a star made on Coldsweat
reaches the app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from app_helpers import OpenApp, cursor_row, list_rows, screen_text, settle, until

from biotui.app.app import BiotuiApp
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Config, Settings, SyncConfig
from biotui.syncconfig import PASSWORD_VARIABLE
from sync.coldsweat import (
    EMAIL,
    PASSWORD,
    Coldsweat,
    Entry,
    FeedSite,
    atom,
    coldsweat_server,
    coldsweat_site,
)

__all__ = ["coldsweat_server", "coldsweat_site"]  # the fixtures this module uses

NOW = datetime.now(UTC).replace(microsecond=0)
WIRE = [
    Entry("w1", "Merck buys a biotech", NOW - timedelta(hours=1)),
    Entry("w2", "FDA approves a gene therapy", NOW - timedelta(hours=2)),
    Entry("w3", "Layoffs at a gene editor", NOW - timedelta(hours=3)),
]


@pytest.fixture
def server(coldsweat_server: Coldsweat, coldsweat_site: FeedSite) -> Coldsweat:
    """Coldsweat subscribed to one feed of three recent items, in the group Biotech."""
    url = coldsweat_site.put("/wire.xml", atom("Biotech Wire", coldsweat_site.base, WIRE))
    coldsweat_server.subscribe({"Biotech Wire": (url, "Biotech")})
    return coldsweat_server


def panel_line(app: BiotuiApp, name: str) -> str:
    panel = app.screen.query_one(SidePanel)
    rows = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
    found = [row for row in rows if row.lstrip("▸ ").startswith(name)]
    assert found, "|".join(rows)
    return found[0]


async def test_the_app_syncs_with_coldsweat_both_ways(
    open_app: OpenApp, server: Coldsweat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        sync=SyncConfig(kind="fever", url=server.url, username=EMAIL),
    )
    ids = {item["title"]: str(item["id"]) for item in server.items()}
    async with open_app(size=(150, 36), config=config) as pilot:
        app = pilot.app
        await pilot.press("r")
        await until(pilot, lambda: "Synced: 3 new" in screen_text(app))
        await settle(pilot)
        rows = "\n".join(list_rows(app))
        assert all(entry.title in rows for entry in WIRE)
        await pilot.press("b")
        await settle(pilot)
        assert panel_line(app, "Synced feeds") == "Synced feeds"
        assert panel_line(app, "Biotech Wire").endswith("3")
        assert panel_line(app, "Biotech ").endswith("3")  # the group, as a tag
        await pilot.press("b")  # back to the list
        assert "Merck buys a biotech" in cursor_row(app)
        await pilot.press("m")
        await settle(pilot)
        server.mark(ids["Layoffs at a gene editor"], "saved")  # from another reader
        await pilot.press("r")
        await until(pilot, lambda: "Synced: 0 new" in screen_text(app))
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert panel_line(app, "Starred").endswith("1/1")
        assert panel_line(app, "Biotech Wire").endswith("2")
    assert ids["Merck buys a biotech"] not in server.ids("unread")
    unread = {ids["FDA approves a gene therapy"], ids["Layoffs at a gene editor"]}
    assert server.ids("unread") == unread
