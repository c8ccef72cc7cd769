"""Many receipts booked at once: their lots, ledger lines and balances written in a few bulk statements.

What `put_away` does row by row (lock the balance, join the lot of the same batch and expiry or open
a new one, write the ledger line), done for a whole import. Every row's values are made, and turned into
the driver's own values, before the first statement, which on SQLite takes the write lock held to the
commit; under the lock run only the reads the booking depends on and one executemany per table.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from contracts.events import DepotName, ItemSnapshot
from servicekit.db import json_number, utcnow
from servicekit.driver_rows import DriverStatement
from servicekit.logs import current_request_id
from services.resources.models import Lot, Movement
from services.resources.use_cases.bulk_positions import Addition, BulkPositions
from services.resources.use_cases.catalog import depot_name, item_snapshot
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.receipt_rows import ReceiptRow, refuse_overflowing_positions

# Items per statement when looking for lots to join: each adds its id to an IN list (SQLite takes 32,766).
LOT_LOOKUP_CHUNK = 2_000
_LOT_COLUMNS = ("id", "warehouse_id", "org_id", "org_path", "item_id", "batch_no", "expiry_date", "quantity", "reserved", "received_at",
                "blocked", "expiry_announced")
_MOVEMENT_COLUMNS = ("id", "batch_id", "type", "warehouse_id", "org_id", "org_path", "item_id", "lot_id", "quantity", "on_hand_delta",
                     "reserved_delta", "reservation_id", "reference", "reason", "note", "counted_quantity",
                     "expected_quantity", "actor_id", "actor_name", "request_id", "created_at")
_INSERT_LOTS = DriverStatement(insert(Lot.__table__), _LOT_COLUMNS)
_INSERT_MOVEMENTS = DriverStatement(insert(Movement.__table__), _MOVEMENT_COLUMNS)
_ADD_TO_LOTS = DriverStatement(update(Lot.__table__).where(Lot.__table__.c.id == bindparam("lot_id"))
                               .values(quantity=Lot.__table__.c.quantity + bindparam("added", type_=Lot.quantity.type)))
_BATCHED_LOTS = (
    select(Lot.id, Lot.warehouse_id, Lot.item_id, Lot.batch_no, Lot.expiry_date)
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


def _receipt(entry: Booked) -> dict:
    """What the answer says of one booked row, in JSON's own values (made before the lock, dumped as it is)."""
    row = entry.row
    return {"row": row.row, "warehouse_code": row.warehouse.code, "item_code": row.item.code,
            "quantity": json_number(row.quantity), "lot_id": str(entry.lot_id), "movement_id": str(entry.movement_id)}


def _key(row: ReceiptRow) -> LotKey:
    return (row.warehouse.id, row.item.id, row.batch_no, row.expiry)


def book_receipts(rows: Sequence[ReceiptRow], *, ledger: Ledger, reads: Session | None = None,
                  note_of=lambda row: None) -> list[dict]:
    """Receive every row as `put_away` would (one ledger line each; the same depot, item, batch and expiry join
    one lot), in bulk; each touched position is announced once, as the ledger announces it. What can be known
    before the write lock is worked out on `reads` (a reader of its own on SQLite) before the first write.
    Answers each row's receipt (row, codes, quantity, lot_id, movement_id) in JSON's own values."""
    session = ledger.session
    plan = _Plan(rows, ledger=ledger, note_of=note_of)
    positions = BulkPositions(ledger, plan.additions)
    positions.foresee(reads or session)
    positions.hold()  # the first statement: on SQLite the write lock is held from here to the commit
    if positions.overflowing():
        refuse_overflowing_positions(list(rows), held={pair: held.on_hand for pair, held in positions.held.items()})
    joined = _lots_to_join(session, plan.batch_keys)
    plan.join(joined)
    _INSERT_LOTS.on(session).run(session, [lot for key, lot in plan.new_lots.items() if key not in joined])
    adding = _ADD_TO_LOTS.on(session)
    adding.run(session, [adding.row({"lot_id": lot_id, "added": plan.lot_quantities[key]})
                         for key, lot_id in joined.items()])
    _INSERT_MOVEMENTS.on(session).run(session, plan.movement_rows)
    positions.write()
    return plan.receipts


def _lots_to_join(session: Session, keys: set[LotKey]) -> dict[LotKey, uuid.UUID]:
    """The existing lot of each batch the rows name, locked (their balances already are)."""
    batches: dict[uuid.UUID, set[str]] = defaultdict(set)
    for _, item_id, batch_no, _ in keys:
        batches[item_id].add(batch_no)
    item_ids = sorted(batches)
    found = {}
    for start in range(0, len(item_ids), LOT_LOOKUP_CHUNK):
        chunk = item_ids[start:start + LOT_LOOKUP_CHUNK]
        batch_nos = sorted(set().union(*(batches[item_id] for item_id in chunk)))
        for lot in session.execute(_BATCHED_LOTS, {"item_ids": chunk, "batch_nos": batch_nos}):
            key = (lot.warehouse_id, lot.item_id, lot.batch_no, lot.expiry_date)
            # Two lots of one key exist only if written before lots were joined; the first takes the receipt.
            if key in keys and key not in found:
                found[key] = lot.id
    return found


