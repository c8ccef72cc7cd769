"""The requisition.* events, built from a requisition's rows and queued on the outbox in the step's transaction."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import RESOURCES
from contracts.events import Allocation, RequisitionApproved, RequisitionClosed, RequisitionDispatched, RequisitionLine
from servicekit import outbox, scope
from servicekit.events import new_event
from services.resources.models import Item, Warehouse
from services.resources.requisition_models import Requisition
from services.resources.use_cases.catalog import depot_name, item_snapshot

Announced = type[RequisitionApproved] | type[RequisitionDispatched] | type[RequisitionClosed]


def announce(session: Session, kind: Announced, requisition: Requisition, **extra: Any) -> None:
    """Queue `kind` for `requisition` as it stands now, with its items and depots named."""
    with scope.lifted():  # the depots are the supplying side's; the event names them for both sides
        items = {item.id: item_snapshot(item) for item in session.scalars(
            select(Item).where(Item.id.in_({line.item_id for line in requisition.lines})))}
        depots = {depot.id: depot_name(depot) for depot in session.scalars(
            select(Warehouse).where(Warehouse.id.in_({a.warehouse_id for a in requisition.allocations})))}
    outbox.add(session, new_event(kind(
        requisition_id=requisition.id, code=requisition.code, status=requisition.status,
        purpose=requisition.purpose, urgent=requisition.urgent, destination=requisition.destination,
        incident_ref=requisition.incident_ref, org_id=requisition.org_id,
        supplying_org_id=requisition.counterpart_org_id,
        lines=[RequisitionLine(item_id=line.item_id, item=items.get(line.item_id), quantity=line.quantity,
                               dispatched=line.dispatched, received=line.received, lost=line.lost,
                               returned=line.returned, damaged=line.damaged, consumed=line.consumed)
               for line in requisition.lines],
        allocations=[Allocation(lot_id=a.lot_id, warehouse_id=a.warehouse_id, warehouse=depots.get(a.warehouse_id),
                                item_id=a.item_id, item=items.get(a.item_id), quantity=a.quantity,
                                expiry_date=a.expiry_date) for a in requisition.allocations],
        **extra), source=RESOURCES))
