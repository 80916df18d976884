"""Every date parser the readers use, each lenient: a date it cannot read is ``None``.

- :func:`parse_feed_date`: the dates of RSS and Atom entries (RFC 822/2822, W3C-DTF and
  ISO 8601), as the tuple of UTC fields feedparser gives for the dates it reads itself.
- :func:`parse_rfc3339`: JSON Feed dates.
- :func:`parse_date`: dates as people write them in clippings, front matter and web pages.
"""

from __future__ import annotations

import calendar
import email.utils
import re
import time
from datetime import UTC, datetime
from typing import Any

DateFields = tuple[int, int, int, int, int, int, int, int, int]
"""A UTC ``time.struct_time`` as a plain tuple (year, month, day, hour, minute, second,
weekday, day of the year, 0): it pickles as the same bytes wherever it was made."""

_ISO_DATE = re.compile(
    r"(?P<year>\d{4})(?:-?(?P<month>\d{2})(?:-?(?P<day>\d{2}))?)?"
    r"(?:(?:\s*T\s*|\s+)(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{1,2})(?:[.,]\d+)?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?(?![/\d])",
    re.IGNORECASE,
)
"""W3C-DTF and the ISO 8601 forms feeds write: a date (hyphens optional), then optionally a
time with colons (after a ``T`` or a space) and a zone. A time written otherwise is left out:
the date is midnight UTC. A date followed by a slash or digit is not ISO."""
_COLON_ZONE = re.compile(r"([+-]\d{2}):(\d{2})$")
"""A numeric zone with a colon, which RFC 822 does not allow but feeds write."""
_TIME = re.compile(r"\d:\d")


def parse_feed_date(text: str) -> DateFields | None:
    """A feed entry's date (RFC 822/2822, W3C-DTF or ISO 8601) as UTC fields, or ``None``.

    Fields out of range carry over (``2003-07-32`` is the first of August), as feedparser
    reads them; an RFC 822 zone the standard library does not know counts as UTC.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if text[:4].isdigit():
            seconds = _iso_seconds(text)
        else:
            text = _COLON_ZONE.sub(r"\1\2", text)
            if _TIME.search(text) is None:  # a date alone: midnight UTC
                text += " 00:00:00 +0000"
            parts = email.utils.parsedate_tz(text)
            seconds = None if parts is None else email.utils.mktime_tz(parts)
        if seconds is None:
            return None
        return tuple(time.gmtime(seconds))  # type: ignore[return-value]
    except (ValueError, OverflowError, OSError):  # a year no clock holds
        return None


def _iso_seconds(text: str) -> int | None:
    match = _ISO_DATE.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    year, month = int(parts["year"]), int(parts["month"] or 1)
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    fields = (year, month, int(parts["day"] or 1), 0, 0, 0)
    if parts["hour"] is not None:
        fields = (*fields[:3], int(parts["hour"]), int(parts["minute"]), int(parts["second"] or 0))
    return calendar.timegm(fields) - _zone_seconds(parts["zone"])


def _zone_seconds(zone: str | None) -> int:
    if not zone or zone.upper() == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    seconds = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
    return -seconds if zone[0] == "-" else seconds


def utc_from_struct(value: Any) -> datetime | None:
    """A parser's UTC ``time.struct_time`` (or a tuple of its fields) as an aware datetime."""
    if not isinstance(value, tuple) or len(value) < 6:
        return None
    year, month, day, hour, minute, second = value[:6]
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (ValueError, OverflowError, TypeError):
        return None


def parse_rfc3339(value: Any) -> datetime | None:
    """Parse an RFC 3339 date (``2026-02-12T09:30:00Z``) to UTC; naive times count as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar janvier enero gennaio",
            "february feb februar février fevrier febrero febbraio",
            "march mar märz maerz mars marzo",
            "april apr avril abril aprile",
            "may mai mayo maggio",
            "june jun juni juin junio giugno",
            "july jul juli juillet julio luglio",
            "august aug août aout agosto",
            "september sep sept septembre septiembre setiembre settembre",
            "october oct oktober octobre octubre ottobre",
            "november nov novembre noviembre",
            "december dec dezember décembre decembre diciembre dicembre",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(?P<month>[^\W\d_]+)\.?"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?"
_DATE_FORMS = [
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$"),
    re.compile(rf"^{_DAY}\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}$"),
    re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$"),
    re.compile(rf"^{_YEAR}-(?P<monthnum>\d{{2}})$"),
]


def parse_date(text: str) -> datetime | None:
    """Parse a date as clippings, front matter and pages write it; UTC midnight for bare dates.

    Accepts ``February 2026`` (the first of the month), ``12 February 2026``, ``February 12,
    2026``, ``2026-02-12``, ``2026-02``, ISO 8601 / RFC 3339 times and RFC 2822 dates; English
    month names and the German, French, Spanish and Italian ones.
    """
    text = text.strip().rstrip(".,;").strip()
    if not text:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return parse_rfc3339(text.replace(" ", "T", 1) if len(text) > 10 else text)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            return _date_from_parts(match.groupdict())
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError, OverflowError):  # a year or day out of range
        return None


def _date_from_parts(parts: dict[str, str | None]) -> datetime | None:
    number = parts.get("monthnum")
    month = int(number) if number else _MONTHS.get((parts.get("month") or "").lower())
    if month is None:
        return None
    try:
        year, day = int(parts["year"] or 0), int(parts.get("day") or 1)
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
