"""Serial-numbered equipment: registering a unit is its receipt; inspections keep it in or take it out of service."""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any, Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from servicekit import clock
from servicekit.errors import Conflict, InvalidInput
from servicekit.signing import Actor
from services.resources.domain.reservations import HELD
from services.resources.models import Allocation, Balance, EquipmentUnit, Inspection, Lot, Reservation
from servicekit.pagination import page_of
from servicekit.lookups import one
from services.resources.use_cases.catalog import get_item, get_warehouse, name_rows, refuse_stock_into_retired
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.requisition_records import held_for_requisition

ONE = Decimal(1)
log = logging.getLogger("erdm.resources.equipment")


def _due_after(day: dt.date, interval_days: int | None) -> dt.date | None:
    return day + dt.timedelta(days=interval_days) if interval_days else None


def register(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date) -> EquipmentUnit:
    """A new unit in a depot: a lot of one, received into the ledger, due for inspection after the item's interval."""
    warehouse = get_warehouse(data["warehouse_id"], session=session)
    item = get_item(data["item_id"], session=session)
    refuse_stock_into_retired(warehouse=warehouse, item=item)
    if item.kind != "equipment":
        raise Conflict(f"Item {item.code} is a material; receive it with POST /api/v1/stock/receipts.",
                       field="item_id")
    duplicate = session.scalar(select(EquipmentUnit.id).where(
        EquipmentUnit.item_id == item.id, EquipmentUnit.serial_no == data["serial_no"]))
    if duplicate is not None:
        raise Conflict(f"{item.code} unit {data['serial_no']} is already registered.", field="serial_no")
    pair = (warehouse.id, item.id)
    with Ledger(session, actor=actor, today=today) as ledger:
        balance = ledger.lock_balances([pair])[pair]
        lot = Lot(id=uuid.uuid4(), warehouse_id=warehouse.id, item_id=item.id, batch_no=data["serial_no"],
                  expiry_date=None, quantity=Decimal(0), reserved=Decimal(0))
        session.add(lot)
        ledger.record("receipt", lot=lot, balance=balance, quantity=ONE, on_hand_delta=ONE,
                      note=f"equipment unit {data['serial_no']}")
        session.flush()  # the lot row must exist before the unit that references it
        unit = EquipmentUnit(id=uuid.uuid4(), item_id=item.id, warehouse_id=warehouse.id, lot_id=lot.id,
                             serial_no=data["serial_no"], status="in_service",
                             commissioned_on=data.get("commissioned_on"), note=data.get("note"),
                             next_inspection_due=data.get("next_inspection_due")
                             or _due_after(today, item.inspection_interval_days))
        session.add(unit)
    return unit


def get(unit_id: uuid.UUID, *, session: Session, for_update: bool = False) -> EquipmentUnit:
    return one(session, EquipmentUnit, unit_id, name="equipment unit", for_update=for_update)


def units(*, session: Session, warehouse_id=None, item_id=None, status=None, serial_no=None, due_before=None,
          page: int, per_page: int) -> dict[str, Any]:
    query = select(EquipmentUnit).order_by(EquipmentUnit.item_id, EquipmentUnit.serial_no)
    for column, value in ((EquipmentUnit.warehouse_id, warehouse_id), (EquipmentUnit.item_id, item_id),
                          (EquipmentUnit.status, status), (EquipmentUnit.serial_no, serial_no)):
        if value:
            query = query.where(column == value)
    if due_before:
        query = query.where(EquipmentUnit.next_inspection_due <= due_before)
    result = page_of(session, query, page=page, per_page=per_page)
    name_rows(session, result["items"])
    return result


def _set_status(unit: EquipmentUnit, status: str, reason: str | None, *, ledger: Ledger) -> None:
    """Change a unit's status; its lot is blocked whenever it is not in service, and its balance re-announced.

    The caller has locked every depot's balance of the unit's item (`ledger.lock_item_balances`).
    """
    if unit.status == status:
        unit.status_reason = reason
        return
    unit.status, unit.status_reason = status, reason
    balances = ledger.lock_item_balances([unit.item_id])
    lot = ledger.session.get(Lot, unit.lot_id, with_for_update=True, populate_existing=True)
    lot.blocked = status != "in_service"
    ledger.touch(balances[(unit.warehouse_id, unit.item_id)])
    if lot.blocked and lot.reserved > 0:
        _move_holds_off(lot, balances, ledger=ledger)


