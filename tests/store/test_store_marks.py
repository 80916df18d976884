"""Marking in bulk as logged actions: what changes, exact undo over several levels, counts,
and the log itself (schema 6), in a fresh store and one upgraded from schema 4."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import make_article
from test_store_counts import check

from biotui.store import IndexQuery, MarkResult, MarkSelection, Store

SCHEMA4 = Path(__file__).parent / "data" / "schema4.db"

State = dict[str, tuple[bool, bool]]


def state(store: Store) -> State:
    """Every article's (read, starred), by public id."""
    rowids = store.headline_ids()
    return {h.id: (h.read, h.starred) for h in store.headlines(rowids)}


def filled(store: Store) -> list[str]:
    """Two feeds of three articles each; returns the ids, Feed A's first."""
    ids: list[str] = []
    for feed in ("Feed A", "Feed B"):
        articles = [
            make_article(feed, f"{feed[-1]}{n}", title=f"Lupus {n}" if n % 2 else f"Myeloma {n}")
            for n in range(3)
        ]
        store.ingest(feed, articles)
        ids += [article.id for article in articles]
    return ids


def test_marking_ids_changes_only_what_differs_and_ignores_unknown_ids(store: Store) -> None:
    ids = filled(store)
    store.set_read([ids[0]])
    result = store.mark([ids[0], ids[1], ids[1], "nope"], read=True)
    assert result.selected == 2 and result.changed == 1 and result.action is not None
    assert state(store)[ids[1]] == (True, False)
    again = store.mark([ids[0], ids[1]], read=True)
    assert again == MarkResult(selected=2, changed=0, action=None, read=True)
    check(store)


def test_a_selection_marks_what_the_listing_keeps(store: Store) -> None:
    ids = filled(store)
    lupus_in_a = MarkSelection(query=IndexQuery('"lupus"'), feed="Feed A")
    assert store.mark(lupus_in_a, read=True).changed == 1
    assert {i for i, (read, _) in state(store).items() if read} == {ids[1]}
    assert store.mark(MarkSelection(feed=("Feed A", "Feed B")), starred=True).changed == 6
    assert store.mark(MarkSelection(unread_only=True), read=True).changed == 5
    assert store.mark(MarkSelection(starred_only=True), read=False, starred=False).changed == 6
    assert all(value == (False, False) for value in state(store).values())
    check(store)


def test_undo_restores_each_earlier_state_exactly_last_first(store: Store) -> None:
    ids = filled(store)
    store.set_read([ids[2]])
    snapshots = [state(store)]
    actions = [
        lambda: store.set_starred(ids[0], True),
        lambda: store.mark(MarkSelection(feed="Feed A"), read=True),
        lambda: store.mark(MarkSelection(query=IndexQuery('"myeloma"')), read=True, starred=True),
        lambda: store.mark(MarkSelection(), read=True),
        lambda: store.set_read([ids[0], ids[3]], False),
    ]
    for act in actions:
        act()
        check(store)
        snapshots.append(state(store))
    assert snapshots[-1] != snapshots[0]
    for expected in reversed(snapshots[:-1]):
        result = store.undo_last()
        assert result is not None and result.changed >= 1
        assert state(store) == expected
        check(store)
    # the set_read before the snapshots was logged too, and is undone last
    assert store.undo_last() == MarkResult(selected=1, changed=1, action=1, read=True)
    assert all(value == (False, False) for value in state(store).values())
    assert store.undo_last() is None


def test_an_action_that_changes_nothing_is_not_an_undo_level(store: Store) -> None:
    ids = filled(store)
    store.mark(ids[:2], read=True)
    assert store.mark(ids[:2], read=True).action is None
    assert store.mark(["unknown"], starred=True).action is None
    result = store.undo_last()
    assert result is not None and result.changed == 2
    assert not any(read for read, _ in state(store).values())


def test_a_new_action_after_an_undo_is_undone_first(store: Store) -> None:
    ids = filled(store)
    store.mark(ids[:1], read=True)
    store.mark(ids[1:2], read=True)
    store.undo_last()
    store.mark(ids[2:3], starred=True)
    store.undo_last()
    assert state(store)[ids[2]] == (False, False)
    assert state(store)[ids[0]] == (True, False)
    store.undo_last()
    assert state(store)[ids[0]] == (False, False)
    assert store.undo_last() is None


def test_undo_skips_articles_deleted_since(store: Store) -> None:
    ids = filled(store)
    store.mark(MarkSelection(), read=True)
    conn = sqlite3.connect(store.path)
    conn.execute("DELETE FROM articles WHERE feed = 'Feed B'")
    conn.commit()
    conn.close()
    result = store.undo_last()
    assert result is not None and result.changed == 3
    assert state(store) == {i: (False, False) for i in ids[:3]}
    check(store)


def test_the_log_holds_each_action_time_and_previous_states(store: Store) -> None:
    ids = filled(store)
    store.set_read([ids[0]])
    before = datetime.now(UTC)
    action = store.mark(ids[:2], read=True, starred=True).action
    store.undo_last()
    conn = sqlite3.connect(store.path)
    time, read, starred, undone = conn.execute(
        "SELECT time, read, starred, undone FROM mark_actions WHERE action = ?", (action,)
    ).fetchone()
    changes = conn.execute(
        "SELECT article, was_read, was_starred FROM mark_changes WHERE action = ? ORDER BY 1",
        (action,),
    ).fetchall()
    conn.close()
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert abs(epoch + timedelta(microseconds=time) - before) < timedelta(seconds=60)
    assert (read, starred) == (1, 1) and undone >= time
    assert changes == sorted([(ids[0], None, 0), (ids[1], 0, 0)])


def test_an_action_that_is_not_undoable_is_logged_but_skipped_by_undo(store: Store) -> None:
    ids = filled(store)
    store.mark(MarkSelection(feed="Feed B"), read=True)
    store.set_starred(ids[1], True)
    store.set_read([ids[0]], undoable=False)  # read by opening it
    undone = store.undo_last()
    assert undone is not None and (undone.read, undone.starred) == (None, True)
    assert state(store)[ids[1]] == (False, False)
    assert state(store)[ids[0]] == (True, False)
    undone = store.undo_last()
    assert undone is not None and (undone.read, undone.changed) == (True, 3)
    assert store.undo_last() is None
    assert state(store)[ids[0]] == (True, False)  # still read: nothing undid the opening
    assert {i for i, (read, _) in state(store).items() if read} == {ids[0]}
    conn = sqlite3.connect(store.path)
    logged = conn.execute(
        "SELECT action, read, undone IS NULL, undoable FROM mark_actions ORDER BY action"
    ).fetchall()
    conn.close()
    assert logged == [(1, 1, 0, 1), (2, None, 0, 1), (3, 1, 1, 0)]
    check(store)


def test_mark_needs_a_flag(store: Store) -> None:
    with pytest.raises(ValueError):
        store.mark(["x"])


def test_a_schema_4_store_gains_an_empty_log_and_marks_with_undo(tmp_path: Path) -> None:
    path = tmp_path / "biotui.db"
    shutil.copy(SCHEMA4, path)
    with Store(path) as store:
        assert store.undo_last() is None
        before = state(store)
        result = store.mark(MarkSelection(feed="Wire"), read=True)
        assert result.selected == 4 and result.changed == 3
        assert store.counts()["Wire"] == (4, 0)
        check(store)
        store.undo_last()
        assert state(store) == before
        check(store)
        store.set_read(["nope", *state(store)], read=True, undoable=False)
        assert store.undo_last() is None
    with Store(path) as store:  # opens as it is the second time
        assert store.undo_last() is None
