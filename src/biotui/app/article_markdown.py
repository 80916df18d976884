"""How the article pane reads a body's Markdown.

GitHub-like Markdown (tables, strikethrough), but text that merely looks like a URL stays
text: markdown-it's "linkify" reads such a URL from the Markdown source, backslash escapes
included, so ``https://x.example/a_b`` would show as ``a\\_b`` and link to ``a%5C_b``, and the
character escaped right after the URL would count as Markdown again. Links the article's HTML
made (``<a href>``) are links as before. Imports no Textual: the tests read Markdown with it.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def article_parser() -> MarkdownIt:
    """A new parser for article bodies: "gfm-like" without linkify."""
    return MarkdownIt("gfm-like").disable("linkify")
