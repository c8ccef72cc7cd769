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
from servicekit.pagination import page_of
from servicekit.rows import lock_or_create
from servicekit.scope import ROOT_PATH
from services.plans.domain.lifecycle import APPROVED
from services.plans.domain.readiness import is_newer, readiness
from services.plans.models import CatalogItem, Plan, StockPosition
from services.plans.use_cases import plans
from services.plans.use_cases.catalog import name_items

ITEMS_PER_READ = 500  # a page of plans may require thousands of items; SQLite binds at most 32,766 values

log = logging.getLogger("erdm.plans.readiness")


def plan_readiness(plan_id: uuid.UUID, *, session: Session) -> dict[str, Any]:
    """Required against available, summed over the depots of the plan's organisation subtree that lie in the
    caller's scope; no call to the resources service."""
    plan = plans.get(plan_id, session=session)
    return _readiness_of(plan, _available(session, [line.item_id for line in plan.requirements]))


def apply_position(position: StockChanged, *, event: Event, session: Session) -> bool:
    """stock.changed: keep the newest announced position per depot and item (and the item's names); older or
    repeated announcements change nothing.

    The event carries the whole balance and its version, so applying is a replace, never an increment,
    and the order events arrive in does not matter.
    """
    catalog_copy.remember(session, CatalogItem, position.item)
    # A depot's organisation never changes; an event older than organisations names none: the root's, as the
    # resources service's migration made such depots.
    owner = {"org_id": position.org_id, "org_path": position.org_path or ROOT_PATH}
    row = lock_or_create(session, StockPosition, {"warehouse_id": position.warehouse_id, "item_id": position.item_id},
                         {"available": Decimal(0), "version": -1, "updated_at": event.occurred, **owner})
    if not is_newer(position.version, row.version):
        log.info("stock.changed %s is not newer than the position held; ignored", event.id)
        return False
    row.available, row.version, row.updated_at = max(Decimal(0), position.available), position.version, event.occurred
    row.org_id, row.org_path = owner["org_id"], owner["org_path"]
    return True


def approved_readiness(*, session: Session, page: int, per_page: int) -> dict[str, Any]:
    """Every approved plan (by code) with its readiness, a page at a time: the rule of `plan_readiness`, the
    stock of the whole page read in one statement. Each item is `{plan, plan_id, ready, lines}`."""
    result = page_of(session, select(Plan).where(Plan.status == APPROVED).order_by(Plan.code),
                     page=page, per_page=per_page)
    item_ids = list({line.item_id for plan in result["items"] for line in plan.requirements})
    available = _available(session, item_ids)
    name_items(session, item_ids)
    result["items"] = [{"plan": plan, **_readiness_of(plan, available)} for plan in result["items"]]
    return result


Available = dict[uuid.UUID, dict[str, Decimal]]  # item -> depot organisation's path -> available there


def _available(session: Session, item_ids: list[uuid.UUID]) -> Available:
    """What each item has available per depot organisation, over the depots the caller's scope reaches (the
    kit's filter on every read of an owned row); an item no such depot announced is absent."""
    # Summed as stored (exact thousandths), read back through the Quantity type.
    total = func.sum(StockPosition.available, type_=Quantity())
    available: Available = {}
    for start in range(0, len(item_ids), ITEMS_PER_READ):
        chunk = item_ids[start:start + ITEMS_PER_READ]
        rows = session.execute(select(StockPosition.item_id, StockPosition.org_path, total)
                               .where(StockPosition.item_id.in_(chunk))
                               .group_by(StockPosition.item_id, StockPosition.org_path))
        for item_id, org_path, amount in rows:
            available.setdefault(item_id, {})[org_path] = amount
    return available


def _readiness_of(plan: Plan, available: Available) -> dict[str, Any]:
    """The plan's lines against the depots of its organisation subtree: those a drill of it may draw on."""
    within = {item_id: sum((amount for path, amount in by_path.items() if path.startswith(plan.org_path)),
                           Decimal(0))
              for item_id, by_path in available.items()}
    answer = readiness([(line.item_id, line.quantity) for line in plan.requirements], within)
    return {"plan_id": plan.id, **answer}
