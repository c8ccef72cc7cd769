"""Every stock change goes through here: lock the balances, write the ledger line, apply it, announce it."""
from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Iterable

from sqlalchemy import bindparam, false, select
from sqlalchemy.orm import Session

from contracts.catalogue import RESOURCES
from contracts.events import DepotName, ItemSnapshot, StockBelowQuota, StockChanged
from servicekit import clock, outbox
from servicekit.db import QUANTITY_SCALE
from servicekit.errors import InvalidInput
from servicekit.events import Event, new_event
from servicekit.logs import current_request_id
from servicekit.rows import insert_ignore
from servicekit.signing import Actor
from services.resources.domain.allocation import Line, coverage
from services.resources.models import Balance, Item, Lot, Movement, Warehouse, depot_owners
from services.resources.use_cases.catalog import depot_name, item_snapshot
from services.resources.use_cases.positions import Position, positions_of

Pair = tuple[uuid.UUID, uuid.UUID]  # (warehouse_id, item_id)

# The most one lot or one depot's balance of an item can hold: quantities are stored as 64-bit integers
# of thousandths, and a sum past this would overflow the column (OverflowError, a 500) instead of refusing.
MAX_HELD = Decimal(2**63 - 1) / QUANTITY_SCALE
# Positions per statement when announcing: each adds its ids to an IN list, and SQLite takes at most 32,766.
ANNOUNCE_CHUNK = 2_000

# Statements built once: building and cache-keying a statement per call costs more than running it.
_BALANCES = (
    select(Balance)
    .where(Balance.warehouse_id.in_(bindparam("warehouse_ids", expanding=True)),
           Balance.item_id.in_(bindparam("item_ids", expanding=True)))
    .order_by(Balance.warehouse_id, Balance.item_id)
    .with_for_update()
    .execution_options(populate_existing=True)
)
_ITEM_BALANCES = (
    select(Balance)
    .where(Balance.item_id.in_(bindparam("item_ids", expanding=True)))
    .order_by(Balance.warehouse_id, Balance.item_id)
    .with_for_update()
    .execution_options(populate_existing=True)
)
_NEW_BALANCE = {"on_hand": 0, "reserved": 0, "min_quantity": 0, "version": 0}
_CREATE_BALANCES = {dialect: insert_ignore(dialect, Balance.__table__, keys=["warehouse_id", "item_id"])
                    for dialect in ("postgresql", "sqlite")}
_LOTS_BY_ID = (
    select(Lot).where(Lot.id.in_(bindparam("lot_ids", expanding=True))).order_by(Lot.id)
    .with_for_update().execution_options(populate_existing=True)
)
# Usable lots of one item at some depots in `fefo_order`, in two parts that each follow ix_lots_free_fefo:
# lots that expire (earliest first, none already past), then lots that never do. Each part is read
# a few rows first, and to its end only when those do not cover the need.
_FIRST_LOTS = 8
_FREE_LOTS = (
    select(Lot)
    .where(Lot.item_id == bindparam("item_id"), Lot.warehouse_id.in_(bindparam("warehouse_ids", expanding=True)),
           Lot.quantity > Lot.reserved, Lot.blocked == false())
    .with_for_update()
    .execution_options(populate_existing=True)
)
_FEFO_PARTS = [
    (part.limit(_FIRST_LOTS), part.offset(_FIRST_LOTS)) for part in (
        _FREE_LOTS.where(Lot.expiry_date >= bindparam("today")).order_by(Lot.expiry_date, Lot.received_at, Lot.id),
        _FREE_LOTS.where(Lot.expiry_date.is_(None)).order_by(Lot.received_at, Lot.id),
    )
]


