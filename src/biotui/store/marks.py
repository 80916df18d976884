"""Marking articles read or starred as logged actions, and undoing the last one.

Every marking action is one row of ``mark_actions`` (its time and the values it set) with one
row of ``mark_changes`` per article it actually changed, holding that article's state before
it. An action that changes nothing is not kept. Undo restores the recorded state of the last
action not yet undone and stamps it ``undone``, so actions are undone last first, as many
levels as the log holds; the log stays for a later sync to push. An action logged as not
undoable (one the person did not ask for, such as reading an article by opening it) is skipped
by undo. Marking never touches the
full-text index; the counts table follows through its triggers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from biotui.store.connections import Connection
from biotui.store.query import FeedFilter, IndexQuery
from biotui.store.rows import to_us

__all__ = ["MarkResult", "MarkSelection", "mark_ids", "mark_rowids", "undo_last"]


@dataclass(frozen=True, slots=True)
class MarkSelection:
    """The articles a listing keeps (as :meth:`Store.list_ids` takes them): a filter's index
    query, feeds, and the unread-only and starred-only flags. The default is every article."""

    query: IndexQuery | None = None
    feed: FeedFilter = None
    unread_only: bool = False
    starred_only: bool = False


@dataclass(frozen=True, slots=True)
class MarkResult:
    """What a marking action (or its undo) did: how many articles it selected (that exist),
    how many of them it changed, and the action's id in the log (None when nothing changed,
    so nothing was logged); ``read`` and ``starred`` are the values the action set (None: it
    left that flag alone), for an undo those of the action undone."""

    selected: int
    changed: int
    action: int | None
    read: bool | None = None
    starred: bool | None = None


_CHANGED = """
INSERT INTO mark_changes (action, article, was_read, was_starred)
SELECT :action, id,
       CASE WHEN :read IS NOT NULL AND read != :read THEN read END,
       CASE WHEN :starred IS NOT NULL AND starred != :starred THEN starred END
FROM articles WHERE {column} IN (SELECT value FROM json_each(:wanted))
    AND ((:read IS NOT NULL AND read != :read) OR (:starred IS NOT NULL AND starred != :starred))
"""

_SELECTED = "SELECT count(*) FROM articles WHERE {column} IN (SELECT value FROM json_each(?))"


def mark_ids(
    conn: Connection,
    ids: Sequence[str],
    read: bool | None,
    starred: bool | None,
    *,
    undoable: bool = True,
) -> MarkResult:
    """Set ``read`` and/or ``starred`` (None: leave it) on the articles of public ids ``ids``;
    ``undoable`` False logs an action that :func:`undo_last` skips."""
    wanted = json.dumps(list(dict.fromkeys(ids)))
    return _mark(conn, "id", wanted, read, starred, undoable)


def mark_rowids(
    conn: Connection,
    rowids: Sequence[int],
    read: bool | None,
    starred: bool | None,
    *,
    undoable: bool = True,
) -> MarkResult:
    """Set ``read`` and/or ``starred`` (None: leave it) on the articles of ``rowids``;
    ``undoable`` as for :func:`mark_ids`."""
    return _mark(conn, "rowid", json.dumps(list(rowids)), read, starred, undoable)


def _mark(
    conn: Connection,
    column: str,
    wanted: str,
    read: bool | None,
    starred: bool | None,
    undoable: bool,
) -> MarkResult:
    if read is None and starred is None:
        raise ValueError("a marking action sets read, starred, or both")
    selected = int(conn.execute(_SELECTED.format(column=column), (wanted,)).fetchone()[0])
    values = {
        "read": None if read is None else int(read),
        "starred": None if starred is None else int(starred),
    }
    action = conn.execute(
        "INSERT INTO mark_actions (time, read, starred, undoable) VALUES (?, ?, ?, ?)",
        (_now(), values["read"], values["starred"], int(undoable)),
    ).lastrowid
    assert action is not None
    changed = conn.execute(
        _CHANGED.format(column=column), {"action": action, "wanted": wanted, **values}
    ).rowcount
    if not changed:
        conn.execute("DELETE FROM mark_actions WHERE action = ?", (action,))
        return MarkResult(selected, 0, None, read, starred)
    for flag in ("read", "starred"):
        if values[flag] is not None:
            conn.execute(
                f"UPDATE articles SET {flag} = ? WHERE id IN (SELECT article FROM mark_changes"
                f" WHERE action = ? AND was_{flag} IS NOT NULL)",
                (values[flag], action),
            )
    return MarkResult(selected, changed, action, read, starred)


def undo_last(conn: Connection) -> MarkResult | None:
    """Restore the state the last undoable action not yet undone found, and stamp it undone.

    None when there is nothing to undo. Articles deleted since are skipped: ``changed``
    counts the articles restored.
    """
    row = conn.execute(
        "SELECT action, read, starred FROM mark_actions WHERE undone IS NULL AND undoable"
        " ORDER BY action DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    action = int(row[0])
    read, starred = (None if value is None else bool(value) for value in row[1:])
    for flag in ("read", "starred"):
        conn.execute(
            f"UPDATE articles SET {flag} = changes.was_{flag} FROM mark_changes AS changes"
            f" WHERE changes.action = ? AND changes.was_{flag} IS NOT NULL"
            f" AND articles.id = changes.article AND articles.{flag} != changes.was_{flag}",
            (action,),
        )
    present = int(
        conn.execute(
            "SELECT count(*) FROM mark_changes JOIN articles ON articles.id = article"
            " WHERE action = ?",
            (action,),
        ).fetchone()[0]
    )
    conn.execute("UPDATE mark_actions SET undone = ? WHERE action = ?", (_now(), action))
    return MarkResult(present, present, action, read, starred)


def _now() -> int:
    moment = to_us(datetime.now(UTC))
    assert moment is not None
    return moment
