"""Time ``biotui import`` of an OPML file of many feeds into a configuration (target: < 1 s).

    PYTHONPATH=src python bench/import_bench.py [--feeds 1000] [--existing 100]

Writes an OPML file of N feeds in 20 folders and a configuration that already holds
``--existing`` of them, then runs the import in-process (reading, merging with tomlkit, the
atomic write and the check that the result loads) and prints the wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from pathlib import Path

from biotui.cli import main
from biotui.config import load_config


def opml(count: int) -> str:
    folders: dict[int, list[str]] = {}
    for number in range(count):
        folders.setdefault(number % 20, []).append(
            f'<outline type="rss" text="Feed {number}" title="Feed {number}" '
            f'xmlUrl="https://feeds{number}.example.org/rss.xml"/>'
        )
    body = "".join(
        f'<outline text="Folder {folder}">{"".join(items)}</outline>'
        for folder, items in folders.items()
    )
    return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'


def config(existing: int) -> str:
    return "# benchmark configuration\n" + "".join(
        f'\n[[feeds]]\nname = "Feed {n}"\nurl = "https://feeds{n}.example.org/rss.xml"\n'
        for n in range(existing)
    )


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--existing", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "feeds.opml"
        source.write_text(opml(args.feeds), encoding="utf-8")
        target = root / "feeds.toml"
        target.write_text(config(args.existing), encoding="utf-8")
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            status = main(["--config", str(target), "import", str(source)])
        elapsed = time.perf_counter() - started
        loaded = len(load_config(target).feeds)
    print(
        f"import of {args.feeds} feeds ({args.existing} already configured): "
        f"{elapsed:.3f} s, exit {status}, {loaded} feeds configured"
    )


if __name__ == "__main__":
    main_bench()