def _move_holds_off(grounded: Lot, balances, *, ledger: Ledger) -> None:
    """A unit out of service is never reserved: each hold on it moves to a usable unit of the same item
    (the same depot first). With none to be had the hold stays, and the unit's alert shows why."""
    session = ledger.session
    holds = session.scalars(select(Allocation).join(Reservation).where(
        Allocation.lot_id == grounded.id, Reservation.status == HELD)).all()
    for allocation in holds:
        owner = allocation.reservation.org_path
        # A requisition draws on its supplier's own depots only (use_cases/requisitions.py), never those below it.
        within = (Lot.org_path == owner) if held_for_requisition(session, allocation.reservation_id) else \
            Lot.org_path.startswith(owner, autoescape=True)
        replacement = session.scalar(
            select(Lot).where(Lot.item_id == grounded.item_id, Lot.id != grounded.id, Lot.blocked.is_(False),
                              Lot.quantity - Lot.reserved >= allocation.quantity,
                              or_(Lot.expiry_date.is_(None), Lot.expiry_date >= ledger.today),
                              within)  # never from a depot outside the organisation the reservation belongs to
            .order_by((Lot.warehouse_id != allocation.warehouse_id), Lot.received_at).limit(1)
            .with_for_update())
        if replacement is None:
            log.warning("unit lot %s is out of service but still held by reservation %s: no replacement in stock",
                        grounded.id, allocation.reservation_id)
            continue
        common = dict(quantity=allocation.quantity, reservation_id=allocation.reservation_id,
                      reference=allocation.reservation.reference)
        ledger.record("release", lot=grounded, balance=balances[(grounded.warehouse_id, grounded.item_id)],
                      reserved_delta=-allocation.quantity, reason="unit out of service", **common)
        ledger.record("reservation", lot=replacement,
                      balance=balances[(replacement.warehouse_id, replacement.item_id)],
                      reserved_delta=allocation.quantity, reason="replaces a unit out of service", **common)
        allocation.lot_id, allocation.warehouse_id = replacement.id, replacement.warehouse_id
        allocation.org_id, allocation.org_path = replacement.org_id, replacement.org_path
        allocation.expiry_date = replacement.expiry_date


def inspect(unit_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
            today: dt.date, now: dt.datetime) -> Inspection:
    """Record an inspection: pass returns the unit to service, fail takes it out; the next one falls due."""
    try:
        inspected_at = data["inspected_at"].astimezone(dt.timezone.utc)
    except OverflowError:  # e.g. 0001-01-01T00:00+08:00 lies before the first representable UTC instant
        raise InvalidInput({"inspected_at": ["Out of range."]}) from None
    if inspected_at > now + dt.timedelta(minutes=5):
        raise InvalidInput({"inspected_at": ["Must not be in the future."]})
    unit = get(unit_id, session=session)
    if unit.status == "retired":
        raise Conflict(f"Unit {unit.serial_no} is retired; it is no longer inspected.", current_status=unit.status)
    item = get_item(unit.item_id, session=session)
    with Ledger(session, actor=actor, today=today) as ledger:
        ledger.lock_item_balances([unit.item_id])  # balances before units: the one lock order
        unit = get(unit_id, session=session, for_update=True)
        # The day it happened on the bureau's calendar, whatever offset the inspector's device sent.
        inspection_day = clock.local_today(at=inspected_at)
        due = _due_after(inspection_day, item.inspection_interval_days)
        inspection = Inspection(id=uuid.uuid4(), unit_id=unit.id, result=data["result"], inspected_at=inspected_at,
                                inspector=data["inspector"], note=data.get("note"), next_inspection_due=due,
                                actor_id=actor.id, actor_name=actor.name)
        session.add(inspection)
        # An older inspection entered late must not overrule a newer one.
        if unit.last_inspected_at is None or inspected_at >= unit.last_inspected_at:
            unit.last_inspected_at = inspected_at
            unit.next_inspection_due = due
            overdue = due is not None and due < today
            if data["result"] == "fail":
                _set_status(unit, "out_of_service", f"failed inspection: {data.get('note') or 'no note'}", ledger=ledger)
            elif overdue:
                _set_status(unit, "out_of_service", "inspection overdue", ledger=ledger)
            else:
                _set_status(unit, "in_service", None, ledger=ledger)
    session.refresh(unit)
    return inspection


def retire(unit_id: uuid.UUID, reason: str, *, session: Session, actor: Actor, today: dt.date) -> EquipmentUnit:
    """Take a unit off the books for good (scrapped, lost): its lot leaves the ledger with an adjustment."""
    with Ledger(session, actor=actor, today=today) as ledger:
        unit = get(unit_id, session=session)
        pair = (unit.warehouse_id, unit.item_id)
        balance: Balance = ledger.lock_item_balances([unit.item_id])[pair]
        unit = get(unit_id, session=session, for_update=True)
        if unit.status == "retired":
            raise Conflict(f"Unit {unit.serial_no} is already retired.", current_status=unit.status)
        lot = session.get(Lot, unit.lot_id, with_for_update=True, populate_existing=True)
        if lot.reserved > 0:
            raise Conflict(f"Unit {unit.serial_no} is reserved; release the reservation first.")
        _set_status(unit, "retired", reason, ledger=ledger)
        if lot.quantity > 0:
            ledger.record("adjustment", lot=lot, balance=balance, quantity=lot.quantity, on_hand_delta=-lot.quantity,
                          reason=f"retired: {reason}", counted_quantity=Decimal(0), expected_quantity=lot.quantity)
    return unit


def ground_overdue(*, session: Session, actor: Actor, today: dt.date) -> int:
    """The sweep: every in-service unit whose inspection is overdue goes out of service (once)."""
    overdue = session.execute(
        select(EquipmentUnit.id, EquipmentUnit.warehouse_id, EquipmentUnit.item_id)
        .join(Lot, Lot.id == EquipmentUnit.lot_id)
        .where(EquipmentUnit.status == "in_service", EquipmentUnit.next_inspection_due < today, Lot.quantity > 0)
    ).all()
    if not overdue:
        return 0
    with Ledger(session, actor=actor, today=today) as ledger:
        ledger.lock_item_balances({row.item_id for row in overdue})
        for unit_id, _, _ in overdue:
            unit = get(unit_id, session=session, for_update=True)
            if unit.status == "in_service":
                _set_status(unit, "out_of_service", "inspection overdue", ledger=ledger)
    return len(overdue)
