"""Fixtures shared by the Google Reader tests: a server of our own and a backend on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from biotui.sync.backend import RemoteItem
from biotui.sync.greader import GReaderBackend

from .greader_server import GReaderServer

PASSWORD = "api-password-8c1f"
NOW = 1_750_000_000
OLDEST = datetime.fromtimestamp(NOW - 30 * 86400, UTC)


class Asked:
    """A password callable that counts how often it is asked."""

    def __init__(self, password: str = PASSWORD) -> None:
        self.password = password
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return self.password


@pytest.fixture
def make_server() -> Iterator[Callable[..., GReaderServer]]:
    started: list[GReaderServer] = []

    def make(**quirks: Any) -> GReaderServer:
        server = GReaderServer(password=PASSWORD, **quirks).__enter__()
        started.append(server)
        return server

    yield make
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture
def make_backend(tmp_path: Path) -> Iterator[Callable[..., GReaderBackend]]:
    made: list[GReaderBackend] = []

    def make(
        server: GReaderServer, password: Callable[[], str] | None = None, **options: Any
    ) -> GReaderBackend:
        backend = GReaderBackend(server.url, server.username, password or Asked(), **options)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


def sync_all(backend: GReaderBackend, resume: str | None) -> tuple[list[RemoteItem], str, int]:
    """Every page of one pass: the items, the resume to go on from, the number of pages."""
    items: list[RemoteItem] = []
    pages = 0
    while True:
        page = backend.items(resume, OLDEST)
        pages += 1
        items.extend(page.items)
        resume = page.resume
        if page.done:
            return items, resume, pages
