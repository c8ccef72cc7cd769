"""Keeps a plan's due dates in step with its approval, drills and filing (dates in the bureau's zone)."""
from __future__ import annotations

import datetime as dt

from servicekit import clock
from services.plans.domain import cycles
from services.plans.domain.lifecycle import APPROVED
from services.plans.domain.workdays import WorkCalendar
from services.plans.models import Plan


def local_date(at: dt.datetime | None) -> dt.date | None:
    return clock.local_today(at=at) if at is not None else None


def refresh_dues(plan: Plan, *, work_calendar: WorkCalendar) -> None:
    """Recompute the stored due dates; only a plan in force has any (drafts and retired plans owe nothing)."""
    if plan.status != APPROVED or plan.approved_at is None:
        plan.next_drill_due = plan.evaluation_due = plan.filing_due = None
        return
    approved_on = local_date(plan.approved_at)
    # Drills count from the plan's first approval: approving a revision does not restart the drill clock.
    plan.next_drill_due = cycles.next_drill_due(plan.type, approved_on=local_date(plan.first_approved_at or plan.approved_at),
                                                last_drilled_on=local_date(plan.last_drilled_at))
    # Art. 36: a revised plan is evaluated and filed again, so these count from the version in force.
    plan.evaluation_due = cycles.evaluation_due(approved_on)
    plan.filing_due = cycles.filing_due(approved_on, work_calendar)


def dues_of(plan: Plan) -> cycles.Dues:
    return cycles.Dues(next_drill=plan.next_drill_due, evaluation=plan.evaluation_due, filing=plan.filing_due,
                       filed=plan.filed_at is not None)


def compliance_of(plan: Plan, *, today: dt.date | None = None) -> str:
    return cycles.compliance(dues_of(plan), today=today or clock.today())


def filing_overdue_of(plan: Plan, *, today: dt.date | None = None) -> bool:
    return cycles.filing_overdue(dues_of(plan), today=today or clock.today())
