"""Transfers between depots: earliest-expiring lots leave first, and each keeps its batch and expiry."""
from __future__ import annotations

import uuid

from stockroom import API, assert_problem, in_days, item_ref


def lots_at(stockroom, warehouse, item):
    return [(lot["batch_no"], lot["expiry_date"], lot["quantity"])
            for lot in stockroom.lots(warehouse_id=warehouse["id"], item_id=item["id"])]


def test_a_transfer_moves_the_earliest_expiring_lots_keeping_batch_and_expiry(stockroom, depot, water):
    city = stockroom.warehouse(name="市级应急物资储备库")
    stockroom.receive(depot, water, 10, batch_no="B-LATE", expiry_date=in_days(300))
    stockroom.receive(depot, water, 4, batch_no="B-SOON", expiry_date=in_days(30))
    moved = stockroom.transfer(depot, city, water, 6, reason="支援台风灾区")
    assert [(line["batch_no"], line["expiry_date"], line["quantity"]) for line in moved["lines"]] == \
        [("B-SOON", in_days(30), 4), ("B-LATE", in_days(300), 2)]
    assert lots_at(stockroom, city, water) == [("B-SOON", in_days(30), 4), ("B-LATE", in_days(300), 2)]
    assert lots_at(stockroom, depot, water) == [("B-LATE", in_days(300), 8)]
    assert (stockroom.balance(depot, water)["on_hand"], stockroom.balance(city, water)["on_hand"]) == (8, 6)


def test_both_sides_of_a_transfer_are_one_ledger_batch(stockroom, depot, water):
    city = stockroom.warehouse()
    stockroom.receive(depot, water, 10, batch_no="B1", expiry_date=in_days(100))
    moved = stockroom.transfer(depot, city, water, 3)
    lines = stockroom.movements(batch_id=moved["batch_id"])
    assert sorted((m["type"], m["warehouse_id"], m["on_hand_delta"]) for m in lines) == \
        sorted([("transfer_out", depot["id"], -3), ("transfer_in", city["id"], 3)])
    assert {m["type"] for m in stockroom.movements(type="transfer_in")} == {"transfer_in"}
    stockroom.ledger_matches_balances()


def test_a_transfer_joins_the_destination_lot_of_the_same_batch_and_expiry(stockroom, depot, water):
    city = stockroom.warehouse()
    stockroom.receive(depot, water, 10, batch_no="B1", expiry_date=in_days(100))
    there = stockroom.receive(city, water, 5, batch_no="B1", expiry_date=in_days(100))
    stockroom.receive(city, water, 7, batch_no="B1", expiry_date=in_days(200))  # same batch, other expiry
    moved = stockroom.transfer(depot, city, water, 4)
    assert [line["to_lot_id"] for line in moved["lines"]] == [there["lot_id"]]
    assert lots_at(stockroom, city, water) == [("B1", in_days(100), 9), ("B1", in_days(200), 7)]


def test_transferring_back_and_forth_changes_no_total(stockroom, depot, water):
    city = stockroom.warehouse()
    stockroom.receive(depot, water, 10, batch_no="B1", expiry_date=in_days(100))
    stockroom.transfer(depot, city, water, 10)
    stockroom.transfer(city, depot, water, 10)
    assert lots_at(stockroom, depot, water) == [("B1", in_days(100), 10)]
    assert lots_at(stockroom, city, water) == []
    assert stockroom.balance(city, water)["on_hand"] == 0
    stockroom.ledger_matches_balances()


def test_a_transfer_to_the_same_depot_is_refused(resources_client, stockroom, depot, water):
    stockroom.receive(depot, water, 10)
    body = {"from_warehouse_id": depot["id"], "to_warehouse_id": depot["id"], "item_id": water["id"], "quantity": 1}
    assert_problem(resources_client.post(f"{API}/stock/transfers", json=body), 422, "to_warehouse_id")
    assert [m["type"] for m in stockroom.movements()] == ["receipt"]


def test_more_than_is_available_is_refused_with_the_shortfall(stockroom, depot, water, outbox):
    city = stockroom.warehouse()
    stockroom.receive(depot, water, 10)
    stockroom.reserve((water, 4))
    written = len(outbox())
    refused = stockroom.transfer(depot, city, water, 7, status=409)
    assert [{name: line[name] for name in ("item_id", "item", "requested", "available")}
            for line in refused["shortfall"]] == [{"item_id": water["id"], "item": item_ref(water), "requested": 7,
                                                   "available": 6}]
    assert len(outbox()) == written, "a refused transfer announces nothing"
    assert stockroom.movements(type="transfer_out") == []
    assert stockroom.balance(depot, water)["on_hand"] == 10


def test_reserved_stock_stays_behind(stockroom, depot, water):
    city = stockroom.warehouse()
    stockroom.receive(depot, water, 5, batch_no="SOON", expiry_date=in_days(10))
    stockroom.receive(depot, water, 5, batch_no="LATE", expiry_date=in_days(300))
    stockroom.reserve((water, 5))  # holds SOON
    moved = stockroom.transfer(depot, city, water, 5)
    assert [line["batch_no"] for line in moved["lines"]] == ["LATE"]
    balance = stockroom.balance(depot, water)
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (5, 5, 0)


def test_equipment_is_not_transferred_as_a_count(stockroom, depot):
    city = stockroom.warehouse()
    radios = stockroom.equipment_item(name="卫星电话")
    stockroom.register(depot, radios, "SAT-001")
    refused = stockroom.transfer(depot, city, radios, 1, status=409)
    assert refused["field"] == "item_id"
    assert stockroom.balance(depot, radios)["on_hand"] == 1


def test_a_bad_transfer_is_refused_field_by_field(resources_client, stockroom, depot, water):
    city = stockroom.warehouse()
    body = {"from_warehouse_id": depot["id"], "to_warehouse_id": city["id"], "item_id": water["id"], "quantity": 1}
    assert_problem(resources_client.post(f"{API}/stock/transfers", json={**body, "quantity": 0}), 422, "quantity")
    assert_problem(resources_client.post(f"{API}/stock/transfers", json={**body, "item_id": "x"}), 422, "item_id")
    missing = {k: v for k, v in body.items() if k != "to_warehouse_id"}
    assert_problem(resources_client.post(f"{API}/stock/transfers", json=missing), 422, "to_warehouse_id")
    assert_problem(resources_client.post(f"{API}/stock/transfers", json={**body, "to_warehouse_id": str(uuid.uuid4())}),
                   404)
