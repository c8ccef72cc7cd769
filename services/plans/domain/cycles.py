"""The legal cycles of a plan (生产安全事故应急预案管理办法): drills, evaluation, filing, and what is due when."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from services.plans.domain.workdays import WorkCalendar

# Art. 33: a comprehensive or special plan is drilled at least yearly, an on-site disposal plan
# at least every half year; art. 35: every plan is evaluated at least every three years.
DRILL_CYCLE_MONTHS = {"comprehensive": 12, "special": 12, "onsite": 6}
EVALUATION_CYCLE_YEARS = 3
FILING_WORKING_DAYS = 20  # art. 26: filed within 20 working days of approval
DUE_SOON_DAYS = 30

OK, DUE_SOON, OVERDUE = "ok", "due_soon", "overdue"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the target month lacks becomes its last day (31 Aug + 6 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_drill_due(plan_type: str, *, approved_on: dt.date, last_drilled_on: dt.date | None) -> dt.date:
    """Counted from the last completed drill, or from approval when the plan was never drilled."""
    base = last_drilled_on if last_drilled_on is not None else approved_on
    return add_months(base, DRILL_CYCLE_MONTHS[plan_type])


def evaluation_due(approved_on: dt.date) -> dt.date:
    return add_months(approved_on, 12 * EVALUATION_CYCLE_YEARS)


def filing_due(approved_on: dt.date, work_calendar: WorkCalendar) -> dt.date:
    return work_calendar.add_working_days(approved_on, FILING_WORKING_DAYS)


@dataclass(frozen=True)
class Dues:
    """The dates a plan in force must keep; `filed` says whether its filing is done."""

    next_drill: dt.date | None
    evaluation: dt.date | None
    filing: dt.date | None
    filed: bool


def compliance(dues: Dues, *, today: dt.date, soon_days: int = DUE_SOON_DAYS) -> str:
    """The SPEC's compliance: drill and evaluation only (a late filing is `filing_overdue`, kept apart).

    Overdue once either date has passed (the due date itself still counts as on time).
    """
    dates = [day for day in (dues.next_drill, dues.evaluation) if day is not None]
    if any(day < today for day in dates):
        return OVERDUE
    if any(day <= today + dt.timedelta(days=soon_days) for day in dates):
        return DUE_SOON
    return OK


def filing_overdue(dues: Dues, *, today: dt.date) -> bool:
    """The version in force is still unfiled after its filing date."""
    return not dues.filed and dues.filing is not None and dues.filing < today
