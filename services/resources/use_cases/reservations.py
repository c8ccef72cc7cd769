"""Reservations: hold stock all-or-nothing (FEFO), then release it or consume what was used."""
from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from contracts.events import Line as UsedLine, ReservationConsumed, ReservationHeld, ReservationReleased
from servicekit import scope
from servicekit.errors import Conflict, InvalidInput, NotFound
from servicekit.signing import Actor
from servicekit.lookups import one
from services.resources.domain import reservations as life
from services.resources.domain.allocation import InsufficientStock, Line, allocate_fefo, split_consumption
from services.resources.metrics import reservation_outcome
from services.resources.models import Allocation, Item, Reservation
from services.resources.use_cases.catalog import get_warehouse, item_reference, warehouse_reference
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.owners import common_owner
from services.resources.use_cases.lots import lot_stock
from services.resources.use_cases.reservation_events import announce

SYSTEM = Actor(id="system", name="resources-worker", role="system")


class StockShortfall(Conflict):
    """Not enough available stock for every line; nothing was held."""

    def __init__(self, shortfall: list[dict[str, Any]]) -> None:
        items = ", ".join(str((line.get("item") or {}).get("code") or line["item_id"]) for line in shortfall)
        super().__init__(f"Not enough stock available for {items}; nothing was held.", shortfall=shortfall)
        self.shortfall = shortfall


def shortfall_lines(session: Session, short: InsufficientStock) -> list[dict[str, Any]]:
    """A 409's (and reservation.rejected's) `shortfall`: per item, what was asked and what there is, with the
    item (and depot, for a line bound to one) named beside its id."""
    return [{"item_id": s.item_id, "item": item_reference(session, s.item_id), "requested": s.requested,
             "available": s.available,
             **({"warehouse_id": s.warehouse_id, "warehouse": warehouse_reference(session, s.warehouse_id)}
                if s.warehouse_id else {})} for s in short.shortfall]


def reserve(lines: Sequence[Mapping[str, Any]], *, reference: str, expires_at: dt.datetime | None,
            session: Session, actor: Actor, now: dt.datetime, today: dt.date,
            reads: Session | None = None, within: tuple | None = None, own_depots_only: bool = False) -> Reservation:
    """Hold every line or none; StockShortfall (with `shortfall`) when any line cannot be covered.
    `reads` serves the catalog lookup made before any lock (an item's kind never changes). `within`, an
    organisation (org_id, org_path) a service asks for (a drill's plan's), draws only from depots in its
    subtree (with `own_depots_only`, from its own depots, not those of the organisations below it), and the
    reservation belongs to it."""
    if expires_at is not None:
        try:
            expires_at = expires_at.astimezone(dt.timezone.utc)
        except OverflowError:  # e.g. 9999-12-31T23:59:59-05:00 lies past the last representable UTC instant
            raise InvalidInput({"expires_at": ["Out of range."]}) from None
        if expires_at <= now:
            raise InvalidInput({"expires_at": ["Must be in the future."]})
    wanted = [Line(line["item_id"], line["quantity"], line.get("warehouse_id")) for line in lines]
    item_ids = {line.item_id for line in wanted}
    kinds = dict((reads or session).execute(select(Item.id, Item.kind).where(Item.id.in_(item_ids))).all())
    if unknown := item_ids - set(kinds):
        raise InvalidInput({"lines": [f"No item {item_id}." for item_id in sorted(map(str, unknown))]})
    if fractional := [str(line.item_id) for line in wanted
                      if kinds[line.item_id] == "equipment" and line.quantity != line.quantity.to_integral_value()]:
        raise InvalidInput({"lines": [f"Item {item_id} is equipment, reserved in whole units." for item_id in fractional]})
    for warehouse_id in sorted({line.warehouse_id for line in wanted if line.warehouse_id is not None}):
        depot = get_warehouse(warehouse_id, session=reads or session)  # 404 for a depot outside the caller's scope
        if within is not None and not _drawable(depot.org_path, within[1], own_depots_only):
            raise InvalidInput({"lines": [f"Depot {depot.code} belongs to {depot.org_path}, outside {within[1]}; "
                                          "only depots of that organisation" + ("" if own_depots_only else
                                                                                " and below it") +
                                          " may be drawn from."]})
    with Ledger(session, actor=actor, today=today) as ledger:
        locked = lock_items_releasing_expired(ledger, item_ids, now=now)
        drawable = locked if within is None else {
            pair: balance for pair, balance in locked.items()
            if _drawable(balance.org_path, within[1], own_depots_only)}
        lots = ledger.lots_covering(wanted, drawable)
        try:
            draws = allocate_fefo(wanted, [lot_stock(lot) for lot in lots.values()], today=today)
        except InsufficientStock as short:
            reservation_outcome("shortfall", session=session)
            raise StockShortfall(shortfall_lines(session, short)) from None
        org_id, org_path = within or _owner(session, actor, [lots[draw.lot.lot_id] for draw in draws])
        reservation = Reservation(id=uuid.uuid4(), reference=reference, status=life.HELD, expires_at=expires_at,
                                  actor_id=actor.id, actor_name=actor.name, org_id=org_id, org_path=org_path)
        session.add(reservation)
        for position, draw in enumerate(draws):
            lot = lots[draw.lot.lot_id]
            session.add(Allocation(reservation=reservation, position=position, lot_id=lot.id,
                                   warehouse_id=lot.warehouse_id, item_id=lot.item_id, quantity=draw.quantity,
                                   consumed=Decimal(0), expiry_date=lot.expiry_date))
            ledger.record("reservation", lot=lot, balance=locked[(lot.warehouse_id, lot.item_id)],
                          quantity=draw.quantity, reserved_delta=draw.quantity, reservation_id=reservation.id,
                          reference=reference)
        session.flush()
    announce(session, ReservationHeld, reservation)
    reservation_outcome("reserved", session=session)
    return reservation


