"""Plain records shared by every layer: articles, headlines, feeds and their status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


def article_id(feed: str, guid: str) -> str:
    """Return the stable public id of the article ``guid`` of feed ``feed``.

    The same feed name and guid give the same id on every run and every refresh.
    """
    import hashlib  # here, not at the top: listing and starting the app never hash

    digest = hashlib.sha256(f"{feed}\x00{guid}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One article as biotui stores and shows it.

    Every text field is already sanitized (plain text, no control characters); ``body`` is
    sanitized Markdown, converted once at ingest.
    """

    id: str
    feed: str
    guid: str
    title: str
    link: str = ""
    """An http(s) URL, or a ``file://`` URI for local files."""
    author: str = ""
    published: datetime | None = None
    """Timezone-aware (UTC) publication time, when the source gives one."""
    source: str = ""
    """The publisher or origin, e.g. ``PR Newswire / CARsgen Therapeutics``."""
    source_title: str = ""
    """The headline as the original source gave it, when it differs from ``title``."""
    section: str = ""
    """The section or publication a clipping was filed under."""
    place: str = ""
    """The dateline place, e.g. ``Shanghai, China / Global``."""
    credits: tuple[str, ...] = ()
    """Photo and image credits, in the order they appeared."""
    body: str = ""
    notes: tuple[str, ...] = ()
    """Notes about how the article was read, e.g. that its body was truncated."""
    read: bool = False
    starred: bool = False


@dataclass(frozen=True, slots=True)
class Headline:
    """The slice of an article the headline list draws: no body."""

    rowid: int
    id: str
    feed: str
    title: str
    source: str
    published: datetime | None
    read: bool
    starred: bool
    link: str = ""


@dataclass(frozen=True, slots=True)
class Feed:
    """A source from the configuration: exactly one of ``url``, ``path``, ``trials`` or
    ``pubmed`` is set."""

    name: str
    url: str | None = None
    path: str | None = None
    """An absolute file, folder or glob pattern (already resolved against the config file)."""
    tags: tuple[str, ...] = ()
    refresh_every: float | None = None
    """Seconds between refreshes of this feed (``math.inf``: never by itself); ``None``
    follows ``Settings.refresh_every``."""
    timeout: float | None = None
    """This feed's deadline for a fetch, in seconds; ``None`` follows ``Settings.timeout``."""
    user_agent: str | None = None
    """The User-Agent header sent for this feed; ``None`` sends biotui's own."""
    username: str | None = None
    """The HTTP basic auth user name; set together with ``password_command``."""
    password_command: str | None = None
    """A shell command whose first output line is the password (:mod:`biotui.secrets`)."""
    full_text: bool = False
    """Fetch the page of each of this feed's articles during a refresh, for its full text."""
    trials: str | None = None
    """A ClinicalTrials.gov search: the studies it finds, newest updates first."""
    pubmed: str | None = None
    """A PubMed search (NCBI E-utilities): the papers it finds, newest first."""
    api_key_command: str | None = None
    """A shell command whose first output line is NCBI's API key (``pubmed`` feeds only)."""

    @property
    def location(self) -> str:
        """The URL, path or search, for display."""
        if self.trials is not None:
            return f"trials: {self.trials}"
        if self.pubmed is not None:
            return f"pubmed: {self.pubmed}"
        return self.url if self.url is not None else str(self.path)


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """What the store remembers about a feed between refreshes."""

    name: str
    location: str = ""
    etag: str | None = None
    last_modified: str | None = None
    """The HTTP ``Last-Modified`` validator, kept verbatim."""
    last_checked: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    """One line; ``None`` when the last refresh succeeded."""
    retry_after: datetime | None = None
    """Do not fetch again before this time (from a 429/503 ``Retry-After``)."""


