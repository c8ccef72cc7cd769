"""Stock comes in as lots and goes out earliest-expiry-first, or not at all."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from stockroom import API, assert_problem, depot_ref, in_days, item_ref, local_today


def receipt_body(depot, item, quantity=10, **fields):
    return {"warehouse_id": depot["id"], "item_id": item["id"], "quantity": quantity, **fields}


def test_receipt_creates_lot_and_ledger_line(stockroom, depot, tents):
    received = stockroom.receive(depot, tents, 40, batch_no="B-2026-01", note="省厅调拨")
    assert uuid.UUID(received["lot_id"]) and uuid.UUID(received["movement_id"])
    assert (received["quantity"], received["lot_quantity"]) == (40, 40)
    [lot] = stockroom.lots(item_id=tents["id"])
    assert (lot["id"], lot["batch_no"], lot["quantity"], lot["warehouse_id"]) == \
        (received["lot_id"], "B-2026-01", 40, depot["id"])
    [line] = stockroom.movements(item_id=tents["id"])
    assert (line["id"], line["type"], line["lot_id"], line["quantity"], line["on_hand_delta"], line["note"]) == \
        (received["movement_id"], "receipt", received["lot_id"], 40, 40, "省厅调拨")
    assert line["actor_id"] == "admin"
    assert stockroom.balance(depot, tents)["on_hand"] == 40


def test_the_same_batch_and_expiry_adds_to_the_same_lot(stockroom, depot, tents):
    first = stockroom.receive(depot, tents, 10, batch_no="B1", expiry_date=in_days(200))
    again = stockroom.receive(depot, tents, 2.5, batch_no="B1", expiry_date=in_days(200))
    other_expiry = stockroom.receive(depot, tents, 1, batch_no="B1", expiry_date=in_days(300))
    no_batch = stockroom.receive(depot, tents, 1, expiry_date=in_days(200))
    assert again["lot_id"] == first["lot_id"] and again["lot_quantity"] == 12.5
    assert len({first["lot_id"], other_expiry["lot_id"], no_batch["lot_id"]}) == 3
    assert len(stockroom.lots(item_id=tents["id"])) == 3
    assert len(stockroom.movements(item_id=tents["id"])) == 4
    assert stockroom.balance(depot, tents)["on_hand"] == 14.5


def test_shelf_life_days_derives_the_expiry_when_none_is_given(stockroom, depot, water):
    received = stockroom.receive(depot, water, 5)
    assert received["expiry_date"] == (local_today() + dt.timedelta(days=365)).isoformat()
    explicit = stockroom.receive(depot, water, 5, expiry_date=in_days(30))
    assert explicit["expiry_date"] == in_days(30)


def test_stock_already_past_its_expiry_is_refused(resources_client, depot, tents):
    response = resources_client.post(f"{API}/stock/receipts", json=receipt_body(depot, tents, expiry_date=in_days(-1)))
    assert_problem(response, 422, "expiry_date")
    ok = resources_client.post(f"{API}/stock/receipts", json=receipt_body(depot, tents, expiry_date=in_days(0)))
    assert ok.status_code == 201


@pytest.mark.parametrize("quantity", ["10", True, 0, -3, 1.0005, 10**13, None])
def test_a_receipt_quantity_must_be_a_positive_number_with_three_decimals_at_most(resources_client, depot, tents,
                                                                                  quantity):
    response = resources_client.post(f"{API}/stock/receipts", json=receipt_body(depot, tents, quantity))
    body = assert_problem(response, 422, "quantity")
    assert "quantity" in body["detail"]


def test_a_receipt_needs_a_known_depot_and_item(resources_client, depot, tents):
    assert_problem(resources_client.post(f"{API}/stock/receipts", json=receipt_body({"id": str(uuid.uuid4())}, tents)),
                   404)
    assert_problem(resources_client.post(f"{API}/stock/receipts", json=receipt_body(depot, {"id": "x"})), 422,
                   "item_id")
    assert_problem(resources_client.post(f"{API}/stock/receipts", json={**receipt_body(depot, tents), "colour": 1}),
                   422, "colour")


def test_equipment_is_not_received_as_a_counted_quantity(resources_client, stockroom, depot):
    radios = stockroom.item(name="对讲机", unit="台", category_code="20101", kind="equipment")
    assert_problem(resources_client.post(f"{API}/stock/receipts", json=receipt_body(depot, radios)), 409)
    assert stockroom.lots(item_id=radios["id"]) == []


def test_an_issue_draws_the_earlier_expiry_first(stockroom, depot, water):
    late = stockroom.receive(depot, water, 30, batch_no="LATE", expiry_date=in_days(300))
    soon = stockroom.receive(depot, water, 20, batch_no="SOON", expiry_date=in_days(20))
    issued = stockroom.issue(depot, water, 25, reason="台风“梅花”转移安置群众")
    assert [(d["lot_id"], d["quantity"]) for d in issued["draws"]] == [(soon["lot_id"], 20), (late["lot_id"], 5)]
    assert [d["batch_no"] for d in issued["draws"]] == ["SOON", "LATE"]
    assert {lot["id"]: lot["quantity"] for lot in stockroom.lots(item_id=water["id"])} == {late["lot_id"]: 25}
    assert stockroom.balance(depot, water)["on_hand"] == 25
    lines = stockroom.movements(type="issue")
    assert {line["reason"] for line in lines} == {"台风“梅花”转移安置群众"}
    assert sorted(line["on_hand_delta"] for line in lines) == [-20, -5]


def test_an_issue_for_more_than_is_available_changes_nothing(stockroom, depot, water):
    stockroom.receive(depot, water, 8, expiry_date=in_days(10))
    stockroom.receive(depot, water, 4, expiry_date=in_days(20))
    before = (stockroom.movements(), stockroom.balance(depot, water), stockroom.lots())
    refused = stockroom.issue(depot, water, 12.5, status=409)
    assert refused["shortfall"] == [{"item_id": water["id"], "item": item_ref(water), "requested": 12.5,
                                     "available": 12, "warehouse_id": depot["id"], "warehouse": depot_ref(depot)}]
    assert refused["status"] == 409 and refused["request_id"]
    assert (stockroom.movements(), stockroom.balance(depot, water), stockroom.lots()) == before


def test_an_issue_never_draws_another_depot_or_reserved_stock(stockroom, depot, water):
    elsewhere = stockroom.warehouse(name="区级储备点")
    stockroom.receive(elsewhere, water, 100)
    stockroom.receive(depot, water, 10)
    stockroom.reserve((water, 6, depot))
    assert stockroom.issue(depot, water, 5, status=409)["shortfall"][0]["available"] == 4
    stockroom.issue(depot, water, 4)
    assert stockroom.balance(depot, water)["available"] == 0
    assert stockroom.balance(elsewhere, water)["on_hand"] == 100


def test_an_issue_needs_a_reason(resources_client, depot, water):
    body = {"warehouse_id": depot["id"], "item_id": water["id"], "quantity": 1}
    assert_problem(resources_client.post(f"{API}/stock/issues", json=body), 422, "reason")
    assert_problem(resources_client.post(f"{API}/stock/issues", json={**body, "reason": ""}), 422, "reason")
