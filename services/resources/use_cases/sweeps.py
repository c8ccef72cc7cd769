"""The worker's clock-driven jobs: release expired reservations, announce lots that expired, ground overdue units.

Each is idempotent: running it twice in a row changes nothing the second time.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.resources.models import Lot
from services.resources.use_cases import equipment
from services.resources.use_cases.ledger import Ledger
from services.resources.use_cases.reservations import SYSTEM, release_expired


def announce_expired_lots(*, session: Session, today: dt.date) -> int:
    """Lots past their expiry leave `available` by the calendar alone; tell subscribers once per lot."""
    lots = session.execute(select(Lot.id, Lot.warehouse_id, Lot.item_id).where(
        Lot.expiry_date < today, Lot.expiry_announced.is_(False), Lot.quantity > 0)).all()
    if not lots:
        return 0
    with Ledger(session, actor=SYSTEM, today=today) as ledger:
        balances = ledger.lock_balances([(lot.warehouse_id, lot.item_id) for lot in lots])
        for lot_id, warehouse_id, item_id in lots:
            session.get(Lot, lot_id, with_for_update=True, populate_existing=True).expiry_announced = True
            ledger.touch(balances[(warehouse_id, item_id)])
    return len(lots)


def release_expired_reservations(*, session: Session, now: dt.datetime, today: dt.date) -> int:
    return release_expired(session=session, now=now)


def ground_overdue_units(*, session: Session, now: dt.datetime, today: dt.date) -> int:
    return equipment.ground_overdue(session=session, actor=SYSTEM, today=today)


def announce_expiries(*, session: Session, now: dt.datetime, today: dt.date) -> int:
    return announce_expired_lots(session=session, today=today)


SWEEPS = {
    "release expired reservations": release_expired_reservations,
    "announce expired lots": announce_expiries,
    "ground units overdue for inspection": ground_overdue_units,
}
