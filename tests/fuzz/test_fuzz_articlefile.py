"""Property: an exported article read back with biotui's Markdown reader is the same article.

Articles are generated as biotui stores them: one-line fields already cleaned, a link that
passed ``safe_link``, credits without repeats, and a body that is what the Markdown reader
keeps of some text. Their text is salted with what could break front matter: quotes,
backslashes, ``---``, ``key:`` lines, YAML escapes, controls and line separators.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from biotui.articlefile import article_markdown, file_name
from biotui.model import Article
from biotui.plaintext import clean_text
from biotui.sources.markdown import parse_front_matter, parse_markdown
from biotui.sources.sanitize import safe_link

from .profiles import scaled

_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
FRONT_MATTER_KEYS = {"title", "source", "author", "date", "link", "feed", "credits"}
FRONT_MATTER_KEYS |= {"source_title", "section", "place", "id", "generator"}

_PIECES = st.sampled_from(
    [
        "---",
        "\n---\n",
        "...",
        "title: injected",
        "\nlink: javascript:alert(1)\n",
        "credits:\n  - Photo: X",
        '"',
        "'",
        "\\",
        '\\"',
        "\\n",
        "\\x41",
        "# heading",
        "Photo: Jane Doe/Agency",
        "[a, b]",
        "- item",
        ": ",
        " #",
        "\t",
        "\x1b[31m",
        "\x00",
        "\u2028",
        "\u202e",
        "\xa0",
        "治疗",
        "🧬",
        "é",
        "<script>x</script>",
        "\\<b\\>",
        "```\ncode\n```",
        "*Photo: Tom Baker*",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=8).map("".join)
_LINE = _TEXT.map(clean_text)
_LINK = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%\"\\ ", max_size=30
).map(lambda path: safe_link(f"https://example.org/{path}"))
_DATES = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
)


def _stored_body(text: str) -> str:
    """What biotui's Markdown reader keeps of ``text`` as an exported file's body."""
    return parse_markdown(f"---\ntitle: t\ngenerator: biotui\n---\n{text}", feed="F", guid="g").body


@st.composite
def articles(draw: st.DrawFn) -> Article:
    title = draw(_LINE.filter(bool))
    return Article(
        id=draw(st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)),
        feed=draw(_LINE.filter(bool)),
        guid="g",
        title=title,
        link=draw(_LINK),
        author=draw(_LINE),
        published=draw(_DATES),
        source=draw(_LINE),
        source_title=draw(_LINE),
        section=draw(_LINE),
        place=draw(_LINE),
        credits=tuple(dict.fromkeys(draw(st.lists(_LINE.filter(bool), max_size=6)))),
        body=_stored_body(draw(st.lists(_TEXT, max_size=6).map("\n".join))),
    )


@scaled(300)
@given(articles())
def test_an_exported_article_reads_back_the_same(article: Article) -> None:
    text = article_markdown(article)
    meta, _ = parse_front_matter(text)
    assert set(meta) <= FRONT_MATTER_KEYS
    again = parse_markdown(text, feed="Exports", guid="export.md")
    for name in ("title", "source", "author", "published", "link", "credits", "body"):
        assert getattr(again, name) == getattr(article, name), name
    assert (again.section, again.place) == (article.section, article.place)


@scaled(300)
@given(articles(), st.integers(min_value=1, max_value=10_000))
def test_every_file_name_is_safe(article: Article, number: int) -> None:
    name = file_name(article, number)
    assert len(name.encode()) <= 255
    assert "/" not in name and "\\" not in name and ".." not in name
    assert _CONTROLS.search(name) is None and not name.startswith((".", "-", " "))
    assert name.endswith(f" ({number}).md" if number > 1 else ".md")
