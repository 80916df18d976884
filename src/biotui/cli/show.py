"""``biotui show``: one article as a reader sees it, or its JSON record."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK
from biotui.cli.formatting import write_article
from biotui.cli.records import article_record, json_line
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from biotui.store import Store


def show_article(store: Store, article_id: str, *, as_json: bool) -> int:
    """Print the article with public id ``article_id``; an unknown id is an error (status 1)."""
    article = store.article(article_id.strip())
    if article is None:
        print(f"biotui: no article with id {clean_text(article_id)!r}", file=sys.stderr)
        return EXIT_ERROR
    if as_json:
        print(json_line(article_record(article)))
    else:
        write_article(article, sys.stdout)
    return EXIT_OK
