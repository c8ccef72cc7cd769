"""Running a drill: start it, complete it with what was used, or cancel it before it completes."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Mapping

from sqlalchemy.orm import Session

from servicekit import outbox
from servicekit.errors import Conflict, InvalidInput
from servicekit.events import new_event
from services.drills.config import NAME as SOURCE
from services.drills.domain import lifecycle
from services.drills.domain.lines import over_reserved
from services.drills.models import Drill
from services.drills.service.drills import event_lines, get, stored_lines


def _advance(drill: Drill, action: str) -> None:
    try:
        drill.status = lifecycle.next_drill_status(action, drill.status)
    except lifecycle.IllegalTransition as exc:
        raise Conflict(str(exc), current_status=drill.status) from None


def start(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, now: dt.datetime) -> Drill:
    drill = get(drill_id, session=session, for_update=True)
    _advance(drill, "start")
    drill.started_at = now
    drill.actual_start = data.get("actual_start") or now
    session.flush()
    return drill


def complete(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, now: dt.datetime) -> Drill:
    """Close the conduct record; resources consumes `consumed` from the hold and releases the rest."""
    drill = get(drill_id, session=session, for_update=True)
    _advance(drill, "complete")
    consumed = stored_lines(data.get("consumed") or [])
    if excess := over_reserved(consumed, drill.resources or []):
        items = ", ".join(f"{line['item_id']} ({line['consumed']} > {line['reserved']})" for line in excess)
        raise Conflict(f"More consumed than was reserved for the drill: {items}.",
                       excess=excess)
    actual_start = data.get("actual_start") or drill.actual_start
    actual_end = data.get("actual_end") or now
    if actual_start is not None and actual_end < actual_start:
        raise InvalidInput({"actual_end": ["Must not precede actual_start."]})
    drill.consumed, drill.participants_count, drill.summary = consumed, data["participants_count"], data["summary"]
    drill.actual_start, drill.actual_end, drill.completed_at = actual_start, actual_end, now
    outbox.add(session, new_event("drill.completed", {
        "drill_id": drill.id, "plan_id": drill.plan_id, "consumed": event_lines(consumed),
        "completed_at": actual_end, "reservation_id": drill.reservation_id,
    }, source=SOURCE))
    session.flush()
    return drill


def cancel(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, now: dt.datetime) -> Drill:
    drill = get(drill_id, session=session, for_update=True)
    _advance(drill, "cancel")
    drill.cancelled_at, drill.cancel_reason = now, data.get("reason")
    outbox.add(session, new_event("drill.cancelled", {"drill_id": drill.id, "plan_id": drill.plan_id,
                                                      "reason": data.get("reason")}, source=SOURCE))
    session.flush()
    return drill
