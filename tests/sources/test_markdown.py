"""Tests for Markdown files with and without front matter."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from markdown_it import MarkdownIt

from biotui.sources.markdown import parse_front_matter, parse_markdown, sanitize_markdown

FULL = """---
title: "Gilead agrees to buy CymaBay for its liver disease drug"
source: Example Deals Weekly
author: Ana Moreau
date: 2024-02-12
link: https://deals.example.org/gilead-cymabay
credits:
  - "Photo: Lena Fischer/Example Agency"
  - Chart by the author
tags: [deals, liver, M&A]
# a comment line
---

# A heading that stays in the body

Gilead said it would pay **$32.50 a share** for CymaBay, whose drug seladelpar treats
primary biliary cholangitis.

*Photo: Tom Baker/Example Agency*

The deal was expected to close in the first quarter.
"""


def md(text: str, link: str = "file:///notes/a.md"):  # type: ignore[no-untyped-def]
    return parse_markdown(text, feed="Notes", guid="/notes/a.md", link=link)


def test_front_matter_fields() -> None:
    article = md(FULL)
    assert article.title == "Gilead agrees to buy CymaBay for its liver disease drug"
    assert article.source == "Example Deals Weekly"
    assert article.author == "Ana Moreau"
    assert article.published == datetime(2024, 2, 12, tzinfo=UTC)
    assert article.link == "https://deals.example.org/gilead-cymabay"
    assert article.credits == (
        "Photo: Lena Fischer/Example Agency",
        "Chart by the author",
        "Photo: Tom Baker/Example Agency",
    )
    assert article.body.startswith("# A heading that stays in the body")
    assert "**$32.50 a share**" in article.body
    assert "Tom Baker" not in article.body
    assert "title:" not in article.body


def test_front_matter_single_credit_and_inline_list() -> None:
    meta, rest = parse_front_matter(
        "---\ncredits: Photo: Jane Doe\ntags: [a, 'b c']\nauthors:\n- X\n- Y\n---\nBody"
    )
    assert meta == {"credits": "Photo: Jane Doe", "tags": ["a", "b c"], "authors": ["X", "Y"]}
    assert rest == "Body"
    article = md("---\ncredits: Photo: Jane Doe\nauthors:\n- X\n- Y\n---\n# T\nBody")
    assert article.credits == ("Photo: Jane Doe",)
    assert article.author == "X, Y"


def test_no_front_matter_first_heading_is_the_title_and_leaves_the_body() -> None:
    article = md("Intro line.\n\n## Sanofi buys *Inhibrx* unit\n\nBody text.\n\n## Later\n")
    assert article.title == "Sanofi buys Inhibrx unit"
    assert "Sanofi buys" not in article.body
    assert "## Later" in article.body
    assert article.link == "file:///notes/a.md"
    assert article.published is None


def test_setext_heading() -> None:
    article = md("AbbVie to acquire ImmunoGen\n===========================\n\nBody.")
    assert article.title == "AbbVie to acquire ImmunoGen"
    assert article.body == "Body."


def test_no_heading_title_from_text() -> None:
    article = md("Just a paragraph about a trial readout.")
    assert article.title == "Just a paragraph about a trial readout."


def test_unclosed_front_matter_is_body() -> None:
    article = md("---\ntitle: never closed\n\nText")
    assert article.title != "never closed"
    assert "never closed" in article.body


def test_raw_html_does_not_survive() -> None:
    article = md(
        "# T\n\nHello <b>bold</b> <img src=x onerror=alert(1)> <!-- hidden -->\n\n"
        "<script>\nalert('x')\n</script>\n\n<div onclick='x()'>div text</div>\n\n"
        "<style>p { color: red }</style>\n<iframe src='https://evil.example'></iframe>"
    )
    assert "<" not in article.body
    assert "alert" not in article.body
    assert "hidden" not in article.body
    assert "color" not in article.body
    assert "Hello bold" in article.body
    assert "div text" in article.body


def test_code_is_left_as_written() -> None:
    article = md("# T\n\n```html\n<b>keep</b>\n```\n\nInline `<i>also</i>` and <i>gone</i>.")
    assert "```html\n<b>keep</b>\n```" in article.body
    assert "`<i>also</i>`" in article.body
    assert "<i>gone</i>" not in article.body


def test_unsafe_link_schemes_are_neutralised() -> None:
    body = sanitize_markdown(
        "[a](javascript:alert(1)) [b](https://ok.example) [c](jav&#x61;script:x) "
        "[d](data:text/html,x) [e](mailto:a@b.example) [f](/relative) <javascript:alert(2)> "
        "<https://auto.example>\n\n[ref]: vbscript:evil\n[ok]: https://fine.example"
    )
    assert "javascript" not in body.replace("\\<javascript", "")
    assert "\\<javascript:alert(2)>" in body
    assert "data:" not in body
    assert "vbscript" not in body
    assert "jav&#x61;script" not in body
    assert "[b](https://ok.example)" in body
    assert "[e](mailto:a@b.example)" in body
    assert "[f](/relative)" in body
    assert "<https://auto.example>" in body
    assert "[ok]: https://fine.example" in body


def test_a_fence_left_where_raw_html_was_stays_text() -> None:
    # Without the script, the rest of its line would start a fence, and the code and the
    # script below would have been read differently the next time (an exported article).
    text = "<script>x</script>```\ncode\n```\n<script>y</script>"
    body = md(f"---\ntitle: T\n---\n{text}").body
    assert body == "\\```\ncode\n```\n<script>y</script>"  # the second script is fenced code
    assert md(f"---\ntitle: T\n---\n{body}").body == body


def test_a_reference_whose_unsafe_destination_goes_keeps_an_empty_one() -> None:
    # With none, the next line's first word would become the reference's destination.
    body = sanitize_markdown("[a, b]: \nlink: javascript:alert(1)\n")
    reader = MarkdownIt()
    reader.validateLink = lambda url: True  # its own check would hide what we let through
    env: dict[str, Any] = {}
    reader.parse(body, env)
    assert all(ref["href"] == "" for ref in env.get("references", {}).values())
    assert sanitize_markdown(body) == body


def test_a_tag_made_of_the_pieces_around_one_goes_too() -> None:
    assert sanitize_markdown("<<b>script>alert(1)<</b>/script> done") == " done"
    # Nested deeper than the passes allow: no tag is left, what remains of a "<" is text.
    nested = sanitize_markdown("<" * 12 + "b>" * 12 + "z")
    assert nested.endswith("z") and "<" not in nested.replace("\\<", "")


def test_front_matter_link_must_be_http() -> None:
    article = md("---\ntitle: T\nlink: javascript:alert(1)\n---\nBody", link="file:///x.md")
    assert article.link == "file:///x.md"


def test_bom_crlf_and_controls() -> None:
    article = md("\ufeff---\r\ntitle: T\x1b[31m\r\n---\r\n\r\nBody\x00 text\x1b]0;pwned\x07.\r\n")
    assert article.title == "T"
    assert article.body == "Body text."


def test_long_body_truncated(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from biotui.sources import markup

    monkeypatch.setattr(markup, "MAX_BODY_CHARS", 20)
    article = md("# T\n\n" + "words " * 100)
    assert len(article.body) < 30
    assert article.notes


def test_yaml_quoted_strings_and_their_escapes() -> None:
    meta, _ = parse_front_matter(
        "---\n"
        'title: "She said \\"yes\\" \\\\ no # not a comment"\n'
        "source: 'It''s quoted'\n"
        'author: "caf\\xe9 \\u6cbb \\U0001f9ec tab\\there"\n'
        'place: "C:\\path stays"\n'
        "section: plain # a comment\n"
        "---\nBody"
    )
    assert meta == {
        "title": 'She said "yes" \\ no # not a comment',
        "source": "It's quoted",
        "author": "café 治 🧬 tab\there",
        "place": "C:\\path stays",
        "section": "plain",
    }
