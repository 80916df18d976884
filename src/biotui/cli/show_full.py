"""``biotui show ID --full``: fetch the article's page, store its full text, show the article.

The page is fetched every time (a full text stored before is replaced only by a new one). When
there is no full text to be had, the article is shown as stored, with one line on standard
error saying why; the exit status is still 0, since the article was shown.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_ERROR
from biotui.cli.show import show_article
from biotui.errors import StoreError
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from biotui.model import Config
    from biotui.store import Store


def show_full_article(
    config: Config, store: Store, article_id: str, *, as_json: bool, as_markdown: bool = False
) -> int:
    """Fetch the page of ``article_id``, then print the article as :func:`show_article` does."""
    article_id = article_id.strip()
    if store.article(article_id) is None:
        print(f"biotui: no article with id {clean_text(article_id)!r}", file=sys.stderr)
        return EXIT_ERROR
    from biotui.refresh.pages import fetch_full_text

    try:
        outcome = fetch_full_text(config, store, article_id)
        error = outcome.error
    except StoreError as exc:
        error = f"not stored: {exc}"
    if error is not None:
        print(f"biotui: no full text for {article_id}: {clean_text(error)}", file=sys.stderr)
    return show_article(store, article_id, as_json=as_json, as_markdown=as_markdown)
