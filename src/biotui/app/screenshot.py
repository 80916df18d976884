"""Take an SVG screenshot of the app headlessly, for the README or a bug report.

Example::

    import asyncio
    from biotui.app.app import BiotuiApp
    from biotui.app.screenshot import capture_svg

    svg = asyncio.run(capture_svg(BiotuiApp(config, store), size=(120, 34), keys=["j"]))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import App

DEFAULT_SIZE = (120, 34)
"""Columns and rows of the picture."""


async def capture_svg(
    app: App[Any],
    *,
    size: tuple[int, int] = DEFAULT_SIZE,
    keys: Sequence[str] = (),
    settle_seconds: float = 0.4,
    title: str | None = None,
) -> str:
    """Run ``app`` headlessly at ``size``, press ``keys``, and return the screen as SVG.

    Waits ``settle_seconds`` (and for running workers) before and after the keys so queries,
    articles and the footer are drawn. Use a config with ``refresh_on_start`` off for a
    picture that does not depend on the network.
    """
    async with app.run_test(size=size) as pilot:
        await pilot.pause(settle_seconds)
        await app.workers.wait_for_complete()
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.pause(settle_seconds)
            await app.workers.wait_for_complete()
            await pilot.pause()
        return app.export_screenshot(title=title)