def _drawable(depot_path: str, within_path: str, own_depots_only: bool) -> bool:
    return depot_path == within_path if own_depots_only else depot_path.startswith(within_path)


def _owner(session: Session, actor: Actor, lots) -> tuple:
    """A reservation belongs to the organisation that asked; one asked for by a service (a drill) to the
    nearest organisation above every depot it draws from, so whoever sees all of those depots sees it."""
    if scope.is_scoped(actor) and actor.org_path:
        return (uuid.UUID(actor.org_id) if actor.org_id else None), actor.org_path
    return common_owner(session, {lot.org_path for lot in lots})


# A reservation with its allocations in one statement, the reservation row locked: allocations never
# change once made, and PostgreSQL cannot lock the outer-joined side anyway. Built once.
_LOCKED = (select(Reservation).where(Reservation.id == bindparam("reservation_id"))
           .options(joinedload(Reservation.allocations))
           .with_for_update(of=Reservation).execution_options(populate_existing=True))


def get(reservation_id: uuid.UUID, *, session: Session, for_update: bool = False) -> Reservation:
    if not for_update:
        return one(session, Reservation, reservation_id, name="reservation")
    reservation = session.scalars(_LOCKED, {"reservation_id": reservation_id}).unique().one_or_none()
    if reservation is None:
        raise NotFound(f"No reservation {reservation_id}.")
    return reservation


def _held_pairs(reservation_id: uuid.UUID, *, session: Session) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """The depot/item pairs a reservation holds. Allocations never change once made, so an unlocked
    read (even one made before the write transaction) names the right balances."""
    return {tuple(pair) for pair in session.execute(select(Allocation.warehouse_id, Allocation.item_id)
                                                    .where(Allocation.reservation_id == reservation_id))}


