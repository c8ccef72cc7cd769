"""A requisition on the road and back: dispatch (the held stock leaves its depots on a waybill), receipt (what
arrived is signed for, the rest recorded lost) and the return that closes it (usable goods back to stock with
their batch and expiry, damaged ones handed back and written off, the rest used).

Once dispatched the goods are in none of the supplier's depots: `dispatch` takes them off the books, and `loss`
and `consumption` say what became of them without changing any depot's stock (written against the lot that
went). What comes back is a `return` into the depot it is handed to; a damaged part is then written off there
(`disposal`). So the ledger of each depot still sums to its balance. Every line carries the requisition's code
as its reference.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any, Mapping, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from contracts.events import RequisitionClosed, RequisitionDispatched
from servicekit import clock, scope
from servicekit.errors import InvalidInput, errors_at
from servicekit.signing import Actor
from services.resources.domain import requisitions as rules
from services.resources.domain.requisitions import Part
from services.resources.models import EquipmentUnit, Item, Lot, Warehouse
from services.resources.requisition_models import Requisition, RequisitionReturn
from services.resources.use_cases import reservations
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.requisition_events import announce
from services.resources.use_cases.requisition_records import locked, present, sides_of, took

ZERO = Decimal(0)


def _not_future(value: dt.datetime | None, now: dt.datetime, field: str) -> dt.datetime:
    if value is None:
        return now
    if value > now:
        raise InvalidInput({field: ["Cannot lie in the future."]})
    return value


def dispatch(requisition_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
             now: dt.datetime, today: dt.date) -> Requisition:
    """The held stock leaves the supplier's depots on the waybill (movement `dispatch`, lot by lot)."""
    requisition = locked(session, requisition_id)
    requisition.status = rules.next_status("dispatch", requisition.status, sides_of(requisition, actor))
    dispatched_at = _not_future(data.get("dispatched_at"), now, "dispatched_at")
    if clock.local_today(at=dispatched_at) < clock.local_today(at=requisition.approved_at):  # a plain date: that day
        raise InvalidInput({"dispatched_at": ["Cannot lie before the day it was approved."]})
    with scope.lifted(), Ledger(session, actor=actor, today=today) as ledger:
        held = reservations.hand_over(requisition.reservation_id, ledger=ledger, now=now, movement_type="dispatch",
                                      reference=requisition.code, close_reason=f"dispatched on {requisition.code}",
                                      reason=f"waybill {data['waybill_no']} to {requisition.destination}"[:500])
        _follow_the_hold(requisition, held, ledger.lots_by_id(a.lot_id for a in held.allocations))
    sent: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for allocation in requisition.allocations:
        sent[allocation.item_id] += allocation.quantity
    for line in requisition.lines:
        line.dispatched = sent[line.item_id]
    requisition.waybill_no, requisition.vehicle, requisition.driver = (
        data["waybill_no"], data.get("vehicle"), data.get("driver"))
    requisition.dispatched_at = dispatched_at
    took(requisition, "dispatched", actor, now)
    announce(session, RequisitionDispatched, requisition, waybill_no=data["waybill_no"], dispatched_at=dispatched_at)
    present(session, actor, [requisition])
    return requisition


def _follow_the_hold(requisition: Requisition, held, lots) -> None:
    """The requisition's lots as its hold has them when they leave: a held unit that went out of service since the
    approval had its hold moved to a usable one of the supplier's own (use_cases/equipment.py)."""
    by_position = {allocation.position: allocation for allocation in held.allocations}
    for allocation in requisition.allocations:
        now_held = by_position[allocation.position]
        if now_held.lot_id != allocation.lot_id:
            allocation.lot_id, allocation.warehouse_id = now_held.lot_id, now_held.warehouse_id
            allocation.expiry_date, allocation.batch_no = now_held.expiry_date, lots[now_held.lot_id].batch_no


def _per_item(lines: Sequence[Mapping[str, Any]], requisition: Requisition,
              session: Session) -> dict[uuid.UUID, Decimal]:
    """Quantities by item from `lines`, each item one of the requisition's and equipment in whole units (422 naming
    the line otherwise)."""
    asked = {line.item_id for line in requisition.lines}
    kinds = dict(session.execute(select(Item.id, Item.kind).where(Item.id.in_(asked))).all())
    totals: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for position, line in enumerate(lines):
        if line["item_id"] not in asked:
            raise InvalidInput(errors_at((("lines", position, "item_id"), "Not an item of this requisition.")))
        if kinds[line["item_id"]] == "equipment" and line["quantity"] != line["quantity"].to_integral_value():
            raise InvalidInput(errors_at((("lines", position, "quantity"), "Equipment comes in whole units.")))
        totals[line["item_id"]] += line["quantity"]
    return totals


