"""Opening an article's link in the person's browser, or saying why not."""

from __future__ import annotations

import os
import sys

from textual.app import App

from biotui.app.format import is_openable_link, one_line


def graphical_browser_likely() -> bool:
    """False on a Linux/BSD console with no display, where ``webbrowser`` would start a text
    browser fighting the interface for the terminal."""
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_link(app: App[object], url: str) -> None:
    """Open ``url`` in the browser (only web and mail links: see ``is_openable_link``), and
    say so in a notification; say why not when it is not opened."""
    url = one_line(url)
    if not is_openable_link(url):
        app.notify(f"Not opening this link: {url or '(none)'}", markup=False)
        return
    if not graphical_browser_likely():
        app.notify(f"No browser available here. Link: {url}", markup=False, timeout=10)
        return
    app.open_url(url)
    app.notify(f"Opening {url}", markup=False)