def _lock_for(ledger: Ledger, reservation_id: uuid.UUID, pairs: set[tuple[uuid.UUID, uuid.UUID]]):
    """Lock a reservation's balances, then the reservation itself, then its lots: the one lock order."""
    balances = ledger.lock_balances(pairs)
    reservation = get(reservation_id, session=ledger.session, for_update=True)
    lots = ledger.lots_by_id(allocation.lot_id for allocation in reservation.allocations)
    return reservation, balances, lots


def _close(reservation: Reservation, status: str, reason: str, now: dt.datetime) -> None:
    reservation.status = status
    reservation.closed_at = now
    reservation.close_reason = reason


def release(reservation_id: uuid.UUID, *, session: Session, actor: Actor, now: dt.datetime,
            reason: str = life.RELEASED_ON_REQUEST, reads: Session | None = None) -> Reservation:
    pairs = _held_pairs(reservation_id, session=reads or session)
    with Ledger(session, actor=actor) as ledger:
        reservation, balances, lots = _lock_for(ledger, reservation_id, pairs)
        released = life.closing(reservation.id, reservation.status, life.RELEASED)
        for allocation in reservation.allocations:
            ledger.record("release", lot=lots[allocation.lot_id],
                          balance=balances[(allocation.warehouse_id, allocation.item_id)],
                          quantity=allocation.quantity, reserved_delta=-allocation.quantity,
                          reservation_id=reservation.id, reference=reservation.reference, reason=reason)
        _close(reservation, released, reason, now)
    announce(session, ReservationReleased, reservation, reason=reason)
    reservation_outcome(life.release_outcome(reason), session=session)
    return reservation


def consume(reservation_id: uuid.UUID, used: Iterable[Mapping[str, Any]], *, session: Session, actor: Actor,
            now: dt.datetime) -> Reservation:
    """Use `used` quantities (earliest-expiring allocations first) and release the rest."""
    reservation = get(reservation_id, session=session)
    life.closing(reservation.id, reservation.status, life.CONSUMED)
    life.refuse_expired(reservation.id, reservation.expires_at, now)
    used_by_item: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for line in used:
        used_by_item[line["item_id"]] += line["quantity"]
    held_by_item: dict[uuid.UUID, list[Allocation]] = defaultdict(list)
    for allocation in reservation.allocations:
        held_by_item[allocation.item_id].append(allocation)
    over = [{"item_id": item_id, "item": item_reference(session, item_id), "requested": quantity,
             "reserved": sum((a.quantity for a in held_by_item.get(item_id, ())), Decimal(0))}
            for item_id, quantity in used_by_item.items()
            if quantity > sum((a.quantity for a in held_by_item.get(item_id, ())), Decimal(0))]
    if over:
        raise Conflict("Cannot consume more than the reservation holds.", excess=over)
    with Ledger(session, actor=actor) as ledger:
        reservation, balances, lots = _lock_for(ledger, reservation_id,
                                                {(a.warehouse_id, a.item_id) for a in reservation.allocations})
        consumed = life.closing(reservation.id, reservation.status, life.CONSUMED)
        for item_id, allocations in held_by_item.items():
            parts = split_consumption([(a.id, a.quantity) for a in allocations], used_by_item.get(item_id, Decimal(0)))
            for allocation, take in zip(allocations, parts):
                lot, balance = lots[allocation.lot_id], balances[(allocation.warehouse_id, allocation.item_id)]
                common = dict(lot=lot, balance=balance, reservation_id=reservation.id, reference=reservation.reference)
                if take > 0:
                    ledger.record("consumption", quantity=take, on_hand_delta=-take, reserved_delta=-take, **common)
                if (rest := allocation.quantity - take) > 0:
                    ledger.record("release", quantity=rest, reserved_delta=-rest, reason=life.NOT_USED, **common)
                allocation.consumed = take
        _close(reservation, consumed, life.USED, now)
    announce(session, ReservationConsumed, reservation,
             consumed=[UsedLine(item_id=item_id, quantity=quantity) for item_id, quantity in used_by_item.items()])
    reservation_outcome("consumed", session=session)
    return reservation


