"""Which plans may be drilled: the projection fed by plan events, and the plans service asked when it is silent.

A plan belongs to an organisation, and its drills to the same one: a plan outside the caller's scope does not
exist for it (404), and the drill takes the plan's organisation.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session

from contracts.events import PlanApproved, PlanRetired
from servicekit import scope
from servicekit.errors import Conflict, NotFound
from servicekit.events import Event
from servicekit.signing import Actor
from services.drills.adapters.plans_http import PlanLookup
from services.drills.models import PlanStatus

APPROVED, RETIRED = "approved", "retired"


@dataclass(frozen=True)
class PlanCheck:
    """What was learnt of a plan before the write transaction began: does it exist, and its status."""

    plan_id: uuid.UUID
    exists: bool
    status: str | None
    org_id: uuid.UUID | None = None
    org_path: str = scope.ROOT_PATH  # a plans service answering without it predates organisations


def _uuid(value) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


def look_up(plan_id: uuid.UUID, *, read_session: Callable[[], Session], lookup: PlanLookup,
            actor: Actor | None) -> PlanCheck:
    """The projection first (a short read-only transaction), the plans service when it has not heard; 404 for
    a plan outside the actor's scope, as if it did not exist.

    Called before the request's write transaction: on SQLite that is BEGIN IMMEDIATE, and holding it
    while waiting on the plans service would stall every other writer of the drills database.
    """
    with read_session() as session:
        # System-wide on purpose: a plan outside the scope must not send us asking the plans service (which
        # answers the drills service whatever the scope); the rule is applied just below.
        known = session.get(PlanStatus, plan_id, execution_options=scope.ALL_SCOPES)
        check = None if known is None else PlanCheck(plan_id, True, known.status, known.org_id, known.org_path)
    if check is None:
        # A plan approved a moment ago may not have reached us yet as an event.
        plan = lookup(plan_id)
        check = PlanCheck(plan_id, False, None) if plan is None else PlanCheck(
            plan_id, True, plan.get("status"), _uuid(plan.get("org_id")), plan.get("org_path") or scope.ROOT_PATH)
    if check.exists and not scope.covers(actor, check.org_path):
        raise NotFound(f"No plan {plan_id}.", field="plan_id")
    return check


def require_approved(plan_id: uuid.UUID, *, session: Session, checked: PlanCheck | None) -> tuple:
    """Conflict unless the plan is approved: the projection as it stands now, else what `look_up` learnt;
    the plan's organisation (org_id, org_path), which its drill takes.

    The projection is read again inside the write transaction, so a retirement applied since the
    look-up still refuses. Without a check (none was made for this plan) only the projection counts.
    """
    known = session.get(PlanStatus, plan_id)
    if known is not None:
        status, owner = known.status, (known.org_id, known.org_path)
    elif checked is not None and checked.plan_id == plan_id and checked.exists:
        status, owner = checked.status, (checked.org_id, checked.org_path)
    else:
        raise Conflict(f"No plan {plan_id}; a drill exercises an approved plan.", field="plan_id")
    if status != APPROVED:
        raise Conflict(f"Plan {plan_id} is {status}; only an approved plan can be drilled.", field="plan_id")
    return owner


def plan_approved(plan: PlanApproved, *, event: Event, session: Session) -> None:
    record(session, plan.plan_id, APPROVED, occurred_at=event.occurred, code=plan.code, title=plan.title,
           version=plan.version, org_id=plan.org_id, org_path=plan.org_path)


def plan_retired(plan: PlanRetired, *, event: Event, session: Session) -> None:
    record(session, plan.plan_id, RETIRED, occurred_at=event.occurred, code=plan.code, version=plan.version,
           org_id=plan.org_id, org_path=plan.org_path)


def record(session: Session, plan_id: uuid.UUID, status: str, *, occurred_at: dt.datetime, code: str,
           version: int | None, title: str | None = None, org_id: uuid.UUID | None = None,
           org_path: str | None = None) -> None:
    """Apply plan.approved / plan.retired; retirement is final, so a late approval never undoes it. A plan's
    organisation never changes: an event without one (older than organisations) leaves the root's."""
    known = session.get(PlanStatus, plan_id, with_for_update=True)
    if known is None:
        known = PlanStatus(plan_id=plan_id, status=status, updated_at=occurred_at, org_id=org_id,
                           org_path=org_path or scope.ROOT_PATH)
        session.add(known)
    elif org_path and known.org_path != org_path:
        known.org_id, known.org_path = org_id, org_path  # a plan approved before organisations, now named
    elif known.status == RETIRED:
        return
    elif status == APPROVED and known.version is not None and (version or 0) < known.version:
        return  # an older version's approval arriving late
    known.status, known.updated_at = status, occurred_at
    for name, value in (("code", code), ("title", title), ("version", version)):
        if value is not None:
            setattr(known, name, value)
