"""What the plans service does with other services' events: stock positions, completed drills, findings.

Each handler runs inside the worker's transaction beside the inbox row, so a redelivered event
is applied once; each is also safe against events that arrive late or out of order.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from servicekit import outbox
from servicekit.events import Event, new_event
from services.plans.domain.lifecycle import RETIRED
from services.plans.domain.workdays import WorkCalendar
from services.plans.models import Plan
from services.plans.service import activity
from services.plans.service.readiness import apply_position
from services.plans.service.schedule import refresh_dues

log = logging.getLogger("erdm.plans.handlers")


def _instant(value: Any, fallback: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(value or fallback))
    # A timestamp without offset is taken as UTC, like every timestamp ERDM stores.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


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
        }

    def stock_changed(self, event: Event, *, session: Session) -> None:
        data = event.data
        applied = apply_position(session=session, warehouse_id=uuid.UUID(str(data["warehouse_id"])),
                                 item_id=uuid.UUID(str(data["item_id"])), available=Decimal(str(data["available"])),
                                 version=int(data["version"]), occurred_at=_instant(event.occurred_at, ""))
        if not applied:
            log.info("stock.changed %s is not newer than the position held; ignored", event.id)

    def drill_completed(self, event: Event, *, session: Session) -> None:
        """The plan was exercised: its drill clock restarts from the latest completed drill."""
        plan = _plan(session, event.data["plan_id"])
        if plan is None:
            log.warning("drill.completed %s names unknown plan %s; ignored", event.id, event.data["plan_id"])
            return
        completed_at = _instant(event.data.get("completed_at"), event.occurred_at)
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
        plan.needs_revision = True
        activity.record(session, plan, "revision_required", actor=activity.SYSTEM, version=plan.version,
                        detail={"finding_id": data.get("finding_id"), "drill_id": data.get("drill_id")})
        outbox.add(session, new_event("plan.revision_required", {
            "plan_id": plan.id, "code": plan.code, "reason": "drill_finding", "finding_id": data.get("finding_id"),
            "drill_id": data.get("drill_id")}, source=activity.SOURCE))
