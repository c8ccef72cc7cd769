"""Receipts and issues, and the read side of stock: balances, lots, the ledger."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.errors import Conflict, InvalidInput
from servicekit.signing import Actor
from services.resources.domain.allocation import InsufficientStock, Line, allocate_fefo
from services.resources.models import Balance, Item, Lot, Movement
from services.resources.service.catalog import get_item, get_warehouse, page_of
from services.resources.service.ledger import Ledger
from services.resources.service.lots import lot_stock
from services.resources.service.reservations import lock_items_releasing_expired


def _require_material(item: Item) -> None:
    if item.kind == "equipment":
        raise Conflict(f"Item {item.code} is equipment: its stock is its serial-numbered units "
                       "(POST /api/v1/equipment), not counted receipts.", field="item_id")


def receive(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date) -> dict[str, Any]:
    """Put a quantity on the shelf as a lot; same depot, item, batch and expiry add to one lot."""
    warehouse = get_warehouse(data["warehouse_id"], session=session)
    item = get_item(data["item_id"], session=session)
    _require_material(item)
    expiry = data.get("expiry_date")
    if expiry is None and item.shelf_life_days:
        expiry = today + dt.timedelta(days=item.shelf_life_days)
    if expiry is not None and expiry < today:
        raise InvalidInput({"expiry_date": [f"{expiry} is already past; expired stock cannot be received."]})
    batch_no = data.get("batch_no")
    with Ledger(session, actor=actor) as ledger:
        balance = ledger.lock_balances([(warehouse.id, item.id)])[(warehouse.id, item.id)]
        lot = None
        if batch_no:
            lot = session.scalar(select(Lot).where(
                Lot.warehouse_id == warehouse.id, Lot.item_id == item.id,
                Lot.batch_no == batch_no, Lot.expiry_date.is_(None) if expiry is None else Lot.expiry_date == expiry,
            ).with_for_update())
        if lot is None:
            lot = Lot(id=uuid.uuid4(), warehouse_id=warehouse.id, item_id=item.id, batch_no=batch_no,
                      expiry_date=expiry, quantity=Decimal(0), reserved=Decimal(0))
            session.add(lot)
        movement = ledger.record("receipt", lot=lot, balance=balance, quantity=data["quantity"],
                                 on_hand_delta=data["quantity"], note=data.get("note"))
    return {"lot_id": lot.id, "movement_id": movement.id, "warehouse_id": warehouse.id, "item_id": item.id,
            "quantity": data["quantity"], "batch_no": batch_no, "expiry_date": expiry,
            "lot_quantity": lot.quantity}


def issue(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    """Take stock out of one depot, drawing its earliest-expiring free lots first."""
    warehouse = get_warehouse(data["warehouse_id"], session=session)
    item = get_item(data["item_id"], session=session)
    _require_material(item)
    pair = (warehouse.id, item.id)
    with Ledger(session, actor=actor) as ledger:
        lock_items_releasing_expired(ledger, [item.id], now=now)
        balance = ledger.lock_balances([pair])[pair]
        lots = {lot.id: lot for lot in ledger.lots_of([pair])}
        try:
            draws = allocate_fefo([Line(item.id, data["quantity"], warehouse.id)],
                                  [lot_stock(lot) for lot in lots.values()], today=today)
        except InsufficientStock as short:
            raise Conflict(
                f"Not enough {item.code} available at {warehouse.code}: requested {data['quantity']}, "
                f"available {short.shortfall[0].available}.",
                shortfall=[{"item_id": item.id, "requested": s.requested, "available": s.available}
                           for s in short.shortfall],
            ) from None
        movements = [
            ledger.record("issue", lot=lots[draw.lot.lot_id], balance=balance, quantity=draw.quantity,
                          on_hand_delta=-draw.quantity, reason=data["reason"])
            for draw in draws
        ]
    return {
        "warehouse_id": warehouse.id,
        "item_id": item.id,
        "quantity": data["quantity"],
        "reason": data["reason"],
        "batch_id": ledger.batch_id,
        "draws": [{"lot_id": d.lot.lot_id, "batch_no": lots[d.lot.lot_id].batch_no, "expiry_date": d.lot.expiry_date,
                   "quantity": d.quantity, "movement_id": m.id} for d, m in zip(draws, movements)],
    }


def balances(*, session: Session, warehouse_id=None, item_id=None, category_code=None, page: int, per_page: int):
    query = select(Balance).order_by(Balance.item_id, Balance.warehouse_id)
    if warehouse_id:
        query = query.where(Balance.warehouse_id == warehouse_id)
    if item_id:
        query = query.where(Balance.item_id == item_id)
    if category_code:
        query = query.join(Item, Item.id == Balance.item_id).where(Item.category_code.startswith(category_code))
    return page_of(session, query, page=page, per_page=per_page)


def lots(*, session: Session, warehouse_id=None, item_id=None, include_empty: bool = False, page: int, per_page: int):
    query = select(Lot).order_by(Lot.item_id, Lot.expiry_date.is_(None), Lot.expiry_date, Lot.received_at)
    if warehouse_id:
        query = query.where(Lot.warehouse_id == warehouse_id)
    if item_id:
        query = query.where(Lot.item_id == item_id)
    if not include_empty:
        query = query.where(Lot.quantity > 0)
    return page_of(session, query, page=page, per_page=per_page)


def movements(*, session: Session, item_id=None, warehouse_id=None, type=None, reservation_id=None,
              batch_id=None, page: int, per_page: int):
    query = select(Movement).order_by(Movement.seq.desc())
    for column, value in ((Movement.item_id, item_id), (Movement.warehouse_id, warehouse_id),
                          (Movement.type, type), (Movement.reservation_id, reservation_id),
                          (Movement.batch_id, batch_id)):
        if value:
            query = query.where(column == value)
    return page_of(session, query, page=page, per_page=per_page)
