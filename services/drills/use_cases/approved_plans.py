"""Which plans may be drilled: the projection fed by plan events, and the plans service asked when it is silent."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session

from contracts.events import PlanApproved, PlanRetired
from servicekit.errors import Conflict
from servicekit.events import Event
from services.drills.adapters.plans_http import PlanLookup
from services.drills.models import PlanStatus

APPROVED, RETIRED = "approved", "retired"


@dataclass(frozen=True)
class PlanCheck:
    """What was learnt of a plan before the write transaction began: does it exist, and its status."""

    plan_id: uuid.UUID
    exists: bool
    status: str | None


def look_up(plan_id: uuid.UUID, *, read_session: Callable[[], Session], lookup: PlanLookup) -> PlanCheck:
    """The projection first (a short read-only transaction), the plans service when it has not heard.

    Called before the request's write transaction: on SQLite that is BEGIN IMMEDIATE, and holding it
    while waiting on the plans service would stall every other writer of the drills database.
    """
    with read_session() as session:
        known = session.get(PlanStatus, plan_id)
        status = None if known is None else known.status
    if known is not None:
        return PlanCheck(plan_id, True, status)
    # A plan approved a moment ago may not have reached us yet as an event.
    plan = lookup(plan_id)
    return PlanCheck(plan_id, plan is not None, None if plan is None else plan.get("status"))


def require_approved(plan_id: uuid.UUID, *, session: Session, checked: PlanCheck | None) -> None:
    """Conflict unless the plan is approved: the projection as it stands now, else what `look_up` learnt.

    The projection is read again inside the write transaction, so a retirement applied since the
    look-up still refuses. Without a check (none was made for this plan) only the projection counts.
    """
    known = session.get(PlanStatus, plan_id)
    if known is not None:
        status = known.status
    elif checked is not None and checked.plan_id == plan_id and checked.exists:
        status = checked.status
    else:
        raise Conflict(f"No plan {plan_id}; a drill exercises an approved plan.", field="plan_id")
    if status != APPROVED:
        raise Conflict(f"Plan {plan_id} is {status}; only an approved plan can be drilled.", field="plan_id")


def plan_approved(plan: PlanApproved, *, event: Event, session: Session) -> None:
    record(session, plan.plan_id, APPROVED, occurred_at=event.occurred, code=plan.code, title=plan.title,
           version=plan.version)


def plan_retired(plan: PlanRetired, *, event: Event, session: Session) -> None:
    record(session, plan.plan_id, RETIRED, occurred_at=event.occurred, code=plan.code, version=plan.version)


def record(session: Session, plan_id: uuid.UUID, status: str, *, occurred_at: dt.datetime, code: str,
           version: int | None, title: str | None = None) -> None:
    """Apply plan.approved / plan.retired; retirement is final, so a late approval never undoes it."""
    known = session.get(PlanStatus, plan_id, with_for_update=True)
    if known is None:
        known = PlanStatus(plan_id=plan_id, status=status, updated_at=occurred_at)
        session.add(known)
    elif known.status == RETIRED:
        return
    elif status == APPROVED and known.version is not None and (version or 0) < known.version:
        return  # an older version's approval arriving late
    known.status, known.updated_at = status, occurred_at
    for name, value in (("code", code), ("title", title), ("version", version)):
        if value is not None:
            setattr(known, name, value)
