"""An article as a Markdown file: what it holds, reading it back, its name, and saving it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from biotui.articlefile import MAX_NAME_BYTES, article_markdown, file_name, safe_file_name
from biotui.articlesave import save_article
from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.plaintext import clean_text
from biotui.sources.local import read_file
from biotui.sources.markdown import parse_markdown

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
COMPARED = ("title", "source", "author", "published", "link", "credits", "body")
COMPARED += ("section", "place")

ARTICLE = Article(
    id=article_id("Endpoints", "g1"),
    feed="Endpoints",
    guid="g1",
    title="CARsgen: KJ-C2219 doses first lupus patient",
    link="https://example.org/carsgen?a=1&b=2#top",
    author="Staff reporter",
    published=datetime(2026, 2, 12, 9, 30, tzinfo=UTC),
    source="PR Newswire / CARsgen Therapeutics",
    source_title="CARsgen's CD19/CD20 CAR-T Therapy Administers First Dose",
    section="Global Biotech News",
    place="Shanghai, China / Global",
    credits=("Photo by Diane Serik on Unsplash", 'Image: "Lab", 2026'),
    body=(
        "# A heading in the body\n\nKJ-C2219 is an allogeneic CAR-T therapy.\n\n"
        "Photo: a line of the body that looks like a credit\n\nIt targets **CD19/CD20**."
    ),
)


def read_back(text: str, link: str = "") -> Article:
    """The article biotui's Markdown reader reads from ``text`` (a file whose own link is
    ``link``)."""
    return parse_markdown(text, feed="Exports", guid="export.md", link=link)


def same(first: Article, second: Article) -> dict[str, tuple[object, object]]:
    """The compared fields that differ, with both values."""
    return {
        name: (getattr(first, name), getattr(second, name))
        for name in COMPARED
        if getattr(first, name) != getattr(second, name)
    }


def test_the_file_has_front_matter_then_the_body() -> None:
    text = article_markdown(ARTICLE)
    head, body = text.split("\n---\n\n", 1)
    assert head.splitlines() == [
        "---",
        'title: "CARsgen: KJ-C2219 doses first lupus patient"',
        'source: "PR Newswire / CARsgen Therapeutics"',
        'author: "Staff reporter"',
        'date: "2026-02-12T09:30:00+00:00"',
        'link: "https://example.org/carsgen?a=1&b=2#top"',
        'feed: "Endpoints"',
        'source_title: "CARsgen\'s CD19/CD20 CAR-T Therapy Administers First Dose"',
        'section: "Global Biotech News"',
        'place: "Shanghai, China / Global"',
        f'id: "{ARTICLE.id}"',
        "credits:",
        '  - "Photo by Diane Serik on Unsplash"',
        '  - "Image: \\"Lab\\", 2026"',
        "generator: biotui",
    ]
    assert body == ARTICLE.body + "\n"


def test_reading_the_file_back_gives_the_same_article_nothing_doubled() -> None:
    again = read_back(article_markdown(ARTICLE))
    assert same(ARTICLE, again) == {}
    assert again.body.count("A heading in the body") == 1
    assert "CARsgen: KJ-C2219" not in again.body  # the title is not repeated in the body
    assert "Diane Serik" not in again.body


def test_an_article_without_date_author_or_credits_leaves_those_keys_out() -> None:
    bare = Article(id="0", feed="F", guid="g", title="Bare", body="Text.")
    text = article_markdown(bare)
    assert "date:" not in text and "author:" not in text and "credits" not in text
    assert same(bare, read_back(text)) == {}
    empty = Article(id="0", feed="F", guid="g", title="No body")
    assert article_markdown(empty).endswith("generator: biotui\n---\n")


@pytest.mark.parametrize(
    "title",
    [
        'Gilead: "buys" CymaBay \\ for $4.3bn',
        "title\n---\nlink: javascript:alert(1)",
        "x\nlink: https://evil.example/\ncredits: [injected]",
        "---",
        "'single' and \"double\" # not a comment",
        "[not, a, list]",
        "- not an item",
        "Ünïcödé — 治疗 🧬 \u2028line\u2029separators",
        "escape \x1b[31mred\x1b[0m and \x00 NUL \x85 NEL",
        "\\n \\x41 \\u0041 backslash escapes written literally",
    ],
)
def test_a_hostile_title_stays_the_title_and_injects_no_key(title: str) -> None:
    article = Article(id="0", feed="F", guid="g", title=title, link="https://ok.example/")
    text = article_markdown(article)
    front = text.split("\n---\n", 1)[0].splitlines()
    keys = [line.split(":")[0] for line in front[1:]]
    assert keys == ["title", "link", "feed", "id", "generator"]
    again = read_back(text)
    assert again.link == "https://ok.example/"
    assert again.credits == ()
    assert again.title == clean_text(title)


def test_a_file_link_reads_back_as_the_exported_file_itself() -> None:
    local = Article(id="0", feed="F", guid="g", title="Local", link="file:///news/a.txt")
    assert 'link: "file:///news/a.txt"' in article_markdown(local)
    assert read_back(article_markdown(local), "file:///x/export.md").link == "file:///x/export.md"


def test_credit_lines_still_become_credits_in_other_markdown_files() -> None:
    text = article_markdown(ARTICLE).replace("generator: biotui\n", "")
    again = read_back(text)
    assert "Photo: a line of the body that looks like a credit" in again.credits


def test_escaped_html_in_a_body_is_text_and_stays() -> None:
    body = 'I read \\<a href="https://example.com/"\\>example\\</a\\> and \\\\<b>bold</b>.'
    again = read_back(f"---\ntitle: T\n---\n{body}")
    assert again.body == 'I read \\<a href="https://example.com/"\\>example\\</a\\> and \\\\bold.'


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_every_corpus_article_survives_the_round_trip() -> None:
    problems: list[str] = []
    count = 0
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.suffix == ".json":
            continue
        try:
            articles = read_file(path, "Corpus")
        except SourceError:
            continue
        for article in articles:
            count += 1
            differs = same(article, read_back(article_markdown(article)))
            if article.link.startswith("file:"):
                differs.pop("link", None)  # reads back as the exported file (see above)
            if differs:
                problems.append(f"{path.relative_to(CORPUS)}: {sorted(differs)}")
    assert count > 1000
    assert problems == []


# -- file names ---------------------------------------------------------------------------------


def test_the_name_is_the_date_and_the_title() -> None:
    assert file_name(ARTICLE) == "2026-02-12 CARsgen- KJ-C2219 doses first lupus patient.md"
    assert file_name(ARTICLE, 3).endswith("patient (3).md")
    undated = Article(id="0", feed="F", guid="g", title="No date")
    assert file_name(undated) == "No date.md"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("a/b\\c", "a-b-c.md"),
        ("../../etc/passwd", "…-…-etc-passwd.md"),
        ("..", "….md"),
        ("...", "….md"),
        (". .", "article.md"),
        (".hidden", "hidden.md"),
        ("-rf", "rf.md"),
        ("wait... what", "wait… what.md"),
        ("tab\tnew\nline\x00nul\x1b[31mred\u202eevil", "tab new linenulredevil.md"),
        ("trailing dot. ", "trailing dot.md"),
        ("", "article.md"),
        ("CON", "CON_.md"),
        ('a:b*c?d"e<f>g|h', "a-b-c-d-e-f-g-h.md"),
    ],
)
def test_unsafe_names_are_made_safe(stem: str, expected: str) -> None:
    name = safe_file_name(stem)
    assert name == expected
    assert "/" not in name and "\\" not in name and ".." not in name
    assert name.isprintable()


@pytest.mark.parametrize("char", ["a", "é", "治", "🧬"])
def test_a_long_title_is_cut_between_characters_to_255_bytes(char: str) -> None:
    for ending in (".md", " (2).md", " (1000).md"):
        name = safe_file_name(char * 300, ending)
        data = name.encode()
        assert len(data) <= MAX_NAME_BYTES
        assert len(data) > MAX_NAME_BYTES - 4  # cut no more than one character short
        assert name.endswith(ending)
        assert set(name.removesuffix(ending)) == {char}


# -- saving -------------------------------------------------------------------------------------


def test_saving_writes_the_file_and_never_overwrites(tmp_path: Path) -> None:
    first = save_article(ARTICLE, tmp_path)
    assert first == tmp_path / file_name(ARTICLE)
    assert first.read_text(encoding="utf-8") == article_markdown(ARTICLE)
    second = save_article(ARTICLE, tmp_path)
    assert second.name.endswith(" (2).md")
    mine = tmp_path / file_name(ARTICLE, 3)
    mine.write_text("the person's own file", encoding="utf-8")
    third = save_article(ARTICLE, tmp_path)
    assert third.name.endswith(" (4).md")
    assert mine.read_text(encoding="utf-8") == "the person's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        file_name(ARTICLE, n) for n in (1, 2, 3, 4)
    )  # no temporary file left behind
    assert same(ARTICLE, read_back(third.read_text(encoding="utf-8"))) == {}


def test_the_saved_file_has_ordinary_permissions(tmp_path: Path) -> None:
    path = save_article(ARTICLE, tmp_path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_saving_without_hard_links_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    (tmp_path / file_name(ARTICLE)).write_text("kept", encoding="utf-8")
    saved = save_article(ARTICLE, tmp_path)
    assert saved.name.endswith(" (2).md")
    assert (tmp_path / file_name(ARTICLE)).read_text(encoding="utf-8") == "kept"
    assert saved.read_text(encoding="utf-8") == article_markdown(ARTICLE)
    assert len(list(tmp_path.iterdir())) == 2


def test_a_missing_or_unwritable_folder_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        save_article(ARTICLE, tmp_path / "missing")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(PermissionError):
            save_article(ARTICLE, locked)
    finally:
        locked.chmod(0o700)
