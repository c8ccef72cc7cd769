"""People read names, not ids (issue 11 item 12) in the resources service: every write takes a depot's or
item's code where it takes its id, and every answer names the depot and item beside their ids."""
from __future__ import annotations

import uuid

import pytest

from servicekit.signing import Actor
from servicekit.testing import signed_client
from stockroom import API, assert_problem, depot_ref, in_days, item_ref

KEEPER = Actor(id="0b7e3f7c-key-of-wang", name="仓管员王芳", role="logistics")


@pytest.fixture
def keeper(resources_app):
    """A logistics officer with a name, as the gateway vouches for her."""
    return signed_client(resources_app, actor=KEEPER)


def post(client, path, body, status=201):
    response = client.post(API + path, json=body)
    assert response.status_code == status, response.get_data(as_text=True)
    return response


# --- writes: the code instead of the id --------------------------------------------------------------

def test_a_receipt_by_codes_is_booked_and_answers_names(stockroom, depot, water):
    receipt = stockroom.post("/stock/receipts", {"warehouse_code": depot["code"], "item_code": water["code"],
                                                 "quantity": 40, "batch_no": "B2027", "expiry_date": in_days(90)})
    assert (receipt["warehouse_id"], receipt["item_id"]) == (depot["id"], water["id"])
    assert receipt["warehouse"] == depot_ref(depot) and receipt["item"] == item_ref(water)
    assert stockroom.balance(depot, water)["on_hand"] == 40


def test_an_id_and_the_same_records_code_together_are_accepted(stockroom, depot, water):
    stockroom.post("/stock/receipts", {"warehouse_id": depot["id"], "warehouse_code": depot["code"],
                                       "item_id": water["id"], "item_code": water["code"], "quantity": 5})
    assert stockroom.balance(depot, water)["on_hand"] == 5


def test_an_id_and_a_code_naming_different_records_is_422_naming_both(resources_client, stockroom, depot, water, tents):
    refused = resources_client.post(f"{API}/stock/receipts", json={"warehouse_id": depot["id"], "item_id": water["id"],
                                                                   "item_code": tents["code"], "quantity": 5})
    body = assert_problem(refused, 422, "item_id", "item_code")
    assert "different" in body["errors"]["item_code"][0]
    assert stockroom.movements() == []


def test_an_unknown_code_is_422_naming_the_field(resources_client, depot):
    refused = resources_client.post(f"{API}/stock/receipts",
                                    json={"warehouse_code": depot["code"], "item_code": "NO-SUCH", "quantity": 5})
    assert "NO-SUCH" in assert_problem(refused, 422, "item_code")["errors"]["item_code"][0]
    assert_problem(resources_client.post(f"{API}/stock/receipts",
                                         json={"warehouse_code": "", "item_code": "X", "quantity": 1}),
                   422, "warehouse_code")


def test_neither_id_nor_code_is_422_naming_the_id(resources_client, water):
    refused = resources_client.post(f"{API}/stock/receipts", json={"item_id": water["id"], "quantity": 5})
    assert "warehouse_code" in assert_problem(refused, 422, "warehouse_id")["errors"]["warehouse_id"][0]


def test_a_code_that_is_not_text_or_holds_a_lone_surrogate_is_422_not_500(resources_client, depot):
    assert_problem(resources_client.post(f"{API}/stock/receipts",
                                         json={"warehouse_code": 7, "item_code": "X", "quantity": 1}),
                   422, "warehouse_code")
    raw = ('{"warehouse_code": "%s", "item_code": "\\ud800", "quantity": 1}' % depot["code"]).encode()
    refused = resources_client.post(f"{API}/stock/receipts", data=raw, content_type="application/json")
    assert refused.status_code in (400, 422) and refused.mimetype == "application/problem+json"


def test_issues_transfers_counts_and_quotas_take_codes(stockroom, depot, water):
    other = stockroom.warehouse()
    stockroom.receive(depot, water, 30, expiry_date=in_days(60))
    codes = {"warehouse_code": depot["code"], "item_code": water["code"]}
    issued = stockroom.post("/stock/issues", {**codes, "quantity": 4, "reason": "防汛抢险"})
    assert issued["item"] == item_ref(water) and issued["warehouse"] == depot_ref(depot)
    moved = stockroom.post("/stock/transfers", {"from_warehouse_code": depot["code"], "to_warehouse_code": other["code"],
                                                "item_code": water["code"], "quantity": 6})
    assert moved["from_warehouse"] == depot_ref(depot) and moved["to_warehouse"] == depot_ref(other)
    counted = stockroom.post("/stock/adjustments", {**codes, "counted_quantity": 19, "reason": "月度盘点"})
    assert counted["difference"] == -1 and counted["item"] == item_ref(water)
    quota = stockroom.client.put(f"{API}/quotas", json={**codes, "min_quantity": 25})
    assert quota.status_code == 200 and quota.get_json()["warehouse"] == depot_ref(depot)


