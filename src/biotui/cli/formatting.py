"""The plain-text lines the CLI prints: a headline, an article, a refreshed feed's summary.

Every stored text goes through :func:`~biotui.plaintext.clean_text` on its way out, so
nothing read from a feed can move the cursor or recolour the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from biotui.model import Article, Headline
from biotui.plaintext import clean_multiline, clean_text

if TYPE_CHECKING:
    from biotui.identifiers import Identifier
    from biotui.refresh import FeedOutcome
    from biotui.refresh.pages import PageOutcome

PAGE_FAILURES_SHOWN = 5
"""Failed pages named, one line each, under the pages' summary of ``biotui refresh``."""


def format_headline(headline: Headline) -> str:
    """One plain-text line for ``biotui list``: id, markers, date, source, title."""
    marker = ("*" if headline.starred else " ") + (" " if headline.read else "N")
    date = f"{headline.published:%Y-%m-%d}" if headline.published else " " * 10
    source = clean_text(headline.source or headline.feed)[:24]
    return f"{headline.id}  {marker} {date}  {source:<24}  {clean_text(headline.title)}"


def format_outcome(outcome: FeedOutcome) -> str:
    """One summary line for a refreshed feed: new, updated, or the error."""
    name = clean_text(outcome.feed)
    if outcome.error is not None:
        return f"✗ {name}: {clean_text(outcome.error)}"
    if outcome.not_modified:
        return f"= {name}: not modified"
    counts = outcome.counts
    return f"✓ {name}: {counts.new} new, {counts.updated} updated"


def page_summary(pages: Sequence[PageOutcome]) -> list[str]:
    """The lines ``biotui refresh`` prints for the pages of ``full_text`` feeds: how many
    were fetched and failed, then the first failures, each naming its article and feed."""
    failed = [page for page in pages if page.error is not None]
    lines = [f"pages: {len(pages) - len(failed)} fetched, {len(failed)} failed"]
    for page in failed[:PAGE_FAILURES_SHOWN]:
        title = clean_text(page.title) or page.article
        lines.append(f"    ✗ {title} ({clean_text(page.feed)}): {clean_text(page.error or '')}")
    if len(failed) > PAGE_FAILURES_SHOWN:
        lines.append(f"    … and {len(failed) - PAGE_FAILURES_SHOWN} more")
    return lines


def metadata_line(article: Article) -> str:
    """``source · author · date · link``, leaving out what the article lacks."""
    date = f"{article.published:%Y-%m-%d}" if article.published else ""
    parts = [article.source or article.feed, article.author, date, article.link]
    return " · ".join(clean_text(part) for part in parts if part)


def source_lines(article: Article) -> list[str]:
    """The lines of an article's Source section."""
    rows = [
        ("Publisher", article.source),
        ("Original headline", article.source_title),
        ("Section", article.section),
        ("Dateline", article.place),
        ("Feed", article.feed),
        ("Link", article.link),
    ]
    return [f"{label}: {clean_text(value)}" for label, value in rows if value]


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def _unescape_markdown(body: str) -> str:
    """The body as a reader reads it: Markdown's backslash escapes (``\\[``) dropped."""
    return _MARKDOWN_ESCAPE.sub(r"\1", body)


def write_article(article: Article, out: TextIO, identifiers: Sequence[Identifier] = ()) -> None:
    """Write the article as a reader sees it: title, metadata, body, Source, Credits, and the
    ``identifiers`` it names, each with its link."""
    out.write(f"{clean_text(article.title)}\n{metadata_line(article)}\n\n")
    out.write(_unescape_markdown(clean_multiline(article.body)).strip() + "\n")
    for note in article.notes:
        out.write(f"\nNote: {clean_text(note)}\n")
    out.write("\nSource\n------\n")
    out.write("\n".join(source_lines(article)) + "\n")
    if article.credits:
        out.write("\nCredits\n-------\n")
        out.write("\n".join(clean_text(credit) for credit in article.credits) + "\n")
    if identifiers:
        out.write("\nIdentifiers\n-----------\n")
        for ident in identifiers:
            out.write(f"{ident.kind:<8}{clean_text(ident.id)}  {clean_text(ident.url)}\n")
