"""A depot or item is never deleted: `PATCH {active: false}` retires it (history kept, no new stock, out of the
lists unless asked for), `active: true` brings it back."""
from __future__ import annotations

import io

from stockroom import API, assert_problem


def patch(client, path: str, body: dict, status: int = 200) -> dict:
    answer = client.patch(API + path, json=body)
    assert answer.status_code == status, answer.get_data(as_text=True)
    return answer.get_json()


def codes(stockroom, path: str, **params) -> list[str]:
    return [found["code"] for found in stockroom.get(path, per_page=500, **params)["items"]]


def test_a_retired_depot_keeps_its_history_and_lets_its_stock_out_but_takes_none_in(resources_client, stockroom, depot,
                                                                                     tents):
    city = stockroom.warehouse()
    stockroom.receive(depot, tents, 10)
    assert depot["active"] is True
    retired = patch(resources_client, f"/warehouses/{depot['id']}", {"active": False})
    assert retired["active"] is False and stockroom.get(f"/warehouses/{depot['id']}")["active"] is False

    assert depot["code"] not in codes(stockroom, "/warehouses")
    assert depot["code"] in codes(stockroom, "/warehouses", include_inactive="true")
    problem = assert_problem(resources_client.post(f"{API}/stock/receipts", json={
        "warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 1}), 409)
    assert "retired" in problem["detail"] and depot["code"] in problem["detail"]
    assert_problem(resources_client.post(f"{API}/stock/transfers", json={
        "from_warehouse_id": city["id"], "to_warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 1}), 409)
    pumps = stockroom.equipment_item()
    assert "retired" in assert_problem(resources_client.post(f"{API}/equipment", json={
        "warehouse_id": depot["id"], "item_id": pumps["id"], "serial_no": "P-1"}), 409)["detail"]

    # What it still holds can leave it: issued, or moved to a depot in service.
    stockroom.issue(depot, tents, 4)
    stockroom.transfer(depot, city, tents, 6)
    assert stockroom.balance(depot, tents)["on_hand"] == 0
    assert [m["type"] for m in stockroom.movements(warehouse_id=depot["id"])] == ["transfer_out", "issue", "receipt"]

    patch(resources_client, f"/warehouses/{depot['id']}", {"active": True})
    assert depot["code"] in codes(stockroom, "/warehouses")
    stockroom.receive(depot, tents, 1)


def test_a_retired_item_takes_no_new_stock_anywhere_and_comes_back(resources_client, stockroom, depot, tents):
    city = stockroom.warehouse()
    stockroom.receive(depot, tents, 5)
    patch(resources_client, f"/items/{tents['id']}", {"active": False})
    assert tents["code"] not in codes(stockroom, "/items")
    assert tents["code"] in codes(stockroom, "/items", include_inactive="true")
    assert stockroom.get(f"/items/{tents['id']}")["active"] is False
    problem = assert_problem(resources_client.post(f"{API}/stock/receipts", json={
        "warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 1}), 409)
    assert tents["code"] in problem["detail"] and problem["field"] == "item_id"
    assert_problem(resources_client.post(f"{API}/stock/transfers", json={
        "from_warehouse_id": depot["id"], "to_warehouse_id": city["id"], "item_id": tents["id"], "quantity": 1}), 409)
    stockroom.issue(depot, tents, 5)  # what is left may still go out

    patch(resources_client, f"/items/{tents['id']}", {"active": True})
    stockroom.receive(depot, tents, 2)


def test_an_import_into_a_retired_depot_is_refused_whole_naming_the_row(resources_client, stockroom, depot, tents):
    open_depot = stockroom.warehouse()
    patch(resources_client, f"/warehouses/{depot['id']}", {"active": False})
    sheet = ("warehouse_code,item_code,quantity\n"
             f"{open_depot['code']},{tents['code']},3\n{depot['code']},{tents['code']},2\n").encode()
    answer = resources_client.post(f"{API}/stock/import", data={"file": (io.BytesIO(sheet), "入库.csv")},
                                   content_type="multipart/form-data")
    problem = assert_problem(answer, 409)
    assert list(problem["rows"]) == ["row 3"] and "retired" in problem["rows"]["row 3"][0]
    assert stockroom.get("/stock", item_id=tents["id"])["items"] == [], "all or nothing"


def test_active_must_be_a_boolean(resources_client, depot):
    assert_problem(resources_client.patch(f"{API}/warehouses/{depot['id']}", json={"active": "maybe"}), 422, "active")
