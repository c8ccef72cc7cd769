"""A depot's reserve quota (储备定额): shown on its balance, and announced once each time stock dips below it."""
from __future__ import annotations

import uuid

from stockroom import API, assert_problem


def below_quota(outbox):
    return [data for _, data in outbox("stock.below_quota")]


def test_setting_a_quota_answers_the_balance_with_its_min_quantity(stockroom, depot, tents):
    stockroom.receive(depot, tents, 40)
    answer = stockroom.quota(depot, tents, 25)
    assert (answer["warehouse_id"], answer["item_id"]) == (depot["id"], tents["id"])
    assert (answer["on_hand"], answer["reserved"], answer["available"], answer["min_quantity"]) == (40, 0, 40, 25)
    assert stockroom.balance(depot, tents)["min_quantity"] == 25
    assert stockroom.quota(depot, tents, 12.5)["min_quantity"] == 12.5, "a quota can be changed"
    assert stockroom.balance(depot, tents)["min_quantity"] == 12.5


def test_a_quota_for_stock_never_received_makes_an_empty_balance(stockroom, depot, tents):
    answer = stockroom.quota(depot, tents, 0)
    assert (answer["on_hand"], answer["available"], answer["min_quantity"]) == (0, 0, 0)
    assert stockroom.balance(depot, tents)["min_quantity"] == 0


def test_a_bad_quota_is_refused(resources_client, stockroom, depot, tents):
    body = {"warehouse_id": depot["id"], "item_id": tents["id"], "min_quantity": -1}
    assert_problem(resources_client.put(f"{API}/quotas", json=body), 422, "min_quantity")
    assert_problem(resources_client.put(f"{API}/quotas", json={**body, "min_quantity": 1.0001}), 422, "min_quantity")
    assert_problem(resources_client.put(f"{API}/quotas", json={**body, "min_quantity": 5, "colour": "red"}), 422,
                   "colour")
    assert_problem(resources_client.put(f"{API}/quotas",
                                        json={**body, "min_quantity": 5, "warehouse_id": str(uuid.uuid4())}), 404)
    assert_problem(resources_client.put(f"{API}/quotas", json={**body, "min_quantity": 5, "item_id": str(uuid.uuid4())}),
                   404)


def test_falling_below_the_quota_is_announced_once_per_crossing(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 10)
    stockroom.quota(depot, tents, 6)
    assert below_quota(outbox) == [], "10 available is not below a quota of 6"

    stockroom.issue(depot, tents, 5)
    [first] = below_quota(outbox)
    assert (first["warehouse_id"], first["item_id"]) == (depot["id"], tents["id"])
    assert (first["available"], first["min_quantity"], first["shortfall"]) == (5, 6, 1)

    stockroom.issue(depot, tents, 1)
    stockroom.issue(depot, tents, 2)
    assert len(below_quota(outbox)) == 1, "further movements below the quota are the same dip"

    stockroom.receive(depot, tents, 10)  # back to 12: the dip is over
    assert len(below_quota(outbox)) == 1
    stockroom.issue(depot, tents, 8)  # 4 left: a new dip
    assert [(e["available"], e["shortfall"]) for e in below_quota(outbox)] == [(5, 1), (4, 2)]


def test_stock_exactly_at_the_quota_is_not_below_it(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 10)
    stockroom.quota(depot, tents, 6)
    stockroom.issue(depot, tents, 4)
    assert below_quota(outbox) == []
    assert stockroom.balance(depot, tents)["available"] == 6


def test_a_quota_set_above_the_stock_is_announced_at_once(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 3)
    stockroom.quota(depot, tents, 20)
    [event] = below_quota(outbox)
    assert (event["available"], event["min_quantity"], event["shortfall"]) == (3, 20, 17)
    stockroom.quota(depot, tents, 30)
    assert len(below_quota(outbox)) == 1, "raising the quota during a dip is still the same dip"
    stockroom.quota(depot, tents, 2)  # lowered under the stock: the dip is over
    stockroom.quota(depot, tents, 25)
    assert len(below_quota(outbox)) == 2


def test_a_reservation_counts_against_the_quota(stockroom, depot, tents, outbox):
    stockroom.receive(depot, tents, 10)
    stockroom.quota(depot, tents, 8)
    held = stockroom.reserve((tents, 5))
    [event] = below_quota(outbox)
    assert event["available"] == 5
    stockroom.post(f"/reservations/{held['id']}/release", status=200)
    stockroom.reserve((tents, 4))
    assert len(below_quota(outbox)) == 2, "the release ended the dip, the next hold began another"


def test_the_quota_belongs_to_one_depot(stockroom, depot, tents, outbox):
    other = stockroom.warehouse()
    stockroom.receive(depot, tents, 10)
    stockroom.receive(other, tents, 1)
    stockroom.quota(depot, tents, 5)
    assert below_quota(outbox) == []
    assert stockroom.balance(other, tents)["min_quantity"] == 0
