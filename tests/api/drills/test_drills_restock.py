"""A drill short of stock does not stay short: it asks again when the stock arrives, or when told to."""
from __future__ import annotations

import uuid

import pytest

TENTS, PUMPS = str(uuid.uuid4()), str(uuid.uuid4())
DEPOT = str(uuid.uuid4())


@pytest.fixture
def short_drill(book):
    """A drill needing tents and pumps that the resources service found short of tents."""
    drill = book.schedule(book.approve_plan(), resources=[{"item_id": TENTS, "quantity": 40},
                                                          {"item_id": PUMPS, "quantity": 2}])
    book.reject(drill, [{"item_id": TENTS, "requested": 40, "available": 10}])
    assert book.get(f"/drills/{drill['id']}")["status"] == "resource_shortfall"
    return drill


def stock_changed(book, item_id: str, available: float, version: int, warehouse_id: str = DEPOT):
    return book.deliver("stock.changed", {"warehouse_id": warehouse_id, "item_id": item_id, "on_hand": available,
                                          "reserved": 0, "unusable": 0, "available": available,
                                          "min_quantity": None, "version": version})


def schedules(book, drill) -> list[int]:
    return [e["data"]["schedule_revision"] for e in book.outbox("drill.scheduled")
            if e["data"]["drill_id"] == drill["id"]]


def test_stock_arriving_for_an_item_the_drill_lacks_asks_again(book, short_drill):
    stock_changed(book, TENTS, 10, version=1)   # first news of this depot: a rise from nothing known
    assert book.get(f"/drills/{short_drill['id']}")["status"] == "pending_resources"
    assert schedules(book, short_drill) == [1, 2]
    book.reject(short_drill, [{"item_id": TENTS, "requested": 40, "available": 10}])
    stock_changed(book, TENTS, 50, version=2)  # the receipt
    assert schedules(book, short_drill) == [1, 2, 3]
    book.hold(short_drill)
    assert book.get(f"/drills/{short_drill['id']}")["status"] == "ready"


def test_a_fall_a_stale_position_or_another_item_changes_nothing(book, short_drill):
    stock_changed(book, TENTS, 30, version=5)
    book.reject(short_drill, [{"item_id": TENTS, "requested": 40, "available": 30}])
    stock_changed(book, TENTS, 20, version=6)           # an issue: fewer tents
    stock_changed(book, TENTS, 35, version=4)           # older news arriving late
    stock_changed(book, PUMPS, 80, version=1)           # pumps were never short
    stock_changed(book, str(uuid.uuid4()), 9, version=1)  # an item the drill does not need
    assert schedules(book, short_drill) == [1, 2]
    assert book.get(f"/drills/{short_drill['id']}")["status"] == "resource_shortfall"


def test_a_drill_whose_window_has_passed_does_not_take_arriving_stock(book):
    from tests.flows.drillbook import at

    drill = book.schedule(book.approve_plan(), resources=[{"item_id": TENTS, "quantity": 40}],
                          scheduled_start=at(-3), scheduled_end=at(-3, 17))
    book.reject(drill, [{"item_id": TENTS, "requested": 40, "available": 0}])
    stock_changed(book, TENTS, 100, version=1)
    assert schedules(book, drill) == [1]
    assert book.get(f"/drills/{drill['id']}")["status"] == "resource_shortfall"


def test_stock_rising_while_the_drill_waits_makes_a_rejection_ask_once_more(book):
    drill = book.schedule(book.approve_plan(), resources=[{"item_id": TENTS, "quantity": 40}])
    stock_changed(book, TENTS, 60, version=1)  # arrives before the (older) answer to the request
    book.reject(drill, [{"item_id": TENTS, "requested": 40, "available": 0}])
    assert book.get(f"/drills/{drill['id']}")["status"] == "pending_resources"
    assert schedules(book, drill) == [1, 2]
    book.reject(drill, [{"item_id": TENTS, "requested": 40, "available": 0}])  # no further rise: it stays short
    assert book.get(f"/drills/{drill['id']}")["status"] == "resource_shortfall"
    assert schedules(book, drill) == [1, 2]


def test_a_drill_that_lost_its_hold_asks_again_when_any_of_its_items_arrives(book):
    drill = book.schedule(book.approve_plan(), resources=[{"item_id": TENTS, "quantity": 4}])
    held = book.hold(drill)
    book.deliver("reservation.released", {"reservation_id": held.data["reservation_id"],
                                          "reference": f"drill:{drill['id']}", "drill_id": drill["id"],
                                          "status": "released", "allocations": [], "reason": "expired"})
    assert book.get(f"/drills/{drill['id']}")["shortfall"] == []
    stock_changed(book, TENTS, 4, version=1)
    assert book.get(f"/drills/{drill['id']}")["status"] == "pending_resources"


def test_retry_reservation_asks_again_and_answers_202(book, short_drill):
    response = book.client.post(f"/api/v1/drills/{short_drill['id']}/retry-reservation")
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json()["status"] == "pending_resources" and response.get_json()["shortfall"] is None
    assert schedules(book, short_drill) == [1, 2]
    assert book.last_schedule(short_drill["id"])["data"]["resources"] == [
        {"item_id": TENTS, "quantity": 40, "warehouse_id": None},
        {"item_id": PUMPS, "quantity": 2, "warehouse_id": None}]


@pytest.mark.parametrize("status", ["pending_resources", "ready", "cancelled"])
def test_retry_reservation_is_409_unless_the_drill_is_short(book, status):
    drill = book.schedule(book.approve_plan(), resources=[{"item_id": TENTS, "quantity": 1}])
    if status == "ready":
        book.hold(drill)
    if status == "cancelled":
        book.post(f"/drills/{drill['id']}/cancel", expect=200)
    response = book.client.post(f"/api/v1/drills/{drill['id']}/retry-reservation")
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert response.get_json()["current_status"] == status
    assert schedules(book, drill) == [1]


def test_patching_the_same_resources_of_a_short_drill_asks_again(book, short_drill):
    book.patch(f"/drills/{short_drill['id']}", {"resources": [{"item_id": TENTS, "quantity": 40},
                                                             {"item_id": PUMPS, "quantity": 2}]})
    assert schedules(book, short_drill) == [1, 2]
    assert book.get(f"/drills/{short_drill['id']}")["status"] == "pending_resources"
