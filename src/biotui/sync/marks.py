"""Read and starred marks between the store and a server.

Neither protocol says when an item was marked, so the rule is: a mark queued locally wins,
otherwise the server's state; both end equal.

- Push (:func:`push_marks`): the synced articles that local actions changed since the
  account's bookmark into the mark log (undos included) are sent with their state NOW, in
  bulk, one call per flag and value; the bookmark moves only once the server has accepted
  them all, so a failure or a kill sends them again next time (marking is idempotent).
- Pull (:func:`pull_marks`): every synced article no local action has queued since takes the
  server's state: read unless its item is unread there, starred when starred there. These
  changes are not logged, so they are never pushed back.
"""

from __future__ import annotations

from biotui.store import Store
from biotui.sync.backend import Backend, ReadState

__all__ = ["pull_marks", "push_marks"]


def push_marks(store: Store, backend: Backend, account: int) -> int:
    """Send the queued marks of ``account``'s articles; return how many items were sent."""
    queue = store.synced.queue(account)
    sent: set[str] = set()
    for flag in ("read", "starred"):
        for value in (True, False):
            if flag == "read":
                ids = [m.item for m in queue.marks if m.read_changed and m.read is value]
            else:
                ids = [m.item for m in queue.marks if m.starred_changed and m.starred is value]
            if not ids:
                continue
            if flag == "read":
                backend.mark(ids, read=value, starred=None)
            else:
                backend.mark(ids, read=None, starred=value)
            sent.update(ids)
    store.synced.pushed(account, queue)
    return len(sent)


def pull_marks(store: Store, account: int, state: ReadState) -> int:
    """Give ``account``'s articles the server's ``state`` (but those with local marks
    queued); return how many articles changed."""
    return store.synced.pull(account, state.unread, state.starred)
