"""``biotui remove NAME``: a feed out of the configuration, and its articles out of the store.

The work is :func:`biotui.feedremoval.remove_feed` (shared with the app's side panel); this
prints what it did, or its one-line error.
"""

from __future__ import annotations

import sys

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.cli.importing import BUILT_IN
from biotui.feedremoval import FeedRemovalError, UnknownFeedError
from biotui.feedremoval import remove_feed as remove_configured_feed
from biotui.model import Config
from biotui.store import Store


def remove_feed(config: Config, store: Store, origin: str, name: str) -> int:
    """Remove feed ``name`` from the configuration, then its unstarred articles from the
    store; print what went; the exit status."""
    try:
        done = remove_configured_feed(config, store, name, built_in=origin == BUILT_IN)
    except UnknownFeedError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except FeedRemovalError as exc:
        return _fail(str(exc), EXIT_ERROR)
    if done.copied:
        print(f"biotui: copied the built-in configuration to {done.target}, to remove from it")
    print(f"removed feed {name} from {done.target}")
    removed, starred = done.removed, done.kept_starred
    print(f"removed {removed} article{'' if removed == 1 else 's'} of {name}")
    if starred:
        print(f"kept {starred} starred article{'' if starred == 1 else 's'} of {name}")
    return EXIT_OK


def _fail(message: str, status: int) -> int:
    print(f"biotui: {message}", file=sys.stderr)
    return status
