"""What the drills service does with other services' events: reservation answers, plan approvals, stock arriving,
item names.

The worker applies each event once (inbox) in one transaction; each handler is also safe against
events arriving late or out of order (see use_cases/saga.py and use_cases/approved_plans.py).
"""
from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from servicekit import catalog_copy, clock
from servicekit.events import Event
from services.drills.models import CatalogItem
from services.drills.use_cases import approved_plans, restock, saga


def plan_approved(event: Event, *, session: Session) -> None:
    approved_plans.record(session, uuid.UUID(str(event.data["plan_id"])), approved_plans.APPROVED, occurred_at=event.occurred,
                 details=event.data)


def plan_retired(event: Event, *, session: Session) -> None:
    approved_plans.record(session, uuid.UUID(str(event.data["plan_id"])), approved_plans.RETIRED, occurred_at=event.occurred,
                 details=event.data)


def stock_changed(event: Event, *, session: Session) -> None:
    """A rise in a depot's availability of an item may end a drill's shortfall (a fall or stale news cannot)."""
    data = event.data
    warehouse_id, item_id = uuid.UUID(str(data["warehouse_id"])), uuid.UUID(str(data["item_id"]))
    rise = restock.record_position(session, warehouse_id=warehouse_id, item_id=item_id,
                                   available=Decimal(str(data["available"])), version=int(data["version"]),
                                   occurred_at=event.occurred)
    if rise > 0:
        restock.stock_arrived(session, warehouse_id=warehouse_id, item_id=item_id, now=clock.now())


def item_changed(event: Event, *, session: Session) -> None:
    """Keep the item's code, name and unit, to name drill lines and take item codes."""
    catalog_copy.remember(session, CatalogItem, event.data.get("item"))


def learning_names(handler):
    """`handler`, after keeping the names of the items a reservation answer carries (allocations, shortfall)."""

    def handle(event: Event, *, session: Session) -> None:
        catalog_copy.remember_lines(session, CatalogItem, event.data.get("allocations"))
        catalog_copy.remember_lines(session, CatalogItem, event.data.get("shortfall"))
        handler(event, session=session)

    handle.__name__ = handler.__name__
    return handle


def mapping() -> dict[str, Any]:
    return {
        "reservation.held": learning_names(saga.reservation_held),
        "reservation.rejected": learning_names(saga.reservation_rejected),
        "reservation.released": learning_names(saga.reservation_released),
        "reservation.consumed": learning_names(saga.reservation_consumed),
        "item.changed": item_changed,
        "plan.approved": plan_approved,
        "plan.retired": plan_retired,
        "stock.changed": stock_changed,
    }