class _Plan:
    """An import's rows made before the lock: a new lot per batch (a receipt without a batch number is a lot
    of its own, as put_away makes it), a ledger line per row, and what each position receives. Only which
    batches join a lot already on the shelf waits for the lock (`join`)."""

    def __init__(self, rows: Sequence[ReceiptRow], *, ledger: Ledger, note_of) -> None:
        session, now = ledger.session, utcnow()
        lots, movements = _INSERT_LOTS.on(session), _INSERT_MOVEMENTS.on(session)
        self._movements = movements
        self.lot_quantities: dict[LotKey, Decimal] = defaultdict(Decimal)
        self.receipts: list[dict] = []
        self._lot_ids: dict[LotKey, uuid.UUID] = {}
        self._rows_of_batch: dict[LotKey, list[int]] = defaultdict(list)
        first_of_lot: dict[LotKey, ReceiptRow] = {}
        quantities: dict[tuple, Decimal] = defaultdict(Decimal)
        lines: dict[tuple, int] = defaultdict(int)
        names: dict[tuple, tuple[DepotName, ItemSnapshot]] = {}
        depots: dict[uuid.UUID, DepotName] = {}
        items: dict[uuid.UUID, ItemSnapshot] = {}
        line_values = []
        for n, row in enumerate(rows):
            key = _key(row) if row.batch_no else (row.warehouse.id, row.item.id, None, row.expiry, n)
            if key not in self._lot_ids:
                self._lot_ids[key], first_of_lot[key] = uuid.uuid4(), row
            lot_id = self._lot_ids[key]
            self.lot_quantities[key] += row.quantity
            if row.batch_no:
                self._rows_of_batch[key].append(n)
            entry = Booked(row, lot_id, uuid.uuid4())
            self.receipts.append(_receipt(entry))
            line_values.append(_movement(entry, ledger=ledger, note=note_of(row), at=now))
            pair = (row.warehouse.id, row.item.id)
            quantities[pair] += row.quantity
            lines[pair] += 1
            if pair not in names:
                names[pair] = (_named(depots, row.warehouse, depot_name), _named(items, row.item, item_snapshot))
        self.batch_keys = set(self._rows_of_batch)
        self.movement_rows = movements.rows(line_values)
        self.new_lots = dict(zip(first_of_lot, lots.rows({
            "id": self._lot_ids[key], "warehouse_id": row.warehouse.id, "org_id": row.warehouse.org_id,
            "org_path": row.warehouse.org_path, "item_id": row.item.id,
            "batch_no": row.batch_no, "expiry_date": row.expiry, "quantity": self.lot_quantities[key],
            "reserved": Decimal(0), "received_at": now, "blocked": False, "expiry_announced": False}
            for key, row in first_of_lot.items())))
        owners = {row.warehouse.id: (row.warehouse.org_id, row.warehouse.org_path) for row in first_of_lot.values()}
        self.additions = {pair: Addition(quantities[pair], lines[pair], *names[pair], owners[pair[0]])
                          for pair in quantities}

    def join(self, joined: dict[LotKey, uuid.UUID]) -> None:
        """Send the rows of batches already on the shelf to those lots instead of new ones."""
        for key, lot_id in joined.items():
            for n in self._rows_of_batch[key]:
                self.receipts[n]["lot_id"] = str(lot_id)
                self._movements.put(self.movement_rows[n], "lot_id", lot_id)


def _named(known: dict, thing, name_of):
    """A depot's or item's name as events carry it, made once per depot or item."""
    if thing.id not in known:
        known[thing.id] = name_of(thing)
    return known[thing.id]


def _movement(entry: Booked, *, ledger: Ledger, note: str | None, at) -> dict:
    row = entry.row
    return {"id": entry.movement_id, "batch_id": ledger.batch_id, "type": "receipt", "warehouse_id": row.warehouse.id,
            "org_id": row.warehouse.org_id, "org_path": row.warehouse.org_path,
            "item_id": row.item.id, "lot_id": entry.lot_id, "quantity": row.quantity, "on_hand_delta": row.quantity,
            "reserved_delta": Decimal(0), "reservation_id": None, "reference": None, "reason": None, "note": note,
            "counted_quantity": None, "expected_quantity": None, "actor_id": ledger.actor.id,
            "actor_name": ledger.actor.name, "request_id": current_request_id.get(), "created_at": at}
