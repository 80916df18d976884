"""What the end-to-end sync tests share: a configuration with ``[sync]`` written as a user
writes it, and biotui run as a user runs it (``main`` in this process, or a subprocess that a
test may kill), with a temporary data folder and the password in ``BIOTUI_SYNC_PASSWORD``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from biotui.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def sync_table(kind: str, url: str, username: str, extra: str = "") -> str:
    """A ``[sync]`` table; the password comes from the environment."""
    return f'[sync]\nkind = "{kind}"\nurl = "{url}"\nusername = "{username}"\n{extra}'


@dataclass
class Biotui:
    """biotui with one configuration and data folder."""

    config: Path
    data: Path
    password: str
    capsys: pytest.CaptureFixture[str]

    def __call__(self, *args: str) -> tuple[int, str, str]:
        """``biotui ARGS`` in this process: exit status, standard output, standard error."""
        os.environ["BIOTUI_SYNC_PASSWORD"] = self.password
        try:
            status = main(["--config", str(self.config), "--data-dir", str(self.data), *args])
        finally:
            del os.environ["BIOTUI_SYNC_PASSWORD"]
        out, err = self.capsys.readouterr()
        return status, out, err

    def ok(self, *args: str) -> str:
        """``biotui ARGS``, which must succeed; its standard output."""
        status, out, err = self(*args)
        assert status == 0, err
        assert "Traceback" not in err
        return out

    def listed(self, *args: str) -> list[dict[str, Any]]:
        """``biotui list --json ARGS`` as records."""
        return [json.loads(line) for line in self.ok("list", "--json", *args).splitlines()]

    def by_title(self) -> dict[str, dict[str, Any]]:
        """``biotui list --json`` by title, checking that no title is listed twice."""
        records = self.listed()
        titles = Counter(str(record["title"]) for record in records)
        assert max(titles.values(), default=1) == 1, titles  # nothing twice
        return {str(record["title"]): record for record in records}

    def feeds(self) -> dict[str, dict[str, Any]]:
        """``biotui feeds --json`` by feed name."""
        records = map(json.loads, self.ok("feeds", "--json").splitlines())
        return {record["name"]: record for record in records}

    def start(self, *args: str) -> subprocess.Popen[str]:
        """``biotui ARGS`` as a process of its own (to kill)."""
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "BIOTUI_SYNC_PASSWORD": self.password,
        }
        command = [sys.executable, "-m", "biotui", "--config", str(self.config)]
        return subprocess.Popen(
            [*command, "--data-dir", str(self.data), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def make_biotui(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, password: str
) -> Biotui:
    """biotui with the configuration ``text`` in ``tmp_path``."""
    config = tmp_path / "feeds.toml"
    config.write_text(text, encoding="utf-8")
    return Biotui(config, tmp_path / "data", password, capsys)
