"""Serial-numbered equipment: a unit is its own stock, and inspections keep it in or take it out of service."""
from __future__ import annotations

import datetime as dt
import uuid

from servicekit import clock
from stockroom import API, assert_problem, in_days, local_today, url


def available(stockroom, depot, item):
    return stockroom.balance(depot, item)["available"]


def test_registering_a_unit_is_its_receipt(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=180, name="移动排涝泵车")
    unit = stockroom.register(depot, pumps, "PUMP-2026-001", commissioned_on="2025-12-01", note="3000m³/h")
    assert (unit["serial_no"], unit["status"], unit["inspections"]) == ("PUMP-2026-001", "in_service", [])
    assert unit["next_inspection_due"] == in_days(180)
    assert (unit["commissioned_on"], unit["note"], unit["last_inspected_at"]) == ("2025-12-01", "3000m³/h", None)
    [receipt] = stockroom.movements(item_id=pumps["id"])
    assert (receipt["type"], receipt["quantity"], receipt["lot_id"]) == ("receipt", 1, unit["lot_id"])
    stockroom.register(depot, pumps, "PUMP-2026-002")
    balance = stockroom.balance(depot, pumps)
    assert (balance["on_hand"], balance["available"]) == (2, 2)
    assert stockroom.get(f"/equipment/{unit['id']}") == unit


def test_units_are_listed_and_filtered(stockroom, depot):
    pumps, boats = stockroom.equipment_item(), stockroom.equipment_item(name="冲锋舟")
    other = stockroom.warehouse()
    stockroom.register(depot, pumps, "P-2")
    stockroom.register(depot, pumps, "P-1")
    stockroom.register(other, boats, "B-1", next_inspection_due=in_days(3))
    listed = stockroom.get("/equipment", item_id=pumps["id"])
    assert (listed["total"], [u["serial_no"] for u in listed["items"]]) == (2, ["P-1", "P-2"])
    assert [u["serial_no"] for u in stockroom.get("/equipment", warehouse_id=other["id"])["items"]] == ["B-1"]
    assert [u["serial_no"] for u in stockroom.get("/equipment", due_before=in_days(10))["items"]] == ["B-1"]
    assert stockroom.get("/equipment", serial_no="P-2")["total"] == 1
    # `status` is also Stockroom.get's expected HTTP status, so this one goes through the client.
    assert stockroom.client.get(url("/equipment", status="out_of_service")).get_json()["total"] == 0
    assert stockroom.client.get(f"{API}/equipment?status=broken").status_code == 422


def test_a_serial_number_is_registered_once_and_only_for_equipment(resources_client, stockroom, depot, tents):
    pumps = stockroom.equipment_item()
    stockroom.register(depot, pumps, "PUMP-1")
    assert stockroom.register(stockroom.warehouse(), pumps, "PUMP-1", status=409)["field"] == "serial_no"
    assert stockroom.register(depot, tents, "TENT-1", status=409)["field"] == "item_id"
    stockroom.register(depot, stockroom.equipment_item(), "PUMP-1")  # another item's serial may repeat
    body = {"warehouse_id": depot["id"], "item_id": pumps["id"], "serial_no": ""}
    assert_problem(resources_client.post(f"{API}/equipment", json=body), 422, "serial_no")
    assert_problem(resources_client.post(f"{API}/equipment", json={**body, "serial_no": "X", "status": "retired"}), 422,
                   "status")
    assert_problem(resources_client.get(f"{API}/equipment/{uuid.uuid4()}"), 404)


def test_equipment_is_not_received_as_a_count(stockroom, depot):
    pumps = stockroom.equipment_item()
    stockroom.post("/stock/receipts", {"warehouse_id": depot["id"], "item_id": pumps["id"], "quantity": 1},
                   status=409)


def test_a_failed_inspection_grounds_the_unit(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=30)
    grounded, spare = stockroom.register(depot, pumps, "P-1"), stockroom.register(depot, pumps, "P-2")
    failed = stockroom.inspect(grounded, "fail", note="液压泄漏")
    assert (failed["result"], failed["inspector"], failed["note"]) == ("fail", "王工", "液压泄漏")
    assert failed["next_inspection_due"] == in_days(30)
    unit = stockroom.get(f"/equipment/{grounded['id']}")
    assert (unit["status"], unit["next_inspection_due"]) == ("out_of_service", in_days(30))
    assert "液压泄漏" in unit["status_reason"]
    assert [i["id"] for i in unit["inspections"]] == [failed["id"]]
    balance = stockroom.balance(depot, pumps)
    assert (balance["on_hand"], balance["unusable"], balance["available"]) == (2, 1, 1)
    # Only the spare can be reserved or issued; the grounded unit never.
    held = stockroom.reserve((pumps, 1))
    assert [a["lot_id"] for a in held["allocations"]] == [spare["lot_id"]]
    assert stockroom.reserve((pumps, 1), status=409)["shortfall"][0]["available"] == 0
    assert stockroom.issue(depot, pumps, 1, status=409)["shortfall"][0]["available"] == 0


