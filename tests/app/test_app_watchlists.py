"""Saved searches as watchlists in the app: +N in the side panel after a refresh brings
matches, cleared by opening the watchlist; the notification naming it and the first new
headline (never markup); ``notify-send`` for a watchlist with ``notify``; the sparkline."""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from app_helpers import FEED, OpenApp, refresh_bringing, screen_text, settle, show_scope

from biotui.app.app import BiotuiApp
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Article, Config, Feed, SavedSearch, Settings, article_id
from biotui.store import Store
from biotui.watch.news import APP, CLI
from biotui.watch.trend import BLOCKS

WIDE = (150, 36)
HEADLINE = "Lupus [b]trial[/b] <doses> & first patient"


def article(guid: str, title: str, days_ago: float) -> Article:
    """An article of the test feed published ``days_ago`` days before now."""
    published = datetime.now(UTC) - timedelta(days=days_ago)
    return Article(
        id=article_id(FEED, guid), feed=FEED, guid=guid, title=title, published=published
    )


@pytest.fixture
def watch_config(tmp_path: Path) -> Config:
    """One feed and two watchlists, the lupus one with ``notify``."""
    return Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(Feed(FEED, path=str(tmp_path / "clips")),),
        searches=(
            SavedSearch("Lupus watch", "lupus", notify=True),
            SavedSearch("Myeloma watch", "myeloma"),
        ),
    )


@pytest.fixture
def notify_send_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``notify-send`` first on the PATH that writes its arguments as JSON to a file."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "argv.json"
    script = folder / "notify-send"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return record


def panel_line(app: BiotuiApp, name: str) -> tuple[str, str]:
    """The panel's row naming ``name``, and the row under it."""
    panel = app.screen.query_one(SidePanel)
    rows = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
    at = next(i for i, row in enumerate(rows) if name in row)
    return rows[at], rows[at + 1]


def record_notifications(app: BiotuiApp, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every notification the app is asked to show, with its keywords, as it is shown."""
    shown: list[dict[str, Any]] = []
    notify = app.notify

    def recording(message: str, **options: Any) -> None:
        shown.append({"message": message, **options})
        notify(message, **options)

    monkeypatch.setattr(app, "notify", recording)
    return shown


async def test_a_refresh_bringing_matches_shows_plus_n_and_says_so_until_opened(
    store: Store,
    open_app: OpenApp,
    watch_config: Config,
    notify_send_args: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.ingest(FEED, [article("old", "Lupus cohort grows", 1.0)])
    arriving = [
        article("new1", "Lupus registry opens", 3.0),
        article("new2", HEADLINE, 0.1),
        article("new3", "Vaccine results", 0.2),
    ]
    monkeypatch.setattr("biotui.refresh.refresh_all", refresh_bringing(arriving))
    async with open_app(size=WIDE, config=watch_config, notifications=True) as pilot:
        app = pilot.app
        shown = record_notifications(app, monkeypatch)
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        line, under = panel_line(app, "Lupus watch")
        assert "+" not in line and line.endswith("1")  # started: nothing new yet
        assert len(under) == 15 and set(under) <= set(BLOCKS) and set(under) != {BLOCKS[0]}

        await pilot.press("r")
        await settle(pilot)
        line, under = panel_line(app, "Lupus watch")
        assert line.endswith("+2 3")
        assert "+" not in panel_line(app, "Myeloma watch")[0]
        assert under[-1] == BLOCKS[-1]  # today's cell is the busiest
        watch = [n for n in shown if n.get("title") == "Watchlist Lupus watch"]
        assert [(n["message"], n["markup"]) for n in watch] == [(f"2 new: {HEADLINE}", False)]
        text = screen_text(app)
        assert "Watchlist Lupus watch" in text and "[b]trial[/b]" in text  # never markup
        assert json.loads(notify_send_args.read_text(encoding="utf-8"))[-2:] == [
            "Watchlist Lupus watch",
            "2 new: Lupus [b]trial[/b] &lt;doses&gt; &amp; first patient",
        ]

        await show_scope(pilot, app, "Lupus watch")
        line, _ = panel_line(app, "Lupus watch")
        assert "+" not in line and line.endswith("3")
        assert store.watch.bookmarks(APP)["Lupus watch"] == store.watch.high_water()
        assert store.watch.bookmarks(CLI) == {}  # cron's bookmark is its own

        # While the watchlist is open, what a refresh brings to it shows in its list: no +N.
        arriving[:] = [article("new4", "Lupus flare study", 0.05)]
        await pilot.press("r")
        await settle(pilot)
        assert [n["message"] for n in shown][-1] == "1 new: Lupus flare study"
        line, _ = panel_line(app, "Lupus watch")
        assert "+" not in line and line.endswith("4")
        assert store.watch.bookmarks(APP)["Lupus watch"] == store.watch.high_water()


async def test_several_watchlists_make_one_notification_and_no_desktop_one_without_notify(
    store: Store,
    open_app: OpenApp,
    tmp_path: Path,
    notify_send_args: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(Feed(FEED, path=str(tmp_path / "clips")),),
        searches=(SavedSearch("Lupus", "lupus"), SavedSearch("Myeloma", "myeloma")),
    )
    arriving = [article("l", "Lupus news", 0.5), article("m", "Myeloma news", 0.5)]
    monkeypatch.setattr("biotui.refresh.refresh_all", refresh_bringing(arriving))
    async with open_app(size=WIDE, config=config, notifications=True) as pilot:
        app = pilot.app
        shown = record_notifications(app, monkeypatch)
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        watch = [n for n in shown if "watchlists" in str(n.get("title"))]
        assert [n["title"] for n in watch] == ["2 watchlists have new articles"]
        assert watch[0]["message"] == "Lupus: 1 new — Lupus news\nMyeloma: 1 new — Myeloma news"
        assert watch[0]["markup"] is False
        assert not notify_send_args.exists()
