"""Sources: bytes or a path in, articles out. Pure: no database, no network.

``parse_feed`` reads feed bytes (RSS, Atom, JSON Feed); ``iter_files`` walks a file, folder or
glob and ``read_file`` reads one local file with the reader its type needs. Fetching over HTTP
lives in :mod:`biotui.sources.http`.
"""

from biotui.sources.feed import FeedParseResult, parse_feed
from biotui.sources.local import decode_text, iter_files, read_file

__all__ = ["FeedParseResult", "decode_text", "iter_files", "parse_feed", "read_file"]
