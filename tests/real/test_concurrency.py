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


def test_twenty_threads_reserving_one_each_against_eight_hold_exactly_eight(resources_app, client):
    _, item_id = _create_stock(client, 8)

    def reserve(index):
        own = signed_client(resources_app)
        return own.post("/api/v1/reservations",
                        json={"reference": f"race-{index}", "lines": [{"item_id": item_id, "quantity": 1}]}).status_code

    statuses = Counter(_run_together(20, reserve))
    assert statuses == {201: 8, 409: 12}
    balance = _balance(client, item_id)
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (8, 8, 0)


def test_issues_and_reservations_racing_never_drive_stock_negative(resources_app, client):
    warehouse_id, item_id = _create_stock(client, 10)

    def act(index):
        own = signed_client(resources_app)
        if index % 2:
            return own.post("/api/v1/stock/issues", json={"warehouse_id": warehouse_id, "item_id": item_id,
                                                          "quantity": 1.5, "reason": "抢险"}).status_code
        return own.post("/api/v1/reservations", json={"reference": f"mix-{index}",
                                                      "lines": [{"item_id": item_id, "quantity": 1.5}]}).status_code

    statuses = Counter(_run_together(16, act))
    assert statuses[201] == 6 and statuses[409] == 10, statuses  # 6 × 1.5 = 9 of 10; a 7th would need 10.5
    balance = _balance(client, item_id)
    assert balance["available"] == 1 and balance["on_hand"] >= balance["reserved"] >= 0
    ledger = client.get(f"/api/v1/movements?item_id={item_id}&per_page=500").json["items"]
    assert sum(m["on_hand_delta"] for m in ledger) == balance["on_hand"]
    assert sum(m["reserved_delta"] for m in ledger) == balance["reserved"]


def test_the_same_idempotency_key_sent_at_once_takes_effect_once(resources_app, client):
    warehouse_id, item_id = _create_stock(client, 1)

    def receive(_index):
        own = signed_client(resources_app)
        response = own.post("/api/v1/stock/receipts", headers={"Idempotency-Key": "same-receipt"},
                            json={"warehouse_id": warehouse_id, "item_id": item_id, "quantity": 5})
        return response.status_code, response.json.get("movement_id")

    results = _run_together(8, receive)
    assert {status for status, _ in results} == {201}
    assert len({movement for _, movement in results}) == 1, "every retry answers with the first receipt"
    assert _balance(client, item_id)["on_hand"] == 6


def test_retries_of_one_issue_racing_each_other_all_get_the_first_answer(resources_app, client):
    warehouse_id, item_id = _create_stock(client, 5)

    def issue(_index):
        own = signed_client(resources_app)
        response = own.post("/api/v1/stock/issues", headers={"Idempotency-Key": "one-issue"},
                            json={"warehouse_id": warehouse_id, "item_id": item_id, "quantity": 5, "reason": "抢险"})
        return response.status_code, response.json.get("batch_id")

    results = _run_together(8, issue)
    # Not one retry may be told "not enough stock": the first issue took it, and that is every retry's answer.
    assert {status for status, _ in results} == {201}
    assert len({batch for _, batch in results}) == 1
    assert _balance(client, item_id)["on_hand"] == 0
