"""What the drills service does with other services' events: reservation answers and plan approvals.

The worker applies each event once (inbox) in one transaction; each handler is also safe against
events arriving late or out of order (see service/saga.py and service/plans.py).
"""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from servicekit.events import Event
from services.drills.service import plans, saga


def plan_approved(event: Event, *, session: Session) -> None:
    plans.record(session, uuid.UUID(str(event.data["plan_id"])), plans.APPROVED, occurred_at=event.occurred,
                 details=event.data)


def plan_retired(event: Event, *, session: Session) -> None:
    plans.record(session, uuid.UUID(str(event.data["plan_id"])), plans.RETIRED, occurred_at=event.occurred,
                 details=event.data)


def mapping() -> dict[str, Any]:
    return {
        "reservation.held": saga.reservation_held,
        "reservation.rejected": saga.reservation_rejected,
        "reservation.released": saga.reservation_released,
        "reservation.consumed": saga.reservation_consumed,
        "plan.approved": plan_approved,
        "plan.retired": plan_retired,
    }
