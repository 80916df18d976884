"""``trials`` and ``pubmed`` feeds: a search sent to ClinicalTrials.gov or NCBI's E-utilities,
its answer parsed in the pool like any feed's, stored and reported like any feed's.

Each service is asked at its documented pace (:class:`Pace`, shared by a refresh's threads):
ClinicalTrials.gov about 50 requests a minute, E-utilities 3 a second, 10 with an API key
(from the feed's ``api_key_command``). NCBI is told the tool (``biotui``) and, when the
settings give one, the user's e-mail address, as its usage policy asks. A pubmed feed costs
two requests: esearch (the PMIDs, JSON, read here) then efetch (the papers, XML, read in the
pool).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode, urlsplit

from biotui.errors import SourceError
from biotui.model import Feed, FeedStatus, Settings
from biotui.plaintext import clean_text
from biotui.refresh.http import RetryLater, fetch
from biotui.refresh.outcome import FeedOutcome
from biotui.refresh.tasks import FeedTask, Parsed, Result, as_read
from biotui.refresh.writer import FeedParsed, StatusOnly, failed, now
from biotui.secrets import SecretError, command_secret

if TYPE_CHECKING:
    from biotui.refresh.pipeline import _Run

PAGE_SIZE = 20
"""How many studies or papers a search asks for: the newest."""
TRIALS_INTERVAL = 1.25
"""Seconds between two requests to ClinicalTrials.gov (its limit: about 50 a minute)."""
EUTILS_INTERVAL = 0.35
"""Seconds between two requests to E-utilities without an API key (its limit: 3 a second)."""
EUTILS_KEY_INTERVAL = 0.11
"""With an API key (its limit: 10 a second)."""
TOOL = "biotui"
_JSON = "application/json"


class Sink(Protocol):
    """Where the body for the pool goes (the refresh's spool file)."""

    path: Path | None

    def write(self, data: bytes, /) -> int: ...
    def close(self) -> None: ...
    def delete(self) -> None: ...


class Pace:
    """Requests to one service (by its base URL's host) no closer together than its
    interval, across the threads of a refresh."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, base: str, interval: float, stopping: threading.Event) -> None:
        """Wait for ``base``'s next turn; SourceError when the refresh ends meanwhile."""
        key = urlsplit(base).netloc.lower() + " " + base
        with self._lock:
            clock = time.monotonic()
            turn = max(clock, self._next.get(key, clock))
            self._next[key] = turn + interval
        if turn > clock and stopping.wait(turn - clock):
            raise SourceError("the refresh is over")


def trials_url(settings: Settings, query: str) -> str:
    """The ``/studies`` request for ``query``: newest updates first."""
    params = {
        "query.term": query,
        "sort": "LastUpdatePostDate:desc",
        "pageSize": str(PAGE_SIZE),
        "format": "json",
    }
    return f"{settings.clinicaltrials_api}/studies?{urlencode(params)}"


def eutils_url(settings: Settings, tool: str, params: dict[str, str], key: str | None) -> str:
    """An E-utilities request (``tool`` is ``esearch`` or ``efetch``) with NCBI's ``tool``,
    ``email`` and ``api_key`` parameters."""
    params = {"db": "pubmed", **params, "tool": TOOL}
    if settings.ncbi_email:
        params["email"] = settings.ncbi_email
    if key:
        params["api_key"] = key
    return f"{settings.eutils_api}/{tool}.fcgi?{urlencode(params)}"


def refresh_search(run: _Run, feed: Feed, sink: Sink) -> None:
    """Fetch ``feed``'s search and hand its answer to the pool, or its failure to the writer."""
    status = replace(run.known.get(feed.name) or FeedStatus(name=feed.name), location=feed.location)
    if status.retry_after is not None and status.retry_after > now():
        error = f"server asked to wait until {status.retry_after:%Y-%m-%d %H:%M} UTC"
        run.finished.put(FeedOutcome(feed.name, skipped=True, error=error))
        return
    try:
        key = _api_key(feed)
    except SecretError as exc:
        outcome = FeedOutcome(feed.name, skipped=True, error=str(exc))
        run.writer.put(StatusOnly(failed(status, str(exc)), outcome))
        return
    try:
        reader = "trials" if feed.trials is not None else "pubmed"
        fetched = _trials(run, feed, sink) if reader == "trials" else _pubmed(run, feed, sink, key)
        sink.close()
    except (SourceError, OSError) as exc:
        sink.delete()
        if run.stopping.is_set():
            return
        message = str(exc) if isinstance(exc, SourceError) else clean_text(str(exc))
        retry_after = exc.retry_after if isinstance(exc, RetryLater) else None
        outcome = FeedOutcome(feed.name, error=message)
        run.writer.put(StatusOnly(failed(status, message, retry_after), outcome))
        return
    checked = now()
    fresh = replace(
        status, last_checked=checked, last_success=checked, last_error=None, retry_after=None
    )
    if not fetched:  # a search that finds nothing: nothing to parse
        run.writer.put(FeedParsed(status, fresh, Parsed(())))
        return
    task = FeedTask(feed.name, "", _JSON, str(sink.path), frozenset(), reader=reader)

    def parsed(outcome: Result) -> None:
        sink.delete()
        run.writer.put(FeedParsed(status, fresh, as_read(outcome)))

    run.pool.submit(task, parsed)


def _timeout(run: _Run, feed: Feed) -> float:
    return run.settings.timeout if feed.timeout is None else feed.timeout


def _trials(run: _Run, feed: Feed, sink: Sink) -> bool:
    """Fetch the studies into ``sink``; whether there is a body to parse."""
    from biotui.sources.trials import api_error

    base = run.settings.clinicaltrials_api
    run.pace.wait(base, TRIALS_INTERVAL, run.stopping)
    url = trials_url(run.settings, feed.trials or "")
    fetch(run.client, url, timeout=_timeout(run, feed), sink=sink, accept=_JSON, explain=api_error)
    return sink.path is not None


def _pubmed(run: _Run, feed: Feed, sink: Sink, key: str | None) -> bool:
    """esearch for the PMIDs, then efetch the papers into ``sink``; whether there are any."""
    from biotui.sources.pubmed import esearch_explained, esearch_ids

    base, timeout = run.settings.eutils_api, _timeout(run, feed)
    interval = EUTILS_KEY_INTERVAL if key else EUTILS_INTERVAL
    params = {"term": feed.pubmed or "", "retmax": str(PAGE_SIZE), "sort": "pub_date"}
    run.pace.wait(base, interval, run.stopping)
    url = eutils_url(run.settings, "esearch", {**params, "retmode": "json"}, key)
    found = fetch(run.client, url, timeout=timeout, accept=_JSON, explain=esearch_explained)
    ids = esearch_ids(found.body)
    if not ids:
        return False
    run.pace.wait(base, interval, run.stopping)
    url = eutils_url(run.settings, "efetch", {"id": ",".join(ids), "retmode": "xml"}, key)
    fetch(run.client, url, timeout=timeout, sink=sink, accept="application/xml", explain=_xml)
    return sink.path is not None


def _xml(data: bytes) -> str:
    """An efetch error's ``<ERROR>`` text, or the start of its body."""
    from biotui.sources.pubmed import efetch_error

    return efetch_error(data)


def _api_key(feed: Feed) -> str | None:
    """NCBI's API key from the feed's ``api_key_command`` (run once per process)."""
    if feed.api_key_command is None:
        return None
    owner = clean_text(f'feed "{feed.name}"')
    return command_secret(feed.api_key_command, owner=owner, key="api_key_command").reveal()