class Ledger:
    """One unit of work's view of stock.

    Lock order is always balances (sorted by depot, item) before their lots, so two writers
    touching the same stock wait for each other instead of deadlocking. On SQLite the writer's
    BEGIN IMMEDIATE already serializes; on PostgreSQL these are row locks (SELECT ... FOR UPDATE).
    Use as a context manager: leaving it announces every touched balance once (`stock.changed`).
    """

    def __init__(self, session: Session, *, actor: Actor, today: dt.date | None = None,
                 batch_id: uuid.UUID | None = None) -> None:
        self.session = session
        self.actor = actor
        self.today = today or clock.today()
        self.batch_id = batch_id or uuid.uuid4()
        self._touched: dict[Pair, Balance] = {}

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.announce()

    # --- locking --------------------------------------------------------------------------
    def lock_balances(self, pairs: Iterable[Pair]) -> dict[Pair, Balance]:
        """Lock (creating when missing) the balance rows of these depot/item pairs.

        Existing rows are locked first, in one sorted statement; the first stock of a depot/item then
        creates its row (a concurrent creator wins quietly) and locks it. Rows are never deleted, so
        two writers cannot each hold a row the other goes on to lock: nothing waits in a circle.
        """
        pairs = sorted(set(pairs))
        if not pairs:
            return {}
        locked = self._select_balances(pairs)
        missing = [pair for pair in pairs if pair not in locked]
        if missing:
            create = _CREATE_BALANCES[self.session.get_bind().dialect.name]
            # A Core insert: the depot's organisation is named here (the ORM's rows take it by themselves).
            owners = depot_owners(self.session.connection(), {w for w, _ in missing})
            self.session.execute(create, [{"warehouse_id": w, "item_id": i, "org_id": owners[w][0],
                                           "org_path": owners[w][1], **_NEW_BALANCE} for w, i in missing])
            locked.update(self._select_balances(missing))
        return {pair: locked[pair] for pair in pairs}

    def _select_balances(self, pairs: list[Pair]) -> dict[Pair, Balance]:
        rows = self.session.scalars(_BALANCES, {"warehouse_ids": sorted({w for w, _ in pairs}),
                                                "item_ids": sorted({i for _, i in pairs})})
        wanted = set(pairs)
        return {(b.warehouse_id, b.item_id): b for b in rows if (b.warehouse_id, b.item_id) in wanted}

    def lock_item_balances(self, item_ids: Iterable[uuid.UUID]) -> dict[Pair, Balance]:
        """Lock every depot's balance of these items (for requests that may draw from anywhere)."""
        rows = self.session.scalars(_ITEM_BALANCES, {"item_ids": sorted(set(item_ids))})
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

    def lots_by_id(self, lot_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Lot]:
        """These lots (of locked pairs), fresh from the database and locked."""
        lot_ids = sorted(set(lot_ids))
        if not lot_ids:
            return {}
        return {lot.id: lot for lot in self.session.scalars(_LOTS_BY_ID, {"lot_ids": lot_ids})}

    def lots_covering(self, lines: Iterable[Line], pairs: Iterable[Pair]) -> dict[uuid.UUID, Lot]:
        """The locked pairs' usable lots `allocate_fefo` needs to see for `lines`, locked: per scope of
        `coverage`, earliest expiry first until their free stock covers it. The draws are the same as
        over every lot, without loading the hundreds of lots a busy depot's item accumulates."""
        depots: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        for warehouse_id, item_id in pairs:
            depots[item_id].add(warehouse_id)
        found: dict[uuid.UUID, Lot] = {}
        for (item_id, warehouse_id), need in coverage(lines).items():
            scope = depots.get(item_id, set())
            if warehouse_id is not None:
                scope = scope & {warehouse_id}
            if not scope:
                continue
            params = {"item_id": item_id, "warehouse_ids": sorted(scope), "today": self.today}
            free = Decimal(0)
            for first, rest in _FEFO_PARTS:
                lots = list(self.session.scalars(first, params))
                if len(lots) == _FIRST_LOTS and free + sum(lot.free for lot in lots) < need:
                    lots += self.session.scalars(rest, params)
                found.update((lot.id, lot) for lot in lots)
                free += sum(lot.free for lot in lots)
                if free >= need:
                    break
        return found

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
        approved_by: str | None = None,
        counted_quantity: Decimal | None = None,
        expected_quantity: Decimal | None = None,
    ) -> Movement:
        """Append one ledger line and apply its deltas to the lot and the balance (already locked)."""
        if balance.on_hand + on_hand_delta > MAX_HELD:
            raise InvalidInput({"quantity": [
                f"This would bring the depot's stock of the item to {balance.on_hand + on_hand_delta}; one depot's "
                f"stock of an item can be at most {MAX_HELD}."]})
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
            approved_by=approved_by,
            counted_quantity=counted_quantity,
            expected_quantity=expected_quantity,
            actor_id=self.actor.id,
            actor_name=self.actor.name,
            request_id=current_request_id.get(),
        )
        self.session.add(movement)
        self.touch(balance, bump=False)
        return movement

    def touch(self, balance: Balance, *, bump: bool = True) -> None:
        """Mark a balance changed without a ledger line (a new quota, a lot that expired, a grounded unit)."""
        if bump:
            balance.version += 1
        self._touched[(balance.warehouse_id, balance.item_id)] = balance

    def announce(self) -> None:
        """One `stock.changed` per touched depot/item with its position after this unit of work,
        and `stock.below_quota` when available has just fallen below the reserve quota."""
        self.session.flush()
        balances = [balance for _, balance in sorted(self._touched.items(), key=lambda entry: entry[0])]
        positions = [position for start in range(0, len(balances), ANNOUNCE_CHUNK)
                     for position in positions_of(self.session, balances[start:start + ANNOUNCE_CHUNK],
                                                  today=self.today)]
        items, depots = self._names_of(balances)
        events = []
        for balance, position in zip(balances, positions):
            announced, balance.below_quota = position_events(
                position, depot=depots.get(position.warehouse_id), item=items.get(position.item_id),
                batch_id=self.batch_id, was_below_quota=balance.below_quota, owner=(balance.org_id, balance.org_path))
            events.extend(announced)
        outbox.add_all(self.session, events)
        self._touched.clear()

    def _names_of(self, balances: list[Balance]) -> tuple[dict, dict]:
        """The items and depots of these balances as events name them (a read per chunk of ids, not per balance)."""
        item_ids = sorted({b.item_id for b in balances})
        depot_ids = sorted({b.warehouse_id for b in balances})
        items, depots = {}, {}
        for start in range(0, len(item_ids), ANNOUNCE_CHUNK):
            chunk = item_ids[start:start + ANNOUNCE_CHUNK]
            found = self.session.scalars(select(Item).where(Item.id.in_(chunk)))
            items.update((item.id, item_snapshot(item)) for item in found)
        for start in range(0, len(depot_ids), ANNOUNCE_CHUNK):
            chunk = depot_ids[start:start + ANNOUNCE_CHUNK]
            depots.update((depot.id, depot_name(depot))
                          for depot in self.session.scalars(select(Warehouse).where(Warehouse.id.in_(chunk))))
        return items, depots


