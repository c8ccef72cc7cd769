"""What the resources service does when drills are scheduled, cancelled or completed (SPEC flows 1-3).

Events may arrive late, twice or out of order: each use case first locks the drill's row in
`drill_holds`, which serializes the events of one drill and remembers what was already decided
(the rules: domain/reservations.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any, Iterable, Sequence

from sqlalchemy.orm import Session

from contracts.events import DrillCancelled, DrillCompleted, DrillScheduled, Line
from contracts.references import drill_reference
from servicekit import clock
from servicekit.errors import InvalidInput
from servicekit.events import Event
from servicekit.rows import lock_or_create
from services.resources.domain import reservations as life
from services.resources.models import DrillHold, Reservation
from services.resources.use_cases import reservations
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.reservation_events import reject

log = logging.getLogger("erdm.resources.drill_holds")


def _positive(lines: Sequence[Line], *, field: str) -> Sequence[Line]:
    # A line the drills service should never send: refused (the worker retries, then dead-letters it).
    for line in lines:
        if line.quantity <= 0:
            raise ValueError(f"{field}: quantity must be positive, got {line.quantity}")
    return lines


def _wanted(line: Line) -> dict[str, Any]:
    return {"item_id": line.item_id, "quantity": line.quantity, "warehouse_id": line.warehouse_id}


def _lock_drill(session: Session, drill_id: uuid.UUID) -> DrillHold:
    return lock_or_create(session, DrillHold, {"drill_id": drill_id},
                          {"state": life.SCHEDULED, "updated_at": clock.now()})


def _lock_stock(session: Session, item_ids: Iterable[uuid.UUID], now: dt.datetime) -> None:
    """Every balance this use case may touch, in one sorted statement (the one lock order)."""
    with Ledger(session, actor=reservations.SYSTEM) as ledger:
        reservations.lock_items_releasing_expired(ledger, item_ids, now=now)


def _held_items(held: Iterable[Reservation]) -> set[uuid.UUID]:
    return {allocation.item_id for reservation in held for allocation in reservation.allocations}


def schedule(payload: DrillScheduled, *, event: Event, session: Session, timezone: str) -> None:
    """Reserve what the drill needs; a newer schedule replaces the hold of an older one."""
    drill_id = payload.drill_id
    lines = _positive(payload.resources, field="resources")
    drill = _lock_drill(session, drill_id)
    if not life.takes_schedule(drill.state):
        log.info("drill %s is already %s; ignoring a late drill.scheduled", drill_id, drill.state)
        return
    if life.is_stale_schedule(revision=payload.schedule_revision, occurred=event.occurred,
                              last_revision=drill.last_schedule_revision, last_scheduled_at=drill.last_scheduled_at):
        log.info("drill %s: ignoring a schedule older than the one applied", drill_id)
        return
    drill.last_scheduled_at = event.occurred
    drill.last_schedule_revision = payload.schedule_revision
    reference, now = drill_reference(drill_id), clock.now()
    held = reservations.active_for_reference(reference, session=session)
    _lock_stock(session, {line.item_id for line in lines} | _held_items(held), now)
    for reservation in held:
        reservations.release(reservation.id, session=session, actor=reservations.SYSTEM, now=now,
                             reason=life.RESCHEDULED)
    if not lines:
        return
    # SPEC: a drill reserves only from depots in its plan's organisation subtree (a drill.scheduled older than
    # organisations names none, and draws from any depot as it did).
    within = (payload.org_id, payload.org_path) if payload.org_path else None
    try:
        # The nested transaction lets a shortfall undo a partial hold while keeping the releases above.
        with session.begin_nested():
            reservations.reserve([_wanted(line) for line in lines], reference=reference,
                                 expires_at=life.hold_expires_at(payload.scheduled_end, now), session=session,
                                 actor=reservations.SYSTEM, now=now, today=clock.local_today(timezone, now),
                                 within=within)
    except reservations.StockShortfall as short:
        reject(session, reference=reference, drill_id=drill_id, shortfall=short.shortfall, org_id=payload.org_id)
    except InvalidInput as invalid:
        reject(session, reference=reference, drill_id=drill_id, errors=invalid.errors, org_id=payload.org_id)


def cancel(payload: DrillCancelled, *, event: Event, session: Session) -> None:
    """Give back the drill's hold; a drill.scheduled arriving later is ignored."""
    drill = _lock_drill(session, payload.drill_id)
    state = life.after_cancellation(drill.state)
    if state is None:
        log.info("drill %s was %s; ignoring drill.cancelled", payload.drill_id, drill.state)
        return
    drill.state = state
    held = reservations.active_for_reference(drill_reference(payload.drill_id), session=session)
    if not held:
        return
    now = clock.now()
    _lock_stock(session, _held_items(held), now)
    for reservation in held:
        reservations.release(reservation.id, session=session, actor=reservations.SYSTEM, now=now,
                             reason=life.DRILL_CANCELLED)


def complete(payload: DrillCompleted, *, event: Event, session: Session) -> None:
    """Consume what the drill used, release the rest; use beyond the hold is logged, not invented."""
    drill_id = payload.drill_id
    used = _positive(payload.consumed, field="consumed")
    drill = _lock_drill(session, drill_id)
    drill.state = life.after_completion(drill.state)
    reference, now = drill_reference(drill_id), clock.now()
    _lock_stock(session, _held_items(reservations.active_for_reference(reference, session=session)), now)
    held = reservations.active_for_reference(reference, session=session)  # expired holds are gone now
    if not held:
        log.info("drill %s completed with no held reservation; nothing to consume", drill_id)
        return
    *stale, reservation = held
    for extra in stale:  # only possible with data from before drill_holds existed; never leave it held
        reservations.release(extra.id, session=session, actor=reservations.SYSTEM, now=now, reason=life.SUPERSEDED)
    uses = life.within_hold([(line.item_id, line.quantity) for line in used],
                            [(allocation.item_id, allocation.quantity) for allocation in reservation.allocations])
    for use in uses:
        if use.beyond_hold:
            log.warning("drill %s reports %s of %s used but only %s was reserved; consuming %s",
                        drill_id, use.reported, use.item_id, use.allowed, use.allowed)
    reservations.consume(reservation.id, [{"item_id": use.item_id, "quantity": use.allowed}
                                          for use in uses if use.allowed > 0],
                         session=session, actor=reservations.SYSTEM, now=now)
