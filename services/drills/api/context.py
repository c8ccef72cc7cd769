"""What every drills view needs from the request: its sessions, its actor, the clock, the plans lookup."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy.orm import Session

from servicekit import clock
from servicekit.unit_of_work import current_actor, current_database, request_session
from services.drills.adapters.plans_http import PlanLookup

__all__ = ["current_actor", "request_session", "read_session", "now", "today", "plan_lookup"]


def read_session() -> Session:
    """A short read-only session of its own, for what must be learnt before the request's write transaction."""
    return current_database().session(readonly=True)


def now() -> dt.datetime:
    return clock.now()


def today() -> dt.date:
    return clock.today()


def plan_lookup() -> PlanLookup:
    return current_app.extensions["drills.plan_lookup"]
