"""``biotui serve``: the app in a web browser, one app process per tab.

Each tab runs ``python -m biotui`` with the global options the user gave (made absolute), so
every tab reads the same configuration and store as the command line would. The server is
imported here, inside the command: ``biotui list`` never loads aiohttp.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK

LOOPBACK_NAMES = frozenset(("localhost",))


def app_argv(args: argparse.Namespace) -> tuple[str, ...]:
    """The command line of one tab's app: this Python, ``-m biotui`` and the global options."""
    argv = [sys.executable, "-m", "biotui"]
    if args.config:
        argv += ["--config", os.path.abspath(args.config)]
    if args.data_dir:
        argv += ["--data-dir", os.path.abspath(args.data_dir)]
    if args.filter:
        argv.append(f"--filter={args.filter}")
    return tuple(argv)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_app(args: argparse.Namespace, data_dir: Path) -> int:
    """Serve the app until Ctrl-C or SIGTERM; print the URL to open once listening."""
    from biotui.serve import Listening, ServeOptions, serve

    host = args.host.strip("[]")
    if not is_loopback(host):
        print(
            f"biotui: warning: serving on {host}, not loopback: anyone who can reach this "
            "address and has the URL can read and change your articles",
            file=sys.stderr,
        )

    def listening(where: Listening) -> None:
        print(f"biotui: serving {data_dir.absolute()} on {where.url}", flush=True)
        print("biotui: open that URL (its token is the key); Ctrl-C stops", flush=True)

    try:
        serve(ServeOptions(host, args.port, app_argv(args)), listening)
    except OSError as exc:
        print(
            f"biotui: cannot listen on {host}:{args.port}: {exc.strerror or exc}", file=sys.stderr
        )
        return EXIT_ERROR
    return EXIT_OK
