"""What the resources service does when the drills service schedules, cancels or completes a drill."""
from __future__ import annotations

import uuid

import pytest

from servicekit.events import Event
from services.resources.handlers import ResourceHandlers
from stockroom import in_days, item_ref


@pytest.fixture
def handle(resources_db):
    """Deliver one drills event to its handler, in one transaction, as the worker would."""
    mapping = ResourceHandlers(timezone="Asia/Shanghai").mapping()

    def deliver(event_type: str, **data):
        event = Event(type=event_type, source="drills", data={"plan_id": str(uuid.uuid4()), **data})
        with resources_db.transaction() as session:
            mapping[event_type](event, session=session)
        return event

    return deliver


def needs(*lines):
    return [{"item_id": item["id"], "quantity": quantity} for item, quantity in lines]


def held_for(stockroom, drill_id):
    return [m for m in stockroom.movements(type="reservation") if m["reference"] == f"drill:{drill_id}"]


def test_a_scheduled_drill_reserves_fefo_and_announces_the_hold(handle, stockroom, depot, water, tents, outbox):
    late = stockroom.receive(depot, water, 10, expiry_date=in_days(300))
    soon = stockroom.receive(depot, water, 10, expiry_date=in_days(30))
    stockroom.receive(depot, tents, 5)
    drill_id = str(uuid.uuid4())
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 12), (tents, 2)))
    [(_, held)] = outbox("reservation.held")
    assert (held["reference"], held["status"]) == (f"drill:{drill_id}", "held")
    water_parts = [(a["lot_id"], a["quantity"]) for a in held["allocations"] if a["item_id"] == water["id"]]
    assert water_parts == [(soon["lot_id"], 10), (late["lot_id"], 2)]
    assert stockroom.get(f"/reservations/{held['reservation_id']}")["status"] == "held"
    assert stockroom.balance(depot, water)["reserved"] == 12 and stockroom.balance(depot, tents)["reserved"] == 2


def test_a_drill_the_stock_cannot_cover_is_rejected_and_nothing_is_held(handle, stockroom, depot, water, tents,
                                                                        outbox):
    stockroom.receive(depot, water, 10)
    stockroom.receive(depot, tents, 1)
    drill_id = str(uuid.uuid4())
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 5), (tents, 3)))
    [(_, rejected)] = outbox("reservation.rejected")
    assert (rejected["reference"], rejected["drill_id"]) == (f"drill:{drill_id}", drill_id)
    # The typed payload writes its absent optional fields as nulls (contracts/events/resources.py Shortfall).
    assert rejected["shortfall"] == [{"item_id": tents["id"], "item": {**item_ref(tents), "updated_at": None},
                                      "requested": 3, "available": 1, "warehouse_id": None, "warehouse": None}]
    assert outbox("reservation.held") == [] and held_for(stockroom, drill_id) == []
    assert stockroom.balance(depot, water)["reserved"] == 0


def test_a_rescheduled_drill_releases_the_old_hold_and_holds_the_new(handle, stockroom, depot, water, outbox):
    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 8)))
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 9)))
    [(_, old)] = outbox("reservation.released")
    [_, (_, new)] = outbox("reservation.held")
    assert old["reason"] == "rescheduled" and old["reservation_id"] != new["reservation_id"]
    assert stockroom.get(f"/reservations/{old['reservation_id']}")["status"] == "released"
    assert stockroom.balance(depot, water)["reserved"] == 9


def test_a_reschedule_that_no_longer_fits_gives_back_the_old_hold(handle, stockroom, depot, water, outbox):
    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 8)))
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 11)))
    assert [t for t, _ in outbox() if t.startswith("reservation.")] == \
        ["reservation.held", "reservation.released", "reservation.rejected"]
    assert outbox("reservation.rejected")[0][1]["shortfall"][0]["available"] == 10
    assert stockroom.balance(depot, water)["reserved"] == 0


def test_a_drill_without_resources_holds_nothing(handle, stockroom, outbox):
    handle("drill.scheduled", drill_id=str(uuid.uuid4()), resources=[])
    assert outbox() == []


def test_a_cancelled_drill_releases_its_hold(handle, stockroom, depot, water, outbox):
    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 6)))
    handle("drill.cancelled", drill_id=drill_id)
    [(_, released)] = outbox("reservation.released")
    assert released["reason"] == "drill cancelled" and released["reference"] == f"drill:{drill_id}"
    assert stockroom.balance(depot, water)["available"] == 10
    handle("drill.cancelled", drill_id=drill_id)
    assert len(outbox("reservation.released")) == 1


def test_a_completed_drill_consumes_what_was_used_and_releases_the_rest(handle, stockroom, depot, water, tents,
                                                                        outbox):
    stockroom.receive(depot, water, 10)
    stockroom.receive(depot, tents, 4)
    drill_id = str(uuid.uuid4())
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 6), (tents, 2)))
    handle("drill.completed", drill_id=drill_id, consumed=needs((water, 2.5)))
    [(_, consumed)] = outbox("reservation.consumed")
    assert consumed["status"] == "consumed"
    assert consumed["consumed"] == [{"item_id": water["id"], "quantity": 2.5, "warehouse_id": None}]
    water_now, tents_now = stockroom.balance(depot, water), stockroom.balance(depot, tents)
    assert (water_now["on_hand"], water_now["reserved"]) == (7.5, 0)
    assert (tents_now["on_hand"], tents_now["reserved"]) == (4, 0)


def test_a_drill_reporting_more_than_it_reserved_consumes_only_the_reservation(handle, stockroom, depot, water,
                                                                               tents, outbox):
    stockroom.receive(depot, water, 10)
    stockroom.receive(depot, tents, 4)
    drill_id = str(uuid.uuid4())
    handle("drill.scheduled", drill_id=drill_id, resources=needs((water, 3)))
    handle("drill.completed", drill_id=drill_id, consumed=needs((water, 5), (tents, 1)))
    [(_, consumed)] = outbox("reservation.consumed")
    assert consumed["consumed"] == [{"item_id": water["id"], "quantity": 3, "warehouse_id": None}]
    assert stockroom.balance(depot, water)["on_hand"] == 7
    assert stockroom.balance(depot, tents)["on_hand"] == 4


def test_a_completed_drill_with_nothing_held_changes_nothing(handle, stockroom, depot, water, outbox):
    stockroom.receive(depot, water, 10)
    written = outbox()
    handle("drill.completed", drill_id=str(uuid.uuid4()), consumed=needs((water, 1)))
    assert outbox() == written and stockroom.balance(depot, water)["on_hand"] == 10


def test_a_drill_needing_an_item_the_catalog_lacks_is_rejected(handle, stockroom, depot, water, outbox):
    stockroom.receive(depot, water, 10)
    handle("drill.scheduled", drill_id=str(uuid.uuid4()), resources=needs((water, 1), ({"id": str(uuid.uuid4())}, 1)))
    [(_, rejected)] = outbox("reservation.rejected")
    assert rejected["shortfall"] == [] and "lines" in rejected["errors"]
    assert stockroom.balance(depot, water)["reserved"] == 0
