"""What the plans service does with other services' events: stock positions, item names, completed drills, findings.

Each handler runs inside the worker's transaction beside the inbox row, so a redelivered event
is applied once; each is also safe against events that arrive late or out of order.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit import catalog_copy, outbox
from servicekit.events import Event, new_event
from servicekit.schemas import EARLIEST_YEAR, LATEST_YEAR
from services.plans.domain.lifecycle import RETIRED
from services.plans.domain.workdays import WorkCalendar
from services.plans.models import CatalogItem, Plan, PlanVersion
from services.plans.use_cases import activity
from services.plans.use_cases.readiness import apply_position
from services.plans.use_cases.schedule import refresh_dues

log = logging.getLogger("erdm.plans.handlers")


# How far the drills service's clock may run ahead of the moment its event says it occurred.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _completed_at(event: Event) -> dt.datetime:
    """When the drill ended: its `completed_at`, else when the event occurred; never after the event occurred.

    A drill cannot end after the event announcing its end, so a later `completed_at` (a mistyped
    year, a wrong clock) is capped rather than allowed to push the next drill due date into the future.
    """
    occurred = event.occurred
    raw = event.data.get("completed_at")
    if not raw:
        return occurred
    try:
        completed = dt.datetime.fromisoformat(str(raw))
        # A timestamp without offset is taken as UTC, like every timestamp ERDM stores.
        completed = (completed if completed.tzinfo else completed.replace(tzinfo=dt.timezone.utc)).astimezone(
            dt.timezone.utc)
    except (ValueError, OverflowError):
        log.warning("drill.completed %s: completed_at %r is not a usable timestamp; counted from %s",
                    event.id, raw, occurred)
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


def _plan(session: Session, raw_id: Any) -> Plan | None:
    return session.get(Plan, uuid.UUID(str(raw_id)), with_for_update=True)


class PlanHandlers:
    """Event handlers bound to the service's working-day calendar (for due dates)."""

    def __init__(self, *, work_calendar: WorkCalendar) -> None:
        self.work_calendar = work_calendar

    def mapping(self) -> dict[str, Any]:
        return {
            "stock.changed": self.stock_changed,
            "drill.completed": self.drill_completed,
            "finding.recorded": self.finding_recorded,
            "item.changed": self.item_changed,
        }

    def item_changed(self, event: Event, *, session: Session) -> None:
        """Keep the item's code, name and unit, to name required items and take item codes."""
        if not catalog_copy.remember(session, CatalogItem, event.data.get("item")):
            log.info("item.changed %s is not newer than the copy held; ignored", event.id)

    def stock_changed(self, event: Event, *, session: Session) -> None:
        data = event.data
        catalog_copy.remember(session, CatalogItem, data.get("item"))
        applied = apply_position(session=session, warehouse_id=uuid.UUID(str(data["warehouse_id"])),
                                 item_id=uuid.UUID(str(data["item_id"])), available=Decimal(str(data["available"])),
                                 version=int(data["version"]), occurred_at=event.occurred)
        if not applied:
            log.info("stock.changed %s is not newer than the position held; ignored", event.id)

    def drill_completed(self, event: Event, *, session: Session) -> None:
        """The plan was exercised: its drill clock restarts from the latest completed drill."""
        plan = _plan(session, event.data["plan_id"])
        if plan is None:
            log.warning("drill.completed %s names unknown plan %s; ignored", event.id, event.data["plan_id"])
            return
        completed_at = _completed_at(event)
        if plan.last_drilled_at is not None and completed_at <= plan.last_drilled_at:
            log.info("plan %s: drill completed %s is not later than %s; kept", plan.id, completed_at,
                     plan.last_drilled_at)
            return
        plan.last_drilled_at = completed_at
        plan.last_drill_id = uuid.UUID(str(event.data["drill_id"])) if event.data.get("drill_id") else None
        refresh_dues(plan, work_calendar=self.work_calendar)
        activity.record(session, plan, "drilled", actor=activity.SYSTEM, version=plan.version,
                        detail={"drill_id": str(plan.last_drill_id), "completed_at": completed_at.isoformat()})

    def finding_recorded(self, event: Event, *, session: Session) -> None:
        """A drill finding that calls for a revision marks the plan until a revision is approved."""
        data = event.data
        if data.get("requires_plan_revision") is not True or not data.get("plan_id"):
            return
        plan = _plan(session, data["plan_id"])
        if plan is None or plan.status == RETIRED:
            log.info("finding %s: plan %s is unknown or retired; nothing to revise", data.get("finding_id"),
                     data["plan_id"])
            return
        if self._already_answered(session, plan, event):
            return
        plan.needs_revision = True
        activity.record(session, plan, "revision_required", actor=activity.SYSTEM, version=plan.version,
                        detail={"finding_id": data.get("finding_id"), "drill_id": data.get("drill_id")})
        outbox.add(session, new_event("plan.revision_required", {
            "plan_id": plan.id, "code": plan.code, "reason": "drill_finding", "finding_id": data.get("finding_id"),
            "drill_id": data.get("drill_id")}, source=activity.SOURCE))

    @staticmethod
    def _already_answered(session: Session, plan: Plan, event: Event) -> bool:
        """A late finding is not raised again once a version approved after it (or naming it) is in force."""
        finding_id = event.data.get("finding_id")
        if plan.approved_at is not None and plan.approved_at > event.occurred:
            log.info("finding %s of %s: plan %s was approved since (%s); no revision required", finding_id,
                     event.occurred, plan.id, plan.approved_at)
            return True
        try:
            finding = uuid.UUID(str(finding_id)) if finding_id else None
        except ValueError:
            finding = None
        if finding is not None and session.scalar(
                select(PlanVersion.number).where(PlanVersion.plan_id == plan.id, PlanVersion.finding_id == finding,
                                                 PlanVersion.approved_at.is_not(None)).limit(1)) is not None:
            log.info("finding %s: an approved version of plan %s answers it already", finding_id, plan.id)
            return True
        return False
