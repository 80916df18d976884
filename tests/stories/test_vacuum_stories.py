"""``biotui vacuum`` removing a story's earliest article: the story shows as its next
earliest, one source fewer."""

from __future__ import annotations

import json
from collections.abc import Callable

from .test_cli_stories import cli as cli  # the fixture: four grouped stories

LEAD = "Novagen to Acquire Cellyra Therapeutics"


def test_a_story_whose_earliest_article_is_removed_gets_a_new_lead(
    cli: Callable[..., list[str]],
) -> None:
    [before] = [line for line in cli("list", "--stories") if LEAD in line]
    assert before.endswith("  +4 sources")
    records = [json.loads(line) for line in cli("list", "--json")]
    [lead] = [record for record in records if LEAD in str(record["title"])]
    followers = [r for r in records if r["story"] == lead["story"] and r["id"] != lead["id"]]
    cli("mark", "--read", str(lead["id"]))

    assert cli("vacuum", "--keep-days", "1")[0].startswith("removed 1 read articles")
    stories = [json.loads(line) for line in cli("list", "--stories", "--json")]
    [story] = [record for record in stories if record["story"] == lead["story"]]
    earliest = min(followers, key=lambda record: (str(record["published"]), str(record["id"])))
    assert story["title"] == earliest["title"] and story["sources"] == 3
    assert not any(LEAD in line for line in cli("list", "--stories"))
