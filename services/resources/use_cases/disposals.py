"""Writing stock off (报废): an approved removal of part or all of one lot, recorded in the ledger as `disposal`."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from sqlalchemy.orm import Session

from servicekit.errors import Conflict, NotFound
from servicekit.signing import Actor
from services.resources.models import Lot, Movement
from services.resources.use_cases.catalog import get_item, get_warehouse
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.stocktake import require_counted_stock

REASONS = ("expired", "damaged", "quality_failed", "other")


def dispose(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date) -> Movement:
    """Take `quantity` out of one lot of a depot for good, with its reason and approver.

    Only the lot's free part can go: what is reserved from it is promised to a drill or a requisition,
    and writing it off would leave that promise without stock. A retired depot or item can still be
    written off (emptying it is how its stock leaves)."""
    warehouse = get_warehouse(data["warehouse_id"], session=session)
    # Read first without a lock to learn the item: the ledger locks balances before their lots.
    found = session.get(Lot, data["lot_id"])
    if found is None or found.warehouse_id != warehouse.id:
        raise NotFound(f"No lot {data['lot_id']} at {warehouse.code}.", field="lot_id")
    item = get_item(found.item_id, session=session)
    require_counted_stock(item, "write off")
    pair, quantity = (warehouse.id, item.id), data["quantity"]
    with Ledger(session, actor=actor, today=today) as ledger:
        balance = ledger.lock_balances([pair])[pair]
        lot = ledger.lots_by_id([found.id])[found.id]
        if quantity > lot.free:
            raise Conflict(f"Only {lot.free} of {item.code} in this lot can be written off "
                           f"({lot.quantity} on hand, {lot.reserved} reserved).",
                           field="quantity", available=lot.free, on_hand=lot.quantity, reserved=lot.reserved)
        movement = ledger.record("disposal", lot=lot, balance=balance, quantity=quantity, on_hand_delta=-quantity,
                                 reason=data["reason"], note=data.get("note"), approved_by=data["approved_by"])
    return movement
