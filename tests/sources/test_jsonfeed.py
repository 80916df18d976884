"""Tests for JSON Feed 1.0 / 1.1 reading."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from biotui.errors import SourceError
from biotui.model import article_id
from biotui.sources import parse_feed
from biotui.sources.dates import parse_rfc3339
from biotui.sources.jsonfeed import is_json_feed, parse_json_feed

FEED_11: dict[str, Any] = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Example Cell Therapy Journal",
    "home_page_url": "https://cells.example.org/",
    "feed_url": "https://cells.example.org/feed.json",
    "authors": [{"name": "Editorial Team"}],
    "items": [
        {
            "id": "https://cells.example.org/2024/kyverna",
            "url": "https://cells.example.org/2024/kyverna",
            "title": "Kyverna prices IPO to fund CAR-T work in lupus nephritis",
            "content_html": '<p>The company raised money for <a href="/kyv-101">KYV-101</a>.</p>'
            "<script>alert(1)</script>",
            "summary": "ignored when there is content",
            "date_published": "2024-02-08T09:00:00-05:00",
            "authors": [{"name": "Lena Fischer"}, {"name": "Tom Baker"}],
        },
        {
            "id": 42,
            "title": "Plain text item",
            "content_text": "Line one *not bold*\nLine two",
            "date_modified": "2024-02-09T10:00:00Z",
        },
        {"id": "no-title", "summary": "Only a summary with enough words to make a title."},
    ],
}

FEED_10: dict[str, Any] = {
    "version": "https://jsonfeed.org/version/1",
    "title": "Old JSON",
    "author": {"name": "Feed Author"},
    "items": [
        {
            "id": "1",
            "external_url": "https://elsewhere.example.org/story",
            "title": "Story",
            "content_html": "<p>Body</p>",
            "author": {"name": "Item Author"},
        },
        {"id": "2", "title": "Second", "content_text": "x"},
    ],
}


def load(document: Any, **kwargs: Any) -> Any:
    return parse_feed(json.dumps(document).encode(), "Cells", **kwargs)


def test_json_feed_11() -> None:
    result = load(FEED_11)
    assert result.title == "Example Cell Therapy Journal"
    assert result.warnings == []
    first, second, third = result.articles
    assert first.guid == "https://cells.example.org/2024/kyverna"
    assert first.id == article_id("Cells", first.guid)
    assert first.title == "Kyverna prices IPO to fund CAR-T work in lupus nephritis"
    assert first.link == "https://cells.example.org/2024/kyverna"
    assert first.author == "Lena Fischer, Tom Baker"
    assert first.published == datetime(2024, 2, 8, 14, 0, tzinfo=UTC)
    assert first.source == "Example Cell Therapy Journal"
    assert "[KYV-101](https://cells.example.org/kyv-101)" in first.body
    assert "alert" not in first.body
    assert second.guid == "42"
    assert second.author == "Editorial Team"
    assert second.body == "Line one \\*not bold\\*\n\nLine two"
    assert second.published == datetime(2024, 2, 9, 10, 0, tzinfo=UTC)
    assert third.title.startswith("Only a summary")


def test_json_feed_10_author_and_external_url() -> None:
    first, second = load(FEED_10).articles
    assert first.author == "Item Author"
    assert first.link == "https://elsewhere.example.org/story"
    assert second.author == "Feed Author"


def test_utf8_bom_and_utf16() -> None:
    raw = json.dumps(FEED_10, ensure_ascii=False)
    assert parse_feed(b"\xef\xbb\xbf" + raw.encode(), "x").title == "Old JSON"
    assert parse_feed(raw.encode("utf-16"), "x").title == "Old JSON"


def test_wrong_types_are_tolerated() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": ["not", "a", "string"],
        "items": [
            {"id": None, "url": ["x"], "title": 7, "content_html": 5, "authors": "nobody"},
            "not an object",
            {"id": "ok", "date_published": "yesterday", "title": "Fine"},
        ],
    }
    result = load(document)
    assert result.title == ""
    assert [a.title for a in result.articles] == ["7", "Fine"]
    assert result.articles[1].published is None
    assert result.warnings == ["item 2 skipped: not an object"]


def test_items_without_version_are_read_with_a_warning() -> None:
    result = load({"title": "No version", "items": [{"id": "1", "title": "t"}]})
    assert result.articles[0].title == "t"
    assert result.warnings


@pytest.mark.parametrize(
    "document",
    [{"hello": "world"}, {"version": "https://example.org/not-jsonfeed"}, {"items": "nope"}],
)
def test_json_that_is_not_a_feed(document: Any) -> None:
    with pytest.raises(SourceError, match="not a JSON Feed"):
        load(document)


def test_invalid_json() -> None:
    with pytest.raises(SourceError, match="not valid JSON"):
        parse_json_feed(b"{nope", "x")


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    with pytest.raises(SourceError):
        parse_json_feed(b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}", "x")


def test_missing_items_list() -> None:
    result = load({"version": "https://jsonfeed.org/version/1.1", "title": "Empty"})
    assert result.articles == []
    assert result.warnings == ["no items list"]


def test_helpers() -> None:
    assert is_json_feed({"version": "https://jsonfeed.org/version/1.1"})
    assert not is_json_feed([])
    assert parse_rfc3339("2024-02-08T09:00:00") == datetime(2024, 2, 8, 9, 0, tzinfo=UTC)
    assert parse_rfc3339("nonsense") is None
    assert parse_rfc3339(None) is None
