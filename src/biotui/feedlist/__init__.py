"""Feed lists in and out: OPML and newsboat's ``urls`` file read into records, OPML written.

Pure: bytes in, frozen records out (and back). Neither the store, the refresh nor the app
is imported, so the command line can read a list without loading them.
"""

from biotui.feedlist.detect import MAX_LIST_BYTES, read_feed_list, read_feed_list_file
from biotui.feedlist.export import to_opml
from biotui.feedlist.model import FeedList, FeedListError, ImportedFeed, Skipped
from biotui.feedlist.urls import url_key

__all__ = [
    "MAX_LIST_BYTES",
    "FeedList",
    "FeedListError",
    "ImportedFeed",
    "Skipped",
    "read_feed_list",
    "read_feed_list_file",
    "to_opml",
    "url_key",
]
