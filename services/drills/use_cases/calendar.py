"""The drill calendar feed: which drills it shows, labelled with the plans the projection knows."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.drills.domain.calendar import CalendarEntry, build_calendar
from services.drills.models import Drill, PlanStatus

MAX_ENTRIES = 5000  # a feed is fetched whole by calendar clients; keep it bounded
LOOKBACK = dt.timedelta(days=365)  # without `from`, drills that ended longer ago than this are left out


def calendar_feed(*, session: Session, now: dt.datetime, plan_id: uuid.UUID | None = None,
                  since: dt.datetime | None = None, include_cancelled: bool = True) -> bytes:
    """Drills ending at or after `since` (a year ago by default); past the cap, the newest are kept."""
    query = select(Drill).where(Drill.scheduled_end >= (since if since is not None else now - LOOKBACK))
    if plan_id is not None:
        query = query.where(Drill.plan_id == plan_id)
    if not include_cancelled:
        query = query.where(Drill.status != "cancelled")
    # The cap cuts the oldest, never a drill just scheduled: newest first, then back in calendar order.
    newest = session.scalars(query.order_by(Drill.scheduled_start.desc(), Drill.id.desc()).limit(MAX_ENTRIES))
    drills = list(reversed(list(newest)))
    plans = {p.plan_id: p for p in session.scalars(
        select(PlanStatus).where(PlanStatus.plan_id.in_({d.plan_id for d in drills})))} if drills else {}

    def label(plan_id: uuid.UUID) -> str:
        plan = plans.get(plan_id)
        return f"{plan.code} {plan.title}" if plan and plan.code else str(plan_id)

    return build_calendar(CalendarEntry(
        drill_id=str(d.id), title=d.title, form=d.form, scope=d.scope, status=d.status,
        start=(d.actual_start or d.scheduled_start) if d.status in ("in_progress", "completed") else d.scheduled_start,
        end=d.actual_end if d.status == "completed" and d.actual_end else d.scheduled_end,
        location=d.location, organizer=d.organizer, plan_label=label(d.plan_id),
        sequence=d.calendar_sequence or 0, updated_at=d.updated_at) for d in drills)