def _parts(requisition: Requisition) -> dict[uuid.UUID, list[Part]]:
    """Each item's lots that went, in dispatch (first-expiry-first-out) order, with what became of them so far."""
    parts: dict[uuid.UUID, list[Part]] = defaultdict(list)
    for a in requisition.allocations:
        parts[a.item_id].append(Part(key=a, item_id=a.item_id, warehouse_id=a.warehouse_id, quantity=a.quantity,
                                     lost=a.lost, returned=a.returned, damaged=a.damaged))
    return parts


def receive(requisition_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
            now: dt.datetime, today: dt.date) -> Requisition:
    """Signed for at the destination: each dispatched item's quantity that arrived; the rest is a `loss`."""
    requisition = locked(session, requisition_id)
    requisition.status = rules.next_status("receive", requisition.status, sides_of(requisition, actor))
    arrived = _per_item(data["lines"], requisition, session)
    lines = {line.item_id: line for line in requisition.lines}
    problems = []
    if missing := [session.get(Item, item_id).code for item_id in lines if item_id not in arrived]:
        problems.append((("lines",), f"Say how much of {', '.join(sorted(missing))} arrived (0 if none arrived)."))
    for position, given in enumerate(data["lines"]):
        dispatched = lines[given["item_id"]].dispatched
        if arrived[given["item_id"]] > dispatched:
            problems.append((("lines", position, "quantity"), f"Only {dispatched} were dispatched."))
    if problems:
        raise InvalidInput(errors_at(*problems))
    parts = _parts(requisition)
    with scope.lifted(), Ledger(session, actor=actor, today=today) as ledger:
        losses = [(part, share, line) for item_id, line in lines.items()
                  for part, share in rules.apportion_loss(parts[item_id], line.dispatched - arrived[item_id])]
        balances = ledger.lock_balances((part.warehouse_id, part.item_id) for part, _, _ in losses)
        lots = ledger.lots_by_id(part.key.lot_id for part, _, _ in losses)
        for part, share, line in losses:
            ledger.record("loss", lot=lots[part.key.lot_id], balance=balances[(part.warehouse_id, part.item_id)],
                          quantity=share, reference=requisition.code,
                          reason=f"short on receipt: {arrived[line.item_id]} of {line.dispatched} arrived")
            part.key.lost = part.lost
    for item_id, line in lines.items():
        line.received, line.lost = arrived[item_id], line.dispatched - arrived[item_id]
    requisition.received_by, requisition.received_at = data["received_by"], now
    requisition.receive_note = data.get("note")
    took(requisition, "received", actor, now)
    present(session, actor, [requisition])
    return requisition


def _return_depots(session: Session, lines: Sequence[Mapping[str, Any]],
                   requisition: Requisition) -> dict[int, Warehouse]:
    """The depot of each return line (by id or code), which must be one of the supplying organisation's (422
    naming the line otherwise)."""
    found = {}
    for position, line in enumerate(lines):
        warehouse_id, code = line.get("warehouse_id"), line.get("warehouse_code")
        field = ("lines", position, "warehouse_code" if warehouse_id is None and code is not None else "warehouse_id")
        if warehouse_id is None and code is None:
            raise InvalidInput(errors_at((field, "Give the depot the goods come back to (warehouse_id or "
                                                 "warehouse_code).")))
        # The supplier's depots, named by the requesting side that brings the goods back: read system-wide,
        # and only whether it is one of the supplier's is told.
        query = select(Warehouse).execution_options(**scope.ALL_SCOPES)
        depot = session.scalar(query.where(Warehouse.id == warehouse_id) if warehouse_id is not None
                               else query.where(Warehouse.code == code))
        if depot is None or depot.org_path != requisition.counterpart_org_path or (
                code is not None and depot.code != code):
            raise InvalidInput(errors_at((field, "Not a depot of the supplying organisation.")))
        left_from = {(a.warehouse_id, a.item_id) for a in requisition.allocations}
        # A retired depot takes no new stock; what left it may still come home (a unit keeps its depot).
        if line["condition"] == rules.USABLE and not depot.active and (depot.id, line["item_id"]) not in left_from:
            raise InvalidInput(errors_at((field, f"Depot {depot.code} is retired; it takes no stock.")))
        found[position] = depot
    return found


