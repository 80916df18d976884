"""Draw docs/screenshot.svg: the app over the bundled clippings and a small trade feed
written for the picture (docs/screenshot/trade-wire.xml, which reports one clipping's event
again, so the picture shows a story with its sources), headless, no network.

python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import math
import tempfile
from pathlib import Path

from biotui.app.app import BiotuiApp
from biotui.app.screenshot import capture_svg
from biotui.model import Config, Feed, Settings
from biotui.refresh import refresh_all
from biotui.store import Store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Refresh the bundled clippings into a scratch store and save the picture."""
    config = Config(
        path=ROOT / "feeds.toml",
        settings=Settings(refresh_on_start=False, refresh_every=math.inf),
        feeds=(
            Feed("Clippings", path=str(ROOT / "news")),
            Feed("Cell and Gene Wire", path=str(ROOT / "docs" / "screenshot" / "trade-wire.xml")),
        ),
    )
    with tempfile.TemporaryDirectory() as scratch, Store.open(Path(scratch)) as store:
        refresh_all(config, store)
        app = BiotuiApp(config, store, initial_filter="CAR-T OR lupus")
        svg = asyncio.run(capture_svg(app, size=(140, 54), keys=[], title="biotui"))
    (ROOT / "docs" / "screenshot.svg").write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    main()
