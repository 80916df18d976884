"""The JSON records of ``list --json`` and ``show --json``: the documented keys, plain JSON
lines, and the same values (dates in the same format) for the keys they share."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from biotui.cli import main
from biotui.cli.records import article_record, json_line
from biotui.model import Article, article_id
from biotui.store import Store

REPO_NEWS = Path(__file__).resolve().parents[2] / "news"

LIST_KEYS = ["id", "title", "source", "feed", "published", "link", "read", "starred", "story"]
"""The keys of a ``list --json`` line, in the order the README documents them."""
SHARED_KEYS = LIST_KEYS[:-1]
"""The keys ``show --json`` shares with ``list --json`` (``story`` is the list's own)."""

FEED = 'F "x"'
ODD = [
    ("plain", "A plain title", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
    ("quotes", 'Quotes " and \\ backslashes / slashes', datetime(2024, 5, 1, tzinfo=UTC)),
    ("unicode", "München — lúpus 🧬 中文 \u2028 \u00a0", datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ("micro", "With microseconds", datetime(2024, 5, 1, 12, 0, 0, 123, tzinfo=UTC)),
    ("old", "Before 1970", datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)),
    ("older", "Long ago", datetime(1901, 7, 4, 0, 0, 1, tzinfo=UTC)),
    ("undated", "No date", None),
    ("controls", "Tab\there, bell \x07, unit \x1f, delete \x7f", datetime(2024, 5, 2, tzinfo=UTC)),
]
"""Titles and dates that JSON and ISO 8601 each have to get right."""


def odd_article(guid: str, title: str, published: datetime | None) -> Article:
    return Article(
        id=article_id(FEED, guid),
        feed=FEED,
        guid=guid,
        title=title,
        link='https://example.org/?q="1"',
        author="Ana Example",
        published=published,
        source="S\\",
        source_title=f"Original: {title}",
        section="Health",
        place="Basel, Switzerland",
        credits=("Photo by Ana Example",),
        body=f"The body of **{guid}**.",
        notes=("Truncated.",),
    )


@pytest.fixture
def cli(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., list[str]]:
    """A store holding :data:`ODD` (the first read, the second starred) and a function that
    runs ``biotui`` on it and returns its output lines."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.ingest(FEED, [odd_article(*row) for row in ODD])
        store.set_read([article_id(FEED, "plain")], True)
        store.set_starred(article_id(FEED, "quotes"), True)
    config = make_config(f'[[feeds]]\nname = "News"\npath = "{REPO_NEWS}"\n')

    def invoke(*args: str) -> list[str]:
        assert main(["--config", str(config), "--data-dir", str(data), *args]) == 0
        # JSON lines end at "\n" only: a title may hold U+2028, which splitlines() splits at.
        return capsys.readouterr().out.removesuffix("\n").split("\n")

    return invoke


def test_list_json_lines_are_plain_json_with_the_documented_keys(
    cli: Callable[..., list[str]],
) -> None:
    lines = cli("list", "--json")
    assert len(lines) == len(ODD)
    by_guid = {article_id(FEED, guid): (title, when) for guid, title, when in ODD}
    for line in lines:
        record = json.loads(line)
        assert list(record) == LIST_KEYS
        assert line == json.dumps(record, ensure_ascii=False)
        title, when = by_guid[record["id"]]
        assert record["title"] == title
        assert record["published"] == (when.isoformat() if when else None)
        assert (record["source"], record["feed"]) == ("S\\", FEED)
        assert record["link"] == 'https://example.org/?q="1"'
        assert record["story"] is None  # stored by hand, not grouped yet
    records = [json.loads(line) for line in lines]
    flags = {record["title"]: (record["read"], record["starred"]) for record in records}
    assert flags["A plain title"] == (True, False)
    assert flags['Quotes " and \\ backslashes / slashes'] == (False, True)
    assert flags["Long ago"] == (False, False)


def test_list_json_lines_are_those_the_record_builder_makes(
    cli: Callable[..., list[str]], tmp_path: Path
) -> None:
    """``list --json`` lines come from SQL (``biotui.store.json_lines``), ``show --json``
    from the record builder: the same headline gives the same line, byte for byte."""
    lines = cli("list", "--json")
    with Store.open(tmp_path / "data") as store:
        headlines = store.headlines(list(store.headline_ids()))
    built = [json_line(article_record(headline) | {"story": None}) for headline in headlines]
    assert lines == built


def test_list_and_show_agree_on_the_keys_they_share(cli: Callable[..., list[str]]) -> None:
    for line in cli("list", "--json"):
        listed = json.loads(line)
        [shown_line] = cli("show", listed["id"], "--json")
        shown = json.loads(shown_line)
        assert {key: shown[key] for key in SHARED_KEYS} == {k: listed[k] for k in SHARED_KEYS}
        if listed["published"] is not None:
            assert datetime.fromisoformat(listed["published"]).utcoffset() is not None
            assert listed["published"].endswith("+00:00")


def test_show_json_holds_every_field_of_the_article(cli: Callable[..., list[str]]) -> None:
    article = odd_article(*ODD[2])
    [line] = cli("show", article.id, "--json")
    record: dict[str, Any] = json.loads(line)
    assert line == json.dumps(record, ensure_ascii=False)
    expected = {field.name for field in fields(Article)} - {"guid"}
    assert set(record) == expected | {"identifiers"}
    assert record["credits"] == list(article.credits)
    assert record["notes"] == list(article.notes)
    assert record["identifiers"] == []
    for key in expected - {"credits", "notes", "published"}:
        assert record[key] == getattr(article, key), key
