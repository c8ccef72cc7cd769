"""Reservations hold stock for a drill all-or-nothing, then give it back or use it."""
from __future__ import annotations

import datetime as dt
import uuid

from servicekit import clock
from stockroom import API, assert_problem, in_days, item_ref


def consume(stockroom, reservation, *lines, status=200):
    body = {"lines": [{"item_id": item["id"], "quantity": quantity} for item, quantity in lines]}
    return stockroom.post(f"/reservations/{reservation['id']}/consume", body, status=status)


def release(stockroom, reservation, status=200):
    return stockroom.post(f"/reservations/{reservation['id']}/release", status=status)


def test_a_reservation_holds_the_earlier_expiring_lot_first(stockroom, depot, water):
    late = stockroom.receive(depot, water, 10, expiry_date=in_days(200))
    soon = stockroom.receive(depot, water, 4, expiry_date=in_days(20))
    held = stockroom.reserve((water, 6), reference="drill:typhoon-2026")
    uuid.UUID(held["id"])
    assert (held["status"], held["reference"]) == ("held", "drill:typhoon-2026")
    assert [(a["lot_id"], a["warehouse_id"], a["item_id"], a["quantity"], a["expiry_date"])
            for a in held["allocations"]] == [(soon["lot_id"], depot["id"], water["id"], 4, in_days(20)),
                                              (late["lot_id"], depot["id"], water["id"], 2, in_days(200))]
    assert stockroom.get(f"/reservations/{held['id']}") == held
    balance = stockroom.balance(depot, water)
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (14, 6, 8)
    assert [m["type"] for m in stockroom.movements(reservation_id=held["id"])] == ["reservation", "reservation"]


def test_a_depot_with_many_small_lots_still_gives_the_earliest_expiring_first(stockroom, depot, water):
    # The service reads lots a few at a time, earliest expiry first: more than one read's worth, an
    # emptied lot among them and never-expiring lots after them, must draw what reading them all would.
    forever = [stockroom.receive(depot, water, 1, batch_no=f"F{n}")["lot_id"] for n in range(3)]
    dated = [stockroom.receive(depot, water, 1, expiry_date=in_days(30 - n))["lot_id"] for n in range(11)]
    stockroom.issue(depot, water, 1)  # empties the earliest-expiring lot (in 20 days)
    held = stockroom.reserve((water, 12))
    assert [a["lot_id"] for a in held["allocations"]] == list(reversed(dated[:10])) + forever[:2]
    refused = stockroom.reserve((water, 2), status=409)
    assert refused["shortfall"] == [{"item_id": water["id"], "item": item_ref(water), "requested": 2, "available": 1}]
    stockroom.ledger_matches_balances()


def test_one_short_line_refuses_the_whole_reservation_and_holds_nothing(stockroom, depot, tents, water):
    stockroom.receive(depot, tents, 10)
    stockroom.receive(depot, water, 3)
    before = stockroom.movements()
    refused = stockroom.reserve((tents, 5), (water, 3.5), status=409)
    assert refused["shortfall"] == [{"item_id": water["id"], "item": item_ref(water), "requested": 3.5,
                                     "available": 3}]
    assert stockroom.movements() == before
    assert stockroom.balance(depot, tents)["reserved"] == 0 and stockroom.balance(depot, water)["reserved"] == 0


def test_an_item_never_received_is_short_by_everything(stockroom, tents):
    refused = stockroom.reserve((tents, 1), status=409)
    assert refused["shortfall"] == [{"item_id": tents["id"], "item": item_ref(tents), "requested": 1, "available": 0}]


def test_a_line_bound_to_a_depot_reserves_only_there(stockroom, depot, tents):
    other = stockroom.warehouse()
    stockroom.receive(depot, tents, 2, expiry_date=in_days(400))
    stockroom.receive(other, tents, 9, expiry_date=in_days(5))
    held = stockroom.reserve((tents, 2, depot))
    assert {a["warehouse_id"] for a in held["allocations"]} == {depot["id"]}
    refused = stockroom.reserve((tents, 1, depot), status=409)
    assert refused["shortfall"][0]["available"] == 0 and refused["shortfall"][0]["warehouse_id"] == depot["id"]


def test_releasing_gives_the_stock_back(stockroom, depot, tents):
    stockroom.receive(depot, tents, 10)
    held = stockroom.reserve((tents, 7))
    assert stockroom.balance(depot, tents)["available"] == 3
    released = release(stockroom, held)
    assert released["status"] == "released" and released["closed_at"]
    assert stockroom.balance(depot, tents)["available"] == 10
    assert stockroom.get(f"/reservations/{held['id']}")["status"] == "released"
    assert [m["reserved_delta"] for m in stockroom.movements(type="release")] == [-7]


