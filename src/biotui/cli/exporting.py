"""``biotui export``: every URL feed of the configuration as OPML 2.0."""

from __future__ import annotations

import sys
from pathlib import Path

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK
from biotui.feedlist import to_opml
from biotui.model import Config
from biotui.plaintext import clean_text


def export_feeds(config: Config, output: str | None) -> int:
    """Write the OPML to ``output`` (standard output when None); name local feeds on stderr.

    Local path feeds have no URL another reader could use, so they are left out, said once.
    """
    text = to_opml(config.feeds)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            Path(output).expanduser().write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"biotui: {output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ERROR
    local = [clean_text(feed.name) for feed in config.feeds if feed.url is None]
    if local:
        print(f"biotui: local feeds are not exported: {', '.join(local)}", file=sys.stderr)
    return EXIT_OK
