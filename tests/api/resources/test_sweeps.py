"""The worker's clock-driven sweeps, called directly with the day they run on: each acts once, then changes nothing."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from servicekit import clock
from services.resources.models import EquipmentUnit, Reservation
from services.resources.use_cases import sweeps
from stockroom import in_days, local_today


@pytest.fixture
def sweep(resources_db):
    """Run one sweep in its own transaction, as the worker does, on `today` (and `now`, its noon in Shanghai)."""

    def run(name, today: dt.date, now: dt.datetime | None = None) -> int:
        now = now or dt.datetime.combine(today, dt.time(4), tzinfo=dt.timezone.utc)
        with resources_db.transaction() as session:
            return sweeps.SWEEPS[name](session=session, now=now, today=today)

    return run


@pytest.fixture
def unit_of(resources_db):
    def read(unit) -> EquipmentUnit:
        with resources_db.session(readonly=True) as session:
            return session.get(EquipmentUnit, uuid.UUID(unit["id"]))

    return read


GROUND = "ground units overdue for inspection"
EXPIRE = "announce expired lots"
RELEASE = "release expired reservations"


def test_the_worker_runs_three_sweeps():
    assert set(sweeps.SWEEPS) == {GROUND, EXPIRE, RELEASE}


def test_an_overdue_inspection_grounds_the_unit_on_the_next_sweep_and_only_once(stockroom, depot, sweep, unit_of,
                                                                                   outbox):
    pumps = stockroom.equipment_item(interval_days=30, name="移动排涝泵车")
    unit = stockroom.register(depot, pumps, "PUMP-1")
    due = local_today() + dt.timedelta(days=30)
    written = len(outbox())
    assert sweep(GROUND, today=due) == 0, "due today is not yet overdue"
    assert unit_of(unit).status == "in_service" and len(outbox()) == written

    assert sweep(GROUND, today=due + dt.timedelta(days=1)) == 1
    grounded = unit_of(unit)
    assert (grounded.status, grounded.status_reason) == ("out_of_service", "inspection overdue")
    [(_, changed)] = outbox()[written:]
    assert (changed["item_id"], changed["on_hand"], changed["unusable"], changed["available"]) == \
        (pumps["id"], 1, 1, 0)
    balance = stockroom.balance(depot, pumps)
    assert (balance["on_hand"], balance["available"]) == (1, 0)
    stockroom.reserve((pumps, 1), status=409)

    written = len(outbox())
    assert sweep(GROUND, today=due + dt.timedelta(days=2)) == 0
    assert len(outbox()) == written, "the second sweep changes nothing"
    assert stockroom.movements(item_id=pumps["id"], type="adjustment") == []


def test_a_unit_inspected_in_time_is_left_alone(stockroom, depot, sweep, unit_of):
    pumps = stockroom.equipment_item(interval_days=30)
    unit = stockroom.register(depot, pumps, "PUMP-1", next_inspection_due=in_days(1))
    stockroom.inspect(unit, "pass")
    assert sweep(GROUND, today=local_today() + dt.timedelta(days=2)) == 0
    assert unit_of(unit).status == "in_service"


def test_a_grounded_unit_passes_its_inspection_and_returns_to_service(stockroom, depot, sweep, unit_of):
    pumps = stockroom.equipment_item(interval_days=30)
    unit = stockroom.register(depot, pumps, "PUMP-1", next_inspection_due=in_days(-1))
    assert sweep(GROUND, today=local_today()) == 1
    stockroom.inspect(unit, "pass", note="补检合格")
    assert unit_of(unit).status == "in_service"
    assert stockroom.balance(depot, pumps)["available"] == 1
    assert sweep(GROUND, today=local_today()) == 0


def test_retired_and_failed_units_are_not_swept(stockroom, depot, sweep, unit_of):
    pumps = stockroom.equipment_item()
    retired = stockroom.register(depot, pumps, "OLD", next_inspection_due=in_days(-3))
    stockroom.post(f"/equipment/{retired['id']}/retire", {"reason": "报废"}, status=200)
    failed = stockroom.register(depot, pumps, "BROKEN", next_inspection_due=in_days(-3))
    stockroom.inspect(failed, "fail", note="发动机故障")
    assert sweep(GROUND, today=local_today()) == 0
    assert "发动机故障" in unit_of(failed).status_reason


def test_an_expired_lot_is_announced_once(stockroom, depot, water, sweep, outbox):
    stockroom.receive(depot, water, 10, batch_no="OLD", expiry_date=in_days(1))
    stockroom.receive(depot, water, 4, batch_no="NEW", expiry_date=in_days(90))
    stockroom.quota(depot, water, 5)
    written = len(outbox())
    assert sweep(EXPIRE, today=local_today() + dt.timedelta(days=1)) == 0, "usable through its expiry date"
    assert sweep(EXPIRE, today=local_today() + dt.timedelta(days=2)) == 1
    changed = [data for _, data in outbox("stock.changed")][-1]
    assert (changed["on_hand"], changed["unusable"], changed["available"]) == (14, 10, 4)
    assert [event_type for event_type, _ in outbox()[written:]] == ["stock.changed", "stock.below_quota"]
    written = len(outbox())
    assert sweep(EXPIRE, today=local_today() + dt.timedelta(days=3)) == 0
    assert len(outbox()) == written


def test_an_expired_lot_already_used_up_is_not_announced(stockroom, depot, water, sweep, outbox):
    stockroom.receive(depot, water, 3, expiry_date=in_days(1))
    stockroom.issue(depot, water, 3)
    written = len(outbox())
    assert sweep(EXPIRE, today=local_today() + dt.timedelta(days=5)) == 0
    assert len(outbox()) == written


def test_a_reservation_past_its_expiry_is_released_once(stockroom, depot, tents, sweep, resources_db, outbox):
    stockroom.receive(depot, tents, 5)
    expires_at = clock.now() + dt.timedelta(minutes=10)
    held = stockroom.reserve((tents, 5), expires_at=expires_at.isoformat())
    assert sweep(RELEASE, today=local_today(), now=expires_at - dt.timedelta(seconds=1)) == 0
    assert sweep(RELEASE, today=local_today(), now=expires_at) == 1
    with resources_db.session(readonly=True) as session:
        released = session.get(Reservation, uuid.UUID(held["id"]))
        assert (released.status, released.close_reason) == ("released", "expired")
    assert stockroom.balance(depot, tents)["available"] == 5
    assert [data["reason"] for _, data in outbox("reservation.released")] == ["expired"]
    assert sweep(RELEASE, today=local_today(), now=expires_at + dt.timedelta(minutes=1)) == 0
    assert len(outbox("reservation.released")) == 1


def test_every_sweep_run_twice_changes_nothing_the_second_time(stockroom, depot, water, sweep, outbox):
    pumps = stockroom.equipment_item()
    stockroom.register(depot, pumps, "P-1", next_inspection_due=in_days(1))
    stockroom.receive(depot, water, 2, expiry_date=in_days(1))
    stockroom.reserve((water, 1), expires_at=(clock.now() + dt.timedelta(hours=1)).isoformat())
    later = local_today() + dt.timedelta(days=3)
    assert [sweep(name, today=later) for name in sweeps.SWEEPS] == [1, 1, 1]
    written = len(outbox())
    assert [sweep(name, today=later) for name in sweeps.SWEEPS] == [0, 0, 0]
    assert len(outbox()) == written
