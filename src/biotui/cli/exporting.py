"""``biotui export``: every URL feed of the configuration as OPML 2.0."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK
from biotui.configwrite import write_atomically
from biotui.feedlist import to_opml
from biotui.model import Config
from biotui.plaintext import clean_text


def export_feeds(config: Config, output: str | None) -> int:
    """Write the OPML to ``output`` (standard output when None); name local feeds on stderr.

    Local path feeds and trials/pubmed searches have no feed URL another reader could use, so
    they are left out, said once.
    A file is written whole beside its target, then renamed over it, so an export that fails
    leaves the previous file as it was.
    """
    text = to_opml(config.feeds)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            _write(Path(output).expanduser(), text)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            print(f"biotui: {clean_text(output)}: cannot write: {reason}", file=sys.stderr)
            return EXIT_ERROR
    local = [clean_text(feed.name) for feed in config.feeds if feed.path is not None]
    if local:
        print(f"biotui: local feeds are not exported: {', '.join(local)}", file=sys.stderr)
    searches = [
        clean_text(feed.name) for feed in config.feeds if feed.url is None and feed.path is None
    ]
    if searches:
        shown = ", ".join(searches)
        print(f"biotui: trials and pubmed searches are not exported: {shown}", file=sys.stderr)
    return EXIT_OK


def _write(path: Path, text: str) -> None:
    """Replace a regular file atomically; a pipe or device (``/dev/stdout``) is written to."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "Is a directory")
    if stat.S_ISREG(mode):
        write_atomically(path, text)
    else:
        with path.open("w", encoding="utf-8") as stream:
            stream.write(text)
