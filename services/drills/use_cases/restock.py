"""Stock arriving for a drill short of it: the drill asks the resources service again by itself.

The worker keeps the latest announced availability per depot and item (`stock.changed` carries the
whole position and its version), so a rise is told from a fall or a late, older announcement. A
rise of an item a drill in `resource_shortfall` lacks re-sends its request (a new schedule revision,
so the resources side does not take it for a repeat). A drill still waiting for its answer is
marked instead: a rejection that may predate the rise then asks once more (see saga.py).
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.events import StockChanged
from servicekit import clock
from servicekit.events import Event
from servicekit.rows import lock_or_create
from services.drills.domain import lifecycle
from services.drills.domain.lines import lacking_items
from services.drills.models import Drill, StockPosition
from services.drills.use_cases.drills import schedule

log = logging.getLogger("erdm.drills.restock")

WAITING = (lifecycle.RESOURCE_SHORTFALL, lifecycle.PENDING_RESOURCES)


def stock_changed(position: StockChanged, *, event: Event, session: Session) -> None:
    """stock.changed: a rise in a depot's availability of an item may end a drill's shortfall (a fall or stale
    news cannot)."""
    rise = record_position(session, warehouse_id=position.warehouse_id, item_id=position.item_id,
                           available=position.available, version=position.version, occurred_at=event.occurred)
    if rise > 0:
        stock_arrived(session, warehouse_id=position.warehouse_id, item_id=position.item_id, now=clock.now(),
                      depot_path=position.org_path)


def record_position(session: Session, *, warehouse_id: uuid.UUID, item_id: uuid.UUID, available: Decimal,
                    version: int, occurred_at: dt.datetime) -> Decimal:
    """Keep the newest position; answer how much availability rose (0 for a fall or a stale announcement)."""
    position = lock_or_create(session, StockPosition, {"warehouse_id": warehouse_id, "item_id": item_id},
                              {"available": Decimal(0), "version": -1, "updated_at": occurred_at})
    if version <= position.version:
        return Decimal(0)
    rise = max(Decimal(0), available) - position.available
    position.available, position.version, position.updated_at = max(Decimal(0), available), version, occurred_at
    return max(rise, Decimal(0))


def depot_serves(drill: Drill, depot_path: str | None) -> bool:
    """Whether stock in a depot of this organisation (its path, as stock.changed names it) can be reserved for
    the drill: the depot lies in the drill's plan's organisation subtree (the rule the resources service
    holds by). An announcement older than organisations names none: it may serve, and the resources
    service decides."""
    return depot_path is None or not drill.org_path or depot_path.startswith(drill.org_path)


def _lacks(drill: Drill, item_id: uuid.UUID, depot_path: str | None, now: dt.datetime) -> bool:
    # A drill whose window has passed is not run any more: arriving stock is not held for it
    # (it can still be asked for by hand, POST /drills/{id}/retry-reservation, after a reschedule).
    return (drill.status in WAITING and drill.scheduled_end > now
            and str(item_id) in lacking_items(drill.shortfall, drill.resources or ())
            and depot_serves(drill, depot_path))


def stock_arrived(session: Session, *, warehouse_id: uuid.UUID, item_id: uuid.UUID, now: dt.datetime,
                  depot_path: str | None = None) -> list[Drill]:
    """Every drill lacking `item_id` that the depot serves asks again (or, still waiting, will on rejection)."""
    # Found unlocked (lines are JSON, filtered here), then each locked and looked at again, in id order:
    # the saga and the API lock one drill at a time, and only the drills concerned wait for this.
    candidates = [drill.id for drill in session.scalars(select(Drill).where(Drill.status.in_(WAITING),
                                                                            Drill.scheduled_end > now))
                  if _lacks(drill, item_id, depot_path, now)]
    asked = []
    for drill_id in sorted(candidates):
        drill = session.get(Drill, drill_id, with_for_update=True, populate_existing=True)
        if drill is None or not _lacks(drill, item_id, depot_path, now):
            continue
        if drill.status == lifecycle.PENDING_RESOURCES:
            drill.stock_rose_while_waiting = True
            continue
        log.info("drill %s: stock of %s arrived in %s; asking for its resources again", drill.id, item_id,
                 warehouse_id)
        schedule(drill, session=session)
        asked.append(drill)
    return asked
