"""The ``biotui`` command as a process: its exit status, its output through a pipe, Ctrl-C,
and what it imports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

REPO_NEWS = Path(__file__).resolve().parents[2] / "news"


def test_bundled_clippings_load_offline(tmp_path: Path) -> None:
    """The shipped configuration's clippings give headlines with no network at all."""
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Clippings"\npath = "{REPO_NEWS}"\n', encoding="utf-8")
    env_args = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    command = [sys.executable, "-m", "biotui", *env_args]
    refreshed = subprocess.run([*command, "refresh"], capture_output=True, text=True, check=True)
    assert refreshed.stdout.startswith("✓ Clippings: ")
    listed = subprocess.run(
        [*command, "list", "--json"], capture_output=True, text=True, check=True
    )
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(records) == len(list(REPO_NEWS.iterdir()))
    assert any("KJ-C2219" in record["title"] for record in records)


HEAVY_MODULES = (
    "textual",
    "rich",
    "feedparser",
    "http.client",
    "asyncio",
    "trafilatura",
    "lxml",
    "markdown_it",
    "nh3",
    "html_to_markdown",
    "platformdirs",
    "aiohttp",
)
"""What `biotui list` and `show` must not import: the UI and the fetch/parse stack."""


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "--json", "--filter", "CAR-T OR lupus"], ["show", "0000000000000000"]],
)
def test_list_does_not_import_the_ui(tmp_path: Path, command: list[str]) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Clippings"\npath = "{REPO_NEWS}"\n', encoding="utf-8")
    code = (
        "import sys; from biotui.cli import main; "
        f"main(['--config', {str(config)!r}, '--data-dir', {str(tmp_path / 'd')!r}, "
        f"*{command!r}]); "
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_command_exits_with_main_s_status_and_all_its_output(tmp_path: Path) -> None:
    """``python -m biotui`` (like the installed ``biotui``) leaves quickly after ``main``: its
    output must still be complete, through a pipe, and its status the one main returned."""
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Clippings"\npath = "{REPO_NEWS}"\n', encoding="utf-8")
    base = [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(tmp_path)]
    refreshed = subprocess.run([*base, "refresh"], capture_output=True, text=True)
    assert refreshed.returncode == 0
    assert len(refreshed.stdout.splitlines()) == 1  # the feed's summary line
    listed = subprocess.run([*base, "list", "--json"], capture_output=True, text=True)
    assert listed.returncode == 0
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(records) == len(list(REPO_NEWS.iterdir()))
    wrong = subprocess.run([*base, "list", "--filter", '"unbalanced'], capture_output=True)
    assert wrong.returncode == 2
    assert wrong.stderr.decode().startswith("biotui: ")
    closed = subprocess.Popen([*base, "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert closed.stdout is not None and closed.stderr is not None
    closed.stdout.close()  # the reader went away, as with `biotui list | head -0`
    assert closed.wait(30) == 0
    assert closed.stderr.read() == b""


def test_importing_the_cli_loads_neither_the_store_nor_the_ui() -> None:
    """The app, the refresh and the store are imported by the commands that use them."""
    heavy = (*HEAVY_MODULES, "sqlite3", "biotui.store", "biotui.app", "biotui.refresh")
    code = f"import sys, biotui.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_ctrl_c_during_a_refresh_exits_130_quietly(httpserver: HTTPServer, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while a feed is
    being fetched: the command ends at once with status 130 and says nothing."""
    asked, release = threading.Event(), threading.Event()

    def slow_feed(request: Request) -> Response:
        asked.set()
        release.wait(30)
        return Response("", status=503)

    httpserver.expect_request("/feed.xml").respond_with_handler(slow_feed)
    config = tmp_path / "feeds.toml"
    url = httpserver.url_for("/feed.xml")
    config.write_text(f'[[feeds]]\nname = "Slow"\nurl = "{url}"\n', encoding="utf-8")
    command = [sys.executable, "-m", "biotui", "--config", str(config)]
    process = subprocess.Popen(
        [*command, "--data-dir", str(tmp_path / "data"), "refresh"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert asked.wait(30), "the refresh never asked for the feed"
        interrupted = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=20)
        took = time.monotonic() - interrupted
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert (out, err) == (b"", b"")
    assert took < 10, "the command waited for the feed's answer before leaving"
