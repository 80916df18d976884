"""Hostile text in every field a person sees, end to end: refresh, `list --json`, `show`, the app.

The sources tests check each reader's fields; these follow the same payload from a feed served
over HTTP, a clipping folder (file names included) and the config's feed names through the
store to every place it is shown, and check it is shown literally or stripped, never
interpreted.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import pytest
from app_helpers import OpenApp, screen_text, settle
from pytest_httpserver import HTTPServer

from biotui.cli import main
from biotui.config import load_config
from biotui.store import Store
from sources.helpers import FORBIDDEN, PAYLOAD, assert_safe

P = PAYLOAD
LITERAL = "[@click=app.quit]x [/] [bold]b"
"""The markup part of the payload, which must reach the reader as typed."""


def xml_text(value: str) -> str:
    """``value`` as XML character data, controls written as character references."""
    return "".join(c if c in "\t\n" or ord(c) >= 0x20 else f"&#{ord(c)};" for c in escape(value))


def hostile_rss() -> bytes:
    x = xml_text(P)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{x}</title><link>https://f.example/</link>
<item><title>{x} CAR-T</title><link>https://f.example/a</link><guid>hostile-1</guid>
<pubDate>Mon, 02 Feb 2026 12:00:00 GMT</pubDate>
<dc:creator>{x}</dc:creator><source url="https://s.example/">{x}</source>
<description>{escape(f'<p>{P}</p><p><a href="https://l.example/">{P}</a></p>')}</description>
<media:credit>{x}</media:credit></item></channel></rss>""".encode()


@pytest.fixture
def hostile_setup(
    tmp_path: Path, httpserver: HTTPServer, make_config: Callable[[str], Path]
) -> tuple[Path, Path]:
    """A config whose feed names carry markup (control characters in a name are a config
    error, tested with the config): one feed over HTTP, one that fails with the payload as its
    answer, and a clipping folder with a hostile clipping and a broken file with a hostile
    name; returns (config, data)."""
    httpserver.expect_request("/feed.xml").respond_with_data(
        hostile_rss(), content_type="application/rss+xml"
    )
    httpserver.expect_request("/down.xml").respond_with_data(P, status=500)
    folder = tmp_path / "clips"
    folder.mkdir()
    text = P.replace("\x00", "")  # a NUL makes the file binary, skipped with a reason
    (folder / "hostile.txt").write_text(
        f"February 2026 — {text}\nBoston — {text} lupus. Second sentence.\nPhoto: {text}\n"
        f"Source: {text} — {text}\n",
        encoding="utf-8",
    )
    (folder / f"{P.replace('/', '_').replace(chr(0), '')}.json").write_bytes(b"\xff\xfe{{{")
    config = make_config(
        f'[[feeds]]\nname = "{LITERAL} web"\nurl = "{httpserver.url_for("/feed.xml")}"\n'
        f'[[feeds]]\nname = "{LITERAL} down"\nurl = "{httpserver.url_for("/down.xml")}"\n'
        f'[[feeds]]\nname = "{LITERAL} clips"\npath = "{folder}"\n'
    )
    data = tmp_path / "data"
    return config, data


def run(config: Path, data: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run the CLI; return what it printed (stdout and stderr), after checking it succeeded."""
    status = main(["--config", str(config), "--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out + err


def assert_printable(text: str) -> None:
    """No control or bidi character in printed output, beyond line breaks."""
    bad = sorted({f"U+{ord(c):04X}" for c in text if c in FORBIDDEN and c != "\n"})
    assert not bad, f"control characters {bad} printed"
    assert "pwned" not in text


def json_strings(value: Any) -> list[str]:
    """Every string inside a decoded JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.items() for part in item for s in json_strings(part)]
    if isinstance(value, list):
        return [s for item in value for s in json_strings(item)]
    return []


def test_cli_prints_hostile_fields_literally(
    hostile_setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config, data = hostile_setup
    refreshed = run(config, data, "refresh", capsys=capsys)
    assert_printable(refreshed)
    assert "Traceback" not in refreshed
    assert refreshed.count(LITERAL) >= 3  # every feed's name, as typed

    listed = run(config, data, "list", "--json", capsys=capsys)
    records = [json.loads(line) for line in listed.splitlines()]
    assert len(records) == 2
    for record in records:
        for value in json_strings(record):
            assert_safe(value)
        assert LITERAL in record["title"] and LITERAL in record["feed"]

    for record in records:
        shown = run(config, data, "show", record["id"], capsys=capsys)
        assert_printable(shown)
        assert shown.count(LITERAL) >= 5  # title, metadata, body, Source, Credits
        as_json = json.loads(run(config, data, "show", "--json", record["id"], capsys=capsys))
        for value in json_strings(as_json):
            assert_safe(value)
        assert "@click=app.quit" in as_json["body"]  # Markdown source, brackets escaped

    feeds = run(config, data, "feeds", capsys=capsys)
    assert_printable(feeds)
    assert "error" in feeds  # the feed that answered 500, its error on one line
    for line in run(config, data, "feeds", "--json", capsys=capsys).splitlines():
        for value in json_strings(json.loads(line)):
            assert_safe(value)


async def test_app_shows_hostile_fields_literally(
    open_app: OpenApp, hostile_setup: tuple[Path, Path]
) -> None:
    config_path, data = hostile_setup
    argv = ["--config", str(config_path), "--data-dir", str(data), "refresh"]
    assert await asyncio.to_thread(main, argv) == 0
    config = load_config(config_path)
    with Store.open(data) as store:
        async with open_app(size=(160, 50), config=config, store=store) as pilot:
            app = pilot.app
            await settle(pilot)
            for key in ("b", "enter", "j", "enter"):  # side panel, both articles
                await pilot.press(key)
                await settle(pilot)
                text = screen_text(app)
                assert_printable(text)
                assert "[@click=app.quit]x" in text
                assert app.is_running
            # Clicking where a live markup link would sit does nothing either.
            await pilot.click("#article-title", offset=(1, 0))
            await settle(pilot)
            assert app.is_running
