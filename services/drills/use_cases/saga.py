"""The drill's side of the reservation saga: apply the resources service's answers, ignoring stale ones.

An answer belongs to the drill.scheduled that caused it (the envelope's causation id). A drill
that was rescheduled or cancelled since then waits for nothing older, so a late or duplicated
answer changes nothing; the resources service itself gives back holds nobody waits for.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.events import (ReservationConsumed, ReservationHeld, ReservationRejected, ReservationReleased,
                              Shortfall)
from contracts.references import drill_of
from servicekit import catalog_copy
from servicekit.events import Event
from services.drills.domain import lifecycle
from services.drills.models import CatalogItem, Drill
from services.drills.use_cases.drills import schedule

log = logging.getLogger("erdm.drills.saga")

Answer = ReservationHeld | ReservationRejected | ReservationReleased | ReservationConsumed


def learning_names(use_case: Callable[..., None]) -> Callable[..., None]:
    """`use_case`, after keeping the names of the items a reservation answer carries (allocations, shortfall)."""

    def apply(answer: Answer, *, event: Event, session: Session) -> None:
        lines = answer.shortfall if isinstance(answer, ReservationRejected) else answer.allocations
        catalog_copy.remember_lines(session, CatalogItem, lines)
        use_case(answer, event=event, session=session)

    apply.__name__ = use_case.__name__
    return apply


def _drill(session: Session, answer: Answer) -> Drill | None:
    drill_id = answer.drill_id or drill_of(answer.reference)
    if drill_id is None:
        return None  # a reservation made for something other than a drill
    return session.scalar(select(Drill).where(Drill.id == drill_id).with_for_update()
                          .execution_options(populate_existing=True))


def _awaited(drill: Drill | None, event: Event) -> bool:
    """True when this answer is the one the drill is waiting for."""
    if drill is None or drill.status != lifecycle.PENDING_RESOURCES:
        return False
    # Without a causation id (a hand-published event) the newest answer wins, as long as the drill waits.
    return event.causation_id is None or str(drill.schedule_event_id) == str(event.causation_id)


def _kept(line: Shortfall) -> dict[str, Any]:
    """A shortfall line as the drill keeps it (JSON, quantities as decimal text, as its resources are kept)."""
    kept = {"item_id": str(line.item_id), "requested": str(line.requested), "available": str(line.available)}
    if line.warehouse_id is not None:
        kept["warehouse_id"] = str(line.warehouse_id)
    return kept


def reservation_held(answer: ReservationHeld, *, event: Event, session: Session) -> None:
    drill = _drill(session, answer)
    if not _awaited(drill, event):
        log.info("reservation %s is not awaited by its drill; ignored", answer.reservation_id)
        return
    drill.status = lifecycle.READY
    drill.reservation_id = answer.reservation_id
    drill.reservation_status, drill.shortfall = "held", None


def reservation_rejected(answer: ReservationRejected, *, event: Event, session: Session) -> None:
    drill = _drill(session, answer)
    if not _awaited(drill, event):
        log.info("a rejection for %s is not awaited; ignored", answer.reference)
        return
    drill.status = lifecycle.RESOURCE_SHORTFALL
    shortfall = [_kept(line) for line in answer.shortfall]
    if not shortfall and answer.errors:  # e.g. an item the catalog does not know
        shortfall = [{"error": message} for messages in answer.errors.values() for message in messages]
    drill.shortfall = shortfall
    if drill.stock_rose_while_waiting:
        # Stock it needs arrived while it waited: this answer may predate that, so it asks once more.
        log.info("drill %s: stock arrived while its request was out; asking again", drill.id)
        schedule(drill, session=session)


def reservation_released(answer: ReservationReleased, *, event: Event, session: Session) -> None:
    """The drill's own hold was given back (expired, or released by hand): a ready drill has lost its stock."""
    drill = _drill(session, answer)
    if drill is None or drill.reservation_id != answer.reservation_id:
        return
    drill.reservation_status = "released"
    if drill.status == lifecycle.READY:
        drill.status = lifecycle.RESOURCE_SHORTFALL
        drill.shortfall = []
        log.warning("drill %s lost its hold (%s); it needs rescheduling", drill.id, answer.reason)


def reservation_consumed(answer: ReservationConsumed, *, event: Event, session: Session) -> None:
    drill = _drill(session, answer)
    if drill is not None and drill.reservation_id == answer.reservation_id:
        drill.reservation_status = "consumed"
