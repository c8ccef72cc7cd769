"""What a depot can really give: on hand, less reserved, less stock it must not hand out (expired or grounded)."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from sqlalchemy import bindparam, func, or_, select, true, type_coerce, union_all
from sqlalchemy.orm import Session

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


# Free stock that may not be handed out: in expired lots, or in out-of-service units that have not
# expired. Two parts, so each reads only its own few lots through an index (ix_lots_free_fefo,
# ix_lots_blocked) rather than every lot of the item. Built once (see ledger.py).
_OF_THESE = (Lot.item_id.in_(bindparam("item_ids", expanding=True)),
             Lot.warehouse_id.in_(bindparam("warehouse_ids", expanding=True)), Lot.quantity > Lot.reserved)
_PARTS = union_all(
    select(Lot.warehouse_id, Lot.item_id, (Lot.quantity - Lot.reserved).label("free"))
    .where(*_OF_THESE, Lot.expiry_date < bindparam("today")),
    select(Lot.warehouse_id, Lot.item_id, (Lot.quantity - Lot.reserved).label("free"))
    .where(*_OF_THESE, Lot.blocked == true(), or_(Lot.expiry_date.is_(None), Lot.expiry_date >= bindparam("today"))),
).subquery()
_UNUSABLE = (select(_PARTS.c.warehouse_id, _PARTS.c.item_id, type_coerce(func.sum(_PARTS.c.free), Quantity))
             .group_by(_PARTS.c.warehouse_id, _PARTS.c.item_id))


def unusable_stock(session: Session, *, today: dt.date, item_ids: Iterable[uuid.UUID],
                   warehouse_ids: Iterable[uuid.UUID]) -> dict[Pair, Decimal]:
    """Free quantity per depot and item that may not be handed out today."""
    rows = session.execute(_UNUSABLE, {"item_ids": sorted(set(item_ids)), "warehouse_ids": sorted(set(warehouse_ids)),
                                       "today": today})
    return {(w, i): amount or ZERO for w, i, amount in rows}


def positions_of(session: Session, balances: Iterable[Balance], *, today: dt.date) -> list[Position]:
    balances = list(balances)
    if not balances:
        return []
    unusable = unusable_stock(session, today=today, item_ids={b.item_id for b in balances},
                              warehouse_ids={b.warehouse_id for b in balances})
    return [Position(b.warehouse_id, b.item_id, b.on_hand, b.reserved,
                     unusable.get((b.warehouse_id, b.item_id), ZERO), b.min_quantity, b.version, b.updated_at)
            for b in balances]
