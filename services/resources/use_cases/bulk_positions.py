"""Stock added to many depot/item positions at once: their balance rows held, raised and announced in bulk.

What the Ledger does balance by balance through the ORM, done for thousands of positions in a few
statements. The outcome (new figures, rows, serialized events) is worked out before the write lock from a
read of the positions as they stand (`foresee`); under the lock their rows are read again (`hold`) and only a
position another writer changed in between is worked out anew, so the lock covers the statements alone.
A balance's `version` rises with every change to it or its lots, so an unchanged row is an unchanged position.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from contracts.events import DepotName, ItemSnapshot
from servicekit import outbox
from servicekit.db import utcnow
from servicekit.driver_rows import DriverStatement
from servicekit.rows import insert_ignore
from services.resources.models import Balance
from services.resources.use_cases.ledger import ANNOUNCE_CHUNK, MAX_HELD, Ledger, position_events
from services.resources.use_cases.positions import Position, unusable_stock

Pair = tuple[uuid.UUID, uuid.UUID]  # (warehouse_id, item_id)
ZERO = Decimal(0)

_B = Balance.__table__.c
# Positions per read of their rows: one statement of fixed size (its parameters made before the lock, the
# last chunk padded by repeating a pair), so the driver prepares it once. 2 × 2,000 ids: SQLite takes 32,766.
HELD_CHUNK = 2_000
_HELD = (
    select(_B.warehouse_id, _B.item_id, _B.on_hand, _B.reserved, _B.min_quantity, _B.below_quota, _B.version)
    .where(tuple_(_B.warehouse_id, _B.item_id).in_([
        tuple_(bindparam(f"warehouse_{n}", type_=_B.warehouse_id.type), bindparam(f"item_{n}", type_=_B.item_id.type))
        for n in range(HELD_CHUNK)]))
    .order_by(_B.warehouse_id, _B.item_id)
)
_READ_HELD, _LOCK_HELD = DriverStatement(_HELD), DriverStatement(_HELD.with_for_update())
_FIGURES = ("on_hand", "version", "below_quota")  # what a position's row gets, bound by these names in both
_CREATE = {
    dialect: DriverStatement(insert_ignore(dialect, Balance.__table__, keys=["warehouse_id", "item_id"]),
                             ("warehouse_id", "item_id", "org_id", "org_path", "reserved", "min_quantity", *_FIGURES,
                              "updated_at"))
    for dialect in ("postgresql", "sqlite")
}
_RAISE = DriverStatement(
    update(Balance.__table__)
    .where(_B.warehouse_id == bindparam("pair_warehouse"), _B.item_id == bindparam("pair_item")),
    (*_FIGURES, "updated_at"))


@dataclass(frozen=True)
class Held:
    """A balance row's values as read; `exists` is false for a row this unit of work creates."""

    on_hand: Decimal
    reserved: Decimal
    min_quantity: Decimal
    below_quota: bool
    version: int
    exists: bool = True


_NEW = Held(ZERO, ZERO, ZERO, False, 0, exists=False)


def _same(foreseen: Held, held: Held) -> bool:
    return foreseen is held or foreseen == held  # a row still missing is the one _NEW: no fields to compare


@dataclass(frozen=True)
class Addition:
    """What one position receives: the quantity, in how many ledger lines, and the names its event carries."""

    quantity: Decimal
    lines: int
    depot: DepotName
    item: ItemSnapshot
    owner: tuple  # the depot's (org_id, org_path): a new balance row belongs to its depot's organisation


@dataclass
class _Outcome:
    """A position after the receipts, worked out from `held`: its row to write and its events' outbox rows."""

    held: Held
    on_hand: Decimal
    row: Any
    events: list


