"""A plan's drill clock, restarted by the drills service's drill.completed: when it was last drilled, when next due."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from contracts.events import DrillCompleted
from servicekit.events import Event
from servicekit.schemas import EARLIEST_YEAR, LATEST_YEAR
from services.plans.domain.workdays import WorkCalendar
from services.plans.models import Plan
from services.plans.use_cases import activity
from services.plans.use_cases.schedule import refresh_dues

log = logging.getLogger("erdm.plans.drill_history")

# How far the drills service's clock may run ahead of the moment its event says it occurred.
CLOCK_SKEW = dt.timedelta(minutes=5)


def completed_at(drill: DrillCompleted, *, event: Event) -> dt.datetime:
    """When the drill ended: its `completed_at`, else when the event occurred; never after the event occurred.

    A drill cannot end after the event announcing its end, so a later `completed_at` (a mistyped
    year, a wrong clock) is capped rather than allowed to push the next drill due date into the future.
    """
    occurred = event.occurred
    if drill.completed_at is None:
        return occurred
    try:
        completed = drill.completed_at.astimezone(dt.timezone.utc)
    except OverflowError:  # year 1 or 9999 with an offset that takes it past what an instant can be
        log.warning("drill.completed %s: completed_at %s is not a usable timestamp; counted from %s",
                    event.id, drill.completed_at, occurred)
        return occurred
    if not EARLIEST_YEAR <= completed.year <= LATEST_YEAR:
        log.warning("drill.completed %s: completed_at %s is out of range; counted from %s", event.id, completed,
                    occurred)
        return occurred
    if completed > occurred + CLOCK_SKEW:
        log.warning("drill.completed %s: completed_at %s lies after the event occurred (%s); capped at that",
                    event.id, completed, occurred)
        return occurred
    return completed


def drill_completed(drill: DrillCompleted, *, event: Event, session: Session, work_calendar: WorkCalendar) -> None:
    """drill.completed: the plan was exercised; its drill clock restarts from the latest completed drill."""
    plan = session.get(Plan, drill.plan_id, with_for_update=True)
    if plan is None:
        log.warning("drill.completed %s names unknown plan %s; ignored", event.id, drill.plan_id)
        return
    ended = completed_at(drill, event=event)
    if plan.last_drilled_at is not None and ended <= plan.last_drilled_at:
        log.info("plan %s: drill completed %s is not later than %s; kept", plan.id, ended, plan.last_drilled_at)
        return
    plan.last_drilled_at, plan.last_drill_id = ended, drill.drill_id
    refresh_dues(plan, work_calendar=work_calendar)
    activity.record(session, plan, "drilled", actor=activity.SYSTEM, version=plan.version,
                    detail={"drill_id": str(drill.drill_id), "completed_at": ended.isoformat()})
