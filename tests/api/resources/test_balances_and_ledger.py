"""Balances, lots and the immutable ledger always agree with each other."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from servicekit import clock
from stockroom import API, assert_problem, in_days


def advance_clock(monkeypatch, **delta):
    later = clock.now() + dt.timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: later)


def test_a_balance_shows_on_hand_reserved_available_and_quota(stockroom, depot, tents):
    stockroom.receive(depot, tents, 50)
    stockroom.reserve((tents, 12.5))
    balance = stockroom.balance(depot, tents)
    assert {k: balance[k] for k in ("warehouse_id", "item_id", "on_hand", "reserved", "available", "min_quantity")} \
        == {"warehouse_id": depot["id"], "item_id": tents["id"], "on_hand": 50, "reserved": 12.5,
            "available": 37.5, "min_quantity": 0}


def test_balances_filter_by_depot_item_and_class(stockroom, depot, tents, water):
    other = stockroom.warehouse()
    stockroom.receive(depot, tents, 1)
    stockroom.receive(depot, water, 2)
    stockroom.receive(other, water, 3)

    def pairs(**query):
        return {(b["warehouse_id"], b["item_id"]) for b in stockroom.get("/stock", **query)["items"]}

    assert pairs() == {(depot["id"], tents["id"]), (depot["id"], water["id"]), (other["id"], water["id"])}
    assert pairs(warehouse_id=other["id"]) == {(other["id"], water["id"])}
    assert pairs(item_id=water["id"]) == {(depot["id"], water["id"]), (other["id"], water["id"])}
    assert pairs(category_code="104") == {(depot["id"], tents["id"])}
    assert pairs(category_code="1") == pairs()
    assert pairs(category_code="2") == set()
    page = stockroom.get("/stock", per_page=2, page=2)
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (3, 2, 2, 1)


def test_lots_list_batch_expiry_and_quantity_earliest_expiry_first(stockroom, depot, water):
    stockroom.receive(depot, water, 5, batch_no="L", expiry_date=in_days(300))
    stockroom.receive(depot, water, 6, batch_no="S", expiry_date=in_days(3))
    stockroom.receive(depot, water, 7, batch_no="M", expiry_date=in_days(30))
    lots = stockroom.lots(item_id=water["id"])
    assert [(lot["batch_no"], lot["expiry_date"], lot["quantity"]) for lot in lots] == \
        [("S", in_days(3), 6), ("M", in_days(30), 7), ("L", in_days(300), 5)]
    stockroom.issue(depot, water, 6)
    assert [lot["batch_no"] for lot in stockroom.lots(item_id=water["id"])] == ["M", "L"]
    assert len(stockroom.lots(item_id=water["id"], include_empty="true")) == 3


def test_an_expired_lot_is_never_issued_or_reserved(stockroom, depot, tents, monkeypatch):
    stockroom.receive(depot, tents, 10, batch_no="OLD", expiry_date=in_days(1))
    stockroom.receive(depot, tents, 3, batch_no="NEW", expiry_date=in_days(100))
    advance_clock(monkeypatch, days=3)
    assert stockroom.issue(depot, tents, 4, status=409)["shortfall"][0]["available"] == 3
    assert stockroom.reserve((tents, 4), status=409)["shortfall"][0]["available"] == 3
    assert [d["batch_no"] for d in stockroom.issue(depot, tents, 3)["draws"]] == ["NEW"]


def test_the_ledger_filters_by_type_item_and_depot_newest_first(stockroom, depot, tents, water):
    other = stockroom.warehouse()
    stockroom.receive(depot, tents, 10)
    stockroom.receive(other, water, 10)
    stockroom.issue(depot, tents, 1)
    assert [m["type"] for m in stockroom.movements()] == ["issue", "receipt", "receipt"]
    assert {m["item_id"] for m in stockroom.movements(item_id=water["id"])} == {water["id"]}
    assert [m["type"] for m in stockroom.movements(warehouse_id=depot["id"])] == ["issue", "receipt"]
    assert [m["item_id"] for m in stockroom.movements(type="receipt", warehouse_id=other["id"])] == [water["id"]]
    assert stockroom.movements(type="release") == []
    assert_problem(stockroom.client.get(f"{API}/movements?type=theft"), 422, "type")


def test_the_ledger_sums_to_every_balance_after_a_mixed_day(stockroom, depot, tents, water):
    other = stockroom.warehouse()
    stockroom.receive(depot, tents, 20, expiry_date=in_days(10))
    stockroom.receive(depot, tents, 15.5, expiry_date=in_days(50))
    stockroom.receive(other, tents, 7)
    stockroom.receive(depot, water, 9.125)
    stockroom.issue(depot, tents, 3)
    held = stockroom.reserve((tents, 25), (water, 4))
    released = stockroom.reserve((tents, 2, other), reference="exercise:2")
    stockroom.post(f"/reservations/{released['id']}/release", status=200)
    stockroom.post(f"/reservations/{held['id']}/consume",
                   {"lines": [{"item_id": tents["id"], "quantity": 11}, {"item_id": water["id"], "quantity": 0.125}]},
                   status=200)
    stockroom.reserve((tents, 1))
    stockroom.issue(other, tents, 6)

    on_hand, reserved = defaultdict(Decimal), defaultdict(Decimal)
    for line in stockroom.movements():
        pair = (line["warehouse_id"], line["item_id"])
        on_hand[pair] += Decimal(str(line["on_hand_delta"]))
        reserved[pair] += Decimal(str(line["reserved_delta"]))
    balances = stockroom.get("/stock")["items"]
    assert len(balances) == 3
    for balance in balances:
        pair = (balance["warehouse_id"], balance["item_id"])
        assert on_hand[pair] == Decimal(str(balance["on_hand"])), pair
        assert reserved[pair] == Decimal(str(balance["reserved"])), pair
        assert balance["available"] == balance["on_hand"] - balance["reserved"] >= 0
    assert (stockroom.balance(depot, tents)["on_hand"], stockroom.balance(depot, tents)["reserved"]) == (21.5, 1)
    assert stockroom.balance(depot, water)["on_hand"] == 9
    lots_total = sum(Decimal(str(lot["quantity"])) for lot in stockroom.lots(warehouse_id=depot["id"],
                                                                           item_id=tents["id"]))
    assert lots_total == Decimal("21.5")