@dataclass(frozen=True, slots=True)
class FileSignature:
    """Size and modification time of a local file, to skip re-reading it when unchanged."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class IngestCounts:
    """How many articles one ingest added, changed, or left as they were."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: IngestCounts) -> IngestCounts:
        return IngestCounts(
            self.new + other.new,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


@dataclass(frozen=True, slots=True)
class Settings:
    """The ``[settings]`` table of feeds.toml."""

    timeout: float = 20.0
    concurrency: int = 16
    refresh_on_start: bool = True
    instant_start: bool = True
    refresh_every: float = 1800.0
    """Seconds between refreshes of a feed when it says nothing else (``math.inf``: never by
    itself); ``biotui refresh --due`` and the open app follow it."""
    export_dir: Path | None = None
    """Where the app's ``e`` saves articles (absolute); ``None``: the user's documents folder,
    or the current folder when there is none (:func:`biotui.paths.export_folder`)."""
    theme: str | None = None
    """The app's Textual theme by name (None: Textual's default); the app checks the name."""
    clinicaltrials_api: str = "https://clinicaltrials.gov/api/v2"
    """The ClinicalTrials.gov API v2 base URL (``trials`` feeds)."""
    eutils_api: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    """NCBI's E-utilities base URL (``pubmed`` feeds)."""
    ncbi_email: str | None = None
    """Sent to NCBI with ``tool=biotui`` as its usage policy asks, when set."""
    keep_days: int | None = None
    """``biotui vacuum`` removes read, unstarred articles older than this many days (by the
    time the list sorts them by); None: every article is kept."""


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A ``[[searches]]`` entry of feeds.toml, also a watchlist; ``notify``: say on the
    desktop too when a refresh in the app brings new matches."""

    name: str
    query: str
    notify: bool = False


@dataclass(frozen=True, slots=True)
class MuteRule:
    """A ``[[mute]]`` entry of feeds.toml: the unstarred articles ``query`` (the filter
    language) finds are hidden from every list and count; ``name`` is what the side panel
    calls the rule (the query when the entry names none)."""

    name: str
    query: str


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One ``[keys]`` entry of feeds.toml: an action's public name and its keys as written
    (the app checks both names against its bindings)."""

    action: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """The ``[sync]`` table of feeds.toml: a feed server's protocol (``greader`` or
    ``fever``), its API URL and the user; the password comes from ``password_command`` or
    the environment when a sync needs it, never from here."""

    kind: str
    url: str
    username: str
    password_command: str | None = None
    app_id: str = ""
    """Google Reader only: the app id and key some services (Inoreader) require."""
    app_key: str = ""
    history_days: int = 30
    """How far back the first sync goes (starred items come down whatever their age)."""

    @property
    def account(self) -> str:
        """What the store keeps this server's sync state under: another protocol, URL or
        user starts afresh."""
        return f"{self.kind} {self.url} {self.username}"


@dataclass(frozen=True, slots=True)
class Config:
    """A loaded, validated configuration."""

    path: Path
    settings: Settings = field(default_factory=Settings)
    feeds: tuple[Feed, ...] = ()
    searches: tuple[SavedSearch, ...] = ()
    mutes: tuple[MuteRule, ...] = ()
    keys: tuple[KeyEntry, ...] = ()
    """The ``[keys]`` table: actions rebound by name, in the file's order."""
    sync: SyncConfig | None = None
    """The ``[sync]`` table: the feed server biotui syncs with (None: none)."""


@dataclass(frozen=True, slots=True)
class FullText:
    """What the store holds of an article's page: its full text (``body``, Markdown, empty
    until a fetch succeeds, with ``notes`` on how it was read, ``fetched`` when), and the
    failed fetches since the last success (``attempts``, the last one's ``last_error``)."""

    article: str
    """The article's public id."""
    body: str = ""
    notes: tuple[str, ...] = ()
    fetched: datetime | None = None
    attempts: int = 0
    last_error: str | None = None


FULL_TEXT_NOTE = "Full text fetched from the article's page"
"""The first words of the note an article read with its full text carries."""
