"""Concurrency never breaks an invariant: no overselling, no negative stock, one effect per idempotency key."""
from __future__ import annotations

import threading
from collections import Counter

from servicekit.testing import signed_client


def _create_stock(client, quantity):
    warehouse = client.post("/api/v1/warehouses", json={"code": "W-RACE", "name": "并发测试库", "level": "municipal"}).json
    item = client.post("/api/v1/items", json={"code": "I-RACE", "name": "编织袋", "category_code": "3",
                                              "unit": "条", "kind": "material"}).json
    receipt = client.post("/api/v1/stock/receipts", json={"warehouse_id": warehouse["id"], "item_id": item["id"],
                                                          "quantity": quantity})
    assert receipt.status_code == 201, receipt.json
    return warehouse["id"], item["id"]


def _run_together(count, action):
    """Start `count` threads at one barrier so their requests really overlap."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = action(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _balance(client, item_id):
    return client.get(f"/api/v1/stock?item_id={item_id}").json["items"][0]


def test_twenty_threads_reserving_one_each_against_eight_hold_exactly_eight(resources_app, resources_client):
    _, item_id = _create_stock(resources_client, 8)

    def reserve(index):
        own = signed_client(resources_app)
        return own.post("/api/v1/reservations",
                        json={"reference": f"race-{index}", "lines": [{"item_id": item_id, "quantity": 1}]}).status_code

    statuses = Counter(_run_together(20, reserve))
    assert statuses == {201: 8, 409: 12}
    balance = _balance(resources_client, item_id)
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (8, 8, 0)


def test_issues_and_reservations_racing_never_drive_stock_negative(resources_app, resources_client):
    warehouse_id, item_id = _create_stock(resources_client, 10)

    def act(index):
        own = signed_client(resources_app)
        if index % 2:
            return own.post("/api/v1/stock/issues", json={"warehouse_id": warehouse_id, "item_id": item_id,
                                                          "quantity": 1.5, "reason": "抢险"}).status_code
        return own.post("/api/v1/reservations", json={"reference": f"mix-{index}",
                                                      "lines": [{"item_id": item_id, "quantity": 1.5}]}).status_code

    statuses = Counter(_run_together(16, act))
    assert statuses[201] == 6 and statuses[409] == 10, statuses  # 6 × 1.5 = 9 of 10; a 7th would need 10.5
    balance = _balance(resources_client, item_id)
    assert balance["available"] == 1 and balance["on_hand"] >= balance["reserved"] >= 0
    ledger = resources_client.get(f"/api/v1/movements?item_id={item_id}&per_page=500").json["items"]
    assert sum(m["on_hand_delta"] for m in ledger) == balance["on_hand"]
    assert sum(m["reserved_delta"] for m in ledger) == balance["reserved"]


def test_the_same_idempotency_key_sent_at_once_takes_effect_once(resources_app, resources_client):
    warehouse_id, item_id = _create_stock(resources_client, 1)

    def receive(_index):
        own = signed_client(resources_app)
        response = own.post("/api/v1/stock/receipts", headers={"Idempotency-Key": "same-receipt"},
                            json={"warehouse_id": warehouse_id, "item_id": item_id, "quantity": 5})
        return response.status_code, response.json.get("movement_id")

    results = _run_together(8, receive)
    assert {status for status, _ in results} == {201}
    assert len({movement for _, movement in results}) == 1, "every retry answers with the first receipt"
    assert _balance(resources_client, item_id)["on_hand"] == 6


def test_retries_of_one_issue_racing_each_other_all_get_the_first_answer(resources_app, resources_client):
    warehouse_id, item_id = _create_stock(resources_client, 5)

    def issue(_index):
        own = signed_client(resources_app)
        response = own.post("/api/v1/stock/issues", headers={"Idempotency-Key": "one-issue"},
                            json={"warehouse_id": warehouse_id, "item_id": item_id, "quantity": 5, "reason": "抢险"})
        return response.status_code, response.json.get("batch_id")

    results = _run_together(8, issue)
    # Not one retry may be told "not enough stock": the first issue took it, and that is every retry's answer.
    assert {status for status, _ in results} == {201}
    assert len({batch for _, batch in results}) == 1
    assert _balance(resources_client, item_id)["on_hand"] == 0


def _ledger_matches(client, item_id, balance):
    ledger = client.get(f"/api/v1/movements?item_id={item_id}&per_page=500").json["items"]
    assert sum(m["on_hand_delta"] for m in ledger) == balance["on_hand"]
    assert sum(m["reserved_delta"] for m in ledger) == balance["reserved"]


def test_first_receipts_of_a_new_item_racing_make_one_balance_that_adds_up(resources_app, resources_client):
    warehouse_id, item_id = _create_stock(resources_client, 1)
    other = resources_client.post("/api/v1/warehouses",
                                  json={"code": "W-NEW", "name": "新库", "level": "county"}).json["id"]

    def receive(_index):
        own = signed_client(resources_app)
        return own.post("/api/v1/stock/receipts",
                        json={"warehouse_id": other, "item_id": item_id, "quantity": 1}).status_code

    assert Counter(_run_together(12, receive)) == {201: 12}
    balances = resources_client.get(f"/api/v1/stock?item_id={item_id}&warehouse_id={other}").json["items"]
    assert [b["on_hand"] for b in balances] == [12]
    total = resources_client.get(f"/api/v1/stock?item_id={item_id}").json["items"]
    _ledger_matches(resources_client, item_id, {"on_hand": sum(b["on_hand"] for b in total), "reserved": 0})


def test_reservations_racing_over_many_small_lots_hold_each_unit_once(resources_app, resources_client):
    warehouse_id, item_id = _create_stock(resources_client, 1)
    for n in range(23):  # 24 lots of one unit: more than one read's worth of lots
        resources_client.post("/api/v1/stock/receipts",
                              json={"warehouse_id": warehouse_id, "item_id": item_id, "quantity": 1})

    def reserve(index):
        own = signed_client(resources_app)
        return own.post("/api/v1/reservations",
                        json={"reference": f"lots-{index}", "lines": [{"item_id": item_id, "quantity": 2}]})

    responses = _run_together(16, reserve)
    assert Counter(r.status_code for r in responses) == {201: 12, 409: 4}
    held = [a["lot_id"] for r in responses if r.status_code == 201 for a in r.json["allocations"]]
    assert len(held) == len(set(held)) == 24, "every lot held once, by one reservation"
    balance = _balance(resources_client, item_id)
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (24, 24, 0)
    _ledger_matches(resources_client, item_id, balance)


def test_releases_of_one_reservation_racing_give_the_stock_back_once(resources_app, resources_client):
    _, item_id = _create_stock(resources_client, 5)
    held = resources_client.post("/api/v1/reservations", json={"reference": "once", "lines": [{"item_id": item_id, "quantity": 5}]})

    def release(_index):
        own = signed_client(resources_app)
        return own.post(f"/api/v1/reservations/{held.json['id']}/release", json={}).status_code

    assert Counter(_run_together(8, release)) == {200: 1, 409: 7}
    balance = _balance(resources_client, item_id)
    assert (balance["on_hand"], balance["reserved"]) == (5, 0)
    _ledger_matches(resources_client, item_id, balance)
