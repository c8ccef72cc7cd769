"""What every supervision view needs from the request: its session, its actor, and the clock in the bureau's zone."""
from __future__ import annotations

import datetime as dt

from servicekit import clock
from servicekit.unit_of_work import current_actor, request_session

__all__ = ["current_actor", "request_session", "now", "today"]


def now() -> dt.datetime:
    return clock.now()


def today() -> dt.date:
    return clock.today()
