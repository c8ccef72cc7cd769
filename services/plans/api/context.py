"""What every plans view needs from the request: its session, its actor, the clock, the working-day calendar."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from servicekit import clock
from servicekit.unit_of_work import current_actor, request_session
from services.plans.domain.workdays import WorkCalendar

__all__ = ["current_actor", "request_session", "now", "today", "work_calendar"]


def now() -> dt.datetime:
    return clock.now()


def today() -> dt.date:
    return clock.today()


def work_calendar() -> WorkCalendar:
    return current_app.extensions["plans.work_calendar"]
