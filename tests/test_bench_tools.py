"""The refresh benchmark's tools: the feed generator is deterministic and its manifest right,
and the loopback server answers conditional requests with 304 (no timing is checked)."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import feedgen  # noqa: E402  (bench/ is not a package)
from loopback_server import ServerProcess  # noqa: E402

TINY = feedgen.Spec(
    feeds=3, items=4, seed=7, newest=datetime(2026, 1, 2, 3, 4, tzinfo=UTC), step=timedelta(hours=1)
)


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_feedgen_is_deterministic_and_its_manifest_counts_right(tmp_path: Path) -> None:
    first = feedgen.generate(tmp_path / "a", "tiny", TINY, quiet=True)
    second = feedgen.generate(tmp_path / "b", "tiny", TINY, quiet=True)
    a, b = _contents(tmp_path / "a"), _contents(tmp_path / "b")
    a.pop("manifest.json"), b.pop("manifest.json")
    assert a == b
    assert {k: v for k, v in first.items() if k != "build_seconds"} == {
        k: v for k, v in second.items() if k != "build_seconds"
    }
    assert first["feeds"] == 3 and first["items_per_feed"] == 4 and first["total_items"] == 12
    assert first["total_bytes"] == sum(len(data) for data in a.values())
    assert first["formats"] == {"rss": 2, "atom": 1}
    guids: set[str] = set()
    for entry in first["files"]:
        parsed = feedparser.parse((tmp_path / "a" / entry["name"]).read_bytes())
        assert not parsed.bozo, entry["name"]
        assert len(parsed.entries) == entry["items"] == 4
        for item in parsed.entries:
            assert item.title and item.link and item.author and item.published_parsed
            body = item.content[0].value if "content" in item else item.summary
            assert 900 <= len(body) <= 3500
            guids.add(item.id)
    assert len(guids) == 12
    assert (
        first["newest_title"]
        == feedparser.parse((tmp_path / "a" / "feed-000.rss").read_bytes()).entries[0].title
    )


def test_feedgen_reuses_a_matching_dataset(tmp_path: Path) -> None:
    made, built = feedgen.ensure_dataset(tmp_path, "tiny", TINY, quiet=True)
    assert built
    again, built = feedgen.ensure_dataset(tmp_path, "tiny", TINY, quiet=True)
    assert not built and again == made
    (tmp_path / made["files"][0]["name"]).write_bytes(b"truncated")
    _again, built = feedgen.ensure_dataset(tmp_path, "tiny", TINY, quiet=True)
    assert built


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """The loopback server, in its own process, on a tiny dataset, with no added delay."""
    feedgen.generate(tmp_path, "tiny", TINY, quiet=True)
    with ServerProcess(tmp_path, delay_ms=0) as running:
        yield running


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def test_loopback_server_answers_304_to_conditional_requests(server: ServerProcess) -> None:
    url = server.feed_url("feed-001.atom")
    status, headers, body = _get(url, {})
    assert status == 200 and body.startswith(b"<?xml")
    assert headers["Content-Type"].startswith("application/atom+xml")
    etag, modified = headers["ETag"], headers["Last-Modified"]

    assert _get(url, {"If-None-Match": etag})[0] == 304
    assert _get(url, {"If-Modified-Since": modified})[0] == 304
    assert _get(url, {"If-None-Match": '"other"'})[0] == 200
    assert _get(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    assert _get(server.feed_url("missing.rss"), {})[0] == 404

    stats = server.reset()
    assert stats["200"] == 3 and stats["304"] == 2 and stats["404"] == 1
    assert stats["requests"] == 6 and stats["conditional"] == 4
    assert server.stats()["requests"] == 0
    assert json.loads(_get(f"{server.url}/__stats", {})[2])["requests"] == 0


def test_loopback_server_without_validators_always_sends_the_feed(tmp_path: Path) -> None:
    feedgen.generate(tmp_path, "tiny", TINY, quiet=True)
    with ServerProcess(tmp_path, delay_ms=0, validators=False) as server:
        url = server.feed_url("feed-001.atom")
        status, headers, body = _get(url, {})
        assert status == 200 and body.startswith(b"<?xml")
        assert "ETag" not in headers and "Last-Modified" not in headers
        assert _get(url, {"If-None-Match": "*"})[0] == 200
        assert _get(url, {"If-Modified-Since": "Mon, 01 Jan 2035 00:00:00 GMT"})[0] == 200
