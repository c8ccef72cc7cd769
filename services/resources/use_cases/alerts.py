"""What needs a logistics officer's attention, most urgent first: expired and expiring lots, units that failed
inspection, inspections due, low stock."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.resources.models import Balance, EquipmentUnit, Inspection, Lot
from services.resources.use_cases.catalog import name_rows
from services.resources.use_cases.positions import positions_of

KINDS = ("expired", "out_of_service", "inspection_due", "low_stock", "expiring")
# Urgency rank: stock already unusable first (expired lots, units that failed inspection), then units overdue or
# due, shortfalls, then what expires soon.
_RANK = {"expired": 0, "out_of_service": 1, "inspection_due": 2, "low_stock": 3, "expiring": 4}


def alerts(*, session: Session, today: dt.date, within_days: int = 30, warehouse_id: uuid.UUID | None = None,
           item_id: uuid.UUID | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    horizon = today + dt.timedelta(days=within_days)
    found: list[dict[str, Any]] = []
    wanted = {kind} if kind else set(KINDS)
    if wanted & {"expired", "expiring"}:
        found += _lot_alerts(session, today=today, horizon=horizon, warehouse_id=warehouse_id, item_id=item_id,
                             wanted=wanted)
    if "low_stock" in wanted:
        found += _low_stock(session, today=today, warehouse_id=warehouse_id, item_id=item_id)
    if "out_of_service" in wanted:
        found += _failed_units(session, warehouse_id=warehouse_id, item_id=item_id)
    if "inspection_due" in wanted:
        found += _inspections(session, today=today, horizon=horizon, warehouse_id=warehouse_id, item_id=item_id)
    found.sort(key=lambda alert: (_RANK[alert["kind"]], alert.get("days_left", 0), str(alert["item_id"])))
    name_rows(session, found)
    return found


def _filtered(query, model, warehouse_id, item_id):
    if warehouse_id:
        query = query.where(model.warehouse_id == warehouse_id)
    if item_id:
        query = query.where(model.item_id == item_id)
    return query


def _lot_alerts(session, *, today, horizon, warehouse_id, item_id, wanted):
    query = _filtered(select(Lot).where(Lot.quantity > 0, Lot.expiry_date.is_not(None), Lot.expiry_date <= horizon),
                      Lot, warehouse_id, item_id)
    alerts = []
    for lot in session.scalars(query):
        kind = "expired" if lot.expiry_date < today else "expiring"
        if kind in wanted:
            alerts.append({"kind": kind, "warehouse_id": lot.warehouse_id, "item_id": lot.item_id, "lot_id": lot.id,
                           "batch_no": lot.batch_no, "expiry_date": lot.expiry_date, "quantity": lot.quantity,
                           "reserved": lot.reserved, "days_left": (lot.expiry_date - today).days})
    return alerts


def _low_stock(session, *, today, warehouse_id, item_id):
    balances = session.scalars(_filtered(select(Balance).where(Balance.min_quantity > 0), Balance, warehouse_id, item_id))
    return [{"kind": "low_stock", "warehouse_id": p.warehouse_id, "item_id": p.item_id, "available": p.available,
             "min_quantity": p.min_quantity, "shortfall": p.min_quantity - p.available}
            for p in positions_of(session, balances, today=today) if p.below_quota]


def _on_the_shelf(query):
    # Units issued or used up are not on the shelf to inspect or repair.
    return query.join(Lot, Lot.id == EquipmentUnit.lot_id).where(Lot.quantity > 0)


def _last_inspection_failed():
    """Units whose latest inspection (the one their status follows) failed, with that inspection."""
    return (select(EquipmentUnit, Inspection)
            .join(Inspection, (Inspection.unit_id == EquipmentUnit.id)
                  & (Inspection.inspected_at == EquipmentUnit.last_inspected_at))
            .where(EquipmentUnit.status == "out_of_service", Inspection.result == "fail"))


def _failed_units(session, *, warehouse_id, item_id):
    rows = session.execute(_filtered(_on_the_shelf(_last_inspection_failed()), EquipmentUnit, warehouse_id, item_id))
    alerts, seen = [], set()
    for unit, inspection in rows:
        if unit.id in seen:  # two inspections recorded for the same instant: one alert
            continue
        seen.add(unit.id)
        alerts.append({"kind": "out_of_service", "warehouse_id": unit.warehouse_id, "item_id": unit.item_id,
                       "equipment_id": unit.id, "serial_no": unit.serial_no, "status": unit.status,
                       "status_reason": unit.status_reason, "inspected_at": inspection.inspected_at,
                       "inspector": inspection.inspector})
    return alerts


def _inspections(session, *, today, horizon, warehouse_id, item_id):
    # A unit that failed its last inspection has its own alert (out_of_service) until it passes again.
    failed = _last_inspection_failed().with_only_columns(EquipmentUnit.id)
    query = _filtered(_on_the_shelf(select(EquipmentUnit))
                      .where(EquipmentUnit.status != "retired", EquipmentUnit.next_inspection_due <= horizon,
                             EquipmentUnit.id.not_in(failed)),
                      EquipmentUnit, warehouse_id, item_id)
    return [{"kind": "inspection_due", "warehouse_id": unit.warehouse_id, "item_id": unit.item_id,
             "equipment_id": unit.id, "serial_no": unit.serial_no, "status": unit.status,
             "next_inspection_due": unit.next_inspection_due, "days_left": (unit.next_inspection_due - today).days,
             "overdue": unit.next_inspection_due < today}
            for unit in session.scalars(query)]
