"""``biotui list --json`` gives each article's story; ``biotui list --stories`` one line per
story with its earliest article's headline and "+N sources"."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from biotui.cli import main
from biotui.model import Article, article_id
from biotui.refresh.grouping import group_pending
from biotui.store import Store

from .truth import own_items

STORIES = ("cellyra-acquisition", "zorvexa-approval", "velquira-approval", "orsino-ceo")


@pytest.fixture
def cli(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., list[str]]:
    """A store holding four stories of the truth set, grouped, and ``biotui`` run on it."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        for item in own_items():
            if item.story in STORIES:
                when = datetime.fromtimestamp(item.time, UTC)
                article = Article(
                    article_id(item.feed, item.name),
                    item.feed,
                    item.name,
                    item.title,
                    body=item.body,
                    published=when,
                    source=item.feed,
                )
                store.ingest(item.feed, [article])
        group_pending(store)
    config = make_config('[[feeds]]\nname = "N"\nurl = "https://n.example/feed"\n')

    def invoke(*args: str) -> list[str]:
        assert main(["--config", str(config), "--data-dir", str(data), *args]) == 0
        return capsys.readouterr().out.splitlines()

    return invoke


def test_list_json_gives_each_article_its_story(cli: Callable[..., list[str]]) -> None:
    records = [json.loads(line) for line in cli("list", "--json")]
    stories: dict[str, set[int]] = {}
    for item in own_items():
        if item.story in STORIES:
            story = next(r["story"] for r in records if r["id"] == article_id(item.feed, item.name))
            stories.setdefault(item.story, set()).add(story)
    assert all(len(ids) == 1 for ids in stories.values()), stories
    assert len({next(iter(ids)) for ids in stories.values()}) == len(STORIES)


def test_list_stories_prints_one_line_per_story(cli: Callable[..., list[str]]) -> None:
    lines = cli("list", "--stories")
    assert len(lines) == len(STORIES)
    cellyra = [line for line in lines if "Cellyra" in line]
    # The earliest article's headline, with the four other outlets.
    assert cellyra == [
        next(line for line in lines if "Novagen to Acquire Cellyra Therapeutics" in line)
    ]
    assert cellyra[0].endswith("  +4 sources")
    # Newest story first: the CEO (October), from two outlets.
    assert "Keller" in lines[0] and lines[0].endswith("  +1 source")


def test_list_stories_as_json_and_limited(cli: Callable[..., list[str]]) -> None:
    [record] = [json.loads(line) for line in cli("list", "--stories", "--json", "--limit", "1")]
    assert (
        record["title"]
        == "Orsino Therapeutics Appoints Dr. Maria Keller as Chief Executive Officer"
    )
    assert record["sources"] == 1 and isinstance(record["story"], int)
    zorvexa = cli("list", "--stories", "--filter", "Zorvexa")
    assert len(zorvexa) == 1 and zorvexa[0].endswith("+2 sources")
