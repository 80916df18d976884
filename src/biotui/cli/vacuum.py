"""``biotui vacuum``: old read articles out of the store (starred ones stay), the full-text
index merged and the file compacted; one summary line (or one JSON object with ``--json``).

Which articles go is ``keep_days`` of ``[settings]`` (or ``--keep-days``); without either,
nothing is removed and the store is only tidied and compacted. ``--dry-run`` says what would
go and writes nothing. ``BIOTUI_VACUUM_RESERVE`` (bytes) is free space compacting must leave
on each disk it writes to (default 0). Every refusal is one line: not enough disk space, or a
store another writer holds (exit status 1).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_OK
from biotui.errors import ConfigError

if TYPE_CHECKING:
    from biotui.model import Config
    from biotui.store import Store
    from biotui.store.vacuum import Survey, VacuumReport

RESERVE_VARIABLE = "BIOTUI_VACUUM_RESERVE"
"""The environment variable holding the free bytes to leave on each disk compacting uses."""


def vacuum_store(
    config: Config, store: Store, keep_days: int | None, *, dry_run: bool, as_json: bool
) -> int:
    """Vacuum ``store`` keeping ``keep_days`` (None: the configuration's) of read articles;
    print the summary."""
    from biotui.store.vacuum import Vacuum

    days = config.settings.keep_days if keep_days is None else keep_days
    reserve = _reserve()
    if not dry_run:
        store.check_writable()
    with Vacuum(store.path) as vacuum:
        if dry_run:
            survey = vacuum.survey(days)
            print(
                json.dumps(_survey_record(survey, days)) if as_json else _survey_line(survey, days)
            )
            return EXIT_OK
        report = vacuum.run(days, reserve=reserve)
    print(json.dumps(_report_record(report, days)) if as_json else _report_line(report, days))
    return EXIT_OK


def _reserve() -> int:
    text = os.environ.get(RESERVE_VARIABLE, "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ConfigError([f"{RESERVE_VARIABLE}: must be a number of bytes, not {text!r}"])
    return int(text)


def _age(days: int | None) -> str:
    if days is None:
        return "no keep_days set: every article kept"
    return f"older than {days} day{'s' if days != 1 else ''}"


def _report_line(report: VacuumReport, days: int | None) -> str:
    from biotui.store.vacuum import format_size

    kept = f"kept {report.starred_kept:,} starred"
    if report.queued_kept:
        kept += f", {report.queued_kept:,} with marks not yet synced"
    size = f"{format_size(report.size_before)} → {format_size(report.size_after)}"
    if not report.compacted:
        size += " (shrinks further once the app is closed)"
    return (
        f"removed {report.removed:,} read articles ({_age(days)}; {kept});"
        f" tombstones: {report.tombstones:,} ({report.tombstones_dropped:,} dropped);"
        f" store: {size}"
    )


def _survey_line(survey: Survey, days: int | None) -> str:
    from biotui.store.vacuum import format_size

    kept = f"would keep {survey.starred_kept:,} starred and {survey.unread_kept:,} unread"
    if survey.queued_kept:
        kept += f", {survey.queued_kept:,} with marks not yet synced"
    return (
        f"would remove {survey.removable:,} read articles ({_age(days)}; {kept});"
        f" tombstones: {survey.tombstones:,} ({survey.lapsing:,} would be dropped);"
        f" store: {format_size(survey.size)}, at most {format_size(survey.live)} once"
        " compacted; nothing written"
    )


def _report_record(report: VacuumReport, days: int | None) -> dict[str, object]:
    return {
        "dry_run": False,
        "keep_days": days,
        "removed": report.removed,
        "starred_kept": report.starred_kept,
        "queued_kept": report.queued_kept,
        "tombstones": report.tombstones,
        "tombstones_dropped": report.tombstones_dropped,
        "size_before": report.size_before,
        "size_after": report.size_after,
        "compacted": report.compacted,
    }


def _survey_record(survey: Survey, days: int | None) -> dict[str, object]:
    return {
        "dry_run": True,
        "keep_days": days,
        "removable": survey.removable,
        "starred_kept": survey.starred_kept,
        "unread_kept": survey.unread_kept,
        "queued_kept": survey.queued_kept,
        "tombstones": survey.tombstones,
        "tombstones_lapsing": survey.lapsing,
        "size": survey.size,
        "live": survey.live,
    }
