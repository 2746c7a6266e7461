"""Calendar arithmetic around "today", which depends on where the reader is."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Clock = Callable[[], dt.datetime]
EARLIEST = dt.timezone(dt.timedelta(hours=14))  # Kiribati: the first place a day begins
LATEST = dt.timezone(dt.timedelta(hours=-12))  # the last place a day ends
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}")  # fullmatch


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def latest_date(now: dt.datetime) -> dt.date:
    """The newest calendar date anyone on Earth can be living in."""
    return now.astimezone(EARLIEST).date()


def oldest_current_date(now: dt.datetime) -> dt.date:
    """The oldest date that is still "today" somewhere."""
    return now.astimezone(LATEST).date()


def zone(name: str) -> ZoneInfo:
    if len(name) > 64 or not _ZONE_NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not an IANA time zone name such as Europe/London")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{name!r} is not a known IANA time zone") from None


def seconds_until_midnight(now: dt.datetime, tz: dt.tzinfo) -> int:
    local = now.astimezone(tz)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tz)
    return max(1, int((midnight - local).total_seconds()))


def start_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tz)
