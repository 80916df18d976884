"""The public corpus of real-world feed files (../shared/corpus) through biotui's local reader.

Every file must be read or refused with a SourceError, in bounded time, and every file that
feedparser 6.0.14 reads entries from must give articles in biotui too (the corpus manifest
records what feedparser read). Skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from biotui.errors import SourceError
from biotui.sources.local import read_file

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MANIFEST = CORPUS / "feedparser-manifest.json"

MAX_SECONDS_PER_FILE = 10.0
"""Generous on purpose (the slowest file takes about 1 s): this guards against hangs and
blow-ups, it is not a speed test."""

READ_WORSE_THAN_FEEDPARSER: dict[str, str] = {}
"""Files feedparser reads entries from but biotui does not, each with the reason. None today."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.skipif(not MANIFEST.is_file(), reason="../shared/corpus is not present")
def test_every_corpus_file_is_read_or_refused_cleanly() -> None:
    manifest: dict[str, dict[str, object]] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems: list[str] = []
    for relative, expected in manifest.items():
        started = time.monotonic()
        try:
            articles = read_file(CORPUS / relative, "Corpus")
        except SourceError:
            articles = []
        except Exception as exc:  # the point of the test: nothing else may escape
            problems.append(f"{relative}: raised {type(exc).__name__}: {exc}")
            continue
        elapsed = time.monotonic() - started
        if elapsed > MAX_SECONDS_PER_FILE:
            problems.append(f"{relative}: took {elapsed:.1f} s")
        entries = expected.get("entries")
        if entries and not articles and relative not in READ_WORSE_THAN_FEEDPARSER:
            problems.append(f"{relative}: feedparser read {entries} entries, biotui none")
        for article in articles:
            shown = (article.title, article.author, article.source, article.link, *article.credits)
            if any(_CONTROL.search(text) or "\n" in text for text in shown):
                problems.append(f"{relative}: control characters in {article.title!r}")
            if _CONTROL.search(article.body):
                problems.append(f"{relative}: control characters in the body of {article.id}")
    assert problems == []
