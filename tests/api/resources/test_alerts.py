"""What needs a logistics officer's attention, most urgent first; and expired stock is never handed out."""
from __future__ import annotations

import pytest

from stockroom import API, assert_problem, in_days, travel, url


@pytest.fixture
def masks(stockroom):
    return stockroom.item(name="医用防护口罩", unit="盒", category_code="10201")


def kinds(alerts):
    return [alert["kind"] for alert in alerts]


def test_an_expired_lot_leaves_available_and_is_never_reserved_or_issued(stockroom, depot, masks, monkeypatch):
    city = stockroom.warehouse()
    old = stockroom.receive(depot, masks, 10, batch_no="OLD", expiry_date=in_days(1))
    fresh = stockroom.receive(depot, masks, 5, batch_no="NEW", expiry_date=in_days(100))
    assert stockroom.balance(depot, masks)["available"] == 15, "usable through its expiry date"
    travel(monkeypatch, days=2)
    balance = stockroom.balance(depot, masks)
    assert (balance["on_hand"], balance["reserved"], balance["unusable"], balance["available"]) == (15, 0, 10, 5)
    assert stockroom.issue(depot, masks, 6, status=409)["shortfall"][0]["available"] == 5
    assert stockroom.reserve((masks, 6), status=409)["shortfall"][0]["available"] == 5
    assert stockroom.transfer(depot, city, masks, 6, status=409)["shortfall"][0]["available"] == 5
    issued = stockroom.issue(depot, masks, 2)
    assert [d["lot_id"] for d in issued["draws"]] == [fresh["lot_id"]]
    held = stockroom.reserve((masks, 3))
    assert [a["lot_id"] for a in held["allocations"]] == [fresh["lot_id"]]
    assert [lot["quantity"] for lot in stockroom.lots(warehouse_id=depot["id"])] == [10, 3]
    [expired] = stockroom.alerts(kind="expired")
    assert (expired["lot_id"], expired["batch_no"], expired["quantity"], expired["days_left"]) == \
        (old["lot_id"], "OLD", 10, -1)


def test_stock_held_before_it_expired_stays_held_but_the_rest_is_unusable(stockroom, depot, masks, monkeypatch):
    stockroom.receive(depot, masks, 10, expiry_date=in_days(1))
    stockroom.reserve((masks, 4))
    travel(monkeypatch, days=2)
    balance = stockroom.balance(depot, masks)
    assert (balance["on_hand"], balance["reserved"], balance["unusable"], balance["available"]) == (10, 4, 6, 0)
    [expired] = stockroom.alerts(kind="expired")
    assert (expired["quantity"], expired["reserved"]) == (10, 4)


def test_alerts_come_most_urgent_first(stockroom, depot, masks, water, monkeypatch):
    pumps = stockroom.equipment_item(interval_days=365)
    stockroom.receive(depot, masks, 1, batch_no="GONE", expiry_date=in_days(1))
    stockroom.receive(depot, masks, 2, batch_no="SOON", expiry_date=in_days(12))
    stockroom.receive(depot, masks, 3, batch_no="LATER", expiry_date=in_days(25))
    stockroom.receive(depot, masks, 4, batch_no="FAR", expiry_date=in_days(200))
    stockroom.receive(depot, water, 5, expiry_date=in_days(300))
    stockroom.quota(depot, water, 8)
    stockroom.register(depot, pumps, "DUE", next_inspection_due=in_days(9))
    stockroom.register(depot, pumps, "OVERDUE", next_inspection_due=in_days(1))
    stockroom.register(depot, pumps, "FINE")
    travel(monkeypatch, days=2)
    alerts = stockroom.alerts()
    assert kinds(alerts) == ["expired", "inspection_due", "inspection_due", "low_stock", "expiring", "expiring"]
    assert alerts[0]["batch_no"] == "GONE"
    assert [(a["serial_no"], a["days_left"], a["overdue"]) for a in alerts[1:3]] == \
        [("OVERDUE", -1, True), ("DUE", 7, False)]
    assert (alerts[3]["item_id"], alerts[3]["available"], alerts[3]["min_quantity"], alerts[3]["shortfall"]) == \
        (water["id"], 5, 8, 3)
    assert [(a["batch_no"], a["days_left"], a["quantity"]) for a in alerts[4:]] == [("SOON", 10, 2), ("LATER", 23, 3)]
    assert all(a["warehouse_id"] == depot["id"] for a in alerts)


