"""The side panel's watchlist counts, kept between counts: after a refresh bringing matches,
a match marked read in the app, and one marked read by ``biotui mark`` in another process,
the panel shows what a whole count would."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from app_helpers import FEED, OpenApp, refresh_bringing, settle

from biotui.app.app import BiotuiApp
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Article, Config, Feed, SavedSearch, Settings, article_id
from biotui.store import Store

WIDE = (150, 36)


def article(guid: str, title: str, days_ago: float) -> Article:
    published = datetime.now(UTC) - timedelta(days=days_ago)
    return Article(
        id=article_id(FEED, guid), feed=FEED, guid=guid, title=title, published=published
    )


def panel_line(app: BiotuiApp, name: str) -> str:
    panel = app.screen.query_one(SidePanel)
    rows = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
    return next(row for row in rows if name in row)


async def test_counts_follow_a_refresh_and_marks_here_and_elsewhere(
    store: Store, open_app: OpenApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clips").mkdir()
    config_path = tmp_path / "feeds.toml"
    config_path.write_text(
        f'[[feeds]]\nname = "{FEED}"\npath = "{tmp_path / "clips"}"\n', encoding="utf-8"
    )
    config = Config(
        path=config_path,
        settings=Settings(refresh_on_start=False),
        feeds=(Feed(FEED, path=str(tmp_path / "clips")),),
        searches=(SavedSearch("Lupus watch", "lupus"),),
    )
    store.ingest(
        FEED,
        [article("old1", "Lupus cohort grows", 1.0), article("old2", "Lupus biomarker", 2.0)],
    )
    arriving = [article("new1", "Lupus registry opens", 0.1), article("new2", "Vaccine", 0.2)]
    monkeypatch.setattr("biotui.refresh.refresh_all", refresh_bringing(arriving))
    async with open_app(size=WIDE, config=config) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert panel_line(app, "Lupus watch").split()[-1] == "2"

        await pilot.press("r")
        await settle(pilot)
        assert panel_line(app, "Lupus watch").endswith("+1 3")

        await pilot.press("b", "m")  # the cursor stayed on its article: "old1", marked read
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert panel_line(app, "Lupus watch").endswith("+1 2")

        marked = subprocess.run(
            [sys.executable, "-m", "biotui", "--config", str(config_path), "--data-dir",
             str(store.path.parent), "mark", "--read", article_id(FEED, "old2")],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        assert marked.returncode == 0, marked.stderr
        arriving[:] = []
        await pilot.press("r")
        await settle(pilot)
        assert panel_line(app, "Lupus watch").endswith("+1 1")
