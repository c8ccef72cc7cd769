"""First-expiry-first-out allocation of requested lines across lots: all lines or none."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Hashable, Iterable, Sequence

ZERO = Decimal(0)
_FAR_FUTURE = dt.date.max


@dataclass(frozen=True)
class LotStock:
    """What a lot can still give: its free quantity (on hand less already reserved)."""

    lot_id: Hashable
    warehouse_id: Hashable
    item_id: Hashable
    free: Decimal
    expiry_date: dt.date | None
    received_at: dt.datetime | None = None
    blocked: bool = False  # an equipment unit out of service


@dataclass(frozen=True)
class Line:
    item_id: Hashable
    quantity: Decimal
    warehouse_id: Hashable | None = None


@dataclass(frozen=True)
class Draw:
    """Take `quantity` from `lot`."""

    lot: LotStock
    quantity: Decimal


@dataclass(frozen=True)
class Shortfall:
    item_id: Hashable
    requested: Decimal
    available: Decimal
    warehouse_id: Hashable | None = None


class InsufficientStock(Exception):
    def __init__(self, shortfall: Sequence[Shortfall]) -> None:
        super().__init__(f"not enough stock for {len(shortfall)} line(s)")
        self.shortfall = list(shortfall)


def fefo_order(lot: LotStock) -> tuple:
    """Earliest expiry first; lots that never expire last; then oldest receipt first."""
    received = lot.received_at.timestamp() if lot.received_at else 0.0
    return (lot.expiry_date or _FAR_FUTURE, lot.expiry_date is None, received, str(lot.lot_id))


def usable(lot: LotStock, today: dt.date) -> bool:
    """An expired lot (past its expiry date) or a grounded unit is never drawn."""
    return lot.free > ZERO and not lot.blocked and (lot.expiry_date is None or lot.expiry_date >= today)


def combine(lines: Iterable[Line]) -> list[Line]:
    """One line per item and depot scope: two lines of 6 are one request for 12."""
    totals: dict[tuple[Hashable, Hashable | None], Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[(line.item_id, line.warehouse_id)] += line.quantity
    return [Line(item_id, quantity, warehouse_id) for (item_id, warehouse_id), quantity in totals.items()]


def coverage(lines: Iterable[Line]) -> dict[tuple[Hashable, Hashable | None], Decimal]:
    """How much usable stock, per item and depot scope (None: every depot), must be seen earliest expiry
    first for `allocate_fefo` to draw for `lines` exactly as it would over every lot.

    A depot-bound line needs its own quantity at its depot. The item's whole request across depots
    covers the free-floating lines: the bound lines take at most their quantity out of that prefix,
    which leaves enough for the rest. When a scope cannot be covered, all of it is seen, so a
    shortfall reports the same `available`.
    """
    needs: dict[tuple[Hashable, Hashable | None], Decimal] = defaultdict(Decimal)
    for line in combine(lines):
        needs[(line.item_id, None)] += line.quantity
        if line.warehouse_id is not None:
            needs[(line.item_id, line.warehouse_id)] += line.quantity
    return dict(needs)


def allocate_fefo(lines: Iterable[Line], lots: Iterable[LotStock], *, today: dt.date) -> list[Draw]:
    """Draws covering every line from the earliest-expiring usable lots, or InsufficientStock naming each short item.

    Lines for the same item and depot scope are combined first, so stock is never counted twice
    and a shortfall reports the whole request for that item.
    """
    lots = list(lots)
    remaining = {lot.lot_id: lot.free for lot in lots if usable(lot, today)}
    by_item: dict[Hashable, list[LotStock]] = defaultdict(list)
    for lot in lots:
        if lot.lot_id in remaining:
            by_item[lot.item_id].append(lot)
    for candidates in by_item.values():
        candidates.sort(key=fefo_order)

    draws: list[Draw] = []
    short: list[Shortfall] = []
    # Lines bound to a depot draw first, so a free-floating line cannot take what they need.
    for line in sorted(combine(lines), key=lambda candidate: candidate.warehouse_id is None):
        scope = [lot for lot in by_item.get(line.item_id, ())
                 if line.warehouse_id is None or lot.warehouse_id == line.warehouse_id]
        available = sum((remaining[lot.lot_id] for lot in scope), ZERO)
        if available < line.quantity:
            short.append(Shortfall(line.item_id, line.quantity, available, line.warehouse_id))
            continue
        needed = line.quantity
        for lot in scope:
            if needed <= ZERO:
                break
            take = min(remaining[lot.lot_id], needed)
            if take > ZERO:
                draws.append(Draw(lot, take))
                remaining[lot.lot_id] -= take
                needed -= take
    if short:
        raise InsufficientStock(short)
    return draws


def split_consumption(held: Sequence[tuple[Hashable, Decimal]], used: Decimal) -> list[Decimal]:
    """How much of each held part (in FEFO order) is used when `used` of their item was consumed."""
    parts = []
    for _key, quantity in held:
        take = min(quantity, used)
        parts.append(take)
        used -= take
    if used > ZERO:
        raise ValueError("consumed more than was held")
    return parts