# Built once: every reservation and issue asks this under the write lock.
_EXPIRED = select(Reservation.id).where(Reservation.status == life.HELD, Reservation.expires_at <= bindparam("now"))
_EXPIRED_HOLDING = _EXPIRED.where(
    select(Allocation.id).where(Allocation.reservation_id == Reservation.id,
                                Allocation.item_id.in_(bindparam("item_ids", expanding=True))).exists())


def _expired(session: Session, now: dt.datetime, item_ids: Iterable[uuid.UUID] | None) -> list[uuid.UUID]:
    if item_ids is None:
        return list(session.scalars(_EXPIRED, {"now": now}))
    return list(session.scalars(_EXPIRED_HOLDING, {"now": now, "item_ids": sorted(set(item_ids))}))


def release_expired(*, session: Session, now: dt.datetime, item_ids: Iterable[uuid.UUID] | None = None) -> int:
    """Release held reservations past `expires_at` (all, or those touching `item_ids`)."""
    expired = _expired(session, now, item_ids)
    if not expired:
        return 0
    # Lock every balance the releases will touch at once, sorted, before releasing one by one.
    pairs = session.execute(select(Allocation.warehouse_id, Allocation.item_id)
                            .where(Allocation.reservation_id.in_(expired)).distinct()).all()
    with Ledger(session, actor=SYSTEM) as ledger:
        ledger.lock_balances([tuple(pair) for pair in pairs])
    for reservation_id in expired:
        release(reservation_id, session=session, actor=SYSTEM, now=now, reason=life.EXPIRED)
    return len(expired)


def hand_over(reservation_id: uuid.UUID, *, ledger: Ledger, now: dt.datetime, movement_type: str,
              reference: str, reason: str, close_reason: str) -> Reservation:
    """Everything a held reservation holds leaves its depots as `movement_type` (a requisition's dispatch): one
    ledger line per lot (with `reason`), on hand and reserved both down; the reservation is consumed (with
    `close_reason`, at most 200 characters). Inside the caller's ledger, so the step that hands over records its
    own lines in the same unit of work."""
    pairs = _held_pairs(reservation_id, session=ledger.session)
    reservation, balances, lots = _lock_for(ledger, reservation_id, pairs)
    consumed = life.closing(reservation.id, reservation.status, life.CONSUMED)
    for allocation in reservation.allocations:
        quantity = allocation.quantity
        ledger.record(movement_type, lot=lots[allocation.lot_id],
                      balance=balances[(allocation.warehouse_id, allocation.item_id)], quantity=quantity,
                      on_hand_delta=-quantity, reserved_delta=-quantity, reservation_id=reservation.id,
                      reference=reference, reason=reason)
        allocation.consumed = quantity
    _close(reservation, consumed, close_reason, now)
    return reservation


def lock_items_releasing_expired(ledger: Ledger, item_ids: Iterable[uuid.UUID], *, now: dt.datetime):
    """Lock every depot's balance of `item_ids` and give back their expired holds before anything is drawn.

    The balances of the expired holds' other items are locked in the same sorted statement, so
    this never takes a lock out of order.
    """
    item_ids = set(item_ids)
    expired = _expired(ledger.session, now, item_ids)
    related: set[uuid.UUID] = set()
    if expired:  # usually none: then there is nothing more to ask
        related = set(ledger.session.scalars(select(Allocation.item_id).where(Allocation.reservation_id.in_(expired))))
    locked = ledger.lock_item_balances(item_ids | related)
    for reservation_id in expired:
        release(reservation_id, session=ledger.session, actor=SYSTEM, now=now, reason=life.EXPIRED)
    return {pair: balance for pair, balance in locked.items() if pair[1] in item_ids}


def active_for_reference(reference: str, *, session: Session) -> list[Reservation]:
    return list(session.scalars(select(Reservation).where(
        Reservation.reference == reference, Reservation.status == life.HELD).order_by(Reservation.created_at)))
