"""Time as ERDM reckons it: instants in UTC, calendar dates in the bureau's zone."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def local_today(timezone: str, at: dt.datetime | None = None) -> dt.date:
    """The calendar date in `timezone` (Asia/Shanghai by default) at instant `at`."""
    return (at or now()).astimezone(ZoneInfo(timezone)).date()
