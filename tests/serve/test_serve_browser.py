"""``biotui serve`` in a real headless browser: Debian's chromium driven by Playwright (never a
browser download). The terminal draws on a canvas, so what the app shows is read from the
websocket's frames."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from serve_helpers import Served, wait_gone

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
HEADLINE = "CARsgen doses"
HELP = "undo the last marking"
WAIT_MS = 60_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium (/usr/bin/chromium; .ci/run installs it)",
    ),
]


class Frames:
    """Everything the server's websocket sent to the page, as text."""

    def __init__(self) -> None:
        self.text = ""

    def add(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", "replace")
        self.text += payload

    def wait_for(self, socket: Any, text: str) -> None:
        """Wait on the socket's frames until ``text`` has arrived."""
        if text not in self.text:
            socket.wait_for_event(
                "framereceived", predicate=lambda _: text in self.text, timeout=WAIT_MS
            )


def test_the_app_in_a_browser_tab(served: Served) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    frames = Frames()
    requested: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda request: requested.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on(
                "console",
                lambda message: errors.append(message.text) if message.type == "error" else None,
            )
            # Listening from the socket's first event on: no frame is missed.
            page.on("websocket", lambda socket: socket.on("framereceived", frames.add))
            with page.expect_websocket(timeout=WAIT_MS) as opened:
                page.goto(served.url)
            socket = opened.value
            requested.append(socket.url)
            frames.wait_for(socket, HEADLINE)
            apps = served.app_pids()
            assert len(apps) == 1
            page.locator("#terminal").click()
            page.keyboard.press("?")
            frames.wait_for(socket, HELP)
            page.close()
            (app,) = apps
            assert wait_gone(app, 15), "the tab's app outlived its tab"
        finally:
            browser.close()
    assert errors == [], "the page failed to load something (its policy refused it?)"
    assert any(url.endswith("/static/js/textual.js") for url in requested)
    for url in requested:
        assert urlsplit(url).netloc == served.authority, f"the page asked {url}"