def test_consuming_part_uses_it_and_releases_the_rest(stockroom, depot, tents, water):
    stockroom.receive(depot, tents, 10)
    stockroom.receive(depot, water, 10)
    held = stockroom.reserve((tents, 6), (water, 4))
    consumed = consume(stockroom, held, (tents, 2.5))
    assert consumed["status"] == "consumed"
    assert {a["item_id"]: a["consumed"] for a in consumed["allocations"]} == {tents["id"]: 2.5, water["id"]: 0}
    tents_now, water_now = stockroom.balance(depot, tents), stockroom.balance(depot, water)
    assert (tents_now["on_hand"], tents_now["reserved"], tents_now["available"]) == (7.5, 0, 7.5)
    assert (water_now["on_hand"], water_now["reserved"], water_now["available"]) == (10, 0, 10)
    assert [m["quantity"] for m in stockroom.movements(type="consumption")] == [2.5]


def test_consuming_more_than_was_held_is_refused_and_changes_nothing(stockroom, depot, tents, water):
    stockroom.receive(depot, tents, 10)
    stockroom.receive(depot, water, 10)
    held = stockroom.reserve((tents, 3))
    refused = consume(stockroom, held, (tents, 3.001), status=409)
    assert refused["excess"][0]["item_id"] == tents["id"]
    consume(stockroom, held, (water, 1), status=409)
    assert stockroom.get(f"/reservations/{held['id']}")["status"] == "held"
    assert stockroom.balance(depot, tents)["reserved"] == 3


def test_a_closed_reservation_cannot_be_released_or_consumed_again(stockroom, depot, tents):
    stockroom.receive(depot, tents, 10)
    held = stockroom.reserve((tents, 3))
    release(stockroom, held)
    assert release(stockroom, held, status=409)["current_status"] == "released"
    consume(stockroom, held, (tents, 1), status=409)
    used = stockroom.reserve((tents, 3))
    consume(stockroom, used, (tents, 3))
    release(stockroom, used, status=409)
    assert stockroom.balance(depot, tents)["on_hand"] == 7
    assert_problem(stockroom.client.post(f"{API}/reservations/{uuid.uuid4()}/release"), 404)
    assert_problem(stockroom.client.get(f"{API}/reservations/{uuid.uuid4()}"), 404)


def test_a_reservation_cannot_expire_in_the_past(resources_client, depot, tents, stockroom):
    stockroom.receive(depot, tents, 10)
    past = (clock.now() - dt.timedelta(minutes=1)).isoformat()
    body = {"reference": "drill:x", "lines": [{"item_id": tents["id"], "quantity": 1}], "expires_at": past}
    assert_problem(resources_client.post(f"{API}/reservations", json=body), 422, "expires_at")
    naive = {**body, "expires_at": "2099-01-01T00:00:00"}
    assert_problem(resources_client.post(f"{API}/reservations", json=naive), 422, "expires_at")
    beyond_utc = {**body, "expires_at": "9999-12-31T23:59:59-05:00"}
    assert_problem(resources_client.post(f"{API}/reservations", json=beyond_utc), 422, "expires_at")
    assert stockroom.balance(depot, tents)["reserved"] == 0


def test_a_bad_reservation_request_is_refused_field_by_field(resources_client, tents):
    line = {"item_id": tents["id"], "quantity": 1}
    assert_problem(resources_client.post(f"{API}/reservations", json={"reference": "r", "lines": []}), 422, "lines")
    assert_problem(resources_client.post(f"{API}/reservations", json={"lines": [line]}), 422, "reference")
    bad_quantity = {"reference": "r", "lines": [{**line, "quantity": 0}]}
    assert_problem(resources_client.post(f"{API}/reservations", json=bad_quantity), 422, "lines")
    unknown_item = {"reference": "r", "lines": [{**line, "item_id": str(uuid.uuid4())}]}
    assert_problem(resources_client.post(f"{API}/reservations", json=unknown_item), 422, "lines")


def test_an_expired_reservation_lets_go_of_its_stock_for_the_next_one(stockroom, depot, tents, monkeypatch):
    stockroom.receive(depot, tents, 5)
    start = clock.now()  # held still, so a slow machine cannot let the hold lapse between requests
    monkeypatch.setattr(clock, "now", lambda: start)
    expires_at = start + dt.timedelta(seconds=1)
    first = stockroom.reserve((tents, 5), reference="drill:first", expires_at=expires_at.isoformat())
    assert stockroom.reserve((tents, 1), reference="drill:second", status=409)["shortfall"][0]["available"] == 0
    # A second later, as the next request sees it: no sleep, the service reads its time from the clock.
    later = expires_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    second = stockroom.reserve((tents, 5), reference="drill:second")
    assert second["status"] == "held"
    old = stockroom.get(f"/reservations/{first['id']}")
    assert (old["status"], old["close_reason"]) == ("released", "expired")
    consume(stockroom, first, (tents, 1), status=409)
    assert stockroom.balance(depot, tents)["reserved"] == 5


def test_an_expired_hold_cannot_be_consumed(stockroom, depot, tents, monkeypatch):
    stockroom.receive(depot, tents, 5)
    expires_at = clock.now() + dt.timedelta(seconds=1)
    held = stockroom.reserve((tents, 5), expires_at=expires_at.isoformat())
    monkeypatch.setattr(clock, "now", lambda: expires_at + dt.timedelta(seconds=1))
    consume(stockroom, held, (tents, 1), status=409)
    assert stockroom.balance(depot, tents)["on_hand"] == 5
