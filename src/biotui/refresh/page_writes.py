"""The pages of ``full_text`` feeds as the refresh's writer takes them in and stores them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from biotui.errors import StoreError
from biotui.refresh.pages import PageOutcome, PageRequest
from biotui.sources import PageText
from biotui.store import FetchedPage, Store


@dataclass(frozen=True, slots=True)
class PageFetched:
    """An article's page fetched and read (``parsed``: by the parse pool, whose place it
    frees when taken in), or its fetch failed (``text`` then says why)."""

    request: PageRequest
    text: PageText
    parsed: bool = False


def store_pages(store: Store, jobs: Sequence[PageFetched]) -> list[PageOutcome]:
    """Store the pages of ``jobs`` together (when that fails, each alone); each one's outcome."""
    if not jobs:
        return []
    pages = [_fetched_page(job) for job in jobs]
    try:
        saved: list[bool | StoreError] = list(store.full_texts.record(pages))
    except StoreError:
        saved = []
        for page in pages:
            try:
                saved.append(store.full_texts.record([page])[0])
            except StoreError as exc:
                saved.append(exc)
    outcomes = []
    for job, kept in zip(jobs, saved, strict=True):
        request = job.request
        error = None if job.text.ok else job.text.reason
        if isinstance(kept, StoreError):
            error = str(kept)
        elif not kept:
            error = "the article is no longer stored"
        outcomes.append(PageOutcome(request.article, error, request.feed, request.title))
    return outcomes


def _fetched_page(job: PageFetched) -> FetchedPage:
    text = job.text
    if text.ok:
        return FetchedPage(job.request.article, text.body, text.notes)
    return FetchedPage(job.request.article, error=text.reason or "no article text on the page")
