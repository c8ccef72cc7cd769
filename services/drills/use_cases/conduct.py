"""Running a drill: start it, complete it with what was used, or cancel it before it completes."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Mapping

from sqlalchemy.orm import Session

from contracts.catalogue import DRILLS
from contracts.events import DrillCancelled, DrillCompleted
from servicekit import outbox
from servicekit.errors import Conflict, InvalidInput
from servicekit.events import new_event
from services.drills.domain import lifecycle
from services.drills.domain.lines import over_reserved
from services.drills.models import Drill
from services.drills.use_cases.catalog import item_reference
from services.drills.use_cases.drills import event_lines, get, stored_lines

# How far ahead of the server's clock a reported time may lie: a client's clock runs a little fast
# now and then, but a drill is not reported as having happened in the future.
CLOCK_SKEW = dt.timedelta(minutes=5)
HELD = "held"


def _refuse_future(times: Mapping[str, dt.datetime | None], *, now: dt.datetime) -> None:
    errors = {name: [f"Must not lie in the future (after {(now + CLOCK_SKEW).isoformat()})."]
              for name, moment in times.items() if moment is not None and moment > now + CLOCK_SKEW}
    if errors:
        raise InvalidInput(errors, detail=f"{' and '.join(errors)} must not lie in the future.")


def start(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, now: dt.datetime) -> Drill:
    drill = get(drill_id, session=session, for_update=True)
    drill.status = lifecycle.next_drill_status("start", drill.status)
    _refuse_future({"actual_start": data.get("actual_start")}, now=now)
    drill.started_at = now
    drill.actual_start = data.get("actual_start") or now
    session.flush()
    return drill


def complete(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, now: dt.datetime) -> Drill:
    """Close the conduct record; resources consumes `consumed` from the hold and releases the rest."""
    drill = get(drill_id, session=session, for_update=True)
    drill.status = lifecycle.next_drill_status("complete", drill.status)
    _refuse_future({"actual_start": data.get("actual_start"), "actual_end": data.get("actual_end")}, now=now)
    actual_start = data.get("actual_start") or drill.actual_start
    actual_end = data.get("actual_end") or now
    if actual_start is not None and actual_end < actual_start:
        raise InvalidInput({"actual_end": ["Must not precede actual_start."]},
                           detail="actual_end must not precede actual_start.")
    consumed = stored_lines(data.get("consumed") or [])
    if excess := over_reserved(consumed, drill.resources or []):
        for line in excess:  # named beside the id, as far as the catalog copy knows the item
            line["item"] = {"id": line["item_id"], "code": None, "name": None, "unit": None,
                            **(item_reference(session, uuid.UUID(line["item_id"])) or {})}
        items = ", ".join(f"{line['item']['code'] or line['item_id']} ({line['consumed']} > {line['reserved']})"
                          for line in excess)
        raise Conflict(f"More consumed than was reserved for the drill: {items}.",
                       excess=excess)
    if consumed and drill.reservation_status != HELD:
        # The resources service deducts consumption only from a hold it still has; past a release it
        # would drop the lines silently and the books would disagree with the depots.
        raise Conflict(f"Drill {drill_id}'s hold on its resources was {drill.reservation_status or 'never made'}, "
                       "so nothing can be consumed from it; record what was used as a stock issue "
                       "(POST /api/v1/stock/issues) and complete the drill with `consumed: []`.",
                       reservation_status=drill.reservation_status)
    drill.consumed, drill.participants_count, drill.summary = consumed, data["participants_count"], data["summary"]
    drill.actual_start, drill.actual_end, drill.completed_at = actual_start, actual_end, now
    outbox.add(session, new_event(DrillCompleted(
        drill_id=drill.id, plan_id=drill.plan_id, consumed=event_lines(consumed), completed_at=actual_end,
        reservation_id=drill.reservation_id, org_id=drill.org_id), source=DRILLS))
    session.flush()
    return drill


def cancel(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, now: dt.datetime) -> Drill:
    drill = get(drill_id, session=session, for_update=True)
    drill.status = lifecycle.next_drill_status("cancel", drill.status)
    drill.cancelled_at, drill.cancel_reason = now, data.get("reason")
    outbox.add(session, new_event(DrillCancelled(drill_id=drill.id, plan_id=drill.plan_id, reason=data.get("reason"),
                                                 org_id=drill.org_id),
                                  source=DRILLS))
    session.flush()
    return drill