def test_within_days_sets_how_far_ahead_to_look(stockroom, depot, masks):
    pumps = stockroom.equipment_item()
    stockroom.receive(depot, masks, 2, batch_no="TODAY", expiry_date=in_days(0))
    stockroom.receive(depot, masks, 3, batch_no="IN-20", expiry_date=in_days(20))
    stockroom.receive(depot, masks, 4, batch_no="IN-45", expiry_date=in_days(45))
    stockroom.register(depot, pumps, "P-40", next_inspection_due=in_days(40))
    assert [a.get("batch_no") for a in stockroom.alerts()] == ["TODAY", "IN-20"], "30 days by default"
    assert [a.get("batch_no") for a in stockroom.alerts(within_days=10)] == ["TODAY"]
    assert [a["days_left"] for a in stockroom.alerts(within_days=0)] == [0]
    wide = stockroom.alerts(within_days=60)
    assert [a.get("batch_no") or a["serial_no"] for a in wide] == ["P-40", "TODAY", "IN-20", "IN-45"]


def test_alerts_filter_by_kind_depot_and_item(stockroom, depot, masks, water):
    city = stockroom.warehouse()
    pumps = stockroom.equipment_item()
    stockroom.receive(depot, masks, 2, expiry_date=in_days(5))
    stockroom.receive(city, masks, 2, expiry_date=in_days(6))
    stockroom.receive(city, water, 2, expiry_date=in_days(7))
    stockroom.quota(depot, water, 1)
    stockroom.register(city, pumps, "P-1", next_inspection_due=in_days(3))
    assert kinds(stockroom.alerts()) == ["inspection_due", "low_stock", "expiring", "expiring", "expiring"]
    assert kinds(stockroom.alerts(kind="low_stock")) == ["low_stock"]
    assert [a["serial_no"] for a in stockroom.alerts(kind="inspection_due")] == ["P-1"]
    assert {a["warehouse_id"] for a in stockroom.alerts(warehouse_id=city["id"])} == {city["id"]}
    assert len(stockroom.alerts(warehouse_id=city["id"])) == 3
    assert {a["item_id"] for a in stockroom.alerts(item_id=masks["id"])} == {masks["id"]}
    assert len(stockroom.alerts(item_id=masks["id"])) == 2
    assert kinds(stockroom.alerts(warehouse_id=depot["id"], item_id=water["id"])) == ["low_stock"]
    assert stockroom.alerts(kind="expired") == []


def test_stock_that_recovers_leaves_the_low_stock_alerts(stockroom, depot, water):
    stockroom.quota(depot, water, 10)
    assert kinds(stockroom.alerts()) == ["low_stock"]
    stockroom.receive(depot, water, 10, expiry_date=in_days(300))
    assert stockroom.alerts() == []


def test_retired_units_and_empty_lots_raise_no_alerts(stockroom, depot, masks):
    pumps = stockroom.equipment_item()
    unit = stockroom.register(depot, pumps, "P-1", next_inspection_due=in_days(2))
    stockroom.post(f"/equipment/{unit['id']}/retire", {"reason": "报废"}, status=200)
    stockroom.receive(depot, masks, 2, expiry_date=in_days(5))
    stockroom.issue(depot, masks, 2)
    assert stockroom.alerts() == []


def test_a_bad_alert_query_is_refused(resources_client):
    for params in ({"kind": "fire"}, {"within_days": -1}, {"within_days": "soon"}, {"warehouse_id": "north"}):
        field = next(iter(params))
        assert_problem(resources_client.get(url("/alerts", **params)), 422, field)
    assert resources_client.get(f"{API}/alerts").get_json() == {"items": [], "total": 0, "page": 1, "per_page": 50}


def test_alerts_are_a_list_in_pages_like_every_other(stockroom, depot, masks):
    for days in (3, 1, 2):
        stockroom.receive(depot, masks, 1, batch_no=f"D{days}", expiry_date=in_days(days))
    first = stockroom.get("/alerts", per_page=2)
    assert (first["total"], first["page"], first["per_page"]) == (3, 1, 2)
    assert [a["batch_no"] for a in first["items"]] == ["D1", "D2"]
    assert [a["batch_no"] for a in stockroom.get("/alerts", per_page=2, page=2)["items"]] == ["D3"]


def test_a_unit_that_failed_inspection_has_its_own_alert_until_it_passes(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=30)
    broken = stockroom.register(depot, pumps, "P-BROKEN")
    stockroom.register(depot, pumps, "P-DUE", next_inspection_due=in_days(3))
    failed = stockroom.inspect(broken, "fail", note="密封圈老化")
    alerts = stockroom.alerts()
    assert kinds(alerts) == ["out_of_service", "inspection_due"]
    assert (alerts[0]["equipment_id"], alerts[0]["serial_no"], alerts[0]["status"], alerts[0]["inspected_at"]) == \
        (broken["id"], "P-BROKEN", "out_of_service", failed["inspected_at"])
    assert "密封圈老化" in alerts[0]["status_reason"] and alerts[0]["inspector"] == "王工"
    assert [a["serial_no"] for a in stockroom.alerts(kind="out_of_service")] == ["P-BROKEN"]

    stockroom.inspect(broken, "pass")
    assert [a["serial_no"] for a in stockroom.alerts(within_days=10)] == ["P-DUE"]  # the next is due in 30
