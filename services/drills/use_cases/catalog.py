"""The drills service's copies of names it does not own: catalog items (from resources' events) and plans
(the plan projection fed by plan.approved / plan.retired), for answers and for codes in writes."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.events import ItemChanged
from servicekit import catalog_copy
from servicekit.events import Event
from services.drills.models import CatalogItem, PlanStatus

item_id_for_code, item_reference, name_items = catalog_copy.lookups(CatalogItem)


def item_changed(change: ItemChanged, *, event: Event, session: Session) -> None:
    """item.changed: keep the item's code, name and unit, to name drill lines and take item codes."""
    catalog_copy.remember(session, CatalogItem, change.item)


def plan_id_for_code(session: Session, code: str) -> uuid.UUID | None:
    """A plan's id by its code, as far as the projection has heard of it (only approved plans are drilled,
    and each approval announces its code)."""
    return session.scalar(select(PlanStatus.plan_id).where(PlanStatus.code == code)
                          .order_by(PlanStatus.updated_at.desc()).limit(1))


def plan_reference(session: Session, plan_id: uuid.UUID) -> dict[str, Any] | None:
    """`{id, code, name}` of a plan; its name is its title."""
    plan = session.get(PlanStatus, plan_id)
    return None if plan is None else {"id": plan.plan_id, "code": plan.code, "name": plan.title}
