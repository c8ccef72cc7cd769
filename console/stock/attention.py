"""What needs attention, reckoned as the resources service reckons its alerts: a position below its reserve
quota, a date (a lot's expiry, a unit's next inspection) past or within the alerts' default 30 days."""
from __future__ import annotations

import datetime as dt

SOON = dt.timedelta(days=30)  # GET /alerts's default within_days


def below_quota(balance: dict) -> bool:
    """A quota is set and less than it is available (services/resources/use_cases/positions.py)."""
    quota = balance.get("min_quantity") or 0
    return quota > 0 and (balance.get("available") or 0) < quota


def date_state(day: str | None, today: dt.date) -> str | None:
    """"past" for a date before `today`, "soon" for one within 30 days, None for a later date or none."""
    if not day:
        return None
    date = dt.date.fromisoformat(day)
    if date < today:
        return "past"
    return "soon" if date - today <= SOON else None
