"""What a depot can really give: on hand, less reserved, less stock it must not hand out (expired or grounded)."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from sqlalchemy import or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy import func

from servicekit.db import Quantity
from services.resources.models import Balance, Lot

ZERO = Decimal(0)
Pair = tuple[uuid.UUID, uuid.UUID]


@dataclass(frozen=True)
class Position:
    warehouse_id: uuid.UUID
    item_id: uuid.UUID
    on_hand: Decimal
    reserved: Decimal
    unusable: Decimal  # free stock in expired lots or out-of-service units
    min_quantity: Decimal
    version: int
    updated_at: dt.datetime | None = None

    @property
    def available(self) -> Decimal:
        return max(self.on_hand - self.reserved - self.unusable, ZERO)

    @property
    def below_quota(self) -> bool:
        return self.min_quantity > 0 and self.available < self.min_quantity


def unusable_stock(session: Session, *, today: dt.date, item_ids: Iterable[uuid.UUID] | None = None,
                   warehouse_ids: Iterable[uuid.UUID] | None = None) -> dict[Pair, Decimal]:
    """Free quantity per depot and item that may not be handed out today."""
    free = type_coerce(func.sum(Lot.quantity - Lot.reserved), Quantity)
    query = (select(Lot.warehouse_id, Lot.item_id, free)
             .where(Lot.quantity > Lot.reserved, or_(Lot.blocked, Lot.expiry_date < today))
             .group_by(Lot.warehouse_id, Lot.item_id))
    if item_ids is not None:
        query = query.where(Lot.item_id.in_(set(item_ids)))
    if warehouse_ids is not None:
        query = query.where(Lot.warehouse_id.in_(set(warehouse_ids)))
    return {(w, i): amount or ZERO for w, i, amount in session.execute(query)}


def positions_of(session: Session, balances: Iterable[Balance], *, today: dt.date) -> list[Position]:
    balances = list(balances)
    if not balances:
        return []
    unusable = unusable_stock(session, today=today, item_ids={b.item_id for b in balances},
                              warehouse_ids={b.warehouse_id for b in balances})
    return [Position(b.warehouse_id, b.item_id, b.on_hand, b.reserved,
                     unusable.get((b.warehouse_id, b.item_id), ZERO), b.min_quantity, b.version, b.updated_at)
            for b in balances]
