"""The drill's side of the reservation saga: apply the resources service's answers, ignoring stale ones.

An answer belongs to the drill.scheduled that caused it (the envelope's causation id). A drill
that was rescheduled or cancelled since then waits for nothing older, so a late or duplicated
answer changes nothing; the resources service itself gives back holds nobody waits for.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.events import Event
from services.drills.domain import lifecycle
from services.drills.models import Drill
from services.drills.use_cases.drills import schedule

log = logging.getLogger("erdm.drills.saga")


def _drill(session: Session, data: Mapping[str, Any]) -> Drill | None:
    raw = data.get("drill_id") or str(data.get("reference", "")).removeprefix("drill:")
    try:
        drill_id = uuid.UUID(str(raw))
    except ValueError:
        return None  # a reservation made for something other than a drill
    return session.scalar(select(Drill).where(Drill.id == drill_id).with_for_update()
                          .execution_options(populate_existing=True))


def _awaited(drill: Drill | None, event: Event) -> bool:
    """True when this answer is the one the drill is waiting for."""
    if drill is None or drill.status != lifecycle.PENDING_RESOURCES:
        return False
    # Without a causation id (a hand-published event) the newest answer wins, as long as the drill waits.
    return event.causation_id is None or str(drill.schedule_event_id) == str(event.causation_id)


def reservation_held(event: Event, *, session: Session) -> None:
    drill = _drill(session, event.data)
    if not _awaited(drill, event):
        log.info("reservation %s is not awaited by its drill; ignored", event.data.get("reservation_id"))
        return
    drill.status = lifecycle.READY
    drill.reservation_id = uuid.UUID(str(event.data["reservation_id"]))
    drill.reservation_status, drill.shortfall = "held", None


def reservation_rejected(event: Event, *, session: Session) -> None:
    drill = _drill(session, event.data)
    if not _awaited(drill, event):
        log.info("a rejection for %s is not awaited; ignored", event.data.get("reference"))
        return
    drill.status = lifecycle.RESOURCE_SHORTFALL
    # Kept as the answer shows it: a typed payload writes absent optional fields (warehouse_id) as nulls.
    shortfall = [{name: value for name, value in line.items() if value is not None}
                 for line in event.data.get("shortfall") or []]
    if not shortfall and event.data.get("errors"):  # e.g. an item the catalog does not know
        shortfall = [{"error": message} for messages in event.data["errors"].values() for message in messages]
    drill.shortfall = shortfall
    if drill.stock_rose_while_waiting:
        # Stock it needs arrived while it waited: this answer may predate that, so it asks once more.
        log.info("drill %s: stock arrived while its request was out; asking again", drill.id)
        schedule(drill, session=session)


def reservation_released(event: Event, *, session: Session) -> None:
    """The drill's own hold was given back (expired, or released by hand): a ready drill has lost its stock."""
    drill = _drill(session, event.data)
    if drill is None or str(drill.reservation_id) != str(event.data.get("reservation_id")):
        return
    drill.reservation_status = "released"
    if drill.status == lifecycle.READY:
        drill.status = lifecycle.RESOURCE_SHORTFALL
        drill.shortfall = []
        log.warning("drill %s lost its hold (%s); it needs rescheduling", drill.id, event.data.get("reason"))


def reservation_consumed(event: Event, *, session: Session) -> None:
    drill = _drill(session, event.data)
    if drill is not None and str(drill.reservation_id) == str(event.data.get("reservation_id")):
        drill.reservation_status = "consumed"