class BulkPositions:
    """Positions that receive stock in one unit of work (the ledger's batch), in depot/item order."""

    def __init__(self, ledger: Ledger, additions: Mapping[Pair, Addition]) -> None:
        self.ledger = ledger
        self.session = ledger.session
        self.additions = dict(sorted(additions.items()))
        self.changed_at = utcnow()
        self._whole_file_locked = self.session.get_bind().dialect.name == "sqlite"
        self._create = _CREATE[self.session.get_bind().dialect.name].on(self.session)
        self._raise = _RAISE.on(self.session)
        self._read, self._lock = _READ_HELD.on(self.session), _LOCK_HELD.on(self.session)
        self._chunks = self._chunks_of(list(self.additions))
        self._outcomes: dict[Pair, _Outcome] = {}
        self.held: dict[Pair, Held] = {}

    def foresee(self, reads: Session) -> None:
        """Work every position's outcome out from the rows as `reads` sees them, before any lock is taken."""
        pairs = list(self.additions)
        held = self._select(reads, self._read, self._chunks)
        self._work_out({pair: held.get(pair, _NEW) for pair in pairs}, self._unusable(reads, pairs))

    def hold(self) -> dict[Pair, Held]:
        """Lock every position's balance row (on SQLite, the first statement takes the file's write lock) and
        work out again the positions another writer changed since `foresee`."""
        pairs = list(self.additions)
        held = self._select(self.session, self._lock, self._chunks)
        missing = [pair for pair in pairs if pair not in held]
        if missing and not self._whole_file_locked:
            # PostgreSQL locks rows: create the missing ones now (a concurrent creator wins quietly, as in
            # `Ledger.lock_balances`) and lock what is there. SQLite's writer holds the whole file, so
            # nobody can create them before `write` inserts them with their final figures.
            self._create.run(self.session, self._create.rows(self._new_values(pair) for pair in missing))
            held.update(self._select(self.session, self._lock, self._chunks_of(missing)))
        held = {pair: held.get(pair, _NEW) for pair in pairs}
        changed = [pair for pair in pairs if not _same(self._outcomes[pair].held, held[pair])]
        if changed:
            self._work_out({pair: held[pair] for pair in changed}, self._unusable(self.session, changed))
        self.held = held
        return held

    def overflowing(self) -> bool:
        """Whether any position would hold more than the ledger counts (the caller names the rows)."""
        return any(outcome.on_hand > MAX_HELD for outcome in self._outcomes.values())

    def write(self) -> None:
        """Write every position's row (one version step per ledger line) and queue its events, in depot/item
        order as `Ledger.announce` does: `stock.changed`, and `stock.below_quota` on a new dip."""
        outcomes = list(self._outcomes.values())
        self._create.run(self.session, [outcome.row for outcome in outcomes if not outcome.held.exists])
        self._raise.run(self.session, [outcome.row for outcome in outcomes if outcome.held.exists])
        outbox.add_rows(self.session, [row for outcome in outcomes for row in outcome.events])

    # --- working out ----------------------------------------------------------------------
    def _work_out(self, held: Mapping[Pair, Held], unusable: Mapping[Pair, Decimal]) -> None:
        worked = []
        for pair, before in held.items():
            addition = self.additions[pair]
            position = Position(pair[0], pair[1], before.on_hand + addition.quantity, before.reserved,
                                unusable.get(pair, ZERO), before.min_quantity, before.version + addition.lines)
            events, below_quota = position_events(position, depot=addition.depot, item=addition.item,
                                                  batch_id=self.ledger.batch_id, was_below_quota=before.below_quota,
                                                  owner=addition.owner)
            worked.append((pair, before, position, {"on_hand": position.on_hand, "version": position.version,
                                                    "below_quota": below_quota}, events))
        # Rows made a statement at a time (a value repeated down a column is converted once).
        raised = iter(self._raise.rows({"pair_warehouse": pair[0], "pair_item": pair[1], **figures,
                                        "updated_at": self.changed_at}
                                       for pair, before, _, figures, _ in worked if before.exists))
        created = iter(self._create.rows(self._new_values(pair, figures)
                                         for pair, before, _, figures, _ in worked if not before.exists))
        event_rows = iter(outbox.rows_of(self.session, [event for *_, events in worked for event in events]))
        for pair, before, position, _, events in worked:
            self._outcomes[pair] = _Outcome(before, position.on_hand, next(raised if before.exists else created),
                                            [next(event_rows) for _ in events])

    def _new_values(self, pair: Pair, figures: Mapping[str, Any] | None = None) -> dict[str, Any]:
        org_id, org_path = self.additions[pair].owner
        return {"warehouse_id": pair[0], "item_id": pair[1], "org_id": org_id, "org_path": org_path,
                "reserved": ZERO, "min_quantity": ZERO,
                **(figures or {"on_hand": ZERO, "version": 0, "below_quota": False}), "updated_at": self.changed_at}

    def _chunks_of(self, pairs: list[Pair]) -> list:
        rows = []
        for start in range(0, len(pairs), HELD_CHUNK):
            chunk = pairs[start:start + HELD_CHUNK]
            chunk += chunk[-1:] * (HELD_CHUNK - len(chunk))
            rows.append(self._read.row({name: value for n, (warehouse_id, item_id) in enumerate(chunk)
                                        for name, value in ((f"warehouse_{n}", warehouse_id), (f"item_{n}", item_id))}))
        return rows

    @staticmethod
    def _select(session: Session, statement, chunks: list) -> dict[Pair, Held]:
        found = {}
        for chunk in chunks:
            for warehouse_id, item_id, on_hand, reserved, min_quantity, below_quota, version in statement.fetch(
                    session, chunk):
                found[(warehouse_id, item_id)] = Held(on_hand, reserved, min_quantity, bool(below_quota), version)
        return found

    def _unusable(self, session: Session, pairs: list[Pair]) -> dict[Pair, Decimal]:
        # Receipts never add unusable stock (an expired receipt is refused, equipment is not imported), but the
        # positions' expired or grounded stock is part of what they announce.
        found: dict[Pair, Decimal] = {}
        for start in range(0, len(pairs), ANNOUNCE_CHUNK):
            chunk = pairs[start:start + ANNOUNCE_CHUNK]
            amounts = unusable_stock(session, today=self.ledger.today, item_ids={i for _, i in chunk},
                                     warehouse_ids={w for w, _ in chunk})
            found.update((pair, amounts[pair]) for pair in chunk if pair in amounts)
        return found
