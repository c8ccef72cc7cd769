"""Receipts and issues, and the read side of stock: balances, lots, the ledger."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from servicekit.errors import Conflict, InvalidInput, NotFound
from servicekit.signing import Actor
from services.resources.domain.allocation import InsufficientStock, Line, allocate_fefo
from services.resources.models import Balance, Item, Lot, Movement, Warehouse
from servicekit.pagination import page_of
from servicekit.schemas import EARLIEST_YEAR, LATEST_YEAR
from services.resources.use_cases.catalog import get_item, get_warehouse, name_rows, refuse_stock_into_retired
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.lots import lot_stock
from services.resources.use_cases.positions import positions_of
from services.resources.use_cases.reservations import lock_items_releasing_expired, shortfall_lines


def require_material(item: Item) -> None:
    if item.kind == "equipment":
        raise Conflict(f"Item {item.code} is equipment: its stock is its serial-numbered units "
                       "(POST /api/v1/equipment), not counted receipts.", field="item_id")


def require_whole_units(item: Item, quantity: Decimal, *, field: str = "quantity") -> None:
    if item.kind == "equipment" and quantity != quantity.to_integral_value():
        raise InvalidInput({field: [f"{item.code} is equipment, counted in whole units."]})


class RefusedExpiry(ValueError):
    """An expiry date no receipt may carry; the message says why, in words for the person who typed it."""


def receipt_expiry(item: Item, expiry: dt.date | None, *, today: dt.date) -> dt.date | None:
    """The lot's expiry: as given, else from the item's shelf life; None when neither says.

    The one rule for every way stock is received (the JSON API and spreadsheet imports alike): a date
    already past, or outside the years the API accepts anywhere, raises RefusedExpiry.
    """
    if expiry is None and item.shelf_life_days:
        expiry = today + dt.timedelta(days=item.shelf_life_days)
    if expiry is None:
        return None
    if not EARLIEST_YEAR <= expiry.year <= LATEST_YEAR:
        raise RefusedExpiry(f"{expiry} is not a plausible expiry date; it must lie between {EARLIEST_YEAR} "
                            f"and {LATEST_YEAR}.")
    if expiry < today:
        raise RefusedExpiry(f"{expiry} is already past; expired stock cannot be received.")
    return expiry


def put_away(ledger: Ledger, *, warehouse: Warehouse, item: Item, quantity: Decimal, batch_no: str | None,
             expiry: dt.date | None, note: str | None = None) -> tuple[Lot, Movement]:
    """Receive into a lot; the same depot, item, batch and expiry add to one lot."""
    session = ledger.session
    balance = ledger.lock_balances([(warehouse.id, item.id)])[(warehouse.id, item.id)]
    lot = None
    if batch_no:
        lot = session.scalar(select(Lot).where(
            Lot.warehouse_id == warehouse.id, Lot.item_id == item.id, Lot.batch_no == batch_no,
            Lot.expiry_date.is_(None) if expiry is None else Lot.expiry_date == expiry,
        ).with_for_update())
    if lot is None:
        lot = Lot(id=uuid.uuid4(), warehouse_id=warehouse.id, item_id=item.id, batch_no=batch_no,
                  expiry_date=expiry, quantity=Decimal(0), reserved=Decimal(0))
        session.add(lot)
    movement = ledger.record("receipt", lot=lot, balance=balance, quantity=quantity, on_hand_delta=quantity, note=note)
    return lot, movement


def receive(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date,
            reads: Session | None = None) -> dict[str, Any]:
    """Put a quantity on the shelf as a lot. `reads` serves the catalog lookups made before any lock."""
    warehouse = get_warehouse(data["warehouse_id"], session=reads or session)
    item = get_item(data["item_id"], session=reads or session)
    refuse_stock_into_retired(warehouse=warehouse, item=item)
    require_material(item)
    try:
        expiry = receipt_expiry(item, data.get("expiry_date"), today=today)
    except RefusedExpiry as refused:
        raise InvalidInput({"expiry_date": [str(refused)]}) from None
    batch_no = data.get("batch_no")
    with Ledger(session, actor=actor, today=today) as ledger:
        lot, movement = put_away(ledger, warehouse=warehouse, item=item, quantity=data["quantity"],
                                 batch_no=batch_no, expiry=expiry, note=data.get("note"))
    return {"lot_id": lot.id, "movement_id": movement.id, "warehouse_id": warehouse.id, "item_id": item.id,
            "quantity": data["quantity"], "batch_no": batch_no, "expiry_date": expiry,
            "lot_quantity": lot.quantity}


def issue(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date, now: dt.datetime,
          reads: Session | None = None) -> dict[str, Any]:
    """Take stock out of one depot, drawing its earliest-expiring free lots first."""
    warehouse = get_warehouse(data["warehouse_id"], session=reads or session)
    item = get_item(data["item_id"], session=reads or session)
    require_whole_units(item, data["quantity"])
    pair = (warehouse.id, item.id)
    with Ledger(session, actor=actor, today=today) as ledger:
        lock_items_releasing_expired(ledger, [item.id], now=now)
        balance = ledger.lock_balances([pair])[pair]
        wanted = [Line(item.id, data["quantity"], warehouse.id)]
        lots = ledger.lots_covering(wanted, [pair])
        try:
            draws = allocate_fefo(wanted, [lot_stock(lot) for lot in lots.values()], today=today)
        except InsufficientStock as short:
            raise Conflict(
                f"Not enough {item.code} available at {warehouse.code}: requested {data['quantity']}, "
                f"available {short.shortfall[0].available}.",
                shortfall=shortfall_lines(session, short),
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


def balances(*, session: Session, today: dt.date, warehouse_id=None, item_id=None, category_code=None,
             page: int, per_page: int):
    """A page of positions: on hand, reserved, unusable (expired or grounded) and available per depot and item."""
    query = select(Balance).order_by(Balance.item_id, Balance.warehouse_id)
    if warehouse_id:
        query = query.where(Balance.warehouse_id == warehouse_id)
    if item_id:
        query = query.where(Balance.item_id == item_id)
    if category_code:
        query = query.join(Item, Item.id == Balance.item_id).where(
            Item.category_code.startswith(category_code, autoescape=True))
    result = page_of(session, query, page=page, per_page=per_page)
    result["items"] = positions_of(session, result["items"], today=today)
    name_rows(session, result["items"])
    return result


def lots(*, session: Session, warehouse_id=None, item_id=None, include_empty: bool = False, page: int, per_page: int):
    query = select(Lot).order_by(Lot.item_id, Lot.expiry_date.is_(None), Lot.expiry_date, Lot.received_at)
    if warehouse_id:
        query = query.where(Lot.warehouse_id == warehouse_id)
    if item_id:
        query = query.where(Lot.item_id == item_id)
    if not include_empty:
        query = query.where(Lot.quantity > 0)
    result = page_of(session, query, page=page, per_page=per_page)
    name_rows(session, result["items"])
    return result


def movement(movement_id: uuid.UUID, *, session: Session) -> Movement:
    found = session.scalar(select(Movement).where(Movement.id == movement_id))  # the key is `seq`, not the id
    if found is None:
        raise NotFound(f"No movement {movement_id}.")
    return found


def movement_query(*, item_id=None, warehouse_id=None, type=None, reservation_id=None, batch_id=None,
                   reference=None, since: dt.datetime | None = None, until: dt.datetime | None = None):
    """The ledger's lines matching every filter given (`since`/`until`: recorded in that span, both included),
    unordered: the list reads them newest first, the printed ledger (use_cases/documents.py) oldest first."""
    query = select(Movement).options(
        selectinload(Movement.lot).load_only(Lot.batch_no, Lot.expiry_date))  # what a movement answers of its lot
    for column, value in ((Movement.item_id, item_id), (Movement.warehouse_id, warehouse_id),
                          (Movement.type, type), (Movement.reservation_id, reservation_id),
                          (Movement.batch_id, batch_id), (Movement.reference, reference)):
        if value:
            query = query.where(column == value)
    if since is not None:
        query = query.where(Movement.created_at >= since)
    if until is not None:
        query = query.where(Movement.created_at <= until)
    return query


def movements(*, session: Session, page: int, per_page: int, from_: dt.datetime | None = None,
              to: dt.datetime | None = None, **filters):
    query = movement_query(since=from_, until=to, **filters).order_by(Movement.seq.desc())
    result = page_of(session, query, page=page, per_page=per_page)
    name_rows(session, result["items"])
    return result