def test_reservations_and_their_consumption_take_codes_and_name_their_lines(stockroom, depot, tents):
    stockroom.receive(depot, tents, 5)
    held = stockroom.post("/reservations", {"reference": "演练-2026-12", "lines": [
        {"item_code": tents["code"], "warehouse_code": depot["code"], "quantity": 3}]})
    [allocation] = held["allocations"]
    assert allocation["item"] == item_ref(tents) and allocation["warehouse"] == depot_ref(depot)
    assert held["created_by"] == {"id": "admin", "name": "admin"}
    done = stockroom.post(f"/reservations/{held['id']}/consume", {"lines": [{"item_code": tents["code"],
                                                                            "quantity": 2}]}, status=200)
    assert done["status"] == "consumed"
    refused = stockroom.client.post(f"{API}/reservations", json={"reference": "x", "lines": [
        {"item_code": "NO-SUCH", "quantity": 1}]})
    assert "item_code" in assert_problem(refused, 422, "lines")["errors"]["lines"]["0"]


def test_a_shortfall_names_each_item(stockroom, depot, tents):
    refused = stockroom.post("/reservations", {"reference": "x", "lines": [{"item_code": tents["code"], "quantity": 2}]},
                             status=409)
    assert refused["shortfall"][0]["item"] == item_ref(tents)
    assert tents["code"] in refused["detail"]


def test_equipment_is_registered_by_codes_and_inspections_name_the_inspector_key(stockroom, keeper, depot):
    pumps = stockroom.item(name="排涝泵", unit="台", kind="equipment", inspection_interval_days=90)
    unit = stockroom.post("/equipment", {"item_code": pumps["code"], "warehouse_code": depot["code"],
                                         "serial_no": "PUMP-001"})
    assert unit["item"] == item_ref(pumps) and unit["warehouse"] == depot_ref(depot)
    inspection = post(keeper, f"/equipment/{unit['id']}/inspections",
                      {"result": "pass", "inspected_at": "2026-01-05T09:00:00+08:00", "inspector": "李工"}).get_json()
    assert inspection["recorded_by"] == {"id": KEEPER.id, "name": KEEPER.name}


# --- answers: names beside ids -------------------------------------------------------------------

def test_balances_lots_movements_and_alerts_name_depot_and_item(stockroom, keeper, depot, water):
    post(keeper, "/stock/receipts", {"warehouse_id": depot["id"], "item_id": water["id"], "quantity": 12,
                                     "batch_no": "B-7", "expiry_date": in_days(10)})
    [balance] = stockroom.get("/stock", item_code=water["code"])["items"]
    [lot] = stockroom.get("/stock/lots", warehouse_code=depot["code"])["items"]
    [movement] = stockroom.get("/movements", item_code=water["code"])["items"]
    [alert] = stockroom.get("/alerts", within_days=30, item_code=water["code"])["items"]
    for answer in (balance, lot, movement, alert):
        assert answer["item"] == item_ref(water) and answer["warehouse"] == depot_ref(depot), answer
    assert (movement["batch_no"], movement["expiry_date"]) == ("B-7", in_days(10))
    assert movement["recorded_by"] == {"id": KEEPER.id, "name": KEEPER.name}


def test_a_filter_by_an_unknown_code_is_422_naming_it(resources_client):
    assert_problem(resources_client.get(f"{API}/stock?item_code=NO-SUCH"), 422, "item_code")


def test_the_nearest_depots_are_named(stockroom, water):
    depot = stockroom.warehouse(lat=31.23, lon=121.47)
    stockroom.receive(depot, water, 10)
    found = stockroom.get("/stock/nearest", item_code=water["code"], quantity=5, lat=31.2, lon=121.4)
    assert found["item"] == item_ref(water) and found["items"][0]["warehouse"] == depot_ref(depot)


# --- events carry what the other services' copies need -----------------------------------------------

def test_items_are_announced_on_create_and_change_with_code_name_and_unit(stockroom, outbox):
    item = stockroom.item(name="折叠床", unit="张")
    stockroom.client.patch(f"{API}/items/{item['id']}", json={"name": "折叠床（加宽）"})
    announced = [data["item"] for _, data in outbox("item.changed") if data["item_id"] == item["id"]]
    assert [(i["code"], i["name"], i["unit"]) for i in announced] == [(item["code"], "折叠床", "张"),
                                                                      (item["code"], "折叠床（加宽）", "张")]
    assert announced[0]["updated_at"] <= announced[1]["updated_at"]


def test_stock_changed_and_reservation_held_name_item_and_depot(stockroom, outbox, depot, tents):
    stockroom.receive(depot, tents, 3)
    stockroom.reserve((tents, 1))
    [(_, changed)] = outbox("stock.changed")[:1]
    assert changed["item"]["name"] == tents["name"] and changed["warehouse"]["code"] == depot["code"]
    [(_, held)] = outbox("reservation.held")
    assert held["allocations"][0]["item"]["code"] == tents["code"]


def test_an_unknown_movement_is_404(resources_client):
    assert_problem(resources_client.get(f"{API}/movements/{uuid.uuid4()}"), 404)