def test_a_passing_inspection_returns_the_unit_to_service(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=90)
    unit = stockroom.register(depot, pumps, "P-1")
    stockroom.inspect(unit, "fail", inspected_at=clock.now() - dt.timedelta(hours=2))
    assert available(stockroom, depot, pumps) == 0
    stockroom.inspect(unit, "pass", note="已更换密封圈")
    after = stockroom.get(f"/equipment/{unit['id']}")
    assert (after["status"], after["status_reason"], after["next_inspection_due"]) == ("in_service", None, in_days(90))
    assert [i["result"] for i in after["inspections"]] == ["pass", "fail"], "newest first"
    assert available(stockroom, depot, pumps) == 1
    stockroom.issue(depot, pumps, 1)


def test_an_older_inspection_entered_late_does_not_overrule_a_newer_one(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=60)
    unit = stockroom.register(depot, pumps, "P-1")
    stockroom.inspect(unit, "pass", inspected_at=clock.now() - dt.timedelta(days=1))
    stockroom.inspect(unit, "fail", inspected_at=clock.now() - dt.timedelta(days=5), note="上周的记录")
    after = stockroom.get(f"/equipment/{unit['id']}")
    assert (after["status"], after["next_inspection_due"]) == ("in_service", in_days(59))
    assert [i["result"] for i in after["inspections"]] == ["pass", "fail"]
    assert available(stockroom, depot, pumps) == 1


def test_a_pass_long_ago_leaves_the_unit_overdue_and_out_of_service(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=30)
    unit = stockroom.register(depot, pumps, "P-1")
    stockroom.inspect(unit, "pass", inspected_at=clock.now() - dt.timedelta(days=45))
    after = stockroom.get(f"/equipment/{unit['id']}")
    assert (after["status"], after["status_reason"]) == ("out_of_service", "inspection overdue")
    assert after["next_inspection_due"] == in_days(-15)


def test_next_inspection_falls_due_on_the_bureaus_calendar(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=10)
    unit = stockroom.register(depot, pumps, "P-1")
    # 23:30 UTC yesterday is 07:30 today in Shanghai: the inspection happened today.
    at = dt.datetime.combine(local_today(), dt.time(7, 30), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    if at > clock.now():
        at -= dt.timedelta(days=1)
    inspected = stockroom.inspect(unit, "pass", inspected_at=at.astimezone(dt.timezone.utc))
    assert inspected["next_inspection_due"] == (at.date() + dt.timedelta(days=10)).isoformat()


def test_an_inspection_in_the_future_or_malformed_is_refused(resources_client, stockroom, depot):
    unit = stockroom.register(depot, stockroom.equipment_item(), "P-1")
    path = f"{API}/equipment/{unit['id']}/inspections"
    body = {"result": "pass", "inspected_at": (clock.now() + dt.timedelta(days=1)).isoformat(), "inspector": "王工"}
    assert_problem(resources_client.post(path, json=body), 422, "inspected_at")
    now = clock.now().isoformat()
    assert_problem(resources_client.post(path, json={**body, "inspected_at": now, "result": "ok"}), 422, "result")
    assert_problem(resources_client.post(path, json={**body, "inspected_at": "2026-01-01T08:00:00"}), 422,
                   "inspected_at")
    assert_problem(resources_client.post(path, json={**body, "inspected_at": "0001-01-01T00:00:00+08:00"}), 422,
                   "inspected_at")
    assert_problem(resources_client.post(path, json={**body, "inspected_at": now, "inspector": ""}), 422, "inspector")
    assert_problem(resources_client.post(f"{API}/equipment/{uuid.uuid4()}/inspections",
                                         json={**body, "inspected_at": now}), 404)
    assert stockroom.get(f"/equipment/{unit['id']}")["inspections"] == []


def test_retiring_a_unit_takes_it_off_the_books(stockroom, depot):
    pumps = stockroom.equipment_item()
    unit, kept = stockroom.register(depot, pumps, "P-1"), stockroom.register(depot, pumps, "P-2")
    retired = stockroom.post(f"/equipment/{unit['id']}/retire", {"reason": "报废"}, status=200)
    assert (retired["status"], retired["status_reason"]) == ("retired", "报废")
    balance = stockroom.balance(depot, pumps)
    assert (balance["on_hand"], balance["unusable"], balance["available"]) == (1, 0, 1)
    [line] = stockroom.movements(type="adjustment")
    assert (line["lot_id"], line["on_hand_delta"]) == (unit["lot_id"], -1)
    stockroom.post(f"/equipment/{unit['id']}/retire", {"reason": "again"}, status=409)
    stockroom.inspect(unit, "pass", status=409)
    stockroom.reserve((pumps, 1))
    assert stockroom.post(f"/equipment/{kept['id']}/retire", {"reason": "丢失"}, status=409)
    stockroom.ledger_matches_balances()
