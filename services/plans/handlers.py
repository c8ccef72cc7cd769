"""What the plans service does with other services' events: a table from each consumed payload to its use case.

Each use case runs inside the worker's transaction beside the inbox row, so a redelivered event
is applied once; each is also safe against events that arrive late or out of order.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from contracts.catalogue import PLANS
from contracts.events import DrillCompleted, FindingRecorded, ItemChanged, OrgChanged, StockChanged, WarningIssued
from contracts.handlers import table
from services.plans.domain.workdays import WorkCalendar
from services.plans.use_cases import catalog, directory, drill_history, readiness, revisions, weather_warnings


class PlanHandlers:
    """The worker's handler table, bound to the service's working-day calendar (for due dates)."""

    def __init__(self, *, work_calendar: WorkCalendar) -> None:
        self.work_calendar = work_calendar

    def mapping(self) -> dict[str, Any]:
        return table(PLANS, {
            StockChanged: readiness.apply_position,
            DrillCompleted: partial(drill_history.drill_completed, work_calendar=self.work_calendar),
            FindingRecorded: revisions.finding_recorded,
            ItemChanged: catalog.item_changed,
            OrgChanged: directory.org_changed,
            WarningIssued: weather_warnings.warning_issued,
        })