def _shares(requisition: Requisition, lines: Sequence[Mapping[str, Any]], depots: Mapping[int, Warehouse],
            session: Session) -> tuple[list, dict[uuid.UUID, list[Part]]]:
    """Each return line shared out over the lots that went (domain/requisitions.py), 422 naming an excess."""
    parts = _parts(requisition)
    kinds = dict(session.execute(select(Item.id, Item.kind).where(Item.id.in_(parts))).all())
    shares = []
    for position, line in enumerate(lines):
        equipment = kinds.get(line["item_id"]) == "equipment"
        try:
            taken = rules.apportion_return(parts[line["item_id"]], line["quantity"], condition=line["condition"],
                                           warehouse_id=depots[position].id, same_depot_only=equipment)
        except ValueError:
            rule = "equipment goes back to the depot it left" if equipment else "more than arrived and is left"
            raise InvalidInput(errors_at((("lines", position, "quantity"),
                                          f"More than can come back here ({rule})."))) from None
        shares.extend((line["condition"], depots[position], part, take) for part, take in taken)
    return shares, parts


def return_goods(requisition_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
                 now: dt.datetime, today: dt.date) -> Requisition:
    """What is left comes back and closes the requisition: usable goods to stock (`return`), onto the lot they
    left when they come back to its depot, else as a lot of their own with its batch and expiry; damaged ones
    written off (`disposal`); whatever arrived and did not come back was used (`consumption`)."""
    requisition = locked(session, requisition_id)
    requisition.status = rules.next_status("return", requisition.status, sides_of(requisition, actor))
    _per_item(data["lines"], requisition, session)
    depots = _return_depots(session, data["lines"], requisition)
    shares, parts = _shares(requisition, data["lines"], depots, session)
    every_part = [part for item_parts in parts.values() for part in item_parts]
    with scope.lifted(), Ledger(session, actor=actor, today=today) as ledger:
        pairs = {(part.warehouse_id, part.item_id) for part in every_part}
        pairs |= {(depot.id, part.item_id) for _, depot, part, _ in shares}
        balances = ledger.lock_balances(pairs)
        lots = ledger.lots_by_id(part.key.lot_id for part in every_part)
        new_lots: dict[tuple, Lot] = {}
        code = requisition.code
        for condition, depot, part, take in shares:
            source = lots[part.key.lot_id]
            lot = source if depot.id == part.warehouse_id else _lot_like(session, new_lots, source, depot)
            balance = balances[(depot.id, part.item_id)]
            ledger.record("return", lot=lot, balance=balance, quantity=take, on_hand_delta=take, reference=code,
                          reason=f"returned {condition}")
            if condition == rules.DAMAGED:  # back at the depot it was handed to, and written off there
                ledger.record("disposal", lot=lot, balance=balance, quantity=take, on_hand_delta=-take,
                              reference=code, reason="damaged")
                _retire_units(session, lot, code)
        for part in every_part:
            if part.unaccounted > ZERO:
                ledger.record("consumption", lot=lots[part.key.lot_id],
                              balance=balances[(part.warehouse_id, part.item_id)], quantity=part.unaccounted,
                              reference=code, reason="used")
            allocation = part.key
            allocation.returned, allocation.damaged, allocation.consumed = part.returned, part.damaged, part.unaccounted
    _close(requisition, data, depots, parts, now)
    took(requisition, "returned", actor, now)
    announce(session, RequisitionClosed, requisition, closed_at=now)
    present(session, actor, [requisition])
    return requisition


def _lot_like(session: Session, made: dict[tuple, Lot], source: Lot, depot: Warehouse) -> Lot:
    """A lot at `depot` with the batch and expiry of `source` (one per batch for this return), empty until the
    `return` line fills it."""
    key = (depot.id, source.item_id, source.batch_no, source.expiry_date)
    if key not in made:
        made[key] = Lot(id=uuid.uuid4(), warehouse_id=depot.id, item_id=source.item_id, batch_no=source.batch_no,
                        expiry_date=source.expiry_date, quantity=ZERO, reserved=ZERO)
        session.add(made[key])
        session.flush()
    return made[key]


def _retire_units(session: Session, lot: Lot, code: str) -> None:
    """A damaged piece of equipment came back written off: its unit is retired, never to be reserved again."""
    session.execute(update(EquipmentUnit).where(EquipmentUnit.lot_id == lot.id)
                    .values(status="retired", status_reason=f"damaged on requisition {code}"))


def _close(requisition: Requisition, data: Mapping[str, Any], depots: Mapping[int, Warehouse],
           parts: Mapping[uuid.UUID, list[Part]], now: dt.datetime) -> None:
    for line in requisition.lines:
        item_parts = parts.get(line.item_id, [])
        line.returned = sum((part.returned for part in item_parts), ZERO)
        line.damaged = sum((part.damaged for part in item_parts), ZERO)
        line.consumed = sum((part.unaccounted for part in item_parts), ZERO)
    requisition.returns = [RequisitionReturn(position=position, item_id=line["item_id"], quantity=line["quantity"],
                                             warehouse_id=depots[position].id, condition=line["condition"])
                           for position, line in enumerate(data["lines"])]
    requisition.return_note, requisition.closed_at = data.get("note"), now
