"""A plan's due dates as its pages colour them: a past date is overdue (red), one within 30 days due soon (amber);
"today" is the bureau's, in ERDM_TIMEZONE, as the plans service counts it."""
from __future__ import annotations

import datetime as dt

from flask_babel import to_user_timezone

# services/plans/domain/cycles.py: DUE_SOON_DAYS, the window in which the service says `due_soon`.
DUE_SOON_DAYS = 30


def today() -> dt.date:
    return to_user_timezone(dt.datetime.now(dt.UTC)).date()


def tone(day: str | dt.date | None) -> str:
    """"bad" for a date past, "warn" for one within the window, "" otherwise (or for no date)."""
    if not day:
        return ""
    due = dt.date.fromisoformat(day) if isinstance(day, str) else day
    now = today()
    if due < now:
        return "bad"
    if due <= now + dt.timedelta(days=DUE_SOON_DAYS):
        return "warn"
    return ""
