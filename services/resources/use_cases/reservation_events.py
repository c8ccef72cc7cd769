"""The reservation.* events, built from a reservation's rows: what other services learn of a hold."""
from __future__ import annotations

import uuid
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import RESOURCES
from contracts.events import (Allocation as HeldLot, DepotName, ItemSnapshot, ReservationConsumed, ReservationHeld,
                              ReservationRejected, ReservationReleased, Shortfall)
from contracts.references import drill_of
from servicekit import outbox
from servicekit.events import new_event
from services.resources.models import Item, Reservation, Warehouse
from services.resources.use_cases.catalog import depot_name, item_snapshot


def _held_lots(session: Session, reservation: Reservation) -> list[HeldLot]:
    """Each allocation with its item and depot named (for the copies other services keep: servicekit/catalog_copy.py)."""
    items = {item.id: item for item in session.scalars(
        select(Item).where(Item.id.in_({a.item_id for a in reservation.allocations})))}
    depots = {w.id: w for w in session.scalars(
        select(Warehouse).where(Warehouse.id.in_({a.warehouse_id for a in reservation.allocations})))}
    return [HeldLot(lot_id=a.lot_id, warehouse_id=a.warehouse_id, warehouse=depot_name(depots[a.warehouse_id]),
                    item_id=a.item_id, item=item_snapshot(items[a.item_id]), quantity=a.quantity,
                    expiry_date=a.expiry_date) for a in reservation.allocations]


Answer = type[ReservationHeld] | type[ReservationReleased] | type[ReservationConsumed]


def announce(session: Session, answer: Answer, reservation: Reservation, **extra: Any) -> None:
    """Queue `answer` (ReservationHeld, ...Released, ...Consumed) for `reservation` as it stands now; a drill's hold
    also names the drill. `extra` is what that answer adds (a release's reason, what was consumed)."""
    outbox.add(session, new_event(answer(
        reservation_id=reservation.id, reference=reservation.reference, drill_id=drill_of(reservation.reference),
        status=reservation.status, expires_at=reservation.expires_at, org_id=reservation.org_id,
        allocations=_held_lots(session, reservation), **extra), source=RESOURCES))


def _named(kind: type, reference: Mapping[str, Any] | None):
    return None if reference is None else kind(**reference)


def _short_line(line: Mapping[str, Any]) -> Shortfall:
    """A 409's shortfall line (use_cases/reservations.py `shortfall_lines`) as the event carries it."""
    return Shortfall(item_id=line["item_id"], item=_named(ItemSnapshot, line.get("item")), requested=line["requested"],
                     available=line["available"], warehouse_id=line.get("warehouse_id"),
                     warehouse=_named(DepotName, line.get("warehouse")))


def reject(session: Session, *, reference: str, drill_id: uuid.UUID | None,
           shortfall: Sequence[Mapping[str, Any]] = (), errors: Mapping[str, list[str]] | None = None,
           org_id: uuid.UUID | None = None) -> None:
    """Queue reservation.rejected: nothing was held, for want of `shortfall` or because of `errors` in the request
    (`org_id`: the organisation that asked)."""
    outbox.add(session, new_event(ReservationRejected(
        reference=reference, drill_id=drill_id, org_id=org_id, shortfall=[_short_line(line) for line in shortfall],
        errors=dict(errors) if errors is not None else None), source=RESOURCES))
