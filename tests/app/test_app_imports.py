"""The app imports the readers and the HTTP client only when it needs them: an app that
reads the store without refreshing does not hold them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REFRESH_STACK = (
    "feedparser",
    "feedparser_rs",
    "lxml",
    "nh3",
    "html_to_markdown",
    "trafilatura",
    "urllib3",
    "biotui.sources.local",
    "biotui.refresh.newfeed",
)

SESSION = """
import asyncio, sys
from pathlib import Path
from biotui.app.app import BiotuiApp
from biotui.config import load_config
from biotui.store import Store

async def main() -> None:
    app = BiotuiApp(load_config(Path(sys.argv[1])), Store.open(Path(sys.argv[2])))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        print(sorted(m for m in sys.argv[3:] if m in sys.modules))
        await pilot.press("a")  # the add-feed dialog needs them
        await pilot.pause()
        print(sorted(m for m in sys.argv[3:] if m in sys.modules))

asyncio.run(main())
"""


def test_the_refresh_stack_waits_for_the_add_dialog(tmp_path: Path) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text("[settings]\nrefresh_on_start = false\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", SESSION, str(config), str(tmp_path / "data"), *REFRESH_STACK],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    at_start, after_add = result.stdout.strip().splitlines()[-2:]
    assert at_start == "[]"
    assert "biotui.refresh.newfeed" in after_add