def position_events(position: Position, *, depot: DepotName | None, item: ItemSnapshot | None,
                    batch_id: uuid.UUID, was_below_quota: bool,
                    owner: tuple = (None, None)) -> tuple[list[Event], bool]:
    """`stock.changed` for a position after a change, and `stock.below_quota` if available has just dipped
    below the quota; with whether the position is now below it (what the balance row remembers).

    A dip is announced once; it is announced again only after stock has been back at or above the quota.
    `owner` is the depot's (org_id, org_path): the events carry its organisation."""
    org_id, org_path = owner
    events = [new_event(StockChanged(
        warehouse_id=position.warehouse_id, warehouse=depot, item_id=position.item_id, item=item,
        on_hand=position.on_hand, reserved=position.reserved, unusable=position.unusable,
        available=position.available, min_quantity=position.min_quantity, version=position.version,
        batch_id=batch_id, org_id=org_id, org_path=org_path), source=RESOURCES)]
    if position.below_quota and not was_below_quota:
        events.append(new_event(StockBelowQuota(
            warehouse_id=position.warehouse_id, item_id=position.item_id, available=position.available,
            min_quantity=position.min_quantity, shortfall=position.min_quantity - position.available, org_id=org_id),
            source=RESOURCES))
    return events, position.below_quota
