"""What the CLI tests share: ``run``, biotui's ``main`` on the module's ``config`` fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(*args)``: biotui with the test's configuration and a temporary data folder; its
    exit status, standard output and standard error."""

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke
