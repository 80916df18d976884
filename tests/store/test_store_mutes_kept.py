"""The kept set of muted articles: once worked out for the store's rules, every listing and
count answers exactly as matching the rules per query does, and keeps doing so through new and
changed articles, full texts, identifiers found later, marks, stars and removals; rules it was
not worked out for are matched per query until it is worked out again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import make_article

from biotui.errors import StoreError
from biotui.model import Article
from biotui.search import compile_query, mute_queries, parse_filter
from biotui.store import IndexQuery, IngestRequest, Store, listing

WORDS = ["lupus", "sponsored", "webinar", "myeloma", "podcast", "trial"]
RULES = ["sponsored OR webinar", "feed:Clips title:podcast", "-trial lupus"]
FILTERS = ["", "lupus", "podcast OR trial", "-lupus", "myeloma -trial", "feed:Notes"]


def article(feed: str, n: int, **fields: object) -> Article:
    first, second = WORDS[n % 6], WORDS[(n * 5 + 1) % 6]
    values: dict[str, object] = {
        "title": f"{first} {n}",
        "body": f"About {second}.",
        "published": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=n * 2 + (feed == "Notes")),
    }
    values.update(fields)
    return make_article(feed, f"{feed}-{n}", **values)


@pytest.fixture
def filled(store: Store) -> Store:
    """36 articles over two feeds, some read, some starred, muting with RULES (not worked
    out yet)."""
    for feed in ("Clips", "Notes"):
        store.ingest(feed, [article(feed, n) for n in range(18)])
    rowids = store.headline_ids()
    store.set_read([h.id for h in store.headlines(rowids[::3])])
    for headline in store.headlines(rowids[1::7]):
        store.set_starred(headline.id, True)
    store.set_mute(mute_queries(RULES))
    return store


def expected(path: Path, rules: list[str]) -> dict[str, object]:
    """Every answer checked, worked out from a store without rules: the plain listings less
    the unstarred articles any rule matches."""
    with Store(path) as plain:
        starred = set(plain.headline_ids(starred_only=True))
        by_rule = [set(plain.headline_ids(parse_filter(rule).query)) - starred for rule in rules]
        muted = set().union(*by_rule)
        answers: dict[str, object] = {}
        for text in FILTERS:
            for unread in (False, True):
                for feed in (None, "Clips", ("Clips", "Notes")):
                    query = parse_filter(text).query
                    ids = plain.headline_ids(query, unread_only=unread, feed=feed)
                    key = f"{text}|{unread}|{feed}"
                    answers[key + "|shown"] = [i for i in ids if i not in muted]
                    answers[key + "|hidden"] = [i for i in ids if i in muted]
                    for number, hidden in enumerate(by_rule):
                        answers[key + f"|rule{number}"] = [i for i in ids if i in hidden]
        counts = plain.counts()
        for feed, (total, unread) in list(counts.items()):
            mine = [h for h in plain.headlines(sorted(muted)) if h.feed == feed]
            counts[feed] = (total - len(mine), unread - sum(not h.read for h in mine))
        answers["counts"] = counts
        answers["first"] = [i for i in plain.headline_ids() if i not in muted][:5]
        return answers


def answers(store: Store, rules: list[str]) -> dict[str, object]:
    """The same answers from ``store`` (muting with ``rules``), each list checked against
    its count."""
    compiled = mute_queries(rules)
    found: dict[str, object] = {}
    for text in FILTERS:
        for unread in (False, True):
            for feed in (None, "Clips", ("Clips", "Notes")):
                query = parse_filter(text).query
                key = f"{text}|{unread}|{feed}"
                cases: list[tuple[str, bool | IndexQuery]] = [("shown", False), ("hidden", True)]
                cases += [(f"rule{n}", rule) for n, rule in enumerate(compiled)]
                for name, muted in cases:
                    ids = list(
                        store.headline_ids(query, unread_only=unread, feed=feed, muted=muted)
                    )
                    count = store.article_count(query, unread_only=unread, feed=feed, muted=muted)
                    assert count == len(ids), (key, name)
                    found[f"{key}|{name}"] = ids
    found["counts"] = store.counts()
    found["first"] = [h.rowid for h in store.newest_headlines(5)]
    return found


@pytest.mark.parametrize("plan", ["sort", "walk"])
def test_the_kept_set_answers_as_the_rules_do(
    filled: Store, plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matches sorted in SQL, or the newest-first index walked (as for many matches)."""
    monkeypatch.setattr(listing, "SQL_SORT_LIMIT", 10**9 if plan == "sort" else -1)
    store = filled
    want = expected(store.path, RULES)
    assert store.mutes.stale()
    assert answers(store, RULES) == want  # matched per query
    assert store.mutes.rebuild()
    assert not store.mutes.stale() and not store.mutes.rebuild()
    assert answers(store, RULES) == want  # from the kept set
    with Store(store.path) as other:  # another process with the same rules uses it too
        other.set_mute(mute_queries(RULES))
        assert not other.mutes.stale()
        assert answers(other, RULES) == want


def test_the_kept_set_follows_every_change(filled: Store) -> None:
    store = filled
    store.mutes.rebuild()
    new = [article("Clips", n, title=f"Sponsored {n}") for n in range(18, 22)]
    new += [article("Notes", 22, title="Plain news", body="Nothing muted.")]
    store.ingest("Clips", new[:4])
    store.ingest("Notes", new[4:])
    store.ingest("Clips", [article("Clips", 2, title="A webinar now")])  # now muted
    store.ingest("Clips", [article("Clips", 1, title="No longer sponsored?", body="Plain.")])
    store.ingest("Notes", [article("Notes", 3, title="Plain", body="Plain.")])  # no longer
    assert store.full_texts.save(article("Notes", 5).id, "A long sponsored text.")
    store.set_read([article("Clips", 7).id, article("Notes", 13).id])
    store.set_read([article("Clips", 0).id], read=False)
    store.set_starred(article("Clips", 13).id, True)
    store.set_starred(article("Clips", 8).id, False)
    assert store.remove_articles("Notes", ids=[article("Notes", 2).id]) == 1
    assert not store.mutes.stale()
    assert answers(store, RULES) == expected(store.path, RULES)


def test_a_removed_feed_takes_its_muted_counts_along(filled: Store) -> None:
    store = filled
    store.mutes.rebuild()
    store.remove_articles("Clips", keep_starred=False)
    assert answers(store, RULES) == expected(store.path, RULES)
    assert "Clips" not in store.counts()


def test_other_rules_are_matched_per_query_until_worked_out_again(filled: Store) -> None:
    store = filled
    store.mutes.rebuild()
    other = ["myeloma", "title:trial"]
    store.set_mute(mute_queries(other))
    assert store.mutes.stale()
    assert answers(store, other) == expected(store.path, other)
    store.ingest("Notes", [article("Notes", 30, title="Myeloma news")])  # kept for RULES still
    assert answers(store, other) == expected(store.path, other)
    assert store.mutes.rebuild() and not store.mutes.stale()
    assert answers(store, other) == expected(store.path, other)
    store.set_mute(())
    assert store.mutes.rebuild()
    assert answers(store, []) == expected(store.path, [])


def test_a_rule_naming_an_identifier_follows_identifiers_found_later(store: Store) -> None:
    rules = ["drug:KYV-101", "webinar"]
    store.set_mute(mute_queries(rules))
    store.ingest("Wire", [make_article("Wire", "w", title="Our webinar")])
    store.mutes.rebuild()
    kyv = make_article("Wire", "k", title="KYV-101 news", body="KYV-101 in lupus.")
    store.ingest_batch([IngestRequest("Wire", [kyv], identifiers_later=True)])
    assert store.article_count(muted=True) == 1  # its identifiers are not found yet
    assert store.identifiers.backfill(limit=10).done == 1
    assert store.article_count(muted=True) == 2
    rule = compile_query("drug:KYV-101").query
    assert rule is not None
    assert [h.id for h in store.headlines(store.headline_ids(muted=rule))] == [kyv.id]
    assert store.counts() == {"Wire": (0, 0)}


def test_working_it_out_needs_a_writable_store(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = filled
    want = expected(store.path, RULES)

    def refuse(*_: object) -> None:
        raise StoreError(f"{store.path}: cannot write (the file system is read-only)")

    monkeypatch.setattr("biotui.store.muted.rebuild", refuse)
    with pytest.raises(StoreError, match="read-only"):
        store.mutes.rebuild()
    assert store.mutes.stale()
    assert answers(store, RULES) == want
