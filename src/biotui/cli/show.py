"""``biotui show``: one article as a reader sees it (with the identifiers it names), its JSON
record, or its Markdown file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from biotui.articlefile import article_markdown
from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK
from biotui.cli.formatting import write_article
from biotui.cli.records import article_record, json_line
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from biotui.store import Store


def show_article(store: Store, article_id: str, *, as_json: bool, as_markdown: bool = False) -> int:
    """Print the article with public id ``article_id``; an unknown id is an error (status 1).

    ``as_markdown`` prints the file the app's ``e`` saves (:mod:`biotui.articlefile`)."""
    article = store.article(article_id.strip())
    if article is None:
        print(f"biotui: no article with id {clean_text(article_id)!r}", file=sys.stderr)
        return EXIT_ERROR
    if as_markdown:
        sys.stdout.write(article_markdown(article))
        return EXIT_OK
    identifiers = store.identifiers.of(article.id)
    if as_json:
        print(json_line(article_record(article, identifiers)))
    else:
        write_article(article, sys.stdout, identifiers)
    return EXIT_OK
