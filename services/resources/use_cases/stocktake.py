"""Moving and counting stock: transfers between depots, stocktake adjustments, reserve quotas."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.errors import Conflict, InvalidInput, NotFound
from servicekit.signing import Actor
from services.resources.domain.allocation import InsufficientStock, Line, allocate_fefo, fefo_order
from services.resources.models import Item, Lot
from services.resources.use_cases.catalog import get_item, get_warehouse, refuse_stock_into_retired
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.lots import lot_stock
from services.resources.use_cases.positions import Position, positions_of
from services.resources.use_cases.reservations import lock_items_releasing_expired, shortfall_lines
from services.resources.use_cases.stock import receipt_expiry

ZERO = Decimal(0)


def require_counted_stock(item: Item, action: str) -> None:
    if item.kind == "equipment":
        raise Conflict(f"Item {item.code} is equipment: {action} its units one by one (/api/v1/equipment).",
                       field="item_id")


def _matching_lot(session: Session, *, warehouse_id: uuid.UUID, source: Lot) -> Lot | None:
    """The destination lot of the same batch and expiry, if the depot already has one."""
    if not source.batch_no:
        return None
    return session.scalar(select(Lot).where(
        Lot.warehouse_id == warehouse_id, Lot.item_id == source.item_id, Lot.batch_no == source.batch_no,
        Lot.expiry_date.is_(None) if source.expiry_date is None else Lot.expiry_date == source.expiry_date,
        Lot.blocked.is_(False)))


def transfer(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date,
             now: dt.datetime) -> dict[str, Any]:
    """Move stock between depots, earliest-expiring lots first, keeping each lot's batch and expiry."""
    if data["from_warehouse_id"] == data["to_warehouse_id"]:
        raise InvalidInput({"to_warehouse_id": ["Must differ from from_warehouse_id."]})
    source = get_warehouse(data["from_warehouse_id"], session=session)
    target = get_warehouse(data["to_warehouse_id"], session=session)
    item = get_item(data["item_id"], session=session)
    # The source may be retired (emptying it is how its stock leaves); the destination takes new stock.
    refuse_stock_into_retired(warehouse=target, item=item, warehouse_field="to_warehouse_id")
    require_counted_stock(item, "transfer")
    out_pair, in_pair = (source.id, item.id), (target.id, item.id)
    lines = []
    with Ledger(session, actor=actor, today=today) as ledger:
        lock_items_releasing_expired(ledger, [item.id], now=now)
        balances = ledger.lock_balances([out_pair, in_pair])
        lots = {lot.id: lot for lot in ledger.lots_of([out_pair])}
        try:
            draws = allocate_fefo([Line(item.id, data["quantity"], source.id)],
                                  [lot_stock(lot) for lot in lots.values()], today=today)
        except InsufficientStock as short:
            raise Conflict(f"Not enough {item.code} available at {source.code} to transfer.",
                           shortfall=shortfall_lines(session, short)) from None
        for draw in draws:
            origin = lots[draw.lot.lot_id]
            destination = _matching_lot(session, warehouse_id=target.id, source=origin)
            if destination is None:
                destination = Lot(id=uuid.uuid4(), warehouse_id=target.id, item_id=item.id, batch_no=origin.batch_no,
                                  expiry_date=origin.expiry_date, quantity=ZERO, reserved=ZERO)
                session.add(destination)
            reason = data.get("reason")
            ledger.record("transfer_out", lot=origin, balance=balances[out_pair], quantity=draw.quantity,
                          on_hand_delta=-draw.quantity, reason=reason, reference=f"to {target.code}")
            ledger.record("transfer_in", lot=destination, balance=balances[in_pair], quantity=draw.quantity,
                          on_hand_delta=draw.quantity, reason=reason, reference=f"from {source.code}")
            lines.append({"from_lot_id": origin.id, "to_lot_id": destination.id, "quantity": draw.quantity,
                          "batch_no": origin.batch_no, "expiry_date": origin.expiry_date})
    return {"batch_id": ledger.batch_id, "from_warehouse_id": source.id, "to_warehouse_id": target.id,
            "item_id": item.id, "quantity": data["quantity"], "lines": lines}


def adjust(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date) -> dict[str, Any]:
    """Record a count: one lot's, or the whole depot's for the item (the difference spread first-expiry-first)."""
    warehouse = get_warehouse(data["warehouse_id"], session=session)
    item = get_item(data["item_id"], session=session)
    require_counted_stock(item, "count")
    pair, counted = (warehouse.id, item.id), data["counted_quantity"]
    with Ledger(session, actor=actor, today=today) as ledger:
        balance = ledger.lock_balances([pair])[pair]
        if data.get("lot_id"):
            lot = session.get(Lot, data["lot_id"], with_for_update=True, populate_existing=True)
            if lot is None or (lot.warehouse_id, lot.item_id) != pair:
                raise NotFound(f"No lot {data['lot_id']} of {item.code} at {warehouse.code}.")
            expected, changes = lot.quantity, [(lot, counted - lot.quantity)]
        else:
            lots = sorted(ledger.lots_of([pair]), key=lambda candidate: fefo_order(lot_stock(candidate)))
            expected = balance.on_hand
            changes = _spread(lots, counted - expected, session=session, pair=pair, item=item, today=today)
        reserved = sum((lot.reserved for lot, _ in changes), ZERO) if data.get("lot_id") else balance.reserved
        if counted < reserved:
            raise Conflict(f"Counted {counted} but {reserved} is reserved; release those reservations first.",
                           field="counted_quantity")
        movements = [ledger.record("adjustment", lot=lot, balance=balance, quantity=abs(delta), on_hand_delta=delta,
                                   reason=data["reason"], counted_quantity=counted, expected_quantity=expected)
                     for lot, delta in changes if delta != 0]
    return {"batch_id": ledger.batch_id, "warehouse_id": warehouse.id, "item_id": item.id,
            "lot_id": data.get("lot_id"), "counted_quantity": counted, "expected_quantity": expected,
            "difference": counted - expected, "reason": data["reason"],
            "movement_ids": [movement.id for movement in movements]}


def _spread(lots: list[Lot], delta: Decimal, *, session: Session, pair, item: Item,
            today: dt.date) -> list[tuple[Lot, Decimal]]:
    """A shortage comes out of the earliest-expiring free stock; a surplus joins the earliest-expiring
    usable lot (so it is used first and its shelf life is never overstated), or a new lot when none is."""
    if delta > 0:
        usable = [lot for lot in lots if not lot.blocked and (lot.expiry_date is None or lot.expiry_date >= today)]
        if usable:
            return [(usable[0], delta)]
        lot = Lot(id=uuid.uuid4(), warehouse_id=pair[0], item_id=pair[1], quantity=ZERO, reserved=ZERO,
                  expiry_date=receipt_expiry(item, None, today=today))
        session.add(lot)
        return [(lot, delta)]
    changes, missing = [], -delta
    for lot in lots:
        take = min(lot.free, missing)
        if take > 0:
            changes.append((lot, -take))
            missing -= take
    return changes


def set_quota(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date) -> Position:
    """Set a depot's reserve quota (储备定额) for an item; below it, `stock.below_quota` is announced once."""
    warehouse = get_warehouse(data["warehouse_id"], session=session)
    item = get_item(data["item_id"], session=session)
    pair = (warehouse.id, item.id)
    with Ledger(session, actor=actor, today=today) as ledger:
        balance = ledger.lock_balances([pair])[pair]
        balance.min_quantity = data["min_quantity"]
        ledger.touch(balance)
    return positions_of(session, [balance], today=today)[0]
