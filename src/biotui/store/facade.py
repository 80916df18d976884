"""The :class:`Store`: the one object the rest of biotui holds to read and write the store.

It owns the connections (:mod:`.connections`) and hands each call to the module of its job;
every ``sqlite3.Error`` comes out as a one-line :class:`~biotui.errors.StoreError` naming the
file and what was being done.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from biotui.errors import StoreError
from biotui.model import Article, FeedStatus, FileSignature, Headline, IngestCounts
from biotui.store import articles, feeds, ingest, marks, moves, removals
from biotui.store.connections import Connections
from biotui.store.fulltexts import FullTexts
from biotui.store.identifiers import StoredIdentifiers
from biotui.store.ingest import IngestRequest
from biotui.store.listing import count_ids, list_ids
from biotui.store.listing_reads import ListingReads
from biotui.store.marks import MarkResult, MarkSelection
from biotui.store.migrations import prepare_schema
from biotui.store.muted import KeptMutes
from biotui.store.query import FeedFilter, IndexQuery
from biotui.store.schema import DB_NAME
from biotui.store.stories import Stories
from biotui.store.synced import Synced
from biotui.store.watchmarks import Watchlists

__all__ = ["Store"]


class Store(ListingReads):
    """The SQLite article store; safe to share between threads (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        """Open (creating if needed) the database at ``path`` and its parent folders.

        A database of an older schema is migrated first, in one transaction. Raises
        StoreError when the file cannot be created, opened, or is not a biotui database of a
        version this code understands.
        """
        self.path = Path(path)
        self._db = Connections(self.path)
        self.mutes = KeptMutes(self._db)
        """The mute rules and the kept set of what they hide (:mod:`.muted`)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = exc.strerror or exc
            raise StoreError(f"{self.path}: cannot create its folder: {why}") from exc
        try:
            prepare_schema(self._db)
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        """Open the store ``biotui.db`` inside ``data_dir`` (created if missing)."""
        return cls(Path(data_dir) / DB_NAME)

    def close(self) -> None:
        """Close the store: later calls raise StoreError. Idempotent. A connection another
        running thread holds is closed when that thread ends, never under its feet."""
        self._db.close()

    def __enter__(self) -> Store:
        """Use the store as a context manager that closes it on exit."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the store."""
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def set_mute(self, rules: Sequence[IndexQuery]) -> None:
        """Hide the unstarred articles matching any of ``rules`` (mute rules, compiled by
        :mod:`biotui.search`) from every listing and count of this store from now on, marks
        of a selection included; :meth:`article` and marks by id still reach them. Until
        :attr:`mutes` is rebuilt for them, each query matches the rules itself."""
        self.mutes.set(rules)

    def check_writable(self) -> None:
        """Raise StoreError, saying why, when the store's file or folder cannot be written
        (before a refresh: one clear message, not one per feed; reading still works)."""
        self._db.check_writable()

    # -- feeds -----------------------------------------------------------------------------

    def feed_status(self, name: str) -> FeedStatus | None:
        """Return what the store remembers about feed ``name``, or None if nothing."""
        with self._db.errors("cannot read feed status") as conn:
            return feeds.status(conn, name)

    def feed_statuses(self) -> list[FeedStatus]:
        """Return the status of every feed the store knows, sorted by name."""
        with self._db.errors("cannot read feed status") as conn:
            return feeds.statuses(conn)

    def save_feed_status(self, status: FeedStatus) -> None:
        """Create or replace the stored status of feed ``status.name``."""
        self.save_feed_statuses([status])

    def save_feed_statuses(self, statuses: Sequence[FeedStatus]) -> None:
        """Create or replace the stored status of each feed of ``statuses``, in one go."""
        with self._db.write("cannot save feed status") as conn:
            feeds.save_statuses(conn, statuses)

    def file_signatures(self, feed: str) -> dict[str, FileSignature]:
        """Return the size and mtime recorded for each file of ``feed``, keyed by path."""
        with self._db.errors("cannot read file signatures") as conn:
            return feeds.file_signatures(conn, feed)

    def legacy_local_guids(self, feed: str) -> frozenset[str]:
        """The absolute-path guids of ``feed``'s local articles stored by an older biotui and
        not yet merged into their relative-path ids (see :mod:`biotui.store.moves`)."""
        with self._db.errors("cannot read articles") as conn:
            return moves.legacy_guids(conn, feed)

    def counts(self) -> dict[str, tuple[int, int]]:
        """Return ``feed -> (total, unread)`` for every known feed (zeros for empty ones),
        read from the counts tables: the cost does not grow with the number of articles (but
        for the muted ones while :attr:`mutes` is stale, counted to be taken off)."""
        with self._db.errors("cannot count articles") as conn:
            return self.mutes.less_muted(conn, feeds.counts(conn))

    def starred_count(self) -> tuple[int, int]:
        """Return ``(total, unread)`` of the starred articles (from the counts table)."""
        with self._db.errors("cannot count articles") as conn:
            return feeds.starred_count(conn)

    def total(self) -> int:
        """How many articles the store holds (:meth:`article_count`, from the counts table)."""
        return self.article_count()

    # -- ingest ----------------------------------------------------------------------------

    def ingest(
        self,
        feed: str,
        articles: Sequence[Article],
        *,
        status: FeedStatus | None = None,
        files: Sequence[FileSignature] = (),
        source_hashes: Mapping[str, str] | None = None,
    ) -> IngestCounts:
        """Store ``articles`` of ``feed``, plus its ``status`` and ``files``, in ONE transaction.

        New ids are inserted; an article whose content changed is updated in place and keeps
        its read and starred state; an unchanged one costs no write (but for a new
        ``source_hashes`` entry, see :meth:`entry_digests`). When an id appears twice the
        last one wins. Articles the same ingest sees without a date keep the order given (the
        first shows first). On any error nothing of this ingest is kept (StoreError). Raises
        ValueError, before touching the database, if an article belongs to another feed.
        """
        return self.ingest_batch([IngestRequest(feed, articles, status, files, source_hashes)])[0]

    def ingest_batch(self, batch: Sequence[IngestRequest]) -> list[IngestCounts]:
        """Store several feeds' ingests (see :meth:`ingest`) in ONE transaction, in order.

        Fewer, larger transactions write fewer pages: each commit writes every index page
        its rows touched, and the full-text index writes a segment. On any error nothing of
        the batch is kept (StoreError naming the batch's feeds).

        A local file's article (a request with ``files``) stored under a relative-path guid
        absorbs the feed's older article stored under the file's absolute path, uniting
        their marks (:mod:`biotui.store.moves`).
        """
        prepared = [ingest.prepare(request) for request in batch]
        names = ", ".join(repr(request.feed) for request in batch)
        doing = f"cannot store feed {names}" if len(batch) == 1 else f"cannot store feeds {names}"
        with self._db.write(doing) as conn:
            counts = [
                ingest.ingest_into(conn, request, ready)
                for request, ready in zip(batch, prepared, strict=True)
            ]
            local: dict[str, list[Article]] = {}
            for request in batch:
                if request.files:  # a local feed's files: see biotui.store.moves
                    local.setdefault(request.feed, []).extend(request.articles)
            for feed, stored in local.items():
                moves.merge_moved(conn, feed, stored)
            return counts

    def entry_digests(self, feed: str) -> frozenset[str]:
        """The digests of the feed entries the stored articles of ``feed`` were read from.

        A refresh passes them to ``biotui.sources.parse_feed``: an entry whose digest is
        among them made an article stored unchanged, and need not be read again.
        """
        with self._db.errors("cannot read articles") as conn:
            return ingest.entry_digests(conn, feed)

    def remove_articles(
        self, feed: str, *, keep_starred: bool = True, ids: Collection[str] | None = None
    ) -> int:
        """Remove the articles of ``feed`` (all, or those of public ids ``ids``), except
        starred ones while ``keep_starred``, and return how many went. Their ids are kept as
        tombstones: a later ingest does not store them again. Removing all of a feed's
        articles also forgets its file signatures, and the feed when nothing of it is left."""
        with self._db.write(f"cannot remove the articles of feed {feed!r}") as conn:
            return removals.remove_articles(conn, feed, keep_starred=keep_starred, ids=ids)

    def forget_files(
        self, feed: str, paths: Sequence[str], *, article_ids: Collection[str] = ()
    ) -> int:
        """Forget the signatures of ``paths``, files of ``feed`` deleted from its folder, and
        remove the articles of public ids ``article_ids`` read from them, except starred ones
        (tombstoned, see :meth:`remove_articles`), in one transaction; return how many went."""
        with self._db.write(f"cannot forget the deleted files of feed {feed!r}") as conn:
            feeds.forget_files(conn, feed, paths)
            if not article_ids:
                return 0
            return removals.remove_articles(conn, feed, ids=article_ids)

    # -- listing ---------------------------------------------------------------------------

    def article_count(
        self,
        query: IndexQuery | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        feed: FeedFilter = None,
        muted: bool | IndexQuery = False,
    ) -> int:
        """Return how many articles :meth:`headline_ids` would return for the same arguments
        (without a full-text condition, read from the counts table less what is muted)."""
        with self._db.errors("cannot count articles") as conn:
            filters = (unread_only, starred_only, feed, self.mutes.muting(conn, muted))
            return count_ids(conn, query, filters)

    @contextmanager
    def interruptible(self, stop: Callable[[], bool], every: int = 20_000) -> Iterator[None]:
        """Let ``stop()`` (asked every ``every`` SQLite steps) end this thread's statement in
        the block with StoreError (``interrupted``): a search superseded by the next keystroke."""
        conn = self._db.get()
        conn.set_progress_handler(lambda: 1 if stop() else 0, every)
        try:
            yield
        finally:
            conn.set_progress_handler(None, 0)

    # -- reading and marking ---------------------------------------------------------------

    def headlines(self, rowids: Sequence[int]) -> list[Headline]:
        """Return the headlines of ``rowids`` in the order given; unknown rowids are skipped."""
        with self._db.errors("cannot read headlines") as conn:
            return articles.headlines(conn, rowids)

    def newest_headlines(self, limit: int) -> list[Headline]:
        """The first ``limit`` headlines of the newest order (:meth:`headline_ids` without
        arguments), read without listing the whole store: for the first screen."""
        with self._db.errors("cannot read headlines") as conn:
            return articles.newest_headlines(conn, limit, self.mutes.muting(conn, False))

    def article(self, key: str | int) -> Article | None:
        """Return the full article by public id (``str``) or rowid (``int``), or None."""
        with self._db.errors("cannot read article") as conn:
            return articles.article(conn, key)

    @property
    def full_texts(self) -> FullTexts:
        """The articles' full texts fetched from their pages (:mod:`.fulltexts`)."""
        return FullTexts(self._db)

    @property
    def watch(self) -> Watchlists:
        """The watchlists' bookmarks and the days of their matches (:mod:`.watchmarks`)."""
        return Watchlists(self._db, self.mutes.rules)

    @property
    def stories(self) -> Stories:
        """Which articles report one event (:mod:`.stories`)."""
        return Stories(self._db)

    @property
    def identifiers(self) -> StoredIdentifiers:
        """The identifiers the articles name, and their backfill (:mod:`.identifiers`)."""
        return StoredIdentifiers(self._db)

    @property
    def synced(self) -> Synced:
        """What a sync with a feed server keeps (:mod:`.synced`)."""
        return Synced(self._db)

    def set_read(self, ids: Sequence[str], read: bool = True, *, undoable: bool = True) -> None:
        """Mark the articles with public ids ``ids`` read (or unread); unknown ids are ignored.

        One logged action (see :meth:`mark`), so it can be undone; with ``undoable`` False it
        is logged (a sync pushes it) but :meth:`undo_last` skips it: for marks the person did
        not ask for, such as reading an article by opening it.
        """
        if ids:
            self._mark(ids, read, None, "cannot mark articles read", undoable)

    def set_starred(self, article_id: str, starred: bool) -> None:
        """Star or unstar the article with public id ``article_id`` (ignored if unknown), as
        one logged action (see :meth:`mark`), so it can be undone."""
        self._mark([article_id], None, starred, "cannot star article")

    def mark(
        self,
        selection: Sequence[str] | MarkSelection,
        *,
        read: bool | None = None,
        starred: bool | None = None,
    ) -> MarkResult:
        """Set ``read`` and/or ``starred`` (None leaves it) on the selected articles, as ONE
        logged action that :meth:`undo_last` can undo.

        ``selection`` is public ids (unknown ones are ignored) or a :class:`MarkSelection`:
        the articles a listing with the same filters keeps. Only the articles whose state
        changes are logged; an action that changes nothing is not kept (its ``action`` is
        None). ValueError when neither flag is given.
        """
        if read is None and starred is None:
            raise ValueError("mark() needs read, starred, or both")
        return self._mark(selection, read, starred, "cannot mark articles")

    def _mark(
        self,
        selection: Sequence[str] | MarkSelection,
        read: bool | None,
        starred: bool | None,
        doing: str,
        undoable: bool = True,
    ) -> MarkResult:
        if isinstance(selection, str):
            selection = [selection]
        with self._db.write(doing) as conn:
            if isinstance(selection, MarkSelection):
                hide = self.mutes.muting(conn, False)
                filters = (selection.unread_only, selection.starred_only, selection.feed, hide)
                rowids = list_ids(conn, selection.query, filters, "newest", None).ids
                return marks.mark_rowids(conn, rowids, read, starred, undoable=undoable)
            return marks.mark_ids(conn, selection, read, starred, undoable=undoable)

    def undo_last(self) -> MarkResult | None:
        """Undo the last undoable marking action not yet undone: each article it changed gets
        back the state it had before (the result says what the action had set). Called again,
        undoes the one before (as many levels as the log holds). None when there is nothing
        to undo."""
        with self._db.write("cannot undo marking") as conn:
            return marks.undo_last(conn)
