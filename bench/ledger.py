"""Seeding the resources ledger straight into its SQLite file (stack stopped) for the balance-query growth figure."""
from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.resources.models import Balance, Item, Movement, Warehouse
from servicekit.db import utcnow


def create_item(database: Path) -> str:
    """A depot, an item, its balance row and one receipt movement, written through the ORM; returns the item id."""
    engine = create_engine(f"sqlite:///{database}")
    tag = uuid.uuid4().hex[:8].upper()
    with Session(engine) as session, session.begin():
        # The root organisation's depot (its id is the gateway's; the path is what scope reads).
        depot = Warehouse(code=f"LEDGER-{tag}", name="账本压测库", level="municipal", org_path="/ROOT/")
        item = Item(code=f"LEDGER-{tag}", name="救生衣", category_code="2", unit="件", kind="material")
        session.add_all([depot, item])
        session.flush()
        session.add(Balance(warehouse_id=depot.id, item_id=item.id, on_hand=Decimal(1), reserved=Decimal(0),
                            min_quantity=Decimal(0), version=1))
        session.add(Movement(batch_id=uuid.uuid4(), type="receipt", warehouse_id=depot.id, item_id=item.id,
                             quantity=Decimal(1), on_hand_delta=Decimal(1), reserved_delta=Decimal(0),
                             actor_id="bench", actor_name="bench", created_at=utcnow()))
        item_id = str(item.id)
    engine.dispose()
    return item_id


def ledger_rows(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM movements").fetchone()[0]


def seed(database: Path, item_id: str, total: int, *, chunk: int = 100_000, budget_seconds: float = 90.0) -> int:
    """Add receipt movements for `item_id` until the ledger holds `total` rows; one transaction, executemany.

    The rows are cloned from the item's first movement (so every column has the ORM's stored format) with
    fresh ids. Balances are not touched: GET /stock reads the balance row, so consistency is irrelevant here.
    Returns the rows added."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        template = connection.execute(
            "SELECT * FROM movements WHERE item_id = ? ORDER BY seq LIMIT 1", (uuid.UUID(item_id).hex,)).fetchone()
        columns = [d[0] for d in connection.execute("SELECT * FROM movements LIMIT 0").description]
        if template is None:
            raise RuntimeError(f"no movement of item {item_id} to clone")
        row = dict(zip(columns, template))
        del row["seq"]
        names = list(row)
        needed = total - ledger_rows(database)
        statement = f"INSERT INTO movements ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        id_at, batch_at, at = names.index("id"), names.index("batch_id"), names.index("created_at")
        started = time.monotonic()
        stamp = (dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)).isoformat(sep=" ")
        added = 0
        connection.execute("BEGIN IMMEDIATE")
        while added < needed and time.monotonic() - started < budget_seconds:
            batch = []
            base = list(row.values())
            for _ in range(min(chunk, needed - added)):
                values = base.copy()
                values[id_at], values[batch_at], values[at] = uuid.uuid4().hex, uuid.uuid4().hex, stamp
                batch.append(values)
            connection.executemany(statement, batch)
            added += len(batch)
        connection.execute("COMMIT")
        return added
    finally:
        connection.close()
