"""Every stock change goes through here: lock the balances, write the ledger line, apply it, announce it."""
from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from servicekit import outbox
from servicekit.events import new_event
from servicekit.logs import current_request_id
from servicekit.signing import Actor
from services.resources.models import Balance, Lot, Movement

SOURCE = "resources"
Pair = tuple[uuid.UUID, uuid.UUID]  # (warehouse_id, item_id)


class Ledger:
    """One unit of work's view of stock.

    Lock order is always balances (sorted by depot, item) before their lots, so two writers
    touching the same stock wait for each other instead of deadlocking. On SQLite the writer's
    BEGIN IMMEDIATE already serializes; on PostgreSQL these are row locks (SELECT ... FOR UPDATE).
    Use as a context manager: leaving it announces every touched balance once (`stock.changed`).
    """

    def __init__(self, session: Session, *, actor: Actor) -> None:
        self.session = session
        self.actor = actor
        self.batch_id = uuid.uuid4()
        self._touched: dict[Pair, Balance] = {}

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.announce()

    # --- locking --------------------------------------------------------------------------
    def lock_balances(self, pairs: Iterable[Pair]) -> dict[Pair, Balance]:
        """Lock (creating when missing) the balance rows of these depot/item pairs."""
        pairs = sorted(set(pairs))
        if not pairs:
            return {}
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self.session.execute(
            insert(Balance)
            .values([{"warehouse_id": w, "item_id": i, "on_hand": 0, "reserved": 0, "min_quantity": 0, "version": 0}
                     for w, i in pairs])
            .on_conflict_do_nothing(index_elements=["warehouse_id", "item_id"])
        )
        warehouse_ids = {w for w, _ in pairs}
        item_ids = {i for _, i in pairs}
        rows = self.session.scalars(
            select(Balance)
            .where(Balance.warehouse_id.in_(warehouse_ids), Balance.item_id.in_(item_ids))
            .order_by(Balance.warehouse_id, Balance.item_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        return {(b.warehouse_id, b.item_id): b for b in rows if (b.warehouse_id, b.item_id) in pairs}

    def lock_item_balances(self, item_ids: Iterable[uuid.UUID]) -> dict[Pair, Balance]:
        """Lock every depot's balance of these items (for requests that may draw from anywhere)."""
        rows = self.session.scalars(
            select(Balance)
            .where(Balance.item_id.in_(set(item_ids)))
            .order_by(Balance.warehouse_id, Balance.item_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        return {(b.warehouse_id, b.item_id): b for b in rows}

    def lots_of(self, pairs: Iterable[Pair]) -> list[Lot]:
        """The current lots of locked pairs (fresh from the database, locked too)."""
        pairs = set(pairs)
        if not pairs:
            return []
        rows = self.session.scalars(
            select(Lot)
            .where(Lot.item_id.in_({i for _, i in pairs}), Lot.warehouse_id.in_({w for w, _ in pairs}), Lot.quantity > 0)
            .order_by(Lot.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        return [lot for lot in rows if (lot.warehouse_id, lot.item_id) in pairs]

    # --- recording ------------------------------------------------------------------------
    def record(
        self,
        movement_type: str,
        *,
        lot: Lot,
        balance: Balance,
        quantity: Decimal,
        on_hand_delta: Decimal = Decimal(0),
        reserved_delta: Decimal = Decimal(0),
        reservation_id: uuid.UUID | None = None,
        reference: str | None = None,
        reason: str | None = None,
        note: str | None = None,
    ) -> Movement:
        """Append one ledger line and apply its deltas to the lot and the balance (already locked)."""
        lot.quantity += on_hand_delta
        lot.reserved += reserved_delta
        balance.on_hand += on_hand_delta
        balance.reserved += reserved_delta
        balance.version += 1
        movement = Movement(
            id=uuid.uuid4(),
            batch_id=self.batch_id,
            type=movement_type,
            warehouse_id=lot.warehouse_id,
            item_id=lot.item_id,
            lot_id=lot.id,
            quantity=quantity,
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            reservation_id=reservation_id,
            reference=reference,
            reason=reason,
            note=note,
            actor_id=self.actor.id,
            actor_name=self.actor.name,
            request_id=current_request_id.get(),
        )
        self.session.add(movement)
        self._touched[(balance.warehouse_id, balance.item_id)] = balance
        return movement

    def announce(self) -> None:
        """One `stock.changed` per touched depot/item, carrying the balance after this unit of work."""
        self.session.flush()
        for (warehouse_id, item_id), balance in sorted(self._touched.items()):
            outbox.add(
                self.session,
                new_event(
                    "stock.changed",
                    {
                        "warehouse_id": warehouse_id,
                        "item_id": item_id,
                        "on_hand": balance.on_hand,
                        "reserved": balance.reserved,
                        "available": balance.available,
                        "min_quantity": balance.min_quantity,
                        "version": balance.version,
                        "batch_id": self.batch_id,
                    },
                    source=SOURCE,
                ),
            )
        self._touched.clear()
