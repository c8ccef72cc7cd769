"""Many receipts booked at once: their lots, ledger lines and balances written in a few bulk statements.

What `put_away` does row by row (lock the balance, join the lot of the same batch and expiry or open
a new one, write the ledger line), done for a whole import: a 20,000-row import holds the write lock
for a fraction of a second instead of issuing some 100,000 statements one by one.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from servicekit.db import utcnow
from servicekit.logs import current_request_id
from services.resources.models import Lot, Movement
from services.resources.service.ledger import Ledger
from services.resources.service.receipt_rows import ReceiptRow, refuse_overflowing_positions

# Items per statement when looking for lots to join: each adds its id to an IN list (SQLite takes 32,766).
LOT_LOOKUP_CHUNK = 2_000
_INSERT_LOTS = insert(Lot.__table__)
_INSERT_MOVEMENTS = insert(Movement.__table__)
_ADD_TO_LOTS = (update(Lot.__table__).where(Lot.__table__.c.id == bindparam("lot_id"))
                .values(quantity=bindparam("new_quantity")))
_BATCHED_LOTS = (
    select(Lot.id, Lot.warehouse_id, Lot.item_id, Lot.batch_no, Lot.expiry_date, Lot.quantity)
    .where(Lot.item_id.in_(bindparam("item_ids", expanding=True)),
           Lot.batch_no.in_(bindparam("batch_nos", expanding=True)))
    .order_by(Lot.id)
    .with_for_update()
)

LotKey = tuple  # (warehouse_id, item_id, batch_no, expiry_date)


@dataclass(frozen=True)
class Booked:
    row: ReceiptRow
    lot_id: uuid.UUID
    movement_id: uuid.UUID


def _key(row: ReceiptRow) -> LotKey:
    return (row.warehouse.id, row.item.id, row.batch_no, row.expiry)


def _lots_to_join(session: Session, rows: Sequence[ReceiptRow]) -> dict[LotKey, tuple[uuid.UUID, Decimal]]:
    """The existing lot (id, quantity) of each batch the rows name, locked (their balances already are)."""
    batches: dict[uuid.UUID, set[str]] = defaultdict(set)
    for row in rows:
        if row.batch_no:
            batches[row.item.id].add(row.batch_no)
    wanted = {_key(row) for row in rows if row.batch_no}
    item_ids = sorted(batches)
    found = {}
    for start in range(0, len(item_ids), LOT_LOOKUP_CHUNK):
        chunk = item_ids[start:start + LOT_LOOKUP_CHUNK]
        batch_nos = sorted(set().union(*(batches[item_id] for item_id in chunk)))
        for lot in session.execute(_BATCHED_LOTS, {"item_ids": chunk, "batch_nos": batch_nos}):
            key = (lot.warehouse_id, lot.item_id, lot.batch_no, lot.expiry_date)
            # Two lots of one key exist only if written before lots were joined; the first takes the receipt.
            if key in wanted and key not in found:
                found[key] = (lot.id, lot.quantity)
    return found


def book_receipts(rows: Sequence[ReceiptRow], *, ledger: Ledger, note_of=lambda row: None) -> list[Booked]:
    """Receive every row as `put_away` would (one ledger line each; the same depot, item, batch and expiry join
    one lot), in bulk. The ledger announces each touched balance once when it closes."""
    session = ledger.session
    balances = ledger.lock_balances((row.warehouse.id, row.item.id) for row in rows)
    refuse_overflowing_positions(list(rows), held={pair: balance.on_hand for pair, balance in balances.items()})
    joined = _lots_to_join(session, rows)
    now = utcnow()
    new_lots: dict[LotKey, dict] = {}
    added: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    booked = []
    for row in rows:
        key = _key(row)
        if key in joined:
            lot_id = joined[key][0]
        elif row.batch_no and key in new_lots:
            lot_id = new_lots[key]["id"]
        else:  # without a batch number every receipt is a lot of its own, as put_away makes it
            lot_id = uuid.uuid4()
            new_lots[key if row.batch_no else lot_id] = {
                "id": lot_id, "warehouse_id": row.warehouse.id, "item_id": row.item.id, "batch_no": row.batch_no,
                "expiry_date": row.expiry, "quantity": Decimal(0), "reserved": Decimal(0), "received_at": now,
                "blocked": False, "expiry_announced": False}
        added[lot_id] += row.quantity
        booked.append(Booked(row, lot_id, uuid.uuid4()))
    for lot in new_lots.values():
        lot["quantity"] = added[lot["id"]]
    if new_lots:
        session.execute(_INSERT_LOTS, list(new_lots.values()))
    if joined_lots := [{"lot_id": lot_id, "new_quantity": quantity + added[lot_id]}
                       for lot_id, quantity in joined.values() if lot_id in added]:
        session.execute(_ADD_TO_LOTS, joined_lots)
    session.execute(_INSERT_MOVEMENTS, [_movement(entry, ledger=ledger, note=note_of(entry.row), at=now)
                                        for entry in booked])
    for row in rows:
        balance = balances[(row.warehouse.id, row.item.id)]
        balance.on_hand += row.quantity
        balance.version += 1  # one step per ledger line, as the ledger counts them
        ledger.touch(balance, bump=False)
    return booked


def _movement(entry: Booked, *, ledger: Ledger, note: str | None, at) -> dict:
    row = entry.row
    return {"id": entry.movement_id, "batch_id": ledger.batch_id, "type": "receipt", "warehouse_id": row.warehouse.id,
            "item_id": row.item.id, "lot_id": entry.lot_id, "quantity": row.quantity, "on_hand_delta": row.quantity,
            "reserved_delta": Decimal(0), "reservation_id": None, "reference": None, "reason": None, "note": note,
            "counted_quantity": None, "expected_quantity": None, "actor_id": ledger.actor.id,
            "actor_name": ledger.actor.name, "request_id": current_request_id.get(), "created_at": at}
