"""What every drills view needs from the request: its session, its actor, the clock, the plans lookup."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from servicekit import clock
from servicekit.unit_of_work import current_actor, request_session
from services.drills.service.plans import PlanLookup

__all__ = ["current_actor", "request_session", "now", "today", "plan_lookup"]


def now() -> dt.datetime:
    return clock.now()


def today() -> dt.date:
    return clock.today()


def plan_lookup() -> PlanLookup:
    return current_app.extensions["drills.plan_lookup"]
