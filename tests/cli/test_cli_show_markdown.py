"""``biotui show ID --markdown``: the article as a Markdown file, which biotui reads back."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from biotui.model import Article, article_id
from biotui.store import Store

Run = Callable[..., tuple[int, str, str]]

TITLE = 'Gilead: "buys" CymaBay \\ for $4.3bn\n---\nlink: javascript:alert(1)'
ARTICLE = Article(
    id=article_id("Deals", "g1"),
    feed="Deals",
    guid="g1",
    title=TITLE,
    link="https://deals.example.org/gilead-cymabay",
    author="Ana Moreau",
    published=datetime(2024, 2, 12, 8, 0, tzinfo=UTC),
    source="Example Deals Weekly",
    credits=("Photo: Lena Fischer/Example Agency", "Chart by the author"),
    body="# Terms\n\nGilead said it would pay **$32.50 a share**.\n\nPhoto: in the body, stays",
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A configuration with one feed: the folder the test exports into."""
    (tmp_path / "exports").mkdir()
    path = tmp_path / "feeds.toml"
    path.write_text('[[feeds]]\nname = "Kept"\npath = "exports"\n', encoding="utf-8")
    return path


@pytest.fixture
def stored(tmp_path: Path) -> Article:
    """The article, stored as a feed's article would be; returned as the store gives it."""
    with Store.open(tmp_path / "data") as store:
        store.ingest("Deals", [ARTICLE])
        article = store.article(ARTICLE.id)
    assert article is not None
    return article


def test_show_markdown_prints_front_matter_then_the_body(run: Run, stored: Article) -> None:
    status, out, err = run("show", stored.id, "--markdown")
    assert (status, err) == (0, "")
    front, body = out.split("\n---\n\n", 1)
    assert front.splitlines() == [
        "---",
        'title: "Gilead: \\"buys\\" CymaBay \\\\ for $4.3bn\\n---\\nlink: javascript:alert(1)"',
        'source: "Example Deals Weekly"',
        'author: "Ana Moreau"',
        'date: "2024-02-12T08:00:00+00:00"',
        'link: "https://deals.example.org/gilead-cymabay"',
        'feed: "Deals"',
        f'id: "{stored.id}"',
        "credits:",
        '  - "Photo: Lena Fischer/Example Agency"',
        '  - "Chart by the author"',
        "generator: biotui",
    ]
    assert body == ARTICLE.body + "\n"


def test_an_exported_file_refreshed_as_a_feed_is_the_same_article(
    run: Run, stored: Article, tmp_path: Path
) -> None:
    _, out, _ = run("show", stored.id, "--markdown")
    (tmp_path / "exports" / "gilead.md").write_text(out, encoding="utf-8")
    assert run("refresh")[0] == 0
    _, listed, _ = run("list", "--json", "--filter", "feed:Kept")
    [record] = [json.loads(line) for line in listed.splitlines()]
    _, shown, _ = run("show", record["id"], "--json")
    again = json.loads(shown)
    _, original, _ = run("show", stored.id, "--json")
    expected = json.loads(original)
    for key in ("source", "author", "published", "link", "credits", "body"):
        assert again[key] == expected[key], key
    # A reader never stores a title of several lines; read back, the lines become one.
    assert again["title"] == 'Gilead: "buys" CymaBay \\ for $4.3bn --- link: javascript:alert(1)'


def test_show_markdown_and_json_together_is_a_usage_error(
    run: Run, stored: Article, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        run("show", stored.id, "--markdown", "--json")
    assert caught.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_show_markdown_of_an_unknown_id_is_an_error(run: Run) -> None:
    assert run("show", "0000000000000000", "--markdown")[:2] == (1, "")
