"""Readiness against live stock, from a local projection of the resources service's `stock.changed` events."""
from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts.events import StockChanged
from servicekit import catalog_copy
from servicekit.db import Quantity
from servicekit.events import Event
from servicekit.rows import lock_or_create
from services.plans.domain.readiness import is_newer, readiness
from services.plans.models import CatalogItem, StockPosition
from services.plans.use_cases import plans

log = logging.getLogger("erdm.plans.readiness")


def plan_readiness(plan_id: uuid.UUID, *, session: Session) -> dict[str, Any]:
    """Required against available, summed over every depot; no call to the resources service."""
    plan = plans.get(plan_id, session=session)
    item_ids = [line.item_id for line in plan.requirements]
    available: dict[uuid.UUID, Decimal] = {}
    if item_ids:
        # Summed as stored (exact thousandths), read back through the Quantity type.
        total = func.sum(StockPosition.available, type_=Quantity())
        rows = session.execute(select(StockPosition.item_id, total)
                               .where(StockPosition.item_id.in_(item_ids)).group_by(StockPosition.item_id))
        available = {item_id: amount for item_id, amount in rows}
    answer = readiness([(line.item_id, line.quantity) for line in plan.requirements], available)
    return {"plan_id": plan.id, **answer}


def apply_position(position: StockChanged, *, event: Event, session: Session) -> bool:
    """stock.changed: keep the newest announced position per depot and item (and the item's names); older or
    repeated announcements change nothing.

    The event carries the whole balance and its version, so applying is a replace, never an increment,
    and the order events arrive in does not matter.
    """
    catalog_copy.remember(session, CatalogItem, position.item)
    row = lock_or_create(session, StockPosition, {"warehouse_id": position.warehouse_id, "item_id": position.item_id},
                         {"available": Decimal(0), "version": -1, "updated_at": event.occurred})
    if not is_newer(position.version, row.version):
        log.info("stock.changed %s is not newer than the position held; ignored", event.id)
        return False
    row.available, row.version, row.updated_at = max(Decimal(0), position.available), position.version, event.occurred
    return True
