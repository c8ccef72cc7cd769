"""Time as ERDM reckons it: instants in UTC, calendar dates in the bureau's zone (ERDM_TIMEZONE)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"
_zone = {"name": DEFAULT_TIMEZONE}


def configure(timezone: str) -> None:
    """Set the process's zone once, from settings, when an app or worker is built."""
    ZoneInfo(timezone)  # fail fast on a misspelt zone
    _zone["name"] = timezone


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def local_today(timezone: str | None = None, at: dt.datetime | None = None) -> dt.date:
    """The calendar date in `timezone` (the configured zone by default) at instant `at` (now by default)."""
    return (at or now()).astimezone(ZoneInfo(timezone or _zone["name"])).date()


def today() -> dt.date:
    return local_today()


def local(at: dt.datetime, timezone: str | None = None) -> dt.datetime:
    """Instant `at` as the bureau's wall clock shows it (what a printed document says)."""
    return at.astimezone(ZoneInfo(timezone or _zone["name"]))
